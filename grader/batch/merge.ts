/**
 * `gradlab grade merge`: the run folders of several shards (--shard i/n) into one, as if one run had
 * graded everyone: each student's reports re-rendered from their grade.json, then the class files.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "fs";
import { join } from "path";
import { parseAssignmentConfig, type AssignmentConfig } from "../config/assignment";
import { withManual, type ManualScores } from "./manual";
import { readAllStored, writeStudent, type StoredGrade } from "./store";
import { writeClassReports } from "../class-report/write";

export const RUN_CONFIG = "assignment.json";

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

export function readRunConfig(dir: string): AssignmentConfig {
  const file = join(dir, RUN_CONFIG);
  if (!existsSync(file)) throw new MergeError(`${dir} is not a gradlab grade output folder (no ${RUN_CONFIG})`);
  return parseAssignmentConfig(JSON.parse(readFileSync(file, "utf8")), file);
}

export async function mergeRuns(dirs: string[], out: string, opts: { manual?: ManualScores } = {}) {
  if (dirs.length === 0) throw new MergeError("give at least one run folder");
  const config = readRunConfig(dirs[0]);
  const configText = readFileSync(join(dirs[0], RUN_CONFIG), "utf8");
  const all = new Map<string, { stored: StoredGrade; from: string }>();
  let version: string | undefined;
  for (const dir of dirs) {
    if (readFileSync(join(dir, RUN_CONFIG), "utf8") !== configText) throw new MergeError(`${dir} was graded with another assignment.json than ${dirs[0]}`);
    for (const s of readAllStored(dir)) {
      const v = s.result?.assignment.version;
      if (v && version && v !== version) throw new MergeError(`${dir}/${s.id} was graded with assignment version ${v}, others with ${version}`);
      version ??= v;
      const seen = all.get(s.id);
      if (seen) throw new MergeError(`${s.id} is in both ${seen.from} and ${dir}`);
      all.set(s.id, { stored: s, from: dir });
    }
  }
  mkdirSync(out, { recursive: true });
  copyFileSync(join(dirs[0], RUN_CONFIG), join(out, RUN_CONFIG));
  const stored: StoredGrade[] = [];
  for (const { stored: s } of [...all.values()].sort((a, b) => (a.stored.id < b.stored.id ? -1 : 1))) {
    const mine = opts.manual?.get(s.id);
    const merged: StoredGrade = opts.manual ? { ...s, manual: mine && mine.size ? Object.fromEntries([...mine].sort(([a], [b]) => a.localeCompare(b))) : undefined } : s;
    writeStudent(out, merged, merged.result && withManual(merged.result, new Map(Object.entries(merged.manual ?? {}))), config);
    stored.push(merged);
  }
  return { config, ...(await writeClassReports(out, config, stored)) };
}
