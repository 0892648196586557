/**
 * Type-checks files the way a user's editor would see them against gradlab's public API: strict,
 * Node's module resolution, `gradlab` mapped to lib/index.ts. ts-jest does not type-check
 * (isolatedModules), so tests that are about types run the compiler through this.
 */
import { join, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "..", "..");

/** A program over `files` (and declaration files among them) with `extra` options on top of the shared ones. */
export function gradlabProgram(files: string[], extra: ts.CompilerOptions = {}): ts.Program {
  return ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
    baseUrl: ROOT,
    paths: { gradlab: ["lib/index.ts"] },
    ...extra,
  });
}
