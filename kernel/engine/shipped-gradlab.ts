/**
 * The gradlab the kernel ships with, offered to every notebook (types and code): a notebook outside any
 * project that installed gradlab (a student's own folder, a TA's submissions/) can still import it.
 * A notebook whose folder resolves "gradlab" itself (its own node_modules, or the gradlab package it
 * lies in) keeps that one. The same in every mode: it is the kernel that decides, not the front end.
 */
import { createRequire } from "module";
import { join } from "path";
import { enclosingPackage } from "./package-json";

const NAME = "gradlab";

export interface ShippedGradlab {
  /** The kernel's package folder. */
  root: string;
  /** Its declaration entry (dist/lib/index.d.ts). */
  types: string;
  /** require() from inside that package: "gradlab" resolves to it (self-reference). */
  require: NodeRequire;
}

/** The kernel's own gradlab, or null if the kernel does not run from a gradlab package. */
export function shippedGradlab(from = __dirname): ShippedGradlab | null {
  const pkg = enclosingPackage(from);
  const types = pkg?.json?.types ?? pkg?.json?.exports?.["."]?.types;
  if (!pkg || pkg.json?.name !== NAME || typeof types !== "string") return null;
  return { root: pkg.root, types: join(pkg.root, types), require: createRequire(join(pkg.root, "package.json")) };
}

/** True when code in `dir` finds a gradlab of its own: in node_modules at or above it, or as the package it belongs to. */
export function resolvesOwnGradlab(dir: string): boolean {
  return enclosingPackage(dir)?.json?.name === NAME || resolves(createRequire(join(dir, "__notebook__.js")), NAME);
}

/** True when `req` finds `id`. */
export function resolves(req: NodeRequire, id: string): boolean {
  try {
    req.resolve(id);
    return true;
  } catch {
    return false;
  }
}

/** "gradlab" or "gradlab/...": the specifiers the shipped package can answer. */
export function isGradlabSpecifier(id: string): boolean {
  return id === NAME || id.startsWith(`${NAME}/`);
}
