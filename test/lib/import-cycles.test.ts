/**
 * lib/ has no import circles: every module can be loaded after the modules it imports (type-only
 * imports do not count; they vanish from the JavaScript). The one there was, Tensor and its kernels,
 * is kept apart by installing Tensor's computing methods from lib/tensor/methods.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, normalize, relative } from "path";

const LIB = join(__dirname, "../../lib");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The modules a file imports at run time (relative imports that are not `import type`). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)].map((m) => m[1] ?? m[2]);
  return specs.map((spec) => {
    const base = normalize(join(dirname(file), spec));
    return existsSync(`${base}.ts`) ? `${base}.ts` : join(base, "index.ts");
  });
}

/** A circle of imports, as a list of files, or null. */
function findCircle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "active" | "done">(), path: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === "done") return null;
    if (state.get(f) === "active") return [...path.slice(path.indexOf(f)), f];
    state.set(f, "active");
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      const circle = visit(g);
      if (circle) return circle;
    }
    path.pop();
    state.set(f, "done");
    return null;
  };
  for (const f of graph.keys()) {
    const circle = visit(f);
    if (circle) return circle;
  }
  return null;
}

test("the finder sees a circle where there is one", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
  expect(findCircle(graph)).toEqual(["a", "b", "c", "a"]);
  expect(findCircle(new Map([["a", ["b"]], ["b", []]]))).toBeNull();
});

test("lib/ imports no module that (through others) imports it back", () => {
  const graph = new Map(sources(LIB).map((f) => [f, runtimeImports(f)]));
  expect(graph.get(join(LIB, "tensor/ops/elementwise.ts"))).toContain(join(LIB, "tensor/tensor.ts")); // the parser reads imports
  const circle = findCircle(graph);
  expect(circle && circle.map((f) => relative(LIB, f))).toBeNull();
});
