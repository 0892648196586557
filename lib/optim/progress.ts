/**
 * How the Trainer shows its progress: CS231n's text lines (to a stream, or where no terminal or
 * notebook is at hand), one bar redrawn in place on a terminal, or one notebook display updated in
 * place (the gradlab kernel's `display` global). "auto" picks by where it runs.
 */

export type ProgressMode = "auto" | "lines" | "bar" | "display" | "none";

export interface ProgressState {
  epoch: number;
  epochs: number;
  iteration: number;
  iterations: number;
  loss: number;
  /** Set once an epoch has been scored. */
  trainAcc?: number;
  valAcc?: number | null;
  lr: number;
}

export interface Progress {
  /** After every update; `printEvery` says when the lines mode prints. */
  iteration(s: ProgressState): void;
  epoch(s: ProgressState): void;
  end(): void;
}

type Stream = { write(s: string): unknown; isTTY?: boolean };
interface DisplayHandle { update(value: unknown): void }
type DisplayFn = (value: unknown) => DisplayHandle;

/** The notebook's `display` global, when the code runs in the gradlab kernel. */
function notebookDisplay(): DisplayFn | null {
  const d = (globalThis as { display?: unknown }).display;
  return typeof d === "function" && typeof (d as { html?: unknown }).html === "function" ? (d as DisplayFn) : null;
}

export function makeProgress(mode: ProgressMode, stream: Stream | undefined, printEvery: number): Progress {
  const out: Stream = stream ?? process.stdout;
  let chosen = mode;
  if (mode === "auto") chosen = stream ? "lines" : notebookDisplay() ? "display" : process.stdout.isTTY ? "bar" : "lines";
  switch (chosen) {
    case "none": return { iteration() {}, epoch() {}, end() {} };
    case "bar": return barProgress(out);
    case "display": {
      const display = notebookDisplay();
      return display ? displayProgress(display) : linesProgress(out, printEvery);
    }
    default: return linesProgress(out, printEvery);
  }
}

/** CS231n's Solver readout: the loss every `printEvery` iterations, accuracies after every epoch. */
function linesProgress(out: Stream, printEvery: number): Progress {
  return {
    iteration: (s) => {
      if (s.iteration % printEvery === 0 || s.iteration === 1) out.write(`(Iteration ${s.iteration} / ${s.iterations}) loss: ${s.loss.toFixed(6)}\n`);
    },
    epoch: (s) => {
      out.write(`(Epoch ${s.epoch} / ${s.epochs}) train acc: ${s.trainAcc!.toFixed(4)}` + (s.valAcc != null ? `; val acc: ${s.valAcc.toFixed(4)}` : "") + `; lr ${Number(s.lr.toPrecision(3))}\n`);
    },
    end: () => undefined,
  };
}

/** One line of text for the bar and the display: where training is, and the latest numbers. */
export function progressText(s: ProgressState, width = 24): string {
  const done = s.iterations ? s.iteration / s.iterations : 1;
  const filled = Math.round(done * width);
  const parts = [`[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(done * 100)}%`,
    `epoch ${s.epoch}/${s.epochs}`, `iteration ${s.iteration}/${s.iterations}`, `loss ${s.loss.toFixed(4)}`];
  if (s.trainAcc !== undefined) parts.push(`train acc ${s.trainAcc.toFixed(4)}`);
  if (s.valAcc != null) parts.push(`val acc ${s.valAcc.toFixed(4)}`);
  return parts.join(" · ");
}

/**
 * Redraws at most every `ms` (terminal writes and display messages cost more than an iteration), and
 * always after the last epoch, so that the final numbers are what stays on screen (and in the notebook).
 */
function throttled(draw: (s: ProgressState) => void, ms = 100): Progress & { last: ProgressState | null } {
  let at = 0;
  const show = (s: ProgressState, always: boolean) => {
    p.last = { ...p.last, ...s };
    const now = Date.now();
    if (always || now - at >= ms) {
      at = now;
      draw(p.last);
    }
  };
  const p = {
    last: null as ProgressState | null,
    iteration: (s: ProgressState) => show(s, false),
    epoch: (s: ProgressState) => show(s, s.epoch === s.epochs),
    end: () => undefined,
  };
  return p;
}

function barProgress(out: Stream): Progress {
  const p = throttled((s) => out.write(`\r${progressText(s)}\x1b[K`));
  p.end = () => {
    if (p.last) out.write("\n");
  };
  return p;
}

function displayProgress(display: DisplayFn): Progress {
  let handle: DisplayHandle | null = null;
  const view = (s: ProgressState) => {
    const text = progressText(s);
    const fraction = s.iterations ? s.iteration / s.iterations : 1;
    const html = `<div style="font-family: monospace"><progress value="${fraction.toFixed(4)}" max="1" style="width: 16em; vertical-align: middle"></progress> ${text.replace(/^\[[#-]*\] /, "").replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>`;
    return { [Symbol.for("Jupyter.display")]: () => ({ "text/plain": text, "text/html": html }) };
  };
  return throttled((s) => {
    if (handle) handle.update(view(s));
    else handle = display(view(s));
  }, 200);
}
