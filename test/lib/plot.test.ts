import { plot, Tensor } from "gradlab";
import { inflateSync } from "zlib";
import { parseXml, findAll, vegaMarks, hasClass, textOf } from "./plot-xml";

/** Reads an 8-bit RGBA PNG without filtering (what lib/plot/png writes) from a data: URL. */
function decodePNG(url: string) {
  const bytes = Buffer.from(url.replace(/^data:image\/png;base64,/, ""), "base64");
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const width = bytes.readUInt32BE(16), height = bytes.readUInt32BE(20);
  expect([bytes[24], bytes[25]]).toEqual([8, 6]); // 8 bits, RGBA
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at), type = bytes.toString("ascii", at + 4, at + 8);
    if (type === "IDAT") idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  return { width, height, pixel: (x: number, y: number) => [...rows.subarray(y * (1 + 4 * width) + 1 + 4 * x, y * (1 + 4 * width) + 5 + 4 * x)] };
}

const display = async (p: object) => (p as Record<symbol, () => Promise<Record<string, unknown>>>)[Symbol.for("Jupyter.display")]();

async function render(p: plot.Plot) {
  const svg = await plot.toSVG(p);
  return parseXml(svg);
}

describe("loss and accuracy curves", () => {
  test("train and validation losses render as two lines", async () => {
    const loss = Array.from({ length: 50 }, (_, i) => 2 * Math.exp(-i / 10) + 0.1);
    const val = Array.from({ length: 5 }, (_, i) => 2 * Math.exp(-i) + 0.2);
    const svg = await render(plot.lossCurve(loss, { val, title: "training" }));
    expect(svg.name).toBe("svg");
    expect(vegaMarks(svg, "line")).toHaveLength(2);
    expect(textOf(svg)).toContain("training");
    expect(textOf(svg)).toContain("iteration");
  });
  test("the legend names only the series that are drawn (no 'val' without validation data)", () => {
    const domain = (p: unknown) => (p as { encoding: { color: { scale: { domain: string[] } } } }).encoding.color.scale.domain;
    expect(domain(plot.lossCurve([3, 2, 1]))).toEqual(["train"]);
    expect(domain(plot.lossCurve([3, 2, 1], { val: [3, 1] }))).toEqual(["train", "val"]);
  });
  test("valLabel renames the second series where it is a test set (legend and data agree)", () => {
    const p = plot.accuracyCurve({ trainAcc: [0.5, 0.9], valAcc: [0.4, 0.8] }, { valLabel: "test" }) as unknown as
      { encoding: { color: { scale: { domain: string[] } } }; data: { values: { series: string }[] } };
    expect(p.encoding.color.scale.domain).toEqual(["train", "test"]);
    expect(new Set(p.data.values.map((r) => r.series))).toEqual(new Set(["train", "test"]));
  });
  test("every plot gets type sizes for a lecture hall; a spec's own config still wins", () => {
    const config = (p: unknown) => (p as { config: Record<string, Record<string, unknown>> }).config;
    expect(config(plot.lossCurve([3, 2, 1])).axis.labelFontSize).toBeGreaterThanOrEqual(14);
    expect(config(plot.lossCurve([3, 2, 1])).title.fontSize).toBeGreaterThanOrEqual(18);
    const own = config(plot.makePlot({ mark: "point", config: { axis: { labelFontSize: 9, grid: false } } } as never, "p"));
    expect(own.axis).toMatchObject({ labelFontSize: 9, grid: false, titleFontSize: 16 });
  });
  test("rendered SVG carries no per-mark aria labels (they double its size in a notebook)", async () => {
    const svg = await plot.toSVG(plot.lossCurve([3, 2, 1]));
    expect(svg).not.toContain("aria-label");
  });
  test("a long title at lecture size does not push the plot aside (text is sized with real font widths)", async () => {
    const svg = await plot.toSVG(plot.lossCurve([3, 2, 1], { title: "Sigmoid perceptron after 200 steps: accuracy 0.99", width: 420 }));
    const [, x] = svg.match(/transform="translate\((\d+(?:\.\d+)?),/)!;
    expect(Number(x)).toBeLessThan(80); // the y axis's labels and title only; Vega's 0.8 em guess gave 148
    expect(Number(svg.match(/width="(\d+)"/)![1])).toBeLessThan(620);
  });
  test("logScale makes a log y axis and drops non-positive values", () => {
    const p = plot.lossCurve({ loss: [1, 0.1, 0, 0.01] }, { logScale: true }) as unknown as { encoding: { y: { scale: { type: string } } }; data: { values: unknown[] } };
    expect(p.encoding.y.scale.type).toBe("log");
    expect(p.data.values).toHaveLength(3);
  });
  test("accuracy from a Trainer-like history, one point per epoch", async () => {
    const svg = await render(plot.accuracyCurve({ trainAcc: [0.5, 0.7, 0.9], valAcc: [0.4, 0.6, 0.8] }));
    expect(vegaMarks(svg, "line")).toHaveLength(2);
    expect(vegaMarks(svg, "symbol")).toHaveLength(6);
  });
  test("bad input is named", () => {
    expect(() => plot.lossCurve([])).toThrow(/lossCurve: no loss values/);
    expect(() => plot.lossCurve(["a"] as never)).toThrow(/lossCurve: loss\[0\]: expected a number/);
  });
});

describe("data pictures", () => {
  const X = [[0, 0], [1, 1], [1, 0], [0, 1], [0.5, 0.2]];
  const y = [0, 0, 1, 1, 1];

  test("scatter draws one symbol per point in Playground colours", async () => {
    const svg = await render(plot.scatter(X, y));
    const points = vegaMarks(svg, "symbol");
    expect(points).toHaveLength(5);
    const fills = new Set(points.map((p) => p.attrs.fill));
    expect(fills).toEqual(new Set(["#f59322", "#0877bd"]));
  });
  test("scatter accepts anything with toArray() and checks shapes", () => {
    expect(() => plot.scatter({ toArray: () => X }, [0, 1])).toThrow(/5 points but y has 2 labels/);
    expect(() => plot.scatter([[1, 2, 3]])).toThrow(/row 0 has 3 values, expected 2/);
  });
  test("decision boundary: a grid of predicted classes behind the points, one rectangle per run of a class in a row", async () => {
    const predict = (P: number[][]) => P.map(([a]) => (a > 0.5 ? 1 : 0));
    const p = plot.decisionBoundary(predict, X, y, { resolution: 12 });
    const runs = (p as unknown as { layer: { data: { values: { x1: number; x1end: number; x2: number; label: string }[] } }[] }).layer[0].data.values;
    // 12 rows, each split once by the line x1 = 0.5: 24 rectangles that tile every row end to end.
    expect(runs).toHaveLength(24);
    for (let row = 0; row < 12; row++) {
      const [left, right] = runs.slice(2 * row, 2 * row + 2);
      expect([left.label, right.label]).toEqual(["0", "1"]);
      expect(left.x1end).toBeCloseTo(right.x1, 12);
      expect(right.x1end - left.x1).toBeCloseTo(1.2, 12); // the data's range 1 plus 10% padding each side
    }
    const svg = await render(p);
    const cells = vegaMarks(svg, "rect");
    expect(cells).toHaveLength(24);
    // Both classes appear in the background, split by the vertical line x1 = 0.5.
    expect(new Set(cells.map((c) => c.attrs.fill)).size).toBe(2);
    expect(vegaMarks(svg, "symbol")).toHaveLength(5);
  });
  test("decision boundary takes a model with predict(X), and shades P(class 1) like the Playground", async () => {
    const model = { predict: (P: Tensor) => P.slice(null, 0).gt(0.5).toFlat() };
    const svg = await render(plot.decisionBoundary(model, X, y, { resolution: 6 }));
    expect(new Set(vegaMarks(svg, "rect").map((c) => c.attrs.fill)).size).toBe(2);
    // P(class 1) rises from left to right: orange, through white, to blue.
    const prob = (P: number[][]) => P.map(([a]) => Math.min(1, Math.max(0, a)));
    const shaded = await render(plot.decisionBoundary(prob, X, y, { resolution: 5, probability: true, padding: 0 }));
    const row = vegaMarks(shaded, "rect").slice(0, 5).map((c) => c.attrs.fill.match(/\d+/g)!.map(Number));
    expect(row[0][0]).toBeGreaterThan(row[0][2]); // orange: more red than blue
    expect(Math.min(...row[2])).toBeGreaterThan(240); // p = 0.5: white
    expect(row[4][2]).toBeGreaterThan(row[4][0]); // blue
    expect(vegaMarks(shaded, "symbol")).toHaveLength(5);
    expect(() => plot.decisionBoundary((P) => P.map(() => 2), X, y, { probability: true, resolution: 2 })).toThrow(/must return values in \[0, 1\]/);
  });
  test("decision boundary rejects a predict that returns the wrong count", () => {
    expect(() => plot.decisionBoundary(() => [1], X, y, { resolution: 4 })).toThrow(/returned 1 labels for 16 grid points/);
  });
  test("histogram has exactly `bins` bars whose heights add up to the count", async () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const p = plot.histogram(values, { bins: 7 }) as unknown as { data: { values: { count: number }[] } };
    expect(p.data.values.reduce((s, b) => s + b.count, 0)).toBe(200);
    const svg = await render(p as never);
    expect(vegaMarks(svg, "rect")).toHaveLength(7);
  });
  test("heatmap draws rows x cols cells with a diverging scale around 0", async () => {
    const W = [[1, -1, 0.5], [0, 2, -2]];
    const svg = await render(plot.heatmap(W));
    const cells = vegaMarks(svg, "rect");
    expect(cells).toHaveLength(6);
    // Red for negative weights, blue for positive, near white for 0.
    // Vega draws the cells in data order, row-major like W.
    const rgb = (v: number) => cells[W.flat().indexOf(v)].attrs.fill.match(/\d+/g)!.map(Number);
    const [r1, , b1] = rgb(-2), [r2, , b2] = rgb(2), zero = rgb(0);
    expect(r1).toBeGreaterThan(b1 + 100);
    expect(b2).toBeGreaterThan(r2 + 100);
    expect(Math.min(...zero)).toBeGreaterThan(180);
    expect(Math.abs(zero[0] - zero[2])).toBeLessThan(10);
  });
  test("image grid: one crisp image per picture, dark ink on light grey, and a caption per image", async () => {
    const images = Array.from({ length: 3 }, (_, k) => Array.from({ length: 64 }, (_, p) => (p + k) % 17));
    const svg = await render(plot.imageGrid(images, { captions: plot.digitCaptions([1, 2, 3], [1, 7, 3]) }));
    const pictures = findAll(svg, (e) => e.name === "image");
    expect(pictures).toHaveLength(3);
    expect(pictures.every((e) => /image-rendering: pixelated/.test(e.attrs.style ?? ""))).toBe(true);
    const first = decodePNG(pictures[0].attrs["xlink:href"]);
    expect([first.width, first.height]).toEqual([8, 8]);
    // Image 0's pixel p holds p % 17: pixel 0 is blank (light grey), pixel 16 has the most ink (near black).
    expect(first.pixel(0, 0)).toEqual([0xe2, 0xe2, 0xe2, 255]);
    expect(first.pixel(0, 2)).toEqual([0x1e, 0x1e, 0x1e, 255]);
    const captions = vegaMarks(svg, "text").map(textOf);
    expect(captions).toEqual(["1", "2→7", "3"]);
    expect(() => plot.imageGrid([[1, 2, 3]])).toThrow(/3 pixels but width\*height is 8\*8 = 64/);
    // Signed values: negative red, positive blue.
    const weights = await render(plot.imageGrid([[-2, 2, 0, 1]], { width: 2, height: 2, diverging: true }));
    const signed = decodePNG(findAll(weights, (e) => e.name === "image")[0].attrs["xlink:href"]);
    const [neg, pos] = [signed.pixel(0, 0), signed.pixel(1, 0)];
    expect(neg[0]).toBeGreaterThan(neg[2] + 100);
    expect(pos[2]).toBeGreaterThan(pos[0] + 100);
  });
});

describe("gradient field and contours", () => {
  const bowl = (x: number, y: number) => x * x + 4 * y * y;

  test("marching squares traces the level set of a bowl", () => {
    const xs = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
    const values = xs.map((y) => xs.map((x) => x * x + y * y));
    const segments = plot.contourSegments(values, xs, xs, 1);
    expect(segments.length).toBeGreaterThan(40);
    for (const [x1, y1, x2, y2] of segments) {
      expect(Math.abs(Math.hypot(x1, y1) - 1)).toBeLessThan(0.01);
      expect(Math.abs(Math.hypot(x2, y2) - 1)).toBeLessThan(0.01);
    }
  });
  test("colour map, contours, arrows of -grad and the descent path", async () => {
    const path = [[1.5, 0.8], [0.9, -0.5], [0.5, 0.3], [0.3, -0.2], [0.1, 0.05]];
    const p = plot.gradientField(bowl, { x: [-2, 2], y: [-1, 1], resolution: 10, levels: 4, arrows: 3, path });
    const svg = await render(p);
    // The colour map is one image of resolution x resolution pixels, with a colour legend for f.
    const images = findAll(svg, (e) => e.name === "image");
    expect(images).toHaveLength(1);
    const png = decodePNG(images[0].attrs["xlink:href"] ?? images[0].attrs.href);
    expect([png.width, png.height]).toEqual([10, 10]);
    // Viridis: dark purple at the bottom of the bowl (centre), yellow-green in the corners (top row first).
    const [r, g, b] = png.pixel(5, 5), [cr, cg, cb] = png.pixel(0, 0);
    expect(b).toBeGreaterThan(g); expect(r).toBeLessThan(100);
    expect(cg).toBeGreaterThan(cb); expect(cr + cg).toBeGreaterThan(300);
    expect(findAll(svg, (e) => e.name === "linearGradient")).toHaveLength(1);
    const arrows = 8; // 3x3, but the centre (0, 0) has zero gradient: no direction, no arrow
    expect(vegaMarks(svg, "rule")).toHaveLength(arrows); // the shafts
    expect(vegaMarks(svg, "symbol")).toHaveLength(arrows + path.length); // arrow heads + path points
    // Levels 1.6 and 3.2 are whole ellipses, one line each; the window cuts 4.8 and 6.4 into four
    // corner arcs each; plus the descent path.
    expect(vegaMarks(svg, "line")).toHaveLength(1 + 1 + 4 + 4 + 1);
  });
  test("contour lines are joined segments: a closed level set is one closed polyline", () => {
    const xs = Array.from({ length: 21 }, (_, i) => -2 + i * 0.2), ys = xs.map((v) => v / 2);
    const values = ys.map((y) => xs.map((x) => bowl(x, y)));
    const lines = plot.contourLines(values, xs, ys, 1);
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(line.length).toBeGreaterThan(20);
    expect(line[0][0]).toBeCloseTo(line[line.length - 1][0], 9);
    expect(line[0][1]).toBeCloseTo(line[line.length - 1][1], 9);
    for (const [x, y] of line) expect(bowl(x, y)).toBeCloseTo(1, 1);
  });
  test("arrows point downhill, against the gradient", () => {
    const p = plot.gradientField(bowl, { x: [-2, 2], y: [-1, 1], arrows: 2, levels: 1 }) as unknown as { layer: { data: { values: { x: number; y: number; xend: number; yend: number }[] } }[] };
    const arrows = p.layer[2].data.values;
    expect(arrows).toHaveLength(4);
    for (const a of arrows) expect(bowl(a.xend, a.yend)).toBeLessThan(bowl(a.x, a.y));
  });
  test("contourPlot has no arrows by default; a bad window is named", () => {
    const p = plot.contourPlot(bowl, { x: [-1, 1], y: [-1, 1] }) as unknown as { layer: unknown[] };
    expect(p.layer).toHaveLength(2);
    expect(() => plot.gradientField(bowl, { x: [1, -1], y: [0, 1] })).toThrow(/gradientField: x: expected a window \[min, max\]/);
  });
});

describe("notebook display", () => {
  test("a plot shows itself as Vega-Lite v5 JSON with an SVG fallback and a description", async () => {
    const p = plot.lossCurve([3, 2, 1]);
    expect(JSON.stringify(p)).not.toContain("Jupyter");
    const bundle = await display(p);
    expect(Object.keys(bundle).sort()).toEqual(["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
    expect((bundle["application/vnd.vegalite.v5+json"] as { $schema: string }).$schema).toMatch(/vega-lite\/v5\.json$/);
    expect(parseXml(bundle["image/svg+xml"] as string).name).toBe("svg");
    expect(bundle["text/plain"]).toBe("loss curve: 3 points, first 3, last 1");
  });
});

describe("computation graph drawing", () => {
  // The lecture's f(x, y, z) = (x + y) z at x = -2, y = 5, z = -4.
  const view: plot.GraphView = {
    nodes: [
      { id: "x", label: "x", value: -2, grad: -4 },
      { id: "y", label: "y", value: 5, grad: -4 },
      { id: "z", label: "z", value: -4, grad: 3 },
      { id: "q", label: "q", op: "+", value: 3, grad: -4 },
      { id: "f", label: "f", op: "*", value: -12, grad: 1 },
    ],
    edges: [
      { from: "x", to: "q" }, { from: "y", to: "q" }, { from: "q", to: "f" }, { from: "z", to: "f", label: "b" },
    ],
  };

  test("SVG: boxes for inputs, circles for gates, one arrow per edge plus the output's", () => {
    const svg = parseXml(plot.renderGraphSVG(view));
    expect(findAll(svg, (e) => e.name === "rect" && e.attrs.rx !== undefined)).toHaveLength(3);
    expect(findAll(svg, (e) => e.name === "circle")).toHaveLength(2);
    expect(findAll(svg, (e) => e.name === "g" && hasClass(e, "gradlab-graph-edge"))).toHaveLength(5);
    const values = findAll(svg, (e) => hasClass(e, "gradlab-graph-value")).map(textOf);
    const grads = findAll(svg, (e) => hasClass(e, "gradlab-graph-grad")).map(textOf);
    expect(values.sort()).toEqual(["-12", "-2", "-4", "3", "5"]);
    expect(grads.sort()).toEqual(["-4", "-4", "-4", "1", "3"]);
    expect(findAll(svg, (e) => hasClass(e, "gradlab-graph-op")).filter((e) => e.name === "text").map(textOf)).toEqual(["+", "*"]);
    expect(findAll(svg, (e) => hasClass(e, "gradlab-graph-edge-label")).map(textOf)).toEqual(["b"]);
  });
  test("layout: inputs in the first column, each gate right of its inputs", () => {
    const layout = plot.layoutGraph(view);
    expect(layout.columns).toEqual([["x", "y", "z"], ["q"], ["f"]]);
    const svg = parseXml(plot.renderGraphSVG(view));
    const cx = (id: string) => {
      const g = findAll(svg, (e) => e.attrs["data-id"] === id)[0];
      return Number((g.children[0].attrs.cx ?? g.children[0].attrs.x));
    };
    expect(cx("q")).toBeGreaterThan(cx("x"));
    expect(cx("f")).toBeGreaterThan(cx("q"));
  });
  test("fan-out (a·a + a): parallel edges bow apart, the long edge bows around the gate, labels do not collide", () => {
    const fan: plot.GraphView = {
      nodes: [{ id: "a", label: "a", value: 3, grad: 7 }, { id: "m", label: "m", op: "*", value: 9, grad: 1 }, { id: "s", label: "s", op: "+", value: 12, grad: 1 }],
      edges: [{ from: "a", to: "m" }, { from: "a", to: "m" }, { from: "m", to: "s" }, { from: "a", to: "s" }],
    };
    const svg = parseXml(plot.renderGraphSVG(fan));
    const paths = findAll(svg, (e) => e.name === "g" && hasClass(e, "gradlab-graph-edge")).map((g) => ({ to: g.attrs["data-to"], d: g.children[0].attrs.d }));
    expect(paths.filter((p) => p.to === "m").every((p) => p.d.includes(" Q "))).toBe(true);
    expect(paths.find((p) => p.to === "s" && p.d.includes(" Q "))).toBeDefined(); // a -> s would cross m
    expect(paths.find((p) => p.to === "s" && p.d.includes(" L "))).toBeDefined(); // m -> s stays straight
    const spots = findAll(svg, (e) => hasClass(e, "gradlab-graph-value")).map((t) => [Number(t.attrs.x), Number(t.attrs.y)]);
    for (let i = 0; i < spots.length; i++) for (let j = i + 1; j < spots.length; j++) {
      expect(Math.hypot(spots[i][0] - spots[j][0], spots[i][1] - spots[j][1])).toBeGreaterThan(20);
    }
    // Everything drawn lies inside the viewBox, including labels above a bowed edge.
    const [vx, vy, vw, vh] = svg.attrs.viewBox.split(" ").map(Number);
    for (const [x, y] of spots) expect(x > vx && x < vx + vw && y - 20 > vy && y < vy + vh).toBe(true);
  });
  test("constants sit just left of the gate that uses them, named inputs in the first column", () => {
    const layout = plot.layoutGraph({
      nodes: [{ id: "x", label: "x" }, { id: "n", label: "n", op: "neg" }, { id: "e", label: "e", op: "exp" }, { id: "one", label: "1" }, { id: "p", label: "p", op: "+" }],
      edges: [{ from: "x", to: "n" }, { from: "n", to: "e" }, { from: "e", to: "p" }, { from: "one", to: "p" }],
    });
    expect(layout.column.get("x")).toBe(0);
    expect(layout.column.get("one")).toBe(2);
    expect(layout.column.get("p")).toBe(3);
  });
  test("values are shown in at most 4 significant digits and labels are escaped", () => {
    const svg = plot.renderGraphSVG({ nodes: [{ id: "a", label: "a<b & c", value: 0.123456789, grad: -1e-7 }], edges: [] });
    const tree = parseXml(svg);
    expect(findAll(tree, (e) => hasClass(e, "gradlab-graph-value")).map(textOf)).toEqual(["0.1235"]);
    expect(findAll(tree, (e) => hasClass(e, "gradlab-graph-grad")).map(textOf)).toEqual(["-1.00e-7"]);
    expect(textOf(tree)).toContain("a<b & c");
  });
  test("DOT: left-to-right, a node per id, edges labelled with value and gradient", () => {
    const dot = plot.renderGraphDOT(view);
    expect(dot).toMatch(/^digraph computation \{\n  rankdir=LR;/);
    expect(dot).toContain(`"q" [shape=circle, label="+\\nq"];`);
    expect(dot).toContain(`"x" [shape=box, style=rounded, label="x"];`);
    expect(dot).toContain(`"x" -> "q" [label=<<font color="#1b8a2f">-2</font><br/><font color="#c62828">-4</font>>];`);
    expect(dot.match(/->/g)).toHaveLength(5);
  });
  test("bad graphs are named", () => {
    expect(() => plot.renderGraphSVG({ nodes: [{ id: "a", label: "a" }], edges: [{ from: "a", to: "b" }] })).toThrow(/unknown node 'b'/);
    expect(() => plot.renderGraphDOT({ nodes: [{ id: "a", label: "a" }, { id: "b", label: "b", op: "+" }], edges: [{ from: "a", to: "b" }, { from: "b", to: "a" }] }))
      .toThrow(/not a DAG.*a, b/);
    expect(() => plot.renderGraphSVG({ nodes: [{ id: "a", label: "a" }, { id: "a", label: "b" }], edges: [] })).toThrow(/'a' appears twice/);
  });
});

test("heatmap names its rows when asked (01's cat, dog, ship) and keeps their order", async () => {
  const named = plot.heatmap([[1, -1], [0, 2], [3, 0]], { rowNames: ["cat", "dog", "ship"] });
  expect((named as unknown as { encoding: { y: { sort: string[] } } }).encoding.y.sort).toEqual(["cat", "dog", "ship"]);
  const svg = await plot.toSVG(named);
  for (const name of ["cat", "dog", "ship"]) expect(svg).toContain(`>${name}</text>`);
  expect(() => plot.heatmap([[1]], { rowNames: ["a", "b"] })).toThrow(/2 row names for 1 rows/);
});

test("lineChart: one line per series, log axes and series order and colours as asked", async () => {
  const rows = [1, 10, 100].flatMap((n) => [{ n, ms: n, mode: "reverse" }, { n, ms: n * n, mode: "forward" }]);
  const chart = plot.lineChart(rows, { x: "n", y: "ms", series: "mode", logX: true, logY: true, seriesOrder: ["reverse", "forward"], colors: ["#000000", "#ff0000"], title: "t" });
  const enc = (chart as unknown as { encoding: Record<string, { scale?: Record<string, unknown> }> }).encoding;
  expect(enc.x.scale).toMatchObject({ type: "log" });
  expect(enc.color.scale).toEqual({ domain: ["reverse", "forward"], range: ["#000000", "#ff0000"] });
  const svg = await plot.toSVG(chart);
  expect(svg).toContain(">reverse</text>");
  expect(svg).toContain(">forward</text>");
});
