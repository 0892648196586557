/**
 * Writes dist/lib/pack.json: gradlab's compiled modules in one file, which the grader's sandboxed
 * child loads instead of ~55 files (grader/sandbox/lib-pack.ts). Run by `npm run build`, after tsc.
 * Runs itself again under the child's V8 flags when it has other ones: V8 takes the pack's code
 * caches only under the flags they were made with.
 */
const { spawnSync } = require("child_process");
const { join } = require("path");
const { v8Flags } = require("../dist/grader/sandbox/launcher");
const { writePack } = require("../dist/grader/sandbox/lib-pack");

const flags = v8Flags();
if (flags.some((f) => !process.execArgv.includes(f))) {
  process.exit(spawnSync(process.execPath, [...flags, __filename], { stdio: "inherit" }).status ?? 1);
}
writePack(join(__dirname, "..", "dist", "lib"));
