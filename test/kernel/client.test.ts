/** The Node kernel client against a minimal echo kernel (fixtures/echo-kernel.js): launch, execute, heartbeat, shutdown. */
import { join } from "path";
import { KernelClient } from "../../kernel/client";

const echoKernel = [process.execPath, join(__dirname, "fixtures", "echo-kernel.js"), "{connection_file}"];

describe("KernelClient against an echo kernel", () => {
  let client: KernelClient;
  beforeAll(async () => {
    client = await KernelClient.launch({ argv: echoKernel });
  });
  afterAll(async () => {
    client.kill();
    await client.close();
  });

  test("execute collects the reply and this request's outputs in order", async () => {
    const seen: string[] = [];
    const { reply, outputs } = await client.execute("hello", { onOutput: (m) => seen.push(m.header.msg_type) });
    expect(reply.status).toBe("ok");
    expect(reply.execution_count).toBe(1);
    expect(outputs.map((m) => m.header.msg_type)).toEqual(["stream", "execute_result"]);
    expect(outputs[0].content.text).toBe("hello");
    expect(outputs[1].content.data["text/plain"]).toBe("HELLO");
    expect(seen).toEqual(["stream", "execute_result"]);
  });

  test("concurrent requests are matched to their own replies", async () => {
    const results = await Promise.all(["a", "b", "c"].map((code) => client.execute(code)));
    expect(results.map((r) => r.outputs[0].content.text)).toEqual(["a", "b", "c"]);
    expect(results.map((r) => r.reply.execution_count)).toEqual([2, 3, 4]);
  });

  test("heartbeat echoes", async () => {
    expect(await client.heartbeat()).toBe(true);
    expect(await client.heartbeat()).toBe(true);
  });

  test("shutdown waits for the process to exit and later requests fail clearly", async () => {
    expect(client.alive).toBe(true);
    await client.shutdown();
    expect(client.alive).toBe(false);
    expect((await client.exited).code).toBe(0);
    await expect(client.execute("late")).rejects.toThrow(/kernel exited/);
    expect(client.wireErrors).toEqual([]);
  });
});

describe("KernelClient launch failures", () => {
  test("a kernel that exits at once is reported with its output", async () => {
    const argv = [process.execPath, "-e", "console.error('boom: no kernel here'); process.exit(3)", "{connection_file}"];
    await expect(KernelClient.launch({ argv, startupTimeoutMs: 5000 })).rejects.toThrow(/exited \(code 3.*boom: no kernel here/s);
  });
});
