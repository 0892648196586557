/**
 * `gradlab demo` (`npm start`): the lecture's worked examples with their values and gradients,
 * printed step by step — the computational graph's forward and backward passes, forward mode, and a
 * linear classifier's scores.
 */
import { AddGate, Graph, LogGate, MaxGate, MultiplyGate, SinGate, SubtractGate, Value, jvp, tensor } from "../lib";
import type { Num, TraceStep } from "../lib";
import { parseCommandLine, usageFailure } from "./args";

const HELP = `usage: gradlab demo [--no-trace]

Prints the lecture's examples with their forward values and gradients:
  1. f(x, y, z) = (x + y)·z at (-2, 5, -4)              (Graph, step by step)
  2. f = 2·(x·y + max(z, w)) at (3, -4, 2, -1)           (patterns of gradient flow)
  3. f = ln(x1) + x1·x2 - sin(x2) at (2, 5)              (reverse mode with Value, forward mode with jvp)
  4. linear classifier scores W·x + b of a 4-pixel image  (Tensor, with the gradient of one score)

  --no-trace   print only results, not every forward/backward step`;

/** Numbers as a lecture writes them: integers plainly, others with up to 4 decimals. */
function fmt(v: Num | undefined): string {
  if (v === undefined) return "?";
  if (typeof v !== "number") return v.size === 1 ? fmt(v.data[0]) : `[${Array.from(v.data, (x) => fmt(x)).join(", ")}]`;
  if (Object.is(v, -0)) return "0";
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
}

function heading(title: string, print: (s: string) => void): void {
  print("");
  print(title);
  print("─".repeat(Math.min(78, title.length)));
}

function printTrace(g: Graph, print: (s: string) => void): void {
  const defs = new Map<string, string>();
  print("  forward pass (topological order):");
  for (const s of g.trace.filter((t) => t.phase === "forward")) {
    const def = s.op ? `${s.op}(${s.inputs.join(", ")})` : g.node(s.node).kind;
    defs.set(s.node, def);
    print(`    ${s.node.padEnd(6)} = ${def.padEnd(16)} = ${fmt(s.value)}`);
  }
  print("  backward pass (reverse order; downstream = upstream × local):");
  for (const s of g.trace.filter((t): t is TraceStep & { upstream: Num } => t.phase === "backward" && t.op !== undefined)) {
    const local = (s.localGradients ?? []).map((l, i) => `∂${s.node}/∂${s.inputs[i]} = ${fmt(l)}`).join(", ");
    const down = (s.downstream ?? []).map((d, i) => `${s.inputs[i]} ← ${fmt(d)}`).join(", ");
    print(`    at ${s.node.padEnd(6)} upstream ${fmt(s.upstream).padStart(4)}   local [${local}]   → ${down}`);
  }
}

function circuit(print: (s: string) => void, trace: boolean): void {
  heading("1. f(x, y, z) = (x + y)·z at x = -2, y = 5, z = -4", print);
  const g = new Graph();
  const x = g.input("x"), y = g.input("y"), z = g.input("z");
  const q = g.apply(new AddGate(), [x, y], "q");
  g.apply(new MultiplyGate(), [q, z], "f");
  const f = g.forward({ x: -2, y: 5, z: -4 });
  const grads = g.backward();
  if (trace) printTrace(g, print);
  print(`  f = ${fmt(f)};  ∂f/∂x = ${fmt(grads.x)},  ∂f/∂y = ${fmt(grads.y)},  ∂f/∂z = ${fmt(grads.z)}`);
}

function patterns(print: (s: string) => void, trace: boolean): void {
  heading("2. Patterns of gradient flow: f = 2·(x·y + max(z, w)) at x = 3, y = -4, z = 2, w = -1", print);
  const g = new Graph();
  const [x, y, z, w] = ["x", "y", "z", "w"].map((n) => g.input(n));
  const xy = g.apply(new MultiplyGate(), [x, y], "xy");
  const m = g.apply(new MaxGate(), [z, w], "m");
  const s = g.apply(new AddGate(), [xy, m], "s");
  g.apply(new MultiplyGate(), [g.constant(2, "two"), s], "f");
  const f = g.forward({ x: 3, y: -4, z: 2, w: -1 });
  const grads = g.backward();
  if (trace) printTrace(g, print);
  print(`  f = ${fmt(f)};  ∂f/∂x = ${fmt(grads.x)},  ∂f/∂y = ${fmt(grads.y)},  ∂f/∂z = ${fmt(grads.z)},  ∂f/∂w = ${fmt(grads.w)}`);
  print("  add distributes (s passes 2 to both xy and m), max routes (z gets 2, w gets 0),");
  print("  multiply switches (x gets y·2 = -8, y gets x·2 = 6).");
}

function lnExample(print: (s: string) => void, trace: boolean): void {
  heading("3. f(x1, x2) = ln(x1) + x1·x2 - sin(x2) at x1 = 2, x2 = 5", print);
  const f = <T extends { log(): T; mul(o: T): T; add(o: T): T; sub(o: T): T; sin(): T }>(x1: T, x2: T) =>
    x1.log().add(x1.mul(x2)).sub(x2.sin());
  const a = new Value(2, "x1"), b = new Value(5, "x2");
  const out = f(a, b);
  out.backward();
  print(`  reverse mode (Value, one backward pass gives both partials):`);
  print(`    f = ${fmt(out.data)};  ∂f/∂x1 = 1/x1 + x2 = ${fmt(a.grad)},  ∂f/∂x2 = x1 - cos(x2) = ${fmt(b.grad)}`);
  print(`  forward mode (dual numbers, one pass per input direction):`);
  const d1 = jvp(f, [2, 5], [1, 0]), d2 = jvp(f, [2, 5], [0, 1]);
  print(`    direction (1, 0): f = ${fmt(d1.value)}, tangent ∂f/∂x1 = ${fmt(d1.tangent)}`);
  print(`    direction (0, 1): f = ${fmt(d2.value)}, tangent ∂f/∂x2 = ${fmt(d2.tangent)}`);
  if (trace) {
    const g = new Graph();
    const x1 = g.input("x1"), x2 = g.input("x2");
    const v1 = g.apply(new LogGate(), [x1], "v1");
    const v2 = g.apply(new MultiplyGate(), [x1, x2], "v2");
    const v3 = g.apply(new SinGate(), [x2], "v3");
    g.apply(new SubtractGate(), [g.apply(new AddGate(), [v1, v2], "v4"), v3], "f");
    g.forward({ x1: 2, x2: 5 });
    const grads = g.backward();
    print("  the same function as a Graph (x1 and x2 fan out; their gradients add):");
    printTrace(g, print);
    print(`  x1 collects 0.5 + 5 = ${fmt(grads.x1)};  x2 collects 2 - 0.2837 = ${fmt(grads.x2)}`);
  }
}

function classifier(print: (s: string) => void): void {
  heading("4. Linear classifier scores s = W·x + b for a 4-pixel image", print);
  const W = tensor([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0, 0.25, 0.2, -0.3]], { requiresGrad: true, name: "W" });
  const x = tensor([56, 231, 24, 2], { name: "x" });
  const b = tensor([1.1, 3.2, -1.2], { requiresGrad: true, name: "b" });
  const scores = W.matmul(x).add(b);
  const classes = ["cat", "dog", "ship"];
  print(`  pixels x = ${fmt(x)}`);
  classes.forEach((c, i) => print(`    ${c.padEnd(5)} score ${fmt(scores.data[i]).padStart(7)}`));
  print("  (the slide prints 61.95 for ship; 0.25·231 + 0.2·24 - 0.3·2 - 1.2 = 60.75)");
  scores.backward(tensor([0, 1, 0]));
  print(`  gradient of the dog score: ∂s_dog/∂W = row 2 is x: ${fmt(W.grad!.slice(1))}, other rows 0; ∂s_dog/∂b = ${fmt(b.grad!)}`);
}

export async function main(args: string[], print: (s: string) => void = console.log): Promise<number> {
  let trace: boolean;
  try {
    const line = parseCommandLine(args, { "no-trace": { type: "boolean" } });
    if (line.help) {
      print(HELP);
      return 0;
    }
    trace = line.values["no-trace"] !== true;
  } catch (e) {
    return usageFailure("gradlab demo", e, HELP);
  }
  print("gradlab: backpropagation on the lecture's examples");
  circuit(print, trace);
  patterns(print, trace);
  lnExample(print, trace);
  classifier(print);
  print("");
  return 0;
}
