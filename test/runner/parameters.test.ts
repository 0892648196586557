import { parseNotebook } from "../../kernel/runner/nbformat";
import { injectParameters, parameterSource, parseParameter } from "../../kernel/runner/parameters";

describe("-p name=value", () => {
  test.each([
    ["lr=0.5", ["lr", 0.5]],
    ["epochs=10", ["epochs", 10]],
    ["verbose=true", ["verbose", true]],
    ["seed=null", ["seed", null]],
    ['title="Lecture 3"', ["title", "Lecture 3"]],
    ["title='Lecture 3'", ["title", "Lecture 3"]],
    ["title=Lecture 3", ["title", "Lecture 3"]],
    ["sizes=[2,4,1]", ["sizes", [2, 4, 1]]],
    ["expr=a=b", ["expr", "a=b"]],
    ["empty=", ["empty", ""]],
  ])("%s", (arg, expected) => {
    expect(parseParameter(arg)).toEqual(expected);
  });

  test("names must be identifiers and the = is required", () => {
    expect(() => parseParameter("learning rate=1")).toThrow("parameter name 'learning rate' is not a valid identifier");
    expect(() => parseParameter("lr")).toThrow("must look like name=value");
  });

  test("TypeScript and Python sources", () => {
    const params: Array<[string, any]> = [["lr", 0.5], ["name", 'a "b"'], ["flags", [true, null]]];
    expect(parameterSource(params, "typescript")).toBe(
      '// Parameters injected by `gradlab run -p`\nlet lr = 0.5;\nlet name = "a \\"b\\"";\nlet flags = [true,null];',
    );
    expect(parameterSource(params, "python")).toBe('# Parameters injected by `gradlab run -p`\nlr = 0.5\nname = "a \\"b\\""\nflags = [True, None]');
    expect(() => parameterSource(params, "r")).toThrow("cannot inject parameters into a notebook in 'r'");
  });
});

describe("injecting the parameters cell", () => {
  const nb = (tags: string[][]) =>
    parseNotebook(JSON.stringify({
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: tags.map((t, i) => ({ cell_type: "code", id: `c${i}`, metadata: { tags: t }, source: `// ${i}`, outputs: [], execution_count: null })),
    }));

  test("goes right after the cell tagged parameters", () => {
    const out = injectParameters(nb([[], ["parameters"], []]), [["lr", 1]], "typescript");
    expect(out.cells.map((c) => c.id.startsWith("c") ? c.id : "injected")).toEqual(["c0", "c1", "injected", "c2"]);
    expect(out.cells[2].metadata.tags).toEqual(["injected-parameters"]);
  });

  test("goes first when no cell is tagged parameters, and replaces an earlier injected cell", () => {
    const out = injectParameters(nb([[], ["injected-parameters"], []]), [["lr", 1]], "typescript");
    expect(out.cells).toHaveLength(3);
    expect(out.cells[0].source).toContain("let lr = 1;");
    expect(out.cells.slice(1).map((c) => c.id)).toEqual(["c0", "c2"]);
  });

  test("without parameters the notebook is unchanged", () => {
    const input = nb([[]]);
    expect(injectParameters(input, [], "typescript")).toBe(input);
  });
});
