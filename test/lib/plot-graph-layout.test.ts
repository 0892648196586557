/**
 * The computation-graph drawing's geometry on the lecture's own graphs: where constants go, that
 * columns keep their order and spacing, and that every number on an edge can be read (it covers no
 * other label, node or line) and attributed (it is nearer its own edge than any other).
 */
import { plot } from "gradlab";
import { boxesOverlap, distanceToPolyline, polylineHitsBox, shapeBox, type Box } from "../../lib/plot/graph-geometry";
import { spread } from "../../lib/plot/graph-layout";
import { LECTURE_GRAPHS, circuit, sigmoidByHand } from "./plot-graph-lectures";

const centre = (b: Box) => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });
const idOf = (view: plot.GraphView, label: string) => view.nodes.find((n) => n.label === label)!.id;

describe("layout", () => {
  test("a constant is in the layer right before its first consumer, whatever order it was declared in", () => {
    for (const first of [true, false]) {
      const layout = plot.layoutGraph(circuit(first));
      expect(layout.column.get("two")).toBe(layout.column.get("f")! - 1);
      for (const input of ["x", "y", "z", "w"]) expect(layout.column.get(input)).toBe(0);
    }
    // Unnamed numeric constants of a define-by-run expression: 1 + e^-x, then (…)^-1.
    const view = sigmoidByHand();
    const layout = plot.layoutGraph(view);
    const consumer = (id: string) => view.edges.find((e) => e.from === id)!.to;
    for (const label of ["1", "-1"]) {
      const id = idOf(view, label);
      expect(layout.column.get(id)).toBe(layout.column.get(consumer(id))! - 1);
    }
  });

  test("a constant is drawn beside its gate: its edge is no longer than one column", () => {
    const drawing = plot.graphDrawing(circuit(true));
    const edge = drawing.edges.find((e) => e.edge.from === "two")!;
    expect(edge.end.x - edge.start.x).toBeLessThan(200);
  });

  test("nodes in a column keep their order at least a row apart; every edge runs left to right", () => {
    for (const [, build] of LECTURE_GRAPHS) {
      const view = build();
      const layout = plot.layoutGraph(view);
      for (const column of layout.columns) {
        for (let i = 1; i < column.length; i++) expect(layout.y.get(column[i])! - layout.y.get(column[i - 1])!).toBeGreaterThanOrEqual(1 - 1e-9);
      }
      for (const e of view.edges) expect(layout.column.get(e.to)!).toBeGreaterThan(layout.column.get(e.from)!);
      expect(Math.min(...layout.y.values())).toBe(0);
    }
  });

  test("a chain runs straight: a gate with one input sits level with it", () => {
    const view = LECTURE_GRAPHS.find(([name]) => name.startsWith("01"))![1]();
    const layout = plot.layoutGraph(view);
    for (const [a, b] of [["s", "p"], ["p", "log p"], ["log p", "L"]]) expect(layout.y.get(b)).toBeCloseTo(layout.y.get(a)!, 6);
  });

  test("spread: the closest ordered positions at least `gap` apart (least squares)", () => {
    expect(spread([0, 5, 9], 1)).toEqual([0, 5, 9]);
    expect(spread([0, 0, 0], 1)).toEqual([-1, 0, 1]);
    expect(spread([2, 1], 1)).toEqual([1, 2]);
    expect(spread([0, 0.5, 3], 1)).toEqual([-0.25, 0.75, 3]);
  });
});

describe.each(LECTURE_GRAPHS)("labels of %s", (_, build) => {
  const drawing = plot.graphDrawing(build());
  const values = drawing.labels.filter((l) => l.kind === "value" || l.kind === "grad");

  test("every edge carries its value and gradient, and the argument names are there", () => {
    const view = build();
    expect(values.filter((l) => l.kind === "value")).toHaveLength(drawing.edges.length);
    expect(drawing.labels.filter((l) => l.kind === "argument")).toHaveLength(view.edges.filter((e) => e.label).length);
  });

  test("no two label boxes intersect", () => {
    const labels = drawing.labels;
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (boxesOverlap(labels[i].box, labels[j].box)) throw new Error(`'${labels[i].text}' (${labels[i].kind}) overlaps '${labels[j].text}' (${labels[j].kind})`);
      }
    }
  });

  test("no label covers a node, a gate's name or an edge's line", () => {
    for (const l of drawing.labels) {
      for (const n of drawing.nodes) {
        expect({ label: l.text, node: n.node.id, hit: boxesOverlap(l.box, shapeBox(n, 0)) || (n.caption ? boxesOverlap(l.box, n.caption.box) : false) })
          .toEqual({ label: l.text, node: n.node.id, hit: false });
      }
      drawing.edges.forEach((e, i) => {
        if (i === l.edge && !e.control) return; // straight own edge: checked by the side test below
        expect({ label: l.text, edge: `${e.edge.from}->${e.edge.to}`, hit: polylineHitsBox(e.samples, l.box) })
          .toEqual({ label: l.text, edge: `${e.edge.from}->${e.edge.to}`, hit: false });
      });
    }
  });

  test("each value sits above its own edge and each gradient below it, nearer that edge than any other", () => {
    for (const l of values) {
      const own = drawing.edges[l.edge], c = centre(l.box);
      // Which side of the edge: the sign of the cross product with the nearest segment of its path.
      const segments = own.samples.slice(1).map((q, i) => [own.samples[i], q]);
      const [a, b] = segments.reduce((best, s) => (distanceToPolyline(c, s) < distanceToPolyline(c, best) ? s : best));
      const cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
      expect({ label: l.text, kind: l.kind, above: cross < 0 }).toEqual({ label: l.text, kind: l.kind, above: l.kind === "value" });
      expect(polylineHitsBox(own.samples, l.box)).toBe(false);
      const mine = distanceToPolyline(c, own.samples);
      drawing.edges.forEach((e, i) => {
        if (i !== l.edge) expect({ label: l.text, nearer: distanceToPolyline(c, e.samples) > mine }).toEqual({ label: l.text, nearer: true });
      });
    }
  });

  test("a value that feeds several gates shows its summed gradient at the node, and each edge only its share", () => {
    const view = build();
    for (const n of view.nodes) {
      const branches = view.edges.filter((e) => e.from === n.id);
      const totals = drawing.labels.filter((l) => l.kind === "total" && l.text === `Σ ${plot.formatValue(n.grad ?? NaN)}`);
      if (branches.length > 1 && n.grad !== undefined) {
        expect({ node: n.id, totals: totals.length }).toEqual({ node: n.id, totals: 1 });
        for (const e of branches) expect(e.grad).not.toBeUndefined();
      }
    }
    expect(drawing.labels.filter((l) => l.kind === "total")).toHaveLength(
      view.nodes.filter((n) => n.grad !== undefined && view.edges.filter((e) => e.from === n.id).length > 1).length);
  });

  test("everything lies inside the picture", () => {
    const b = drawing.bounds;
    for (const box of [...drawing.labels.map((l) => l.box), ...drawing.nodes.map((n) => shapeBox(n, 0))]) {
      expect(box.x0 >= b.x0 && box.y0 >= b.y0 && box.x1 <= b.x1 && box.y1 <= b.y1).toBe(true);
    }
  });
});

test("the SVG draws each label at the centre of the box the geometry chose", () => {
  const view = circuit(false);
  const drawing = plot.graphDrawing(view);
  const svg = plot.renderGraphSVG(view);
  for (const l of drawing.labels.filter((x) => x.kind !== "argument")) {
    const x = Math.round(((l.box.x0 + l.box.x1) / 2) * 10) / 10;
    expect(svg).toContain(`<text class="gradlab-graph-${l.kind}" x="${x}"`);
  }
  expect(svg).toMatch(/<text class="gradlab-graph-key"[^>]*>.*forward value.*gradient/);
  // Only prefixed class names: a host page's own rules (Bootstrap's .label) cannot restyle the drawing.
  expect([...svg.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1].split(" ")).filter((c) => !c.startsWith("gradlab-graph-"))).toEqual([]);
});

test("x2 of the slides' example shows Σ 2.284 = 2 + cos 5 at the node, 2 and 0.2837 on its edges", () => {
  const drawing = plot.graphDrawing(LECTURE_GRAPHS.find(([name]) => name.includes("x1 x2 + sin"))![1]());
  expect(drawing.labels.filter((l) => l.kind === "total").map((l) => l.text)).toEqual(["Σ 2.284"]);
  const fromX2 = drawing.labels.filter((l) => l.kind === "grad" && l.edge >= 0 && drawing.edges[l.edge].edge.from === "x2").map((l) => l.text).sort();
  expect(fromX2).toEqual(["0.2837", "2"]);
});

test("a constant's gradient is drawn: ∂y1/∂0.5 = y0 + a/y0 = 3 in Heron's step", () => {
  const view = LECTURE_GRAPHS.find(([name]) => name.startsWith("09"))![1]();
  const half = view.nodes.find((n) => n.label === "0.5")!;
  expect(view.edges.find((e) => e.from === half.id)!.grad).toBe(3);
});

test("an argument name that is also a node's name (w @ x's \"b\" beside the bias b) is drawn by position", () => {
  const drawing = plot.graphDrawing(LECTURE_GRAPHS.find(([name]) => name.startsWith("01"))![1]());
  expect(drawing.labels.filter((l) => l.kind === "argument").map((l) => l.text).sort()).toEqual(["1st", "2nd"]);
  // Elsewhere the gate's own names stay: x and y of Heron's division.
  const heron = plot.graphDrawing(LECTURE_GRAPHS.find(([name]) => name.startsWith("09"))![1]());
  expect(heron.labels.filter((l) => l.kind === "argument").map((l) => l.text).sort()).toEqual(["x", "y"]);
});
