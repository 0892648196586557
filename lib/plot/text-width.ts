/**
 * Approximate width of a line of text in Helvetica / Arial (and Liberation Sans, which shares their
 * metrics), so drawings can keep labels apart without a browser to measure them. Widths per character
 * in thousandths of the font size, from the fonts' AFM tables; anything else counts as a wide 0.6 em.
 */
const WIDTHS: Record<string, number> = {
  " ": 278, "!": 278, "(": 333, ")": 333, "[": 278, "]": 278, "{": 334, "}": 334, "*": 389, "+": 584,
  ",": 278, "-": 333, ".": 278, "/": 278, ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "|": 260,
  "^": 469, "_": 556, "·": 278, "×": 584, "−": 584, "→": 1000, "←": 1000, "σ": 600, "∂": 494, "√": 549,
  f: 278, i: 222, j: 222, l: 222, t: 278, r: 333, m: 833, w: 722, k: 500, s: 500, c: 500, v: 500, x: 500, y: 500, z: 500,
  I: 278, J: 500, M: 833, W: 944,
};

export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) {
    if (WIDTHS[ch] !== undefined) units += WIDTHS[ch];
    else if (/[0-9]/.test(ch)) units += 556;
    else if (/[a-z]/.test(ch)) units += 556;
    else if (/[A-Z]/.test(ch)) units += 667;
    else units += 600;
  }
  return (units / 1000) * fontSize;
}
