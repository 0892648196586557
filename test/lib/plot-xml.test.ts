import { parseXml, findAll } from "./plot-xml";

describe("the strict XML check used by the plot tests", () => {
  test("accepts a well-formed document and returns its tree", () => {
    const root = parseXml(`<?xml version="1.0"?><svg a="1" b='2'><g><circle r="3"/>x &amp; y &#945;</g><!-- c --></svg>`);
    expect(root.name).toBe("svg");
    expect(findAll(root, (e) => e.name === "circle")).toHaveLength(1);
    expect(root.children[0].text).toBe("x &amp; y &#945;");
  });
  test.each([
    ["mis-nested tags", "<a><b></a></b>"],
    ["an unclosed tag", "<a><b></b>"],
    ["an unquoted attribute", "<a x=1></a>"],
    ["a duplicate attribute", `<a x="1" x="2"/>`],
    ["a bare ampersand", "<a>fish & chips</a>"],
    ["a '<' in an attribute", `<a x="<"/>`],
    ["two roots", "<a/><b/>"],
    ["attributes run together", `<a x="1"y="2"/>`],
  ])("rejects %s", (_, src) => {
    expect(() => parseXml(src)).toThrow(/not well-formed/);
  });
});
