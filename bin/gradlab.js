#!/usr/bin/env node
// The gradlab CLI: a thin launcher for the compiled dispatcher (run `npm run build` first).
require("../dist/bin/cli.js").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : err); process.exitCode = 1; },
);
