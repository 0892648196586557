/**
 * Temporary folders for tests that are removed again: a test run must leave nothing in the system's temp
 * folder (a machine that runs `npm test` all day would otherwise collect hundreds of folders).
 *
 * Importing this module registers an afterAll in the importing test file that removes every folder
 * tempDir made for it (jest loads modules afresh for each test file, so each file cleans up its own).
 * Make folders in hooks or tests, not while describe blocks are collected: jest runs no hooks in a file
 * whose tests are all skipped, so a folder made at collection time would outlive a skipped run.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const made: string[] = [];

/** A fresh folder /tmp/gradlab-<prefix>-XXXXXX, removed with its contents after this test file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gradlab-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes the folders made so far (the afterAll below does this; call it for earlier cleanup). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

afterAll(removeTempDirs);
