/**
 * The reports of a submission that could not be read (not a notebook, a broken zip, two notebooks in one
 * zip): score 0 and the reason, in the same three files a graded submission gets, so a student, an LMS
 * upload and Gradescope find them where every other student's are.
 */
import { totalPoints, type AssignmentConfig } from "../config/assignment";
import { html, mdText } from "./escape";
import { htmlPage } from "./page";

/** The reason as a student may see it: the grading machine's folders taken out of any path in it. */
function studentReason(error: string): string {
  return error.replace(/(^|[\s"'(])(?:\/[^\s/:"']+)+\/([^\s/:"']+)/g, "$1$2"); // absolute paths only
}

function sentence(error: string): string {
  return `Your submission could not be graded: ${studentReason(error)}. Submit the assignment's .ipynb notebook (or a .zip holding it); the course staff can see the details.`;
}

/** results.json in Gradescope's format: 0 points, the reason as the output, no tests. */
export function unreadableResults(error: string): object {
  return { score: 0, output: mdText(sentence(error)), output_format: "md", stdout_visibility: "hidden", tests: [] };
}

export function unreadableMarkdown(id: string, error: string, assignment: AssignmentConfig): string {
  return `# ${mdText(assignment.title)}: could not be graded\n\nStudent ${mdText(id)}: 0 / ${totalPoints(assignment)}.\n\n${mdText(sentence(error))}\n`;
}

export function unreadableHtml(id: string, error: string, assignment: AssignmentConfig): string {
  return htmlPage({
    title: `${assignment.title}: could not be graded`,
    css: "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}.why{border-left:4px solid #c0392b;padding:.5rem 1rem;background:#fdf2f2}",
    body: [
      `<h1>${html(assignment.title)}</h1>`,
      `<p class="total">Could not be graded. Student ${html(id)}: 0 / ${totalPoints(assignment)}.</p>`,
      `<p class="why">${html(sentence(error))}</p>`,
    ],
  });
}
