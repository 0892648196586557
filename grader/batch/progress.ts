/**
 * Progress of a class run: on a terminal, one bar redrawn in place (done / total, rate, ETA); piped (a log,
 * CI), one line per finished submission.
 */
import type { DoneEvent } from "./run";
import { points } from "../report/student-view";

export class Progress {
  private done = 0;
  private graded = 0;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(private readonly total: number, private readonly tty: boolean, private readonly write: (s: string) => void, private readonly running: () => number = () => 0) {}

  line(e: DoneEvent): string {
    if (e.status === "unreadable") return `${e.item.id}\tunreadable\t${(e.error ?? "").replace(/\s*\n\s*/g, " ")}`;
    const r = e.result!;
    const passed = r.tests.filter((t) => t.outcome === "passed").length;
    return `${e.item.id}\t${points(r.score)} / ${points(r.maxScore)}\t${passed} of ${r.tests.length} tests passed\t${e.status === "kept" ? "unchanged (kept)" : `${(e.ms / 1000).toFixed(1)} s`}`;
  }

  bar(): string {
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = this.graded / Math.max(elapsed, 1e-3);
    const left = this.total - this.done;
    const eta = rate > 0 ? left / rate : NaN;
    const width = 28;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    const fmt = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}` : "--:--");
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.done}/${this.total}  ${rate.toFixed(2)}/s  elapsed ${fmt(elapsed)}  ETA ${fmt(eta)}  running ${this.running()}`;
  }

  onDone(e: DoneEvent): void {
    this.done++;
    if (e.status === "graded") this.graded++;
    if (this.tty) {
      if (e.status === "unreadable") this.write(`\r\x1b[K${this.line(e)}\n`);
      const now = Date.now();
      if (now - this.lastDraw > 100 || this.done === this.total) {
        this.lastDraw = now;
        this.write(`\r\x1b[K${this.bar()}`);
      }
    } else this.write(this.line(e) + "\n");
  }

  finish(): void {
    if (this.tty) this.write(`\r\x1b[K${this.bar()}\n`);
  }
}
