/**
 * LocalProgram: the trusted reference solution, run in the grader's own process (it is the instructor's
 * code). Its answers still go through the harness and the wire (encode → check → decode), exactly like
 * the student's, so a Tensor comes back as a fresh Tensor and a cache as a Remote on both sides and the
 * engine compares like with like.
 */
import Module = require("module");
import { dirname } from "path";
import * as gradlab from "../../lib";
import { createHarness, type Harness } from "./harness";
import { parseReply, type Reply } from "./wire";
import { loadLine, loadResult, malformed, WireProgram } from "./wire-program";
import { StudentError } from "./program";

type ModuleInternals = Module & { load(file: string): void; require(id: string): unknown };

/** Requires `file` with `require("gradlab")` meaning the grader's own gradlab (the one it decodes into). */
function requireWithGradlab(file: string): unknown {
  const m = new Module(file, undefined) as ModuleInternals;
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const plain = m.require.bind(m);
  m.require = (id: string) => (id === "gradlab" ? gradlab : plain(id));
  m.load(file);
  return m.exports;
}

export class LocalProgram extends WireProgram {
  readonly kind = "reference" as const;
  private harness: Harness | null = null;
  private loaded?: string[] | StudentError;

  constructor(readonly programFile: string) {
    super();
  }

  // The reference is trusted and in-process: no timeout can interrupt it, and there is nothing to restart.
  setTimeout(_ms: number): void {}
  async reset(): Promise<void> {}
  output(): string {
    return "";
  }
  async close(): Promise<void> {
    this.harness = null;
  }
  protected generation(): number {
    return 1;
  }
  protected endedBecause(): string {
    return "the reference was closed";
  }

  async load(): Promise<string[]> {
    await this.ready();
    if (this.loaded instanceof StudentError) throw this.loaded;
    return this.loaded!;
  }

  private async ready(): Promise<Harness> {
    if (this.harness) return this.harness;
    const harness = createHarness({ gradlab: gradlab as unknown as Record<string, unknown>, load: () => requireWithGradlab(this.programFile) });
    this.harness = harness;
    const id = this.requestId();
    this.loaded = loadResult(parseReply(await harness.handle(loadLine(id))));
    return harness;
  }

  protected async exchange(_id: number, line: string, batch: boolean): Promise<Reply> {
    const harness = await this.ready();
    if (this.loaded instanceof StudentError) throw this.loaded;
    const text = await harness.handle(line);
    try {
      return parseReply(text, batch);
    } catch (e) {
      throw malformed(e); // the reference's own answer broke the protocol: a grader fault in practice
    }
  }
}
