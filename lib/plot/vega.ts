/**
 * vega and vega-lite ship as ES modules only. This CommonJS library loads them with a native dynamic
 * `import()` (tsconfig's "module": "node16" keeps the literal call), so nothing is loaded until a plot
 * is rendered, and `require("gradlab")` stays fast.
 */
const importVegaLite = () => import("vega-lite");
const importVega = () => import("vega");
type VegaLite = Awaited<ReturnType<typeof importVegaLite>>;
type Vega = Awaited<ReturnType<typeof importVega>>;

let modules: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

/**
 * Loads both once. One after the other on purpose: jest's ESM loader (--experimental-vm-modules)
 * fails with "request for './x.js' is not in cache" when two module graphs load concurrently.
 */
export function loadVegaModules(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  if (!modules) {
    modules = (async () => {
      const vegaLite = await importVegaLite();
      const vega = await importVega();
      return { vega, vegaLite };
    })();
    modules.catch(() => { modules = undefined; }); // a failed load may be retried
  }
  return modules;
}

/**
 * vega-lite's own `TopLevelSpec` type. Reached through the parameter of `compile` because a plain
 * `import type` of an ES module from CommonJS needs a `resolution-mode` attribute, which not every
 * TypeScript version this project meets (the build's and ts-jest's) accepts.
 */
export type TopLevelSpec = Parameters<VegaLite["compile"]>[0];

/** The schema JupyterLab 4 renders (its renderer is Vega-Lite 5); our specs use no v6-only feature. */
export const VEGA_LITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
