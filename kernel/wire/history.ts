/**
 * The session's input history, answering history_request the way IPython does: entries are
 * [session, line, input] or, with output, [session, line, [input, output]]. Only the running
 * session is kept (session number 1; 0 and negative numbers in a range request mean "this session").
 */
export type HistoryEntry = [number, number, string | [string, string | null]];

interface Stored {
  line: number;
  input: string;
  output: string | null;
}

export interface HistoryRequest {
  hist_access_type: "range" | "tail" | "search";
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

export const SESSION = 1;

/** Glob as IPython's sqlite GLOB: * any run, ? one character, [..] a class; the whole input must match. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) re += "\\[";
      else {
        const body = pattern.slice(i + 1, close);
        re += "[" + (body.startsWith("!") ? "^" + body.slice(1) : body).replace(/\\/g, "\\\\") + "]";
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export class History {
  private readonly entries: Stored[] = [];

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** Records the text/plain result of an input already added. */
  setOutput(line: number, output: string): void {
    const e = this.entries.find((x) => x.line === line);
    if (e) e.output = output;
  }

  query(req: HistoryRequest): HistoryEntry[] {
    const format = (e: Stored): HistoryEntry =>
      req.output ? [SESSION, e.line, [e.input, e.output]] : [SESSION, e.line, e.input];
    switch (req.hist_access_type) {
      case "tail": {
        const n = req.n ?? 10;
        return (n > 0 ? this.entries.slice(-n) : []).map(format);
      }
      case "range": {
        const session = req.session ?? 0;
        if (session > 0 && session !== SESSION) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Number.POSITIVE_INFINITY;
        return this.entries.filter((e) => e.line >= start && e.line < stop).map(format);
      }
      case "search": {
        const re = globToRegExp(req.pattern ?? "*");
        let hits = this.entries.filter((e) => re.test(e.input));
        if (req.unique) {
          // Keep the latest occurrence of each input, in history order.
          const last = new Map<string, Stored>();
          for (const e of hits) last.set(e.input, e);
          hits = hits.filter((e) => last.get(e.input) === e);
        }
        if (req.n != null && req.n > 0) hits = hits.slice(-req.n);
        return hits.map(format);
      }
      default:
        throw new Error(`unknown hist_access_type '${(req as { hist_access_type: string }).hist_access_type}' (range, tail or search)`);
    }
  }
}
