/** The Trainer's progress: a bar redrawn in place on a terminal, one display updated in place in a notebook. */
import { data, nn, optim } from "gradlab";

const ds = data.cs231nSpiral({ pointsPerClass: 20, seed: 1 }); // 60 rows
const make = () => new nn.TwoLayerNet(2, 10, 3, { weightScale: 0.1, seed: 2 });

test("progress: 'bar' redraws one line with \\r and ends it once", () => {
  let out = "";
  new optim.Trainer(make(), { train: ds, val: ds, epochs: 3, batchSize: 20, progress: "bar", stream: { write: (s: string) => (out += s) } }).train();
  expect(out.split("\n")).toHaveLength(2); // one line, then its newline
  expect(out.endsWith("\n")).toBe(true);
  const frames = out.trim().split("\r").filter(Boolean);
  expect(frames.length).toBeGreaterThanOrEqual(2); // the first iteration and the last epoch (more at most every 100 ms)
  expect(frames.at(-1)).toMatch(/^\[#{24}\] 100% · epoch 3\/3 · iteration 9\/9 · loss \d+\.\d{4} · train acc \d\.\d{4} · val acc \d\.\d{4}\x1b\[K$/);
});

describe("in a notebook (the kernel's display global)", () => {
  const g = globalThis as { display?: unknown };
  let shown: unknown[];
  let updates: unknown[];
  beforeEach(() => {
    shown = [];
    updates = [];
    const display = (value: unknown) => {
      shown.push(value);
      return { update: (v: unknown) => updates.push(v) };
    };
    g.display = Object.assign(display, { html: () => undefined });
  });
  afterEach(() => delete g.display);

  const bundle = (v: unknown) => (v as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();

  test("by default: one display, updated in place, ending at 100% with the accuracies", () => {
    new optim.Trainer(make(), { train: ds, val: ds, epochs: 3, batchSize: 20 }).train();
    expect(shown).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(1); // at least the last epoch
    const last = bundle(updates.at(-1));
    expect(last["text/plain"]).toMatch(/100% · epoch 3\/3 · iteration 9\/9 · loss .* · train acc \d\.\d{4} · val acc \d\.\d{4}$/);
    expect(last["text/html"]).toContain('<progress value="1.0000" max="1"');
  });

  test("a given stream still gets CS231n's lines; quiet shows nothing", () => {
    let out = "";
    new optim.Trainer(make(), { train: ds, epochs: 1, batchSize: 30, stream: { write: (s: string) => (out += s) } }).train();
    expect(out).toMatch(/^\(Iteration 1 \/ 2\) loss: /);
    new optim.Trainer(make(), { train: ds, epochs: 1, quiet: true }).train();
    expect(shown).toHaveLength(0);
  });
});
