/**
 * The Node kernel client against a minimal echo kernel (fixtures/echo-kernel.js): launch, execute,
 * heartbeat, shutdown, and the connection file's life (it must never outlive its kernel in the temp folder).
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import os = require("os");
import { tmpdir } from "os";
import { join } from "path";
import { KernelClient } from "../../kernel/client";

const echoKernel = [process.execPath, join(__dirname, "fixtures", "echo-kernel.js"), "{connection_file}"];

/**
 * Runs `job` with os.tmpdir() answering a fresh folder (so the client's connection files land there) and
 * returns what is left in that folder afterwards. A spy, not TMPDIR: jest gives the test its own copy of
 * process.env, which the real os module never sees.
 */
async function leftInTemp(job: (dir: string) => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-client-temp-"));
  let spy: jest.SpyInstance | null = null;
  try {
    spy = jest.spyOn(os, "tmpdir").mockReturnValue(dir);
    await job(dir);
    return readdirSync(dir);
  } finally {
    spy?.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
}

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
    expect(existsSync(client.connectionFilePath!)).toBe(true);
    await client.shutdown();
    expect(client.alive).toBe(false);
    expect((await client.exited).code).toBe(0);
    expect(existsSync(client.connectionFilePath!)).toBe(false);
    await expect(client.execute("late")).rejects.toThrow(/kernel exited/);
    expect(client.wireErrors).toEqual([]);
  });
});

describe("KernelClient launch failures", () => {
  test("a kernel that exits at once is reported with its output, and leaves no connection file", async () => {
    const argv = [process.execPath, "-e", "console.error('boom: no kernel here'); process.exit(3)", "{connection_file}"];
    const left = await leftInTemp(async () => {
      await expect(KernelClient.launch({ argv, startupTimeoutMs: 5000 })).rejects.toThrow(/exited \(code 3.*boom: no kernel here/s);
    });
    expect(left).toEqual([]);
  });

  test("a program that does not exist leaves no connection file", async () => {
    const left = await leftInTemp(async () => {
      await expect(KernelClient.launch({ argv: ["/nonexistent/gradlab-kernel", "{connection_file}"], startupTimeoutMs: 5000 }))
        .rejects.toThrow(/spawn \/nonexistent\/gradlab-kernel failed/);
    });
    expect(left).toEqual([]);
  });

  test("an argv that spawn refuses outright (a NUL byte) leaves no connection file", async () => {
    const left = await leftInTemp(async () => {
      await expect(KernelClient.launch({ argv: [process.execPath, "bad\0arg", "{connection_file}"] })).rejects.toThrow(/null bytes/);
    });
    expect(left).toEqual([]);
  });

  test("a kernel that never answers times out and leaves no connection file", async () => {
    const argv = [process.execPath, "-e", "setTimeout(() => {}, 60000)", "{connection_file}"];
    const left = await leftInTemp(async () => {
      await expect(KernelClient.launch({ argv, startupTimeoutMs: 1000 })).rejects.toThrow(/no kernel_info reply/);
    });
    expect(left).toEqual([]);
  });
});

describe("KernelClient connection file", () => {
  test("is removed when the kernel process dies, before anyone calls close()", async () => {
    const left = await leftInTemp(async () => {
      const client = await KernelClient.launch({ argv: echoKernel });
      try {
        const file = client.connectionFilePath!;
        expect(existsSync(file)).toBe(true);
        client.kill();
        expect((await client.exited).signal).toBe("SIGKILL");
        expect(existsSync(file)).toBe(false);
      } finally {
        await client.close();
      }
    });
    expect(left).toEqual([]);
  });

  test("is written again for the new process on restart, and removed once that one exits", async () => {
    const left = await leftInTemp(async () => {
      const client = await KernelClient.launch({ argv: echoKernel });
      try {
        const file = client.connectionFilePath!;
        const firstPid = client.pid;
        await client.shutdown({ restart: true });
        expect(client.pid).not.toBe(firstPid);
        expect(existsSync(file)).toBe(true);
        expect((await client.execute("again")).outputs[0].content.text).toBe("again");
        await client.shutdown();
        expect(existsSync(file)).toBe(false);
      } finally {
        client.kill();
        await client.close();
      }
    });
    expect(left).toEqual([]);
  });

  // A script that launches a kernel and ends without close(): process.exit, or an uncaught exception.
  test.each([
    ["calls process.exit", "process.exit(0);"],
    ["dies of an uncaught exception", "throw new Error('script failed');"],
  ])("is removed when the client process %s without close()", async (_how, ending) => {
    const clientJs = join(__dirname, "..", "..", "dist", "kernel", "client", "client.js");
    const script = `
      const { KernelClient } = require(${JSON.stringify(clientJs)});
      KernelClient.launch({ argv: ${JSON.stringify(echoKernel)} }).then((c) => {
        console.log(JSON.stringify({ file: c.connectionFilePath, pid: c.pid }));
        ${ending}
      });`;
    let kernelPid: number | null = null;
    try {
      const left = await leftInTemp(async (dir) => {
        const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, TMPDIR: dir }, timeout: 30000 });
        const launched = JSON.parse(r.stdout.trim().split("\n")[0]) as { file: string; pid: number };
        kernelPid = launched.pid;
        expect(launched.file.startsWith(dir)).toBe(true);
        expect(existsSync(launched.file)).toBe(false);
      });
      expect(left).toEqual([]);
    } finally {
      // The echo kernel does not watch its parent; a real kernel does (JPY_PARENT_PID, checked below).
      if (kernelPid !== null) {
        try {
          process.kill(kernelPid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
  });

  test("a gradlab kernel whose client process ended without close() exits by itself", async () => {
    const clientJs = join(__dirname, "..", "..", "dist", "kernel", "client", "client.js");
    const script = `
      const { KernelClient } = require(${JSON.stringify(clientJs)});
      KernelClient.launch().then((c) => { console.log(c.pid); process.exit(0); });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30000 });
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const running = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      const deadline = Date.now() + 10_000; // the kernel looks for its parent every 2 s
      while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(running()).toBe(false);
    } finally {
      if (running()) process.kill(pid, "SIGKILL");
    }
  }, 20_000);

  test("the kernel learns its parent's pid (JPY_PARENT_PID), so it can exit when the client is gone", async () => {
    const argv = [process.execPath, "-e", "console.log('parent=' + process.env.JPY_PARENT_PID); process.exit(5)", "{connection_file}"];
    await expect(KernelClient.launch({ argv, startupTimeoutMs: 5000 })).rejects.toThrow(new RegExp(`parent=${process.pid}\\b`));
  });
});
