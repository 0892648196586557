/**
 * vega and vega-lite ship as ES modules only. This CommonJS library loads them with a native dynamic
 * `import()` (tsconfig's "module": "node16" keeps the literal call), so nothing is loaded until a plot
 * is rendered, and `require("gradlab")` stays fast.
 */
import { textWidth } from "./text-width";

/**
 * vega-lite's own spec type. vega-lite is an ES module, so this CommonJS file names its types with
 * resolution-mode "import", in an import type that the declaration files keep as written: a program
 * that imports gradlab then type-checks (no skipLibCheck) under commonjs, node16 and bundler resolution.
 * (A global declared in an .mts file, as before, was dropped from the emitted declarations.) The
 * `assert` form, not `with`, because the kernel's TypeScript 5.0 parses only that one (with
 * skipLibCheck it then resolves the type in its bundler mode).
 */
// TypeScript 5.9 calls the `assert` form unstable (TS4125) in a source file, though it emits and reads it;
// the stable `with` form would not parse in the kernel's TypeScript 5.0.
// @ts-ignore TS4125
export type TopLevelSpec = import("vega-lite", { assert: { "resolution-mode": "import" } }).TopLevelSpec;

/** The part of vega-lite we call (written out so that declaration files need not name the module's type). */
interface VegaLiteModule {
  compile(spec: TopLevelSpec): { spec: object };
}

/** The part of vega we call: parse a Vega spec, render it headless to SVG. */
interface VegaModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  parse(spec: any): object;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  View: new (runtime: any, opts: { renderer: "none" }) => { toSVG(): Promise<string>; finalize(): void };
  /** How Vega sizes text when laying out titles, axes and legends (replaceable, as vl-convert does). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  textMetrics: { width: (item: any, text: unknown) => number };
}

let modules: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

/**
 * Loads both once. One after the other on purpose: jest's ESM loader (--experimental-vm-modules)
 * fails with "request for './x.js' is not in cache" when two module graphs load concurrently.
 */
export function loadVegaModules(): Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> {
  if (!modules) {
    modules = (async () => {
      const vegaLite: VegaLiteModule = await import("vega-lite");
      const vega = (await import("vega")) as unknown as VegaModule;
      // Without a canvas Vega guesses every character as 0.8 em wide, so a long title at lecture size
      // pushed the plot 150 px to the right. Real widths keep the layout tight, and the wider of
      // Helvetica and DejaVu Sans (what Linux draws instead) keeps legends and titles from being cut.
      vega.textMetrics.width = (item: { fontSize?: number; fontWeight?: string | number }, text: unknown) => {
        const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
        const lines = Array.isArray(text) ? text.map(String) : [text == null ? "" : String(text)];
        return Math.max(0, ...lines.map((line) => textWidth(line, item.fontSize ?? 11) * (bold ? 1.15 : 1)));
      };
      return { vega, vegaLite };
    })();
    modules.catch(() => { modules = undefined; }); // a failed load may be retried
  }
  return modules;
}

/** The schema JupyterLab 4 renders (its renderer is Vega-Lite 5); our specs use no v6-only feature. */
export const VEGA_LITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
