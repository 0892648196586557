import { spawnSync } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { NotebookFormatError, parseNotebook, serializeNotebook, splitLines } from "../../kernel/runner/nbformat";
import { DEBIAN_PYTHON, describeWith, requirements } from "../support/requirements";
import { tempDir } from "../support/temp";

/** A 4.4 notebook (no cell ids) with every output kind, as another tool would have saved it. */
const everyOutput = {
  nbformat: 4,
  nbformat_minor: 4,
  metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# Title\n", "text é ✓"] },
    { cell_type: "raw", metadata: {}, source: "raw" },
    {
      cell_type: "code",
      metadata: { tags: ["x"] },
      execution_count: 3,
      source: "console.log(1)\n1 + 1",
      outputs: [
        { output_type: "stream", name: "stdout", text: ["1\n", "2\n"] },
        { output_type: "stream", name: "stderr", text: "warn\n" },
        { output_type: "display_data", data: { "text/html": ["<b>a</b>\n", "<i>b</i>"], "image/svg+xml": "<svg/>", "application/vnd.vegalite.v5+json": { mark: "line" } }, metadata: {} },
        { output_type: "execute_result", execution_count: 3, data: { "text/plain": "2" }, metadata: {} },
        { output_type: "error", ename: "TypeError", evalue: "bad", traceback: ["\u001b[31mTypeError\u001b[0m: bad"] },
      ],
    },
  ],
};

describe("nbformat reading", () => {
  test("upgrades 4.4 to 4.5 with unique cell ids and joins line lists", () => {
    const nb = parseNotebook(JSON.stringify(everyOutput));
    expect(nb.nbformat_minor).toBe(5);
    const ids = nb.cells.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(nb.cells[0].source).toBe("# Title\ntext é ✓");
    const code = nb.cells[2];
    if (code.cell_type !== "code") throw new Error("expected a code cell");
    expect(code.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "1\n2\n" });
    expect(code.outputs[2]).toMatchObject({ data: { "text/html": "<b>a</b>\n<i>b</i>", "application/vnd.vegalite.v5+json": { mark: "line" } } });
  });

  test("keeps valid ids and replaces duplicates", () => {
    const nb = parseNotebook(JSON.stringify({
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { cell_type: "markdown", id: "keep-me", metadata: {}, source: "" },
        { cell_type: "markdown", id: "keep-me", metadata: {}, source: "" },
        { cell_type: "markdown", id: "bad id!", metadata: {}, source: "" },
      ],
    }));
    expect(nb.cells[0].id).toBe("keep-me");
    expect(nb.cells[1].id).not.toBe("keep-me");
    expect(nb.cells[2].id).toMatch(/^[0-9a-f]{8}$/);
  });

  test.each([
    ["{ not json", /invalid JSON/],
    ["[]", /top level must be a JSON object/],
    [JSON.stringify({ nbformat: 3, worksheets: [] }), /only nbformat 4 is supported, found nbformat 3/],
    [JSON.stringify({ nbformat: 4, metadata: {} }), /"cells" must be a list/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: "picture", source: "" }] }), /cell 1: unknown cell_type "picture"/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code", source: 5, outputs: [] }] }), /cell 1 source must be a string or a list of strings/],
    [JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code", source: "", outputs: [{ output_type: "stream", name: "stdlog", text: "" }] }] }), /cell 1 output 1: stream name/],
  ])("rejects %s with a reason naming the file", (text, reason) => {
    expect(() => parseNotebook(text, "lecture.ipynb")).toThrow(NotebookFormatError);
    expect(() => parseNotebook(text, "lecture.ipynb")).toThrow(reason);
    expect(() => parseNotebook(text, "lecture.ipynb")).toThrow(/^lecture\.ipynb: not a valid Jupyter notebook/);
  });
});

describe("nbformat writing", () => {
  test("splits multi-line strings like nbformat, keeps JSON mime data as objects, ends with a newline", () => {
    expect(splitLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
    expect(splitLines("")).toEqual([]);
    const text = serializeNotebook(parseNotebook(JSON.stringify(everyOutput)));
    expect(text.endsWith("}\n")).toBe(true);
    const back = JSON.parse(text);
    expect(back.cells[2].outputs[2].data["application/vnd.vegalite.v5+json"]).toEqual({ mark: "line" });
    expect(back.cells[2].outputs[2].data["text/html"]).toEqual(["<b>a</b>\n", "<i>b</i>"]);
    expect(Object.keys(back)).toEqual(["cells", "metadata", "nbformat", "nbformat_minor"]);
  });

  test("round-trips: parse(serialize(nb)) equals nb", () => {
    const nb = parseNotebook(JSON.stringify(everyOutput));
    expect(parseNotebook(serializeNotebook(nb))).toEqual(nb);
  });
});

describeWith([requirements.nbformat], "nbformat: Python's own validator and writer agree", () => {
  test("the written notebook passes nbformat.validate and is byte-identical to nbformat.writes", () => {
    const dir = tempDir("nbformat");
    const file = join(dir, "every-output.ipynb");
    writeFileSync(file, serializeNotebook(parseNotebook(JSON.stringify(everyOutput))));
    const script = [
      "import nbformat, sys",
      "text = open(sys.argv[1], encoding='utf-8').read()",
      "nb = nbformat.reads(text, as_version=4)",
      "nbformat.validate(nb)",
      "assert nb.nbformat_minor == 5, nb.nbformat_minor",
      "assert nbformat.writes(nb) + '\\n' == text, 'layout differs from nbformat.writes'",
      "print('valid')",
    ].join("\n");
    const r = spawnSync(DEBIAN_PYTHON, ["-c", script, file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("valid");
  });
});
