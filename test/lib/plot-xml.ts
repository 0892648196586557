/**
 * A small strict XML parser for the plot tests: it rejects what a browser's XML parser would reject
 * (unclosed or mis-nested tags, unquoted or duplicate attributes, bare `&` or `<` in text, two roots),
 * and returns the element tree so tests can count the marks they expect.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    const line = src.slice(0, i).split("\n").length;
    throw new Error(`XML not well-formed at line ${line}, offset ${i}: ${msg} near ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const checkText = (t: string) => {
    for (let k = t.indexOf("&"); k >= 0; k = t.indexOf("&", k + 1)) {
      if (!ENTITY.test(t.slice(k))) fail(`bare '&' or unknown entity in ${JSON.stringify(t.slice(k, k + 12))}`);
    }
  };
  const skipMisc = () => {
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++;
      if (src.startsWith("<?", i)) { const e = src.indexOf("?>", i); if (e < 0) fail("unterminated <?"); i = e + 2; }
      else if (src.startsWith("<!--", i)) { const e = src.indexOf("-->", i); if (e < 0) fail("unterminated comment"); i = e + 3; }
      else return;
    }
  };
  const element = (): XmlElement => {
    if (src[i] !== "<") fail("expected '<'");
    i++;
    const m = NAME.exec(src.slice(i));
    if (!m) return fail("expected an element name");
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
    i += m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))![0];
      i += ws.length;
      if (src.startsWith("/>", i)) { i += 2; return el; }
      if (src[i] === ">") { i++; break; }
      if (!ws) fail("expected whitespace before an attribute");
      const a = NAME.exec(src.slice(i));
      if (!a) fail("expected an attribute name");
      i += a![0].length;
      if (src[i] !== "=") fail(`attribute ${a![0]} without '='`);
      i++;
      const q = src[i];
      if (q !== '"' && q !== "'") fail(`attribute ${a![0]} value not quoted`);
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail("unterminated attribute value");
      const value = src.slice(i + 1, end);
      if (value.includes("<")) fail(`'<' in attribute ${a![0]}`);
      checkText(value);
      if (a![0] in el.attrs) fail(`duplicate attribute ${a![0]}`);
      el.attrs[a![0]] = value;
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf("<", i);
      if (lt < 0) fail(`<${el.name}> is never closed`);
      const text = src.slice(i, lt);
      checkText(text);
      el.text += text;
      i = lt;
      if (src.startsWith("</", i)) {
        const close = /^<\/([^\s>]+)\s*>/.exec(src.slice(i));
        if (!close || close[1] !== el.name) fail(`expected </${el.name}>`);
        i += close![0].length;
        return el;
      }
      if (src.startsWith("<!--", i)) { const e = src.indexOf("-->", i); if (e < 0) fail("unterminated comment"); i = e + 3; continue; }
      if (src.startsWith("<![CDATA[", i)) { const e = src.indexOf("]]>", i); if (e < 0) fail("unterminated CDATA"); el.text += src.slice(i + 9, e); i = e + 3; continue; }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== src.length) fail("content after the root element");
  return root;
}

/** Every element below (and including) `el` that satisfies `pred`. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => { if (pred(e)) out.push(e); e.children.forEach(walk); };
  walk(el);
  return out;
}

export const hasClass = (e: XmlElement, c: string) => (e.attrs.class ?? "").split(/\s+/).includes(c);

/** Vega's SVG: the drawn items (one path per point, rect or line) of the mark groups of a given type. */
/** The elements Vega draws one mark item as (its SVGs carry no aria roles: lib/plot turns aria off). */
const DRAWN = new Set(["path", "line", "rect", "circle", "text", "image"]);

export function vegaMarks(svg: XmlElement, markType: "symbol" | "rect" | "line" | "rule" | "text"): XmlElement[] {
  return findAll(svg, (e) => e.name === "g" && hasClass(e, `mark-${markType}`) && hasClass(e, "role-mark"))
    .flatMap((g) => g.children.filter((c) => DRAWN.has(c.name)));
}

/** All text content below `el`, entities decoded enough for comparisons. */
export function textOf(el: XmlElement): string {
  return (el.text + el.children.map(textOf).join("")).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
