/**
 * vega-lite's TopLevelSpec as a global type. This file is an ES module, so it may import the types of
 * the ESM-only vega-lite; the CommonJS rest of gradlab refers to `GradlabVegaLiteSpec` instead, which
 * every TypeScript version the project meets accepts (a CommonJS `import type` from an ES module needs
 * the resolution-mode attribute: stable only from TypeScript 5.3, and `npm run build` may run 5.0).
 */
import type { TopLevelSpec } from "vega-lite";

declare global {
  type GradlabVegaLiteSpec = TopLevelSpec;
}

export {};
