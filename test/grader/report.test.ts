import { readFileSync } from "fs";
import { join } from "path";
import { parseAssignmentConfig } from "../../grader/config/assignment";
import { unreadableHtml, unreadableMarkdown, unreadableResults } from "../../grader/report/unreadable";
import { writeMiniAssignment } from "./fixture";
import { mdBlock, mdText } from "../../grader/report/escape";
import { gradescopeResults } from "../../grader/report/gradescope";
import type { GradeResult, TestResult, Visibility } from "../../grader/report/result";
import { studentTestView } from "../../grader/report/student-view";
import { writeReports } from "../../grader/report/write";
import { withManual } from "../../grader/batch/manual";
import { tempDir } from "../support/temp";

const SECRET_VISIBILITIES: Visibility[] = ["hidden", "after_due_date", "after_published"];
const SCRIPT = '<script>alert("x")</script>';

function secretTest(visibility: Visibility, n: number): TestResult {
  const m = (field: string) => `MARKER-${visibility}-${field}-${n}`;
  const test = {
    question: "gates",
    name: `broadcast case ${n}`,
    score: 0,
    maxScore: 2,
    visibility,
    outcome: "wrong",
    seed: 1234 + n,
    durationMs: 12,
    checks: [
      { ok: false, message: m("message"), input: m("input"), expected: m("expected"), got: m("got"), hint: m("hint") },
      { ok: true, message: m("message2") },
    ],
    summary: "wrong answer\n" + m("second-line-of-summary"),
    // A field a later engine might add; the allow-list must keep it out too.
    referenceAnswer: m("future-field"),
  };
  return test as TestResult;
}

function sample(overrides: Partial<GradeResult> = {}): GradeResult {
  return {
    assignment: { id: "assignment1", title: "Assignment 1: Backpropagation by hand", version: "2026.1" },
    submission: { id: "s-17", sha256: "ab".repeat(32), file: "assignment1.ipynb", submittedAt: "2026-10-02T22:00:00Z" },
    score: 5.5,
    maxScore: 12,
    questions: [
      { id: "gates", title: "Part 1a: gates", score: 3.5, maxScore: 10, manual: false, note: `forbidden: <b>MultiplyGate</b> ${SCRIPT}` },
      { id: "written-sigmoid", title: "Part 5a: sigmoid", score: 0, maxScore: 2, manual: true },
    ],
    tests: [
      {
        question: "gates",
        name: `MultiplyGate ${SCRIPT}`,
        score: 1.5,
        maxScore: 2,
        visibility: "visible",
        outcome: "partial",
        seed: 7,
        durationMs: 30,
        checks: [
          { ok: true, message: "forward matches" },
          { ok: false, message: `dx: ${SCRIPT}`, input: "x = 3, y = -4", expected: "EXPECTED-VISIBLE-42", got: "</pre><script>evil()</script>", hint: "swapped inputs? `dx` looks like `dy` | [link](http://evil)" },
        ],
        summary: "1 of 2 checks failed",
      },
      { question: "gates", name: "AddGate", score: 2, maxScore: 2, visibility: "visible", outcome: "passed", seed: 8, durationMs: 5, checks: [{ ok: true, message: "forward matches" }], summary: "passed" },
      ...SECRET_VISIBILITIES.map((v, i) => secretTest(v, i)),
    ],
    compile: { ok: false, diagnostics: [{ cell: 5, gradeId: "gates-multiply", line: 3, column: 7, message: "Type '<img src=x onerror=alert(1)>' is not assignable" }] },
    sandbox: "bubblewrap + permission model + prlimit",
    unsandboxed: false,
    studentOutput: "debug: 1\n```\n</details><script>steal()</script>\n",
    versions: { gradlab: "0.1.0", node: "v20.20.2", assignment: "2026.1" },
    startedAt: "2026-10-03T01:00:00Z",
    executionMs: 4321,
    ...overrides,
  };
}

function written(result: GradeResult): Record<string, string> {
  const files = writeReports(result, tempDir("report"));
  return { results: readFileSync(files.results, "utf8"), markdown: readFileSync(files.markdown, "utf8"), html: readFileSync(files.html, "utf8") };
}

describe("reports never show what hidden tests checked", () => {
  it("no marker of a hidden / after_due_date / after_published test's checks in any written report", () => {
    const reports = written(sample());
    for (const [name, text] of Object.entries(reports)) {
      expect({ name, markers: text.match(/MARKER-[\w-]+/g) ?? [] }).toEqual({ name, markers: [] });
      for (const n of [0, 1, 2]) expect(text).toContain(`broadcast case ${n}`); // the name and points are shown
    }
    // The same reports do show a visible test's checks.
    for (const text of Object.values(reports)) expect(text).toContain("EXPECTED-VISIBLE-42");
  });

  it("builds a hidden test's view from name, points and the summary's first line only", () => {
    const view = studentTestView(secretTest("hidden", 9));
    expect(view).toEqual({ question: "gates", name: "broadcast case 9", score: 0, maxScore: 2, visibility: "hidden", outcome: "wrong", summary: "wrong answer", checks: [] });
  });
});

describe("results.json (Gradescope)", () => {
  it("has Gradescope's fields", () => {
    const r = JSON.parse(written(sample()).results);
    expect(r).toMatchObject({ score: 5.5, execution_time: 4.321, output_format: "md", visibility: "visible", stdout_visibility: "hidden" });
    expect(r.extra_data).toEqual({ sha256: "ab".repeat(32), versions: { gradlab: "0.1.0", node: "v20.20.2", assignment: "2026.1" }, sandbox: "bubblewrap + permission model + prlimit", unsandboxed: false });
    expect(r.tests.map((t: { name: string; status: string; visibility: string; score: number; max_score: number }) => [t.status, t.visibility, t.score, t.max_score])).toEqual([
      ["failed", "visible", 1.5, 2],
      ["passed", "visible", 2, 2],
      ["failed", "hidden", 0, 2],
      ["failed", "after_due_date", 0, 2],
      ["failed", "after_published", 0, 2],
    ]);
    expect(r.tests[2].output).toBe("wrong answer");
    expect(r.tests[2].extra_data).toEqual({ question: "gates", outcome: "wrong", seed: 1234 });
    expect(r.tests[0].output).toContain("EXPECTED-VISIBLE-42");
    expect(gradescopeResults(sample(), { visibility: "after_published" }).visibility).toBe("after_published");
  });
});

describe("escaping", () => {
  const ALLOWED_TAGS = new Set(["html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "div", "span", "p", "table", "tr", "th", "td", "ul", "li", "pre", "details", "summary", "strong"]);

  it("renders a student's <script> as text in feedback.html, which loads and runs nothing", () => {
    const { html } = written(sample());
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase());
    expect(tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(html).toContain("MultiplyGate &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;/pre&gt;&lt;script&gt;evil()&lt;/script&gt;");
    expect(html).toContain("&lt;/details&gt;&lt;script&gt;steal()&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/\b(src|href|on\w+)\s*=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("keeps student text in feedback.md escaped or fenced", () => {
    const { markdown } = written(sample());
    // Outside fenced blocks, every "<" is escaped, but for the report's own <details> wrapper.
    const prose = markdown.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, "").replace(/<\/?(details|summary)>/g, "");
    expect(prose).not.toMatch(/(^|[^\\])</m);
    expect(prose).not.toMatch(/(^|[^\\])\[link\]/);
    // The output holding ``` gets a longer fence, so it cannot end the block early.
    expect(markdown).toContain("````text\ndebug: 1\n```\n</details><script>steal()</script>\n````");
    expect(markdown).toContain("- cell 5 (gates-multiply), line 3, column 7: Type '\\<img src=x onerror=alert(1)\\>' is not assignable");
  });

  it("mdText and mdBlock", () => {
    expect(mdText("# not a heading")).toBe("\\# not a heading");
    expect(mdText("1. not a list & <b>")).toBe("1\\. not a list \\& \\<b\\>");
    expect(mdText("a|b <i>*c*</i>\nnext")).toBe("a\\|b \\<i\\>\\*c\\*\\</i\\> next");
    expect(mdBlock("x ````` y")).toBe("``````text\nx ````` y\n``````");
  });
});

describe("feedback content", () => {
  it("shows the total, per-question points and bars, the sandbox, compile errors with cell and line", () => {
    const { html, markdown } = written(sample());
    expect(html).toContain(`<div class="total">5.5 / 10 autograded, 2 points pending a TA</div>`);
    expect(html).toContain(`<div class="bar"><span style="width:35.0%"></span></div>`); // gates: 3.5 of 10
    expect(html).toContain("Sandbox: bubblewrap + permission model + prlimit");
    expect(html).toContain("cell 5 (gates-multiply), line 3, column 7");
    expect(html).toContain("pending: graded by a teaching assistant (2 points)");
    expect(html).toMatch(/<details><summary>show<\/summary><pre>debug: 1/);
    expect(markdown).toMatch(/^# Assignment 1: Backpropagation by hand: 5\.5 \/ 10 autograded, 2 points pending a TA$/m);
    expect(markdown).toContain("| Part 1a: gates: forbidden: \\<b\\>MultiplyGate");
    expect(markdown).toContain("Hint: swapped inputs? \\`dx\\` looks like \\`dy\\` \\| \\[link\\](http://evil)");
  });

  it("warns loudly when the submission ran unsandboxed, and shows lateness", () => {
    const { html, markdown } = written(sample({ unsandboxed: true, sandbox: "unsandboxed: GRADLAB_SANDBOX=none", late: { days: 2, penalty: 0.2 } }));
    expect(html).toMatch(/<p class="unsandboxed">⚠ WARNING: this submission ran UNSANDBOXED \(unsandboxed: GRADLAB_SANDBOX=none\)/);
    expect(markdown).toMatch(/^> \*\*WARNING: this submission ran UNSANDBOXED/m);
    expect(html).toContain("Late by 2 days: 20% penalty");
  });

  it("leaves out the output section when the program printed nothing", () => {
    const { html, markdown } = written(sample({ studentOutput: "" }));
    expect(html).not.toContain("<details>");
    expect(markdown).not.toContain("Your program's output");
  });
});

/** A result shaped like assignment1's: five autograded questions of nine tests (each with several detailed checks), two written ones. */
function bigResult(fail?: (q: number, t: number, test: TestResult) => TestResult): GradeResult {
  const questions: GradeResult["questions"] = [];
  const tests: TestResult[] = [];
  for (let q = 0; q < 5; q++) {
    questions.push({ id: `q${q}`, title: `Part ${q + 1}: question ${q}`, score: 18, maxScore: 18, manual: false });
    for (let t = 0; t < 9; t++) {
      const visibility: Visibility = t < 6 ? "visible" : "hidden";
      const checks = visibility === "visible"
        ? Array.from({ length: 6 }, (_, c) => ({ ok: true, message: `check ${c} of test ${q}.${t} is correct`, input: `x = [${c}, ${t}]`, expected: `${c * t}`, got: `${c * t}` }))
        : [{ ok: true, message: `HIDDEN-CHECK-${q}-${t}`, expected: "HIDDEN-EXPECTED" }];
      let test: TestResult = { question: `q${q}`, name: `test ${q}.${t}`, score: 2, maxScore: 2, visibility, outcome: "passed", seed: t, durationMs: 3, checks, summary: "passed" };
      if (fail) test = fail(q, t, test);
      tests.push(test);
    }
  }
  questions.push({ id: "w1", title: "Part 5a: written", score: 0, maxScore: 5, manual: true, note: "graded by a teaching assistant" });
  questions.push({ id: "w2", title: "Part 5b: written", score: 0, maxScore: 5, manual: true, note: "graded by a teaching assistant" });
  for (const q of questions) if (!q.manual) q.score = tests.filter((t) => t.question === q.id).reduce((s, t) => s + t.score, 0);
  const score = questions.reduce((s, q) => s + q.score, 0);
  return sample({ questions, tests, score, maxScore: 100, compile: { ok: true, diagnostics: [] }, studentOutput: "" });
}

const SYNTAX = "your code does not compile (cell 9 (gates-multiply), line 9: ',' expected.), so none of it can run";

function syntaxError(): GradeResult {
  const r = bigResult((q, t, test) => ({ ...test, score: 0, outcome: "compile-error", checks: [{ ok: false, message: SYNTAX }], summary: "does not compile" }));
  r.questions = r.questions.map((q) => (q.manual ? q : { ...q, note: SYNTAX }));
  r.compile = { ok: false, diagnostics: [{ cell: 9, gradeId: "gates-multiply", line: 9, column: 67, message: "',' expected." }] };
  return r;
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe("short reports", () => {
  it("a perfect result: each passed test one line, no check details in feedback.md, well under 250 lines", () => {
    const { markdown, html } = written(bigResult());
    expect(markdown.split("\n").length).toBeLessThan(250);
    expect(markdown).not.toMatch(/expected:|got:|input:/);
    expect(markdown).toMatch(/^- ✅ test 0\.0: 2 \/ 2$/m);
    expect(markdown).not.toContain("What to fix first");
    // In HTML a passed test's checks are there, but collapsed in its <details>.
    expect(html).toMatch(/<details class="test passed one"><summary><span class="ok">✓<\/span> <strong>test 0\.0<\/strong>: 2 \/ 2<\/summary><div class="check">/);
    expect(html).not.toContain("What to fix first");
    for (const text of [markdown, html]) expect(text).not.toMatch(/HIDDEN-/);
  });

  it("a failed test shows its failed checks in full, its passed ones collapsed, and leads 'what to fix first'", () => {
    const r = bigResult((q, t, test) => (q === 2 && t === 1
      ? { ...test, score: 1, outcome: "partial", summary: "1 of 6 checks failed", checks: test.checks.map((c, i) => (i === 3 ? { ...c, ok: false, got: "WRONG-42", hint: "look at the sign" } : c)) }
      : q === 3 && t === 8 ? { ...test, score: 0, outcome: "wrong", summary: "wrong answer" } : test));
    const { markdown, html } = written(r);
    const fix = markdown.slice(markdown.indexOf("## What to fix first"), markdown.indexOf("## Questions"));
    expect(fix).toContain("- **Part 3: question 2**\n  - 🟨 test 2.1: 1 / 2, 1 of 6 checks failed");
    expect(fix).toContain("- **Part 4: question 3**\n  - ❌ test 3.8 (hidden test): 0 / 2, wrong answer");
    expect(markdown.indexOf("## What to fix first")).toBeLessThan(markdown.indexOf("## Questions"));
    expect(markdown).toContain("✗ check 3 of test 2.1 is correct\n\ninput:\n\n```text\nx = [3, 1]\n```\n\nexpected:\n\n```text\n3\n```\n\ngot:\n\n```text\nWRONG-42\n```\n\nHint: look at the sign");
    expect(markdown).toContain("- ✓ check 0 of test 2.1 is correct");
    expect(occurrences(markdown, "got:")).toBe(1);
    expect(html).toMatch(/<h2>What to fix first<\/h2><ul class="fix">\n<li><strong>Part 3: question 2<\/strong><ul><li><span class="bad">✗<\/span> <strong>test 2\.1<\/strong>: 1 \/ 2 <span class="bad">1 of 6 checks failed<\/span>/);
    expect(html).toContain(`<div>got:</div><pre>WRONG-42</pre><div class="hint">Hint: look at the sign</div></div><details class="passed-checks"><summary>5 passed checks</summary>`);
  });

  it("a syntax error is said once per question, not under every test", () => {
    const { markdown, html } = written(syntaxError());
    // once in "what to fix first" (all five questions together) and once at each question
    expect(occurrences(markdown, "your code does not compile (cell 9")).toBe(1 + 5);
    expect(occurrences(html, "your code does not compile (cell 9")).toBe(1 + 5);
    expect(markdown).toContain("❌ All 9 tests of this question: your code does not compile");
    expect(markdown).toMatch(/^- ❌ test 0\.0: 0 \/ 2$/m);
    expect(markdown).toMatch(/^- ❌ test 0\.8 \(hidden test\): 0 \/ 2$/m);
    expect(markdown).toContain("| Part 1: question 0: does not compile (below) | 0 / 18 |");
    expect(markdown.split("\n").length).toBeLessThan(120);
  });

  it("after timeouts: 'not run' said once for the visible and hidden tests it covers; a hidden wrong answer is not grouped", () => {
    const notRun = "not run: 2 earlier tests of this question timed out (an endless loop?)";
    const r = bigResult((q, t, test) => {
      if (q !== 1) return test;
      if (t < 2) return { ...test, score: 0, outcome: "timeout", summary: "used 3 s of CPU time without finishing (an endless loop?)", checks: [{ ok: false, message: "used 3 s of CPU time without finishing (an endless loop?)" }] };
      if (t === 8) return { ...test, score: 0, outcome: "wrong", summary: "wrong answer" };
      return { ...test, score: 0, outcome: "timeout", summary: "timed out", checks: [{ ok: false, message: notRun }] };
    });
    const { markdown, html } = written(r);
    expect(occurrences(markdown, notRun)).toBe(2); // what to fix first, and the question
    expect(occurrences(html, notRun)).toBe(2);
    expect(markdown).toContain(`  - 2 tests (4 points): used 3 s of CPU time without finishing (an endless loop?)\n  - 6 tests (12 points): ${notRun}\n  - ❌ test 1.8 (hidden test): 0 / 2, wrong answer`);
    expect(markdown).toContain(`❌ 6 tests of this question: ${notRun}\n\n- ❌ test 1.2: 0 / 2\n`);
  });

  it("a message's stack lines go on their own indented lines", () => {
    const r = bigResult((q, t, test) => (q === 0 && t === 0
      ? { ...test, score: 0, outcome: "error", summary: "error: TypeError", checks: [{ ok: false, message: "your code threw TypeError: x is undefined\n  at forward (cell 5, line 3)\n  at backward (cell 5, line 9)" }] }
      : test));
    const { markdown, html } = written(r);
    expect(markdown).toContain("✗ your code threw TypeError: x is undefined\n\n```text\n  at forward (cell 5, line 3)\n  at backward (cell 5, line 9)\n```");
    expect(html).toContain(`x is undefined<pre class="stack">  at forward (cell 5, line 3)\n  at backward (cell 5, line 9)</pre>`);
  });

  it("shows the gradlab version without Markdown escapes", () => {
    expect(written(bigResult()).markdown).toContain("with gradlab 0.1.0.");
  });
});

describe("manual (written) questions", () => {
  it("pending until a TA's score is merged: the headline counts the autograded points only", () => {
    const { markdown, html, results } = written(bigResult());
    expect(markdown).toMatch(/^# Assignment 1: Backpropagation by hand: 90 \/ 90 autograded, 10 points pending a TA$/m);
    expect(markdown).toContain("| Part 5a: written | pending: graded by a teaching assistant (5 points) |");
    expect(markdown).not.toMatch(/0 \/ 5/);
    expect(html).toContain(`<div class="total">90 / 90 autograded, 10 points pending a TA</div>`);
    expect(html).toContain("pending: graded by a teaching assistant (5 points)");
    expect(html).not.toMatch(/0 \/ 5/);
    // Gradescope's numbers are unchanged.
    expect(JSON.parse(results).score).toBe(90);
  });

  it("a TA's merged score (grader/batch/manual.ts) replaces pending, with the comment", () => {
    const r = withManual(bigResult(), new Map([["w1", { points: 4, comment: "good <b>derivation</b>" }], ["w2", { points: 5 }]]));
    const { markdown, html } = written(r);
    expect(markdown).toMatch(/^# Assignment 1: Backpropagation by hand: 99 \/ 100$/m);
    expect(markdown).toContain("| Part 5a: written (graded by a TA): good \\<b\\>derivation\\</b\\> | 4 / 5 |");
    expect(markdown).toContain("| Part 5b: written (graded by a TA) | 5 / 5 |");
    expect(markdown).not.toContain("pending");
    expect(html).toContain(`<div class="total">99 / 100</div>`);
    // One graded, one still pending.
    const half = written(withManual(bigResult(), new Map([["w1", { points: 3 }]])));
    expect(half.markdown).toMatch(/: 93 \/ 95 so far, 5 points pending a TA$/m);
    // A TA's 0 is a grade, not "pending".
    const zero = written(withManual(bigResult(), new Map([["w1", { points: 0 }], ["w2", { points: 0 }]])));
    expect(zero.markdown).not.toContain("pending");
    expect(zero.markdown).toContain("| Part 5a: written (graded by a TA) | 0 / 5 |");
  });
});

describe("the reports of a submission that could not be read", () => {
  const config = parseAssignmentConfig(JSON.parse(readFileSync(join(writeMiniAssignment(join(tempDir("unreadable"), "mini")), "assignment.json"), "utf8")));
  const error = '/srv/grading/class/s1.zip: the entry "../evil.ipynb" leaves the folder; see a/b/c.ipynb <b>';

  test("say why with 0 of the assignment's points, without the grading machine's folders", () => {
    const md = unreadableMarkdown("s1", error, config);
    expect(md).toMatch(/^# .*: could not be graded\n\nStudent s1: 0 \/ 12\./);
    expect(md).toContain("s1.zip: the entry");
    expect(md).toContain("a/b/c.ipynb"); // a relative path is the student's own: kept
    expect(md).not.toContain("/srv/grading");
    const page = unreadableHtml("s1", error, config);
    expect(page).toContain("&lt;b&gt;");
    expect(page).not.toContain("/srv/grading");
    expect(page).toMatch(/Content-Security-Policy/);
    expect(unreadableResults(error)).toMatchObject({ score: 0, tests: [] });
  });
});
