/** What a clone holds for its readers: the license package.json names, and README links that resolve inside the clone. */
import { existsSync, readFileSync } from "fs";
import { dirname, join, resolve } from "path";

const root = resolve(__dirname, "../..");

test("LICENSE holds the MIT text that package.json declares", () => {
  expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).license).toBe("MIT");
  const text = readFileSync(join(root, "LICENSE"), "utf8");
  expect(text).toMatch(/^MIT License/);
  expect(text).toContain("the gradlab authors");
  expect(text).toContain("Permission is hereby granted, free of charge");
});

test.each(["README.md", "docs/design.md"])("every relative link in %s points to a file in the clone", (page) => {
  const text = readFileSync(join(root, page), "utf8");
  const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
  const missing = targets.filter((t) => !existsSync(resolve(root, dirname(page), t)));
  expect(missing).toEqual([]);
  expect(text).not.toContain("../shared/");
});
