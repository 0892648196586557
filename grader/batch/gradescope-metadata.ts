/**
 * Gradescope's "Export Submissions" zip holds one folder per submission (submission_123456/) and
 * submission_metadata.yml, written by Ruby (Psych) with symbol keys. No YAML library is installed, so this
 * reads the subset that file uses, and nothing else:
 *
 *   submission_123456:                      a top-level mapping key per submission folder
 *     :submitters:                          a list of mappings (one per group member)
 *     - :name: Jane Doe
 *       :sid: '1234567'                     plain, 'single' or "double" quoted scalars
 *       :email: jane@example.edu
 *     :created_at: 2026-10-02 21:14:03.123456000 -04:00    Ruby's time format (or ISO 8601)
 *     :score: 7.0                           other keys are kept as strings and ignored
 *
 * Block mappings and block sequences of mappings by indentation, `#` comments, `~`/`null`, quoted
 * scalars. Not: flow collections ([a, b], {a: b}), anchors, multi-line scalars, tags (a line it cannot
 * read is an error that names the line, never a silent skip).
 */

export interface GradescopeSubmitter {
  name?: string;
  sid?: string;
  email?: string;
}

export interface GradescopeSubmission {
  /** The folder name ("submission_123456"). */
  folder: string;
  submitters: GradescopeSubmitter[];
  /** ISO 8601. */
  createdAt?: string;
}

export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetadataError";
  }
}

type Node = string | null | Node[] | { [key: string]: Node };

function scalar(text: string, where: string): string | null {
  const t = text.trim();
  if (t === "" || t === "~" || t === "null") return null;
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new MetadataError(`${where}: unterminated 'quoted' value`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new MetadataError(`${where}: unterminated "quoted" value`);
    return JSON.parse(t) as string;
  }
  if (/^[[{&*!|>]/.test(t)) throw new MetadataError(`${where}: "${t.slice(0, 40)}" uses YAML this reader does not support (flow collections, anchors, tags, block scalars)`);
  return t;
}

/** Strips a trailing comment outside quotes. */
function uncomment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === quote) quote = null; }
    else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

interface Line { indent: number; text: string; no: number }

/** key: value, with Ruby's leading ':' on symbol keys removed. */
function splitKey(text: string, where: string): [string, string] {
  const m = /^(:?[^\s:'"][^:]*|'[^']*'|"[^"]*"):(?:\s+(.*)|)$/.exec(text);
  if (!m) throw new MetadataError(`${where}: expected "key: value", got "${text.slice(0, 60)}"`);
  let key = m[1];
  if (key.startsWith("'") || key.startsWith('"')) key = scalar(key, where) ?? "";
  return [key.replace(/^:/, ""), m[2] ?? ""];
}

export function parseYamlSubset(text: string, file = "submission_metadata.yml"): Node {
  const lines: Line[] = [];
  text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((raw, i) => {
    if (raw.includes("\t") && /^\s*\t/.test(raw)) throw new MetadataError(`${file}:${i + 1}: tab indentation`);
    const body = uncomment(raw).replace(/\s+$/, "");
    if (body.trim() === "" || body.trim() === "---" || body.trim() === "...") return;
    lines.push({ indent: body.length - body.trimStart().length, text: body.trim(), no: i + 1 });
  });
  let pos = 0;
  const where = (l: Line) => `${file}:${l.no}`;

  function block(indent: number): Node {
    if (pos >= lines.length) return null;
    return lines[pos].text.startsWith("- ") || lines[pos].text === "-" ? sequence(lines[pos].indent) : mapping(indent);
  }

  function mapping(indent: number, first?: { key: string; rest: string }): { [key: string]: Node } {
    const out: { [key: string]: Node } = {};
    const entry = (key: string, rest: string, at: Line) => {
      if (rest.trim() === "") {
        const next = lines[pos];
        out[key] = next && (next.indent > at.indent || (next.indent === at.indent && next.text.startsWith("-") && !first)) ? block(next.indent) : null;
      } else out[key] = scalar(rest, where(at));
    };
    if (first) entry(first.key, first.rest, { ...lines[pos - 1], indent });
    while (pos < lines.length && lines[pos].indent === indent && !lines[pos].text.startsWith("- ") && lines[pos].text !== "-") {
      const l = lines[pos++];
      const [key, rest] = splitKey(l.text, where(l));
      entry(key, rest, l);
    }
    if (pos < lines.length && lines[pos].indent > indent) throw new MetadataError(`${where(lines[pos])}: unexpected indentation`);
    return out;
  }

  function sequence(indent: number): Node[] {
    const out: Node[] = [];
    while (pos < lines.length && lines[pos].indent === indent && (lines[pos].text.startsWith("- ") || lines[pos].text === "-")) {
      const l = lines[pos++];
      const item = l.text.slice(1).trim();
      if (item === "") out.push(pos < lines.length && lines[pos].indent > indent ? block(lines[pos].indent) : null);
      else if (/^(:?[^\s:'"][^:]*|'[^']*'|"[^"]*"):(\s|$)/.test(item)) {
        const [key, rest] = splitKey(item, where(l));
        out.push(mapping(indent + 2, { key, rest }));
      } else out.push(scalar(item, where(l)));
    }
    return out;
  }

  const root = block(0);
  if (pos < lines.length) throw new MetadataError(`${where(lines[pos])}: could not read this line`);
  return root;
}

/** "2026-10-02 21:14:03.123456000 -04:00" (Ruby) or ISO 8601 → ISO 8601. */
export function rubyTime(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?\s*(Z|UTC|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) throw new MetadataError(`"${text}" is not a time`);
  const frac = m[3] ? m[3].slice(0, 4) : "";
  let zone = m[4] ?? "Z";
  if (zone === "UTC") zone = "Z";
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${m[1]}T${m[2]}${frac}${zone}`;
  if (Number.isNaN(Date.parse(iso))) throw new MetadataError(`"${text}" is not a time`);
  return iso;
}

export function parseGradescopeMetadata(text: string, file = "submission_metadata.yml"): GradescopeSubmission[] {
  const root = parseYamlSubset(text, file);
  if (root === null) return [];
  if (typeof root !== "object" || Array.isArray(root)) throw new MetadataError(`${file}: expected one entry per submission folder`);
  return Object.entries(root).map(([folder, v]) => {
    const entry = (v && typeof v === "object" && !Array.isArray(v) ? v : {}) as { [k: string]: Node };
    const people = Array.isArray(entry.submitters) ? entry.submitters : [];
    const submitters = people.map((p): GradescopeSubmitter => {
      const o = (p && typeof p === "object" && !Array.isArray(p) ? p : {}) as { [k: string]: Node };
      const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
      return { name: str("name"), sid: str("sid"), email: str("email") };
    });
    const created = typeof entry.created_at === "string" ? rubyTime(entry.created_at) : undefined;
    return { folder, submitters, createdAt: created };
  });
}
