/**
 * Rich display. A value shows itself through a method under Symbol.for("Jupyter.display") that returns
 * a MIME bundle or a Promise of one (Deno's convention; gradlab's Tensor, Graph and plots have it);
 * anything else is text/plain through util.inspect, like Node's REPL. Notebook globals: display(...)
 * with display.html/markdown/svg/png/json/vegalite, clearOutput(), and handles that update in place.
 */
import { randomUUID } from "crypto";
import { inspect } from "util";
import type { MimeBundle } from "../bridge";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** Where a display call's messages go (the cell that made the call). */
export interface DisplaySink {
  /** Publishes in call order; content that is still a Promise holds back what comes after it. */
  publish(msgType: string, content: Record<string, unknown> | Promise<Record<string, unknown>>): void;
  /** Reports a failure that must not break the cell (e.g. a broken display method). */
  warn(text: string): void;
}

/** A MIME bundle given directly (display.html and friends), shown as is. */
export class RawBundle {
  constructor(readonly data: MimeBundle, readonly metadata: Record<string, unknown> = {}) {}
}

export function plainText(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

function isBundle(x: unknown): x is MimeBundle {
  return !!x && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length > 0 &&
    Object.keys(x).every((k) => /^[\w\-+.]+\/[\w\-+.]+$/.test(k));
}

/**
 * The MIME bundle for a value (always with text/plain): synchronous unless the value's display method
 * returns a Promise, so that output order matches call order. Problems in a display method become warnings.
 */
export function mimeBundleOf(value: unknown, warn: (text: string) => void = () => undefined): MimeBundle | Promise<MimeBundle> {
  if (value instanceof RawBundle) return value.data;
  const method = value !== null && (typeof value === "object" || typeof value === "function")
    ? (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] : undefined;
  if (typeof method !== "function") return { "text/plain": plainText(value) };
  const check = (bundle: unknown): MimeBundle => {
    if (isBundle(bundle)) return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": plainText(value) };
    warn(`[Symbol.for("Jupyter.display")] returned ${plainText(bundle)}, not a MIME bundle such as {"text/html": "..."}; showing text instead`);
    return { "text/plain": plainText(value) };
  };
  const failed = (e: unknown): MimeBundle => {
    warn(`[Symbol.for("Jupyter.display")] threw ${(e as Error)?.stack ?? e}; showing text instead`);
    return { "text/plain": plainText(value) };
  };
  try {
    const out = method.call(value);
    return out instanceof Promise ? out.then(check, failed) : check(out);
  } catch (e) {
    return failed(e);
  }
}

export interface DisplayOptions {
  /** Name the output to update it later; a fresh id is used when omitted. */
  displayId?: string;
  metadata?: Record<string, unknown>;
}

export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output in place (update_display_data). */
  update(value: unknown): void;
}

export type DisplayFunction = ((value: unknown, opts?: DisplayOptions) => DisplayHandle) & {
  html(html: string, opts?: DisplayOptions): DisplayHandle;
  markdown(markdown: string, opts?: DisplayOptions): DisplayHandle;
  svg(svg: string, opts?: DisplayOptions): DisplayHandle;
  png(png: Uint8Array | string, opts?: DisplayOptions): DisplayHandle;
  json(value: unknown, opts?: DisplayOptions): DisplayHandle;
  vegalite(spec: object, opts?: DisplayOptions): DisplayHandle;
  /** A bundle exactly as given, e.g. display.mime({"text/latex": "$x^2$"}). */
  mime(bundle: MimeBundle, opts?: DisplayOptions): DisplayHandle;
};

class Handle implements DisplayHandle {
  constructor(readonly displayId: string, readonly update: (value: unknown) => void) {}
}

export function isDisplayHandle(x: unknown): x is DisplayHandle {
  return x instanceof Handle;
}

/** Renders a Vega-Lite spec to SVG with Vega in Node (the fallback for front ends without a Vega renderer). */
export async function vegaLiteToSvg(spec: object): Promise<string> {
  const vl: any = await import("vega-lite");
  const vega: any = await import("vega");
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function pngBase64(png: Uint8Array | string): string {
  if (typeof png === "string") return png.replace(/^data:image\/png;base64,/, "");
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString("base64");
}

/** Builds the display() global for a resolver that finds the cell to display into. */
export function createDisplay(sink: () => DisplaySink | null): { display: DisplayFunction; clearOutput: (wait?: boolean) => void } {
  const send = (msgType: "display_data" | "update_display_data", value: unknown, displayId: string, metadata: Record<string, unknown>) => {
    const target = sink();
    if (!target) return;
    const meta = value instanceof RawBundle ? { ...value.metadata, ...metadata } : metadata;
    const data = mimeBundleOf(value, (t) => target.warn(t));
    const content = (d: MimeBundle) => ({ data: d, metadata: meta, transient: { display_id: displayId } });
    target.publish(msgType, data instanceof Promise ? data.then(content) : content(data));
  };
  const handle = (displayId: string): DisplayHandle =>
    new Handle(displayId, (value: unknown) => send("update_display_data", value, displayId, {}));
  const display = ((value: unknown, opts: DisplayOptions = {}) => {
    const id = opts.displayId ?? randomUUID();
    send("display_data", value, id, opts.metadata ?? {});
    return handle(id);
  }) as DisplayFunction;
  display.mime = (bundle, opts) => {
    if (!isBundle(bundle)) throw new TypeError(`display.mime expects a MIME bundle like {"text/html": "<b>hi</b>"}; got ${plainText(bundle)}`);
    return display(new RawBundle(bundle), opts);
  };
  display.html = (html, opts) => display.mime({ "text/html": String(html), "text/plain": "[HTML]" }, opts);
  display.markdown = (md, opts) => display.mime({ "text/markdown": String(md), "text/plain": String(md) }, opts);
  display.svg = (svg, opts) => display.mime({ "image/svg+xml": String(svg), "text/plain": "[SVG image]" }, opts);
  display.png = (png, opts) => display.mime({ "image/png": pngBase64(png), "text/plain": "[PNG image]" }, opts);
  display.json = (value, opts) => display.mime({ "application/json": value as object, "text/plain": plainText(value) }, opts);
  display.vegalite = (spec, opts) => {
    if (!spec || typeof spec !== "object") throw new TypeError(`display.vegalite expects a Vega-Lite spec object; got ${plainText(spec)}`);
    const lazy = {
      async [JUPYTER_DISPLAY]() {
        const bundle: MimeBundle = { [VEGALITE_MIME]: spec, "text/plain": "[Vega-Lite chart]" };
        try {
          bundle["image/svg+xml"] = await vegaLiteToSvg(spec);
        } catch (e) {
          sink()?.warn(`display.vegalite: no SVG fallback (${(e as Error).message}); front ends without Vega show text`);
        }
        return bundle;
      },
    };
    return display(lazy, opts);
  };
  const clearOutput = (wait = false) => sink()?.publish("clear_output", { wait: Boolean(wait) });
  return { display, clearOutput };
}

/** Declarations of the notebook globals, given to the type checker as an extra root file. */
export const NOTEBOOK_GLOBALS_DTS = `
interface GradlabDisplayOptions { displayId?: string; metadata?: Record<string, unknown>; }
interface GradlabDisplayHandle { readonly displayId: string; update(value: unknown): void; }
interface GradlabDisplay {
  (value: unknown, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  html(html: string, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  markdown(markdown: string, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  svg(svg: string, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  png(png: Uint8Array | string, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  json(value: unknown, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  vegalite(spec: object, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
  mime(bundle: Record<string, unknown>, opts?: GradlabDisplayOptions): GradlabDisplayHandle;
}
/** Shows a value (rich when it has [Symbol.for("Jupyter.display")]) below the cell; returns a handle to update it. */
declare const display: GradlabDisplay;
/** Clears the cell's output (wait: clear when the next output arrives, to avoid flicker). */
declare function clearOutput(wait?: boolean): void;
/** Shows text (or a value's MIME bundle) in the front end's pager instead of the cell's output. */
declare function page(text: unknown): void;
/** Asks the front end for a line of text (stdin channel). */
declare function input(prompt?: string, opts?: { password?: boolean }): Promise<string>;
`;
