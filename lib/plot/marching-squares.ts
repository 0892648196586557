/**
 * Contour lines of a function sampled on a grid, by marching squares: in each grid cell the level
 * crosses the edges whose two corners lie on different sides of it; joining the crossings gives
 * straight segments. Vega-Lite has no contour mark, so gradientField draws the joined segments (contourLines) as lines.
 */
export type Segment = [x1: number, y1: number, x2: number, y2: number];

/** `values[j][i]` is f(xs[i], ys[j]). Returns the segments of the curve f = level. */
export function contourSegments(values: number[][], xs: number[], ys: number[], level: number): Segment[] {
  const segments: Segment[] = [];
  const above = (v: number) => v >= level;
  // Where along an edge from (xa, ya, va) to (xb, yb, vb) f crosses the level (linear interpolation).
  const cross = (xa: number, ya: number, va: number, xb: number, yb: number, vb: number): [number, number] => {
    const t = va === vb ? 0.5 : (level - va) / (vb - va);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < xs.length; i++) {
      const [x0, x1, y0, y1] = [xs[i], xs[i + 1], ys[j], ys[j + 1]];
      const a = values[j][i], b = values[j][i + 1], c = values[j + 1][i + 1], d = values[j + 1][i];
      if (![a, b, c, d].every(Number.isFinite)) continue;
      // Edges in order: bottom (a-b), right (b-c), top (c-d), left (d-a).
      const edges: ([number, number] | null)[] = [
        above(a) !== above(b) ? cross(x0, y0, a, x1, y0, b) : null,
        above(b) !== above(c) ? cross(x1, y0, b, x1, y1, c) : null,
        above(c) !== above(d) ? cross(x1, y1, c, x0, y1, d) : null,
        above(d) !== above(a) ? cross(x0, y1, d, x0, y0, a) : null,
      ];
      const hits = edges.map((p, k) => (p ? k : -1)).filter((k) => k >= 0);
      if (hits.length === 2) {
        const [p, q] = [edges[hits[0]]!, edges[hits[1]]!];
        segments.push([p[0], p[1], q[0], q[1]]);
      } else if (hits.length === 4) {
        // Saddle: the cell centre decides which opposite corners are joined through the middle.
        const centreAboveLikeA = above((a + b + c + d) / 4) === above(a);
        const pairs = centreAboveLikeA ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
        for (const [m, n] of pairs) segments.push([edges[m]![0], edges[m]![1], edges[n]![0], edges[n]![1]]);
      }
    }
  }
  return segments;
}

/**
 * The same curve as polylines: segments that share an end are joined, so a closed contour is one
 * line (drawn as one SVG path instead of one element per grid cell it crosses).
 */
export function contourLines(values: number[][], xs: number[], ys: number[], level: number): [number, number][][] {
  // Neighbouring cells compute a shared crossing from opposite ends of the grid edge; match ends to
  // a billionth of the window so rounding does not break a line.
  const unit = Math.max(Math.abs(xs[xs.length - 1] - xs[0]), Math.abs(ys[ys.length - 1] - ys[0]), 1e-300) * 1e-9;
  const key = (x: number, y: number) => `${Math.round(x / unit)},${Math.round(y / unit)}`;
  // Where the level passes exactly through a grid point, cells touching it yield zero-length segments,
  // which would branch the line there: drop them.
  const segments = contourSegments(values, xs, ys, level).filter(([x1, y1, x2, y2]) => key(x1, y1) !== key(x2, y2));
  const at = new Map<string, number[]>();
  segments.forEach(([x1, y1, x2, y2], s) => {
    for (const k of [key(x1, y1), key(x2, y2)]) at.set(k, [...(at.get(k) ?? []), s]);
  });
  const used = new Array<boolean>(segments.length).fill(false);
  // From the end point p, follow unused segments until none continues the line.
  const extend = (line: [number, number][], p: [number, number], push: (q: [number, number]) => void) => {
    for (;;) {
      const next = (at.get(key(p[0], p[1])) ?? []).find((s) => !used[s]);
      if (next === undefined) return;
      used[next] = true;
      const [x1, y1, x2, y2] = segments[next];
      p = key(x1, y1) === key(p[0], p[1]) ? [x2, y2] : [x1, y1];
      push(p);
    }
  };
  const lines: [number, number][][] = [];
  segments.forEach(([x1, y1, x2, y2], s) => {
    if (used[s]) return;
    used[s] = true;
    const line: [number, number][] = [[x1, y1], [x2, y2]];
    extend(line, [x2, y2], (q) => line.push(q));
    extend(line, [x1, y1], (q) => line.unshift(q));
    lines.push(line);
  });
  return lines;
}
