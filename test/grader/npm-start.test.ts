/**
 * The README's main job: `npm start` releases Assignment 1, grades its example submissions as a class and
 * prints the class table (each example's automatic points as its .expected.json says) and the path of
 * summary.html. It writes into dist/ (git-ignored), as it does for a user.
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";

jest.setTimeout(600_000);

const ROOT = join(__dirname, "..", "..");
const EXAMPLES = join(ROOT, "assignments", "assignment1", "examples");

test("npm start prints the class table of Assignment 1's example submissions and the path of summary.html", () => {
  const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["start", "--silent"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm start failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split("\n");
  const header = lines.findIndex((l) => /^student\s+gates-scalar/.test(l));
  expect(header).toBeGreaterThanOrEqual(0);
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".expected.json"))) {
    const expected = JSON.parse(readFileSync(join(EXAMPLES, file), "utf8"));
    const row = lines.slice(header + 2).find((l) => l.startsWith(`${expected.example} `));
    expect(row).toBeDefined();
    expect(row).toMatch(new RegExp(`\\s${expected.autograded}/100\\s`));
    // The two written questions wait for a TA: "-", not 0.
    expect(row!.split(/\s+/).filter((c) => c === "-")).toHaveLength(2);
  }
  const summary = /class summary: (\S+summary\.html)/.exec(r.stdout)?.[1];
  expect(summary).toBeDefined();
  expect(existsSync(join(ROOT, summary!))).toBe(true);
});
