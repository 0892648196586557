/**
 * The frame of every HTML report (feedback.html, summary.html, the written-answer pages): one
 * self-contained page whose Content-Security-Policy allows only its inline style (and, where a page has
 * charts, data: images), so nothing a student wrote can run or fetch anything.
 */
import { html } from "./escape";

export function htmlPage(opts: { title: string; css: string; body: string[]; dataImages?: boolean }): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${opts.dataImages ? "; img-src data:" : ""}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${html(opts.title)}</title>`,
    `<style>${opts.css}</style></head><body>`,
    ...opts.body,
    "</body></html>",
    "",
  ].join("\n");
}
