/**
 * assignment.json: the validator names the bad field, and the JSON schema editors use describes exactly
 * the fields the validator accepts.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { ConfigError, loadAssignmentConfig, parseAssignmentConfig } from "../../grader/config/assignment";

const ROOT = join(__dirname, "..", "..");
const minimal = () => ({ id: "a1", title: "A1", questions: [{ id: "q", points: 10, grades: ["f"] }] });

describe("assignment.json", () => {
  it("reads Assignment 1's, 100 points in all", () => {
    const c = loadAssignmentConfig(join(ROOT, "assignments", "assignment1", "assignment.json"));
    expect(c.questions.reduce((s, q) => s + q.points, 0)).toBe(100);
    expect(c.questions.filter((q) => q.manual).map((q) => q.id)).toEqual(["written-sigmoid", "written-reverse-mode"]);
  });

  it.each([
    [(c: any) => { c.questions[0].points = "5"; }, /questions\[0\]\.points: expected a positive number, got "5"/],
    [(c: any) => { c.questions[0].pionts = 5; }, /questions\[0\]\.pionts: unknown field/],
    [(c: any) => { c.due = "next friday"; }, /due: expected an ISO 8601 time with its offset/],
    [(c: any) => { c.due = "2026-10-02T23:59:00"; }, /due: expected an ISO 8601 time with its offset/],
    [(c: any) => { c.late_policy = { per_day: 2 }; }, /late_policy\.per_day: expected a fraction between 0 and 1, got 2/],
    [(c: any) => { c.questions.push({ id: "q", points: 1, grades: ["g"] }); }, /questions\[1\]\.id: "q" is used twice/],
    [(c: any) => { c.questions[0].grades = ["not a name"]; }, /questions\[0\]\.grades: "not a name" is not a TypeScript identifier/],
    [(c: any) => { c.questions[0].grades = []; }, /questions\[0\]\.grades: name the identifiers this question grades/],
    [(c: any) => { c.questions[0].manual = true; }, /questions\[0\]\.grades: a manual question is graded by a person/],
    [(c: any) => { c.timeout_ms = 0; }, /timeout_ms: expected milliseconds between 10 and 600000, got 0/],
    [(c: any) => { delete c.title; }, /title: expected a non-empty string, got undefined/],
  ])("names the bad field (%#)", (mutate, message) => {
    const c = minimal();
    mutate(c);
    expect(() => parseAssignmentConfig(c, "assignment.json")).toThrow(ConfigError);
    expect(() => parseAssignmentConfig(c, "assignment.json")).toThrow(message);
  });

  it("fills the defaults an instructor may leave out", () => {
    const c = parseAssignmentConfig(minimal());
    expect(c.tolerance).toEqual({ relError: 1e-7, gradcheckRelError: 1e-5, atol: 1e-10 });
    expect(c.timeoutMs).toBe(10_000);
    expect(c.latePolicy).toEqual({ graceMinutes: 0, perDay: 0, maxDays: Infinity });
  });

  it("the JSON schema describes exactly the fields the validator accepts", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "grader", "config", "assignment.schema.json"), "utf8"));
    const top = Object.keys(schema.properties).filter((k) => k !== "$schema").sort();
    const question = Object.keys(schema.properties.questions.items.properties).sort();
    // Every schema field is accepted...
    const full: any = {
      id: "a", title: "t", notebook: "n.ipynb", sources: ["a.ts"], due: "2026-10-02T23:59:00Z",
      late_policy: { grace_minutes: 1, per_day: 0.1, max_days: 2 }, tolerance: { rel_error: 1e-7, gradcheck_rel_error: 1e-5, atol: 0 },
      timeout_ms: 100, questions: [{ id: "q", title: "Q", points: 1, manual: false, grades: ["f"], forbids: ["MultiplyGate"], cells: [] }],
    };
    expect(Object.keys(full).sort()).toEqual(top);
    expect(Object.keys(full.questions[0]).sort()).toEqual(question);
    expect(() => parseAssignmentConfig(full)).not.toThrow();
    // ...and Assignment 1 points at the schema.
    const a1 = JSON.parse(readFileSync(join(ROOT, "assignments", "assignment1", "assignment.json"), "utf8"));
    expect(a1.$schema).toBe("../../grader/config/assignment.schema.json");
  });
});
