/**
 * Width of a line of text as a browser or Vega will draw it, so drawings can keep labels apart and
 * size plots without a browser to measure them. The SVGs ask for Helvetica / Arial, but a machine
 * without them (most Linux desktops and servers) draws DejaVu Sans, which is about 12% wider: a
 * legend sized for Helvetica then lost its last letters ("centred differenc"). So every width is the
 * wider of the two fonts, and text fits whichever of them draws it. Widths in thousandths of the font
 * size: Helvetica's from its AFM table, DejaVu Sans's as Chromium measures DejaVuSans.ttf.
 */
const HELVETICA: Record<string, number> = {
  " ": 278, "!": 278, "(": 333, ")": 333, "[": 278, "]": 278, "{": 334, "}": 334, "*": 389, "+": 584,
  ",": 278, "-": 333, ".": 278, "/": 278, ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "|": 260,
  "^": 469, "_": 556, "·": 278, "×": 584, "−": 584, "→": 1000, "←": 1000, "σ": 600, "∂": 494, "√": 549,
  f: 278, i: 222, j: 222, l: 222, t: 278, r: 333, m: 833, w: 722, k: 500, s: 500, c: 500, v: 500, x: 500, y: 500, z: 500,
  I: 278, J: 500, M: 833, W: 944,
};

/** DejaVu Sans, printable ASCII from " " (32) to "~" (126), then the symbols the lectures use. */
const DEJAVU_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const DEJAVU_SYMBOLS: Record<string, number> = {
  "·": 318, "×": 838, "−": 838, "→": 838, "←": 838, "σ": 634, "∂": 517, "√": 637, "∇": 669, "η": 634, "θ": 612, "≈": 838,
  "≤": 838, "≥": 838, "Σ": 632, "²": 401, "ℝ": 792, "ⁿ": 398, "′": 227, "ε": 541, "δ": 612, "–": 500, "—": 1000, "…": 1000,
  "°": 500, "■": 945, "₁": 401, "₂": 401,
};

function helvetica(ch: string): number {
  if (HELVETICA[ch] !== undefined) return HELVETICA[ch];
  if (/[0-9a-z]/.test(ch)) return 556;
  if (/[A-Z]/.test(ch)) return 667;
  return 600;
}

function dejavu(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 32 && code <= 126) return DEJAVU_ASCII[code - 32];
  return DEJAVU_SYMBOLS[ch] ?? 1000;   // an unknown symbol: a full em, to be safe
}

export function textWidth(text: string, fontSize: number): number {
  let h = 0, d = 0;
  for (const ch of text) { h += helvetica(ch); d += dejavu(ch); }
  return (Math.max(h, d) / 1000) * fontSize;
}
