/** How a tensor reads on a terminal (NumPy-like text) and in a notebook (an HTML table). */
import { formatShape } from "./shape";
import type { Tensor } from "./tensor";

const EDGE = 3;          // entries shown at each end of a long axis in text
const SUMMARISE_OVER = 1000;
const HTML_EDGE = 10;    // rows/columns shown at each end in HTML

/** One number formatter for the whole tensor, so columns line up. */
function numberFormatter(values: ArrayLike<number>): (x: number) => string {
  let allInts = true, maxAbs = 0, minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInts = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  if (allInts && maxAbs < 1e16) return (x) => (Number.isFinite(x) ? `${x}.` : String(x));
  const scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity);
  return scientific ? (x) => x.toExponential(4) : (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
}

function shownIndices(len: number, edge: number, summarise: boolean): (number | null)[] {
  if (!summarise || len <= 2 * edge) return Array.from({ length: len }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), null, ...Array.from({ length: edge }, (_, i) => len - edge + i)];
}

export function formatTensor(t: Tensor): string {
  const summarise = t.size > SUMMARISE_OVER;
  const fmt = numberFormatter(t.data);
  const cells: string[] = [];
  // First pass: collect the shown numbers to pad them to one width.
  const walk = (d: number, offset: number, visit: (flat: number) => void) => {
    if (d === t.ndim) return visit(offset);
    for (const i of shownIndices(t.shape[d], EDGE, summarise)) if (i !== null) walk(d + 1, offset + i * t.strides[d], visit);
  };
  walk(0, 0, (flat) => cells.push(fmt(t.data[flat])));
  const width = Math.max(0, ...cells.map((c) => c.length));
  const prefix = "tensor(";
  const render = (d: number, offset: number, indent: number): string => {
    if (d === t.ndim) return fmt(t.data[offset]).padStart(width);
    const parts = shownIndices(t.shape[d], EDGE, summarise).map((i) =>
      i === null ? "..." : render(d + 1, offset + i * t.strides[d], indent + 1),
    );
    if (d === t.ndim - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = t.ndim === 0 ? fmt(t.data[0]) : render(0, 0, prefix.length);
  const notes: string[] = [];
  if (summarise) notes.push(`shape=${formatShape(t.shape)}`);
  if (t.dtype !== "float64") notes.push(`dtype=${t.dtype}`);
  if (t.requiresGrad) notes.push("requiresGrad=true");
  return `${prefix}${body}${notes.length ? ", " + notes.join(", ") : ""})`;
}

function escapeHTML(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An HTML table for 0-, 1- and 2-D tensors (long axes elided in the middle); text in <pre> above that. */
export function tensorHTML(t: Tensor): string {
  const caption = `Tensor ${formatShape(t.shape)} ${t.dtype}${t.requiresGrad ? " · requiresGrad" : ""}${t.name ? ` · ${escapeHTML(t.name)}` : ""}`;
  if (t.ndim > 2) {
    return `<div class="gradlab-tensor"><div style="font-size:0.85em;color:#666">${caption}</div><pre>${escapeHTML(formatTensor(t))}</pre></div>`;
  }
  const fmt = numberFormatter(t.data);
  const rows = t.ndim === 2 ? t.shape[0] : 1;
  const cols = t.ndim === 0 ? 1 : t.shape[t.ndim - 1];
  const rowIdx = shownIndices(rows, HTML_EDGE, rows > 2 * HTML_EDGE);
  const colIdx = shownIndices(cols, HTML_EDGE, cols > 2 * HTML_EDGE);
  const td = `style="padding:2px 8px;text-align:right;font-family:monospace;border:1px solid #ddd"`;
  const body = rowIdx
    .map((r) => {
      const cells = colIdx.map((c) =>
        r === null || c === null ? `<td ${td}>⋯</td>` : `<td ${td}>${escapeHTML(fmt(t.data[r * cols + c]))}</td>`,
      );
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  return (
    `<table class="gradlab-tensor" style="border-collapse:collapse">` +
    `<caption style="caption-side:top;text-align:left;font-size:0.85em;color:#666">${caption}</caption>` +
    `<tbody>${body}</tbody></table>`
  );
}
