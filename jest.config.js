/** Tests run from TypeScript sources through ts-jest; processes a test spawns (kernel, CLI) use dist/. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
  },
  moduleNameMapper: {
    "^gradlab$": "<rootDir>/lib/index.ts",
  },
  testTimeout: 30000,
};
