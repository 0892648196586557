/**
 * The version guard of the kernel's compiler layer (kernel/engine/private-surface.ts): every use of
 * TypeScript's or tslab's private surface is checked against the installed versions, one test per use,
 * so that an upgrade that breaks one fails the test named after it ("plain-builder (patch) matches the
 * installed versions"), saying what no longer matches.
 * Also: the checks do fail, naming the use, on a doctored TypeScript and tslab; and GRADLAB_KERNEL_PATCHES,
 * the one switch of the patches.
 */
import {
  enabledPatches, installedSurface, mismatches, PATCH_NAMES, PRIVATE_USES, Surface, TEXT_PATCHES,
} from "../../kernel/engine/private-surface";

const surface = installedSurface();

describe("each private-surface use matches the installed TypeScript and tslab", () => {
  test.each(PRIVATE_USES.map((u) => [u.name, u.kind]))("%s (%s) matches the installed versions", (name) => {
    expect(PRIVATE_USES.find((u) => u.name === name)!.verify(surface)).toBeNull();
  });

  test("every patch has an entry, and every text patch is one of the patches", () => {
    expect(PRIVATE_USES.filter((u) => u.kind === "patch").map((u) => u.name).sort()).toEqual([...PATCH_NAMES].sort());
    expect(TEXT_PATCHES.map((p) => p.name).every((n) => PATCH_NAMES.includes(n))).toBe(true);
  });
});

describe("a TypeScript or tslab that no longer matches is named", () => {
  const doctored = (change: Partial<Surface>): Surface => ({ ...surface, ...change });

  test("an anchor gone from TypeScript's text: that text patch", () => {
    const anchor = TEXT_PATCHES.find((p) => p.name === "module-not-found-hook")!.anchor;
    const script = Buffer.from(surface.tsScript.toString("latin1").replace(anchor, anchor.replace("getSourceFileOfNode", "getSourceFileOf")), "latin1");
    expect(mismatches(doctored({ tsScript: script }))).toEqual([
      ["module-not-found-hook", "TypeScript's script: anchor not found: \"if (ambientModule) {\""],
    ]);
  });

  test("an anchor found twice: that text patch", () => {
    const anchor = TEXT_PATCHES.find((p) => p.name === "module-not-found-hook")!.anchor;
    const script = Buffer.concat([surface.tsScript, Buffer.from(anchor)]);
    expect(mismatches(doctored({ tsScript: script })).map(([name, problem]) => `${name}: ${problem}`))
      .toEqual([expect.stringMatching(/^module-not-found-hook: TypeScript's script: anchor found more than once/)]);
  });

  test("an internal function gone: the uses that call it", () => {
    const ts = Object.create(surface.ts, { bindSourceFile: { value: undefined } });
    expect(mismatches(doctored({ ts }))).toEqual([
      ["plain-builder", "TypeScript has no function bindSourceFile; a check threw: ts.bindSourceFile is not a function"],
    ]);
  });

  test("an internal API that throws now: every use that calls it is named, each with what threw, and the rest are still checked", () => {
    const ts = Object.create(surface.ts, { createProgram: { value: () => { throw new Error("boom"); } } });
    expect(mismatches(doctored({ ts }))).toEqual([
      ["plain-builder", "a check threw: boom"],
      ["lazy-node-types", "a check threw: boom"],
    ]);
  });

  test("tslab calling another builder method, or passing no System: the plain builder, the static watchers", () => {
    const converter = surface.tslabConverter
      .replace("builder.emit(", "builder.emitBuildInfo(); builder.emit(")
      .replace(/\},\s*sys,\s*null,/, "}, undefined, null,");
    expect(mismatches(doctored({ tslabConverter: converter }))).toEqual([
      ["plain-builder", "tslab calls builder methods the plain builder lacks: emitBuildInfo"],
      ["static-watchers", "tslab's converter.js no longer passes its System to createWatchCompilerHost"],
    ]);
  });

  test("tslab's second stage renamed: the source-map adapter", () => {
    const converter = surface.tslabConverter.replace('fileName: "custom.js"', 'fileName: "stage2.js"');
    expect(mismatches(doctored({ tslabConverter: converter })).map(([name]) => name)).toEqual(["stage2-transpile"]);
  });
});

describe("GRADLAB_KERNEL_PATCHES", () => {
  const on = (value?: string) => [...enabledPatches({ GRADLAB_KERNEL_PATCHES: value })].sort();

  test("unset or empty: every patch; 0: none; -name: all but those", () => {
    expect(on(undefined)).toEqual([...PATCH_NAMES].sort());
    expect(on("")).toEqual([...PATCH_NAMES].sort());
    expect(on("0")).toEqual([]);
    expect(on("-plain-builder, -static-watchers")).toEqual(PATCH_NAMES.filter((n) => n !== "plain-builder" && n !== "static-watchers").sort());
  });

  test("anything else is refused by name", () => {
    expect(() => on("-plain-buidler")).toThrow(/"-plain-buidler" is not -name for a patch among module-not-found-hook, plain-builder, /);
    expect(() => on("plain-builder")).toThrow(/"plain-builder" is not -name/);
    expect(() => on("1")).toThrow(/"1" is not -name/);
  });
});
