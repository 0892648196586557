/**
 * The class reports in a browser: summary.html and a student's feedback.html opened from disk in headless
 * Chromium show no console error, fetch nothing (every request but the page itself is a failure), and the
 * score histogram is drawn (an SVG with bars, visibly sized). Screenshots are kept in test-artifacts/.
 * Needs Chromium (mandatory under GRADLAB_FULL=1).
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";
import { loadAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { collectSubmissions } from "../../grader/batch/collect";
import { gradeClass } from "../../grader/batch/run";
import { writeClassReports } from "../../grader/class-report/write";
import { CHROMIUM, describeWith, requirements } from "../support/requirements";
import { MISTAKES, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, "..", "..", "test-artifacts");

describeWith([requirements.chromium], "class reports in headless Chromium", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  let out: string;

  beforeAll(async () => {
    const dir = writeMiniAssignment(join(tempDir("class-browser"), "mini"));
    const subs = join(tempDir("class-browser-subs"), "class");
    mkdirSync(subs);
    for (const name of ["perfect", "multiply-no-switch", "max-to-both", "affine-no-transpose", "no-broadcast-sum", "syntax-error", "stubs"]) {
      writeFileSync(join(subs, `${name}.ipynb`), notebook(MISTAKES[name].cells));
    }
    out = join(tempDir("class-browser-out"), "reports");
    const assignment = loadAssignment(dir);
    await gradeClass(assignment, collectSubmissions([subs]), sandboxFactory(), { out, jobs: 2 });
    await writeClassReports(out, assignment.config);
    mkdirSync(ARTIFACTS, { recursive: true });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(async () => { await browser?.close(); });

  async function open(file: string, screenshot: string) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [], requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on("console", (m: { type(): string; text(): string }) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e: Error) => problems.push(e.message));
    page.on("request", (r: { url(): string }) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, { waitUntil: "load" });
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
    return { page, problems, requests };
  }

  test("summary.html: no console errors, no requests, the histogram drawn", async () => {
    const { page, problems, requests } = await open(join(out, "summary.html"), "class-summary.png");
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const box = await page.locator("#histogram svg").boundingBox();
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThan(150);
    // Bars with a height: Vega draws rect marks as paths in a group with the mark's role.
    const bars = await page.locator("#histogram svg .mark-rect path").count();
    expect(bars).toBeGreaterThan(0);
    expect(await page.locator("#pass-rates svg").count()).toBe(1);
    expect(await page.locator("#mistakes svg").count()).toBe(1);
    await page.close();
  });

  test("a student's feedback.html: no console errors, no requests", async () => {
    const { page, problems, requests } = await open(join(out, "max-to-both", "feedback.html"), "class-feedback.png");
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await expect(page.locator("h1").innerText()).resolves.toMatch(/Mini assignment/);
    await page.close();
  });
});
