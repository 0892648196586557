/** `gradlab demo` prints the lecture's examples with the right numbers. */
import { main } from "../../bin/demo";

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, text: lines.join("\n") };
}

test("prints every example with its values and gradients", async () => {
  const { code, text } = await run([]);
  expect(code).toBe(0);
  expect(text).toContain("f = -12;  ∂f/∂x = -4,  ∂f/∂y = -4,  ∂f/∂z = 3");
  expect(text).toContain("f = -20;  ∂f/∂x = -8,  ∂f/∂y = 6,  ∂f/∂z = 2,  ∂f/∂w = 0");
  expect(text).toContain("f = 11.6521;  ∂f/∂x1 = 1/x1 + x2 = 5.5,  ∂f/∂x2 = x1 - cos(x2) = 1.7163");
  expect(text).toContain("direction (0, 1): f = 11.6521, tangent ∂f/∂x2 = 1.7163");
  expect(text).toMatch(/cat\s+score\s+-96\.8/);
  expect(text).toMatch(/dog\s+score\s+437\.9/);
  expect(text).toMatch(/ship\s+score\s+60\.75/);
  // The step-by-step trace of the first circuit.
  expect(text).toContain("at f      upstream    1   local [∂f/∂q = -4, ∂f/∂z = 3]   → q ← -4, z ← 3");
  expect(text).toContain("two    = constant");
});

test("--no-trace prints results only; unknown options are refused", async () => {
  const { text } = await run(["--no-trace"]);
  expect(text).not.toContain("backward pass (reverse order");
  expect(text).toContain("f = -12;");
  const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
  expect((await run(["--bogus"])).code).toBe(2);
  expect(spy.mock.calls[0][0]).toContain("unknown option '--bogus'");
  spy.mockRestore();
});
