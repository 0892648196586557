/** Known-answer checks used by the notebooks: what passes, what stops the notebook, and the ✓ line printed. */
import { assertAtLeast, assertClose } from "gradlab";

function printed(run: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe("assertClose", () => {
  test("prints only the digits the tolerance vouches for", () => {
    expect(printed(() => assertClose("f", 11.652071455223084, 11.65207, 1e-6))).toEqual(["✓ f = 11.652"]);
    expect(printed(() => assertClose("dx", -4.000000000001, -4))).toEqual(["✓ dx = -4"]);
    expect(printed(() => assertClose("pi", Math.PI, 3.14159265358979))).toEqual(["✓ pi = 3.141593"]);
    expect(printed(() => assertClose("w", 1e-12, 0, 1e-9))).toEqual(["✓ w ≈ 0 (within 1e-9)"]);
  });

  test("the tolerance is relative to the expected value, absolute below 1", () => {
    expect(() => printed(() => assertClose("big", 1000.5, 1000, 1e-3))).not.toThrow();
    expect(() => assertClose("big", 1002, 1000, 1e-3)).toThrow("big: computed 1002, expected 1000 (relative tolerance 0.001)");
    expect(() => assertClose("small", 0.002, 0, 1e-3)).toThrow(/small: computed 0.002, expected 0/);
  });

  test("NaN never passes, and a bad tolerance is named", () => {
    expect(() => assertClose("score", NaN, 1)).toThrow(/score: computed NaN/);
    expect(() => assertClose("score", 1, 1, -1)).toThrow(/tolerance must be a number ≥ 0, got -1/);
  });
});

describe("assertAtLeast", () => {
  test("prints the measured value and the bound that held", () => {
    expect(printed(() => assertAtLeast("test accuracy", 0.97333333, 0.9))).toEqual(["test accuracy: 0.9733\n✓ test accuracy ≥ 0.9"]);
  });
  test("falls short with the numbers", () => {
    expect(() => assertAtLeast("test accuracy", 0.5, 0.9)).toThrow("test accuracy: got 0.5, expected at least 0.9");
    expect(() => assertAtLeast("x", NaN, 0)).toThrow(/got NaN/);
  });
});
