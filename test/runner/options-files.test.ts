import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { checkDistinctOutputs, collectNotebooks, failedOutputPathFor, outputPathFor, writeFileAtomic } from "../../kernel/runner/files";
import { HELP, parseRunArgs } from "../../kernel/runner/options";
import { executeNotebook } from "../../kernel/runner/execute-notebook";
import { tempDir } from "../support/temp";

describe("gradlab run options", () => {
  test("defaults", () => {
    const o = parseRunArgs(["a.ipynb"], {});
    expect(o).toMatchObject({ inputs: ["a.ipynb"], timeoutMs: 120000, jobs: 1, allowErrors: false, check: false, inplace: false, outDir: null, kernel: null });
  });

  test("every option, in both --flag value and --flag=value forms", () => {
    const o = parseRunArgs(["--out=ex", "--timeout", "2.5", "--allow-errors", "--check", "-p", "lr=0.1", "--parameter=n=3",
      "--kernel", "python3", "-j", "4", "--server", "http://h:8888/", "--token", "t", "-q", "x", "y"], {});
    expect(o).toMatchObject({ outDir: "ex", timeoutMs: 2500, allowErrors: true, check: true, kernel: "python3", jobs: 4,
      server: "http://h:8888/", token: "t", quiet: true, inputs: ["x", "y"], parameters: [["lr", 0.1], ["n", 3]] });
  });

  test("--timeout up to Node's largest timer (2147483 s, about 24.8 days) is accepted; more is refused, not overflowed", async () => {
    expect(parseRunArgs(["--timeout", "2147483", "a"], {}).timeoutMs).toBe(2147483000);
    expect(() => parseRunArgs(["--timeout", "1e9", "a"], {})).toThrow("--timeout must be at most 2147483 seconds (about 24 days; 0 for no limit), got '1e9'");
    await expect(executeNotebook({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } as never, null as never, { timeoutMs: 1e12 } as never))
      .rejects.toThrow(/timeoutMs must be at most 2147483647/);
  });

  test("the server token may come from JUPYTER_TOKEN", () => {
    expect(parseRunArgs(["--server", "http://h/", "a"], { JUPYTER_TOKEN: "env" }).token).toBe("env");
  });

  test.each([
    [[], "no notebooks given"],
    [["a", "--out", "o", "--inplace"], "--out and --inplace exclude each other"],
    [["a", "--server", "http://h/", "--jupyter", "--token", "t"], "--server and --jupyter exclude each other"],
    [["a", "--server", "h:8888", "--token", "t"], "--server must be an http(s) URL"],
    [["a", "--server", "http://h/"], "--server needs --token"],
    [["a", "--token", "t"], "--token only applies with --server"],
    [["a", "--timeout", "soon"], "--timeout must be a  number >= 0, got 'soon'"],
    [["a", "--jobs", "0"], "--jobs must be at least 1"],
    [["a", "--jobs", "1.5"], "--jobs must be a whole number"],
    [["a", "--timeout"], "--timeout needs a value"],
    [["a", "--frobnicate"], "unknown option '--frobnicate'"],
    [["a", "-p", "bad name=1"], "not a valid identifier"],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parseRunArgs(args as string[], {})).toThrow(message);
  });

  test("--help documents every option", () => {
    for (const flag of ["--out", "--inplace", "--timeout", "--allow-errors", "--check", "--parameter", "--kernel", "--jobs", "--server", "--token", "--jupyter", "--quiet", "raises-exception", "exit status"]) {
      expect(HELP).toContain(flag);
    }
  });
});

describe("finding notebooks and where their copies go", () => {
  let root: string;
  beforeAll(() => {
    root = tempDir("files");
    for (const f of ["a.ipynb", "sub/b.ipynb", "sub/b.executed.ipynb", "sub/b.failed.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb", "node_modules/x/c.ipynb", "notes.txt", "out/old.ipynb"]) {
      mkdirSync(join(root, f, ".."), { recursive: true });
      writeFileSync(join(root, f), "{}");
    }
  });

  test("folders are searched recursively, skipping checkpoints, node_modules, the runner's copies and --out", () => {
    const jobs = collectNotebooks([root], join(root, "out"));
    expect(jobs.map((j) => j.relativePath)).toEqual(["a.ipynb", join("sub", "b.ipynb")]);
    expect(collectNotebooks([join(root, "sub", "b.ipynb"), root], null).map((j) => j.relativePath)).toEqual(["b.ipynb", "a.ipynb", join("out", "old.ipynb")]);
  });

  test("missing paths and empty folders are errors", () => {
    expect(() => collectNotebooks([join(root, "nope.ipynb")], null)).toThrow("no such file or folder");
    mkdirSync(join(root, "empty"), { recursive: true });
    expect(() => collectNotebooks([join(root, "empty")], null)).toThrow("no .ipynb notebooks found");
  });

  test("output paths: default copy, --out keeps relative paths, --check alone writes nothing, --inplace never on failure", () => {
    const [, b] = collectNotebooks([root], join(root, "out"));
    expect(outputPathFor(b, { outDir: null, inplace: false, check: false })).toBe(join(root, "sub", "b.executed.ipynb"));
    expect(outputPathFor(b, { outDir: "/x", inplace: false, check: true })).toBe(join("/x", "sub", "b.ipynb"));
    expect(outputPathFor(b, { outDir: null, inplace: false, check: true })).toBeNull();
    expect(outputPathFor(b, { outDir: null, inplace: true, check: false })).toBe(b.source);
    expect(failedOutputPathFor(b, { outDir: null, inplace: true, check: false })).toBe(join(root, "sub", "b.failed.ipynb"));
  });

  test("two notebooks that would be written to one file are refused", () => {
    const jobs = [{ source: "/p/a.ipynb", label: "p/a.ipynb", relativePath: "a.ipynb" }, { source: "/q/a.ipynb", label: "q/a.ipynb", relativePath: "a.ipynb" }];
    expect(() => checkDistinctOutputs(jobs, (j) => join("/out", j.relativePath))).toThrow("p/a.ipynb and q/a.ipynb would both be written to");
  });

  test("atomic writes leave no temporary files and create folders", () => {
    const target = join(root, "deep", "er", "x.ipynb");
    writeFileAtomic(target, "one");
    writeFileAtomic(target, "two");
    expect(readFileSync(target, "utf8")).toBe("two");
    expect(readdirSync(join(root, "deep", "er"))).toEqual(["x.ipynb"]);
    expect(existsSync(target)).toBe(true);
  });
});
