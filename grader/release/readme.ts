/**
 * The README.md in a student's release folder: how to install, open the notebook with the gradlab kernel,
 * check the visible tests locally and submit. Written from assignment.json so each assignment's README names
 * its own files, questions and due date.
 */
import type { AssignmentConfig } from "./release";

function questionLines(config: AssignmentConfig): string[] {
  const questions = Array.isArray(config.questions) ? config.questions : [];
  if (questions.length === 0) return [];
  const rows = questions.map((q) => {
    const how = q.manual ? "graded by a TA" : "autograded";
    return `| ${String(q.title ?? q.id).replace(/\|/g, "\\|")} | ${q.points ?? ""} | ${how} |`;
  });
  return ["## Questions", "", "| question | points | |", "| --- | ---: | --- |", ...rows, ""];
}

export function studentReadme(config: AssignmentConfig, files: string[]): string {
  const title = config.title ?? config.id;
  const work = config.notebook ? [config.notebook] : config.sources ?? [];
  const due = typeof config.due === "string" ? `Due: **${config.due}**.\n` : "";
  const hasTests = files.some((f) => f.startsWith("tests/public/"));
  return [
    `# ${title}`,
    "",
    due,
    "## Set up (once)",
    "",
    "You need Node.js 20 or newer and Jupyter (JupyterLab or Notebook). In this folder run:",
    "",
    "```sh",
    "npm install                  # installs gradlab, the library and the kernel",
    "npx gradlab kernel install   # registers the \"TypeScript (gradlab)\" kernel with Jupyter",
    "```",
    "",
    "## Work",
    "",
    config.notebook
      ? `Open \`${config.notebook}\` in Jupyter (\`jupyter lab ${config.notebook}\`) and pick the kernel **TypeScript (gradlab)** if Jupyter asks.`
      : `Edit ${work.map((f) => `\`${f}\``).join(", ")}.`,
    'Replace each `throw new Error("not implemented yet: ...")` with your code. Leave the other cells as they',
    "are: the grader uses its own copy of the provided cells, and the test cells only check your work.",
    "Answers to written questions go in the cells that say YOUR ANSWER HERE.",
    "",
    "## Check",
    "",
    "```sh",
    "npx gradlab check",
    "```",
    "",
    hasTests
      ? "runs the visible tests (in `tests/public/`) the way the grader will. The grader also runs hidden tests, so passing these is a good sign, not the final score."
      : "runs your code the way the grader will.",
    "",
    ...questionLines(config),
    "## Submit",
    "",
    config.notebook
      ? `Upload \`${config.notebook}\` (saved, with your answers) to Gradescope. One notebook only; a .zip holding it works too.`
      : `Upload ${work.map((f) => `\`${f}\``).join(", ")} (or a .zip of this folder) to Gradescope.`,
    "",
  ].join("\n");
}
