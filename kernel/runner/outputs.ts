/**
 * Turns a cell's iopub messages into nbformat outputs, with the same rules as nbclient:
 * consecutive stream messages of one name merge into one output, `clear_output` empties the cell
 * (with `wait: true`, only when the next output arrives, so a redrawn chart never flickers to empty),
 * and `update_display_data` rewrites every earlier output, in any cell, that carries its display_id.
 */
import type { ErrorOutput, MimeBundle, Output } from "./nbformat";

/** The parts of a Jupyter iopub message the collector reads (both session kinds provide them). */
export interface IopubMessage {
  msg_type: string;
  content: Record<string, any>;
}

/** Outputs of one notebook run share this map, because a display handle can be updated from a later cell. */
export class DisplayRegistry {
  private readonly byId = new Map<string, Array<{ data: MimeBundle; metadata: Record<string, unknown> }>>();

  track(displayId: unknown, output: { data: MimeBundle; metadata: Record<string, unknown> }): void {
    if (typeof displayId !== "string" || !displayId) return;
    const list = this.byId.get(displayId) ?? [];
    list.push(output);
    this.byId.set(displayId, list);
  }

  /** Replaces data and metadata in place; returns how many outputs showed this display. */
  update(displayId: unknown, data: MimeBundle, metadata: Record<string, unknown>): number {
    const list = typeof displayId === "string" ? this.byId.get(displayId) : undefined;
    for (const output of list ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
    return list?.length ?? 0;
  }
}

export class OutputCollector {
  readonly outputs: Output[] = [];
  /** Set by clear_output(wait=true): clear just before the next output is added. */
  private clearPending = false;
  /** execution_count seen on execute_input or execute_result (the reply also carries it). */
  executionCount: number | null = null;

  constructor(private readonly displays: DisplayRegistry) {}

  private add(output: Output): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.outputs.push(output);
  }

  /** Feeds one iopub message that belongs to this cell's execute request. */
  handle(msg: IopubMessage): void {
    const c = msg.content ?? {};
    switch (msg.msg_type) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const text = String(c.text ?? "");
        const last = this.outputs[this.outputs.length - 1];
        if (!this.clearPending && last && last.output_type === "stream" && last.name === name) {
          last.text += text;
        } else {
          this.add({ output_type: "stream", name, text });
        }
        break;
      }
      case "display_data": {
        const output = { output_type: "display_data" as const, data: c.data ?? {}, metadata: c.metadata ?? {} };
        this.add(output);
        this.displays.track(c.transient?.display_id, output);
        break;
      }
      case "update_display_data":
        this.displays.update(c.transient?.display_id, c.data ?? {}, c.metadata ?? {});
        break;
      case "execute_result": {
        if (typeof c.execution_count === "number") this.executionCount = c.execution_count;
        const output = {
          output_type: "execute_result" as const,
          data: c.data ?? {},
          metadata: c.metadata ?? {},
          execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
        };
        this.add(output);
        this.displays.track(c.transient?.display_id, output);
        break;
      }
      case "error":
        this.add(errorOutput(String(c.ename ?? "Error"), String(c.evalue ?? ""), c.traceback));
        break;
      case "clear_output":
        if (c.wait) {
          this.clearPending = true;
        } else {
          this.outputs.length = 0;
          this.clearPending = false;
        }
        break;
      case "execute_input":
        if (typeof c.execution_count === "number") this.executionCount = c.execution_count;
        break;
      default:
        // status, comm_*, execute_input and friends carry no cell output.
        break;
    }
  }

  /** Adds an error the runner itself detected (timeout, dead kernel). */
  addError(ename: string, evalue: string, traceback: string[] = []): void {
    this.add(errorOutput(ename, evalue, traceback.length ? traceback : [`${ename}: ${evalue}`]));
  }

  hasError(): boolean {
    return this.outputs.some((o) => o.output_type === "error");
  }
}

function errorOutput(ename: string, evalue: string, traceback: unknown): ErrorOutput {
  return {
    output_type: "error",
    ename,
    evalue,
    traceback: Array.isArray(traceback) ? traceback.map(String) : [],
  };
}
