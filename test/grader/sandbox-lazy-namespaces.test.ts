/**
 * gradlab's namespaces that load on first use (lib/lazy-namespaces.ts), inside the sandboxed child:
 * a program that never reads nn, optim, data or plot does not load them, one that does gets them under
 * the child's restrictions (permission model, requirable paths; data reads its shipped file), and
 * inspect still names a class that extends one, however the program reached it. Spawns dist/.
 */
import { SandboxedProgram } from "../../grader/sandbox/sandboxed-program";
import { testOptions, writeProgram } from "./sandbox-support";

const env = { GRADLAB_FULL: process.env.GRADLAB_FULL }; // the strongest isolation this machine has

/** Prepended to each program: how many modules of each namespace's folder have run so far. */
const COUNT = `
const gradlab = require("gradlab");
const lib = require("path").dirname(require.resolve("gradlab")) + "/";
const loaded = () => ["nn", "optim", "data", "plot"].map((ns) => Object.keys(require.cache).filter((f) => f.startsWith(lib + ns + "/")).length);
`;

let programs: SandboxedProgram[] = [];
const start = (source: string) => {
  const p = new SandboxedProgram(writeProgram(COUNT + source), testOptions(env, { timeoutMs: 10000 }));
  programs.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(programs.map((p) => p.close()));
  programs = [];
});

test("a program that reads no namespace loads none, even after inspect; one that does gets each working", async () => {
  const p = start(`
    class Gate { forward(x) { return x; } }
    function useAll() {
      const net = new gradlab.nn.Linear(2, 3, { seed: 1 });
      const sgd = new gradlab.optim.SGD(net.parameters(), { lr: 0.1 });
      const digits = gradlab.data.loadDigits();
      const chart = gradlab.plot.lossCurve([3, 2, 1]);
      return [net.forward(gradlab.Tensor.from([[1, 2]])).shape, typeof sgd.step, digits.X.shape, typeof chart];
    }
    module.exports = { Gate, useAll, loaded };
  `);
  await p.load();
  const before = (await p.call("loaded")) as number[];
  expect(before.slice(0, 3)).toEqual([0, 0, 0]);
  expect(await p.inspect(["Gate"])).toEqual({ Gate: { kind: "class", gradlabIdentity: null } });
  expect(await p.call("loaded")).toEqual(before);
  expect(await p.call("useAll")).toEqual([[1, 3], "function", [1797, 64], "object"]);
  expect(((await p.call("loaded")) as number[]).every((n) => n > 0)).toBe(true);
});

test("inspect names a namespace's class that the program extends, loaded through gradlab or by its path", async () => {
  const p = start(`
    class ThroughGradlab extends gradlab.nn.Linear {}
    class ByPath extends require(lib + "optim/optimizer.js").Optimizer {}
    const lossCurve = () => gradlab.plot.lossCurve([1]); // plot is read only when called
    module.exports = { ThroughGradlab, ByPath, lossCurve, softmax: gradlab.nn.softmaxCrossEntropy };
  `);
  await p.load();
  expect(await p.inspect(["ThroughGradlab", "ByPath", "softmax", "lossCurve"])).toEqual({
    ThroughGradlab: { kind: "class", gradlabIdentity: "nn.Linear" },
    ByPath: { kind: "class", gradlabIdentity: "optim.Optimizer" },
    softmax: { kind: "function", gradlabIdentity: "nn.softmaxCrossEntropy" },
    lossCurve: { kind: "function", gradlabIdentity: null },
  });
});
