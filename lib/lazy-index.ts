/**
 * gradlab's entry at run time (package.json "main" and "exports"): the exports of index.ts, whose
 * declarations stay the package's types, with nn, optim, data and plot loaded on first access
 * (lazy-namespaces.ts). TypeScript cannot declare a lazy `export * as nn`, hence two files;
 * test/lib/lazy-index.test.ts checks that they export the same names and values.
 */
import { defineLazyNamespaces } from "./lazy-namespaces";

// Names for `import { nn } from "gradlab"` in an ES module: Node finds a CommonJS module's names by
// reading its source (cjs-module-lexer), which sees these assignments and not defineLazyNamespaces.
// They also put the namespaces first among the names, in index.ts's order.
exports.nn = undefined;
exports.optim = undefined;
exports.data = undefined;
exports.plot = undefined;

export * from "./tensor";
export * from "./gates";
export * from "./graph";
export * from "./value";
export * from "./forward";
export * from "./gradcheck";
export * from "./check";
import "./autograd"; // plugs reverse-mode autodiff into Tensor (requiresGrad, backward)

defineLazyNamespaces(exports, __dirname, {
  nn: () => require("./nn") as typeof import("./nn"),
  optim: () => require("./optim") as typeof import("./optim"),
  data: () => require("./data") as typeof import("./data"),
  plot: () => require("./plot") as typeof import("./plot"),
});
