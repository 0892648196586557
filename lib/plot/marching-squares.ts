/**
 * Contour lines of a function sampled on a grid, by marching squares: in each grid cell the level
 * crosses the edges whose two corners lie on different sides of it; joining the crossings gives
 * straight segments. Vega-Lite has no contour mark, so gradientField draws these segments as rules.
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
