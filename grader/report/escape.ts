/**
 * Escaping for the reports. Everything a report shows may come from a student (test names no, but error
 * messages, printed output and values their code returned do), so every string goes through one of these.
 */

/** Text for HTML element content and attribute values. */
export function html(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Text inside a Markdown paragraph, list item or table cell: one line, with a backslash before every
 * character that could start markup inline (CommonMark: a backslash before ASCII punctuation always means the
 * character itself), so no `<tag>`, link, emphasis, code span or table pipe can come out of it. A line that
 * begins like a heading, quote, list or rule has that first mark escaped too. Other punctuation stays as is,
 * so the .md file reads well as plain text.
 */
export function mdText(text: string): string {
  return String(text)
    .replace(/\r?\n/g, " ")
    .trimStart()
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^([#>+=-])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A fenced code block that `text` cannot close early: the fence is longer than any backtick run inside. */
export function mdBlock(text: string, info = "text"): string {
  const longest = Math.max(0, ...(String(text).match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${String(text).replace(/\n$/, "")}\n${fence}`;
}
