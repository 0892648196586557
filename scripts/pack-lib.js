/**
 * Writes dist/lib/pack.json: gradlab's compiled modules in one file, which the grader's sandboxed
 * child loads instead of ~55 files (grader/sandbox/lib-pack.ts). Run by `npm run build`, after tsc.
 */
const { join } = require("path");
const { writePack } = require("../dist/grader/sandbox/lib-pack");

writePack(join(__dirname, "..", "dist", "lib"));
