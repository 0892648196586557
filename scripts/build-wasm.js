/**
 * Builds the WebAssembly kernels from their reviewable text source (lib/tensor/backend/*.wat) with
 * wabt, into the same folder (the committed copy, which a test checks against its source) and into
 * dist/. Run by `npm run build`; `--check` only compares and exits 1 when a .wasm is stale.
 */
const { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } = require("fs");
const { join } = require("path");

async function main() {
  const root = join(__dirname, "..");
  const src = join(root, "lib", "tensor", "backend");
  const out = join(root, "dist", "lib", "tensor", "backend");
  const check = process.argv.includes("--check");
  const wabt = await require("wabt")();
  let stale = 0;
  for (const file of readdirSync(src).filter((f) => f.endsWith(".wat"))) {
    const module = wabt.parseWat(file, readFileSync(join(src, file), "utf8"), { simd: true, threads: true });
    module.validate({ simd: true, threads: true });
    const binary = Buffer.from(module.toBinary({}).buffer);
    const target = join(src, file.replace(/\.wat$/, ".wasm"));
    if (check) {
      if (!existsSync(target) || !readFileSync(target).equals(binary)) {
        console.error(`${target} does not match its source: run npm run build`);
        stale++;
      }
      continue;
    }
    writeFileSync(target, binary);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, file.replace(/\.wat$/, ".wasm")), binary);
  }
  process.exitCode = stale ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
