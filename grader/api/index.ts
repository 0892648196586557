/**
 * gradlab/grader: what an instructor's test file imports.
 *
 *   import { question, test } from "gradlab/grader";
 *   question("gates", () => {
 *     test("MultiplyGate switches its inputs", { points: 2 }, async (t) => {
 *       await t.checkGate("MultiplyGate", [3, -4], { upstream: 2 });
 *     });
 *   });
 */
export { question, test } from "./registry";
export type { TestOptions, TestBody } from "./registry";
export { TestContext, CheckStop } from "./context";
export type { Check, Mistake, CheckGateOptions, CheckLayerOptions, GradientOptions } from "./context";
export { relativeError, describeValue } from "./values";
export type { Program, Remote } from "../sandbox/program";
