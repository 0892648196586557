/**
 * Correctly signed but malformed messages (a header that is null, a string or an array; parts that are
 * not objects) are dropped with a log line: they neither kill the kernel nor get echoed as a parent_header.
 * Runs the compiled kernel (dist/kernel/main.js): `npm run build` first.
 */
import * as zmq from "zeromq";
import { KernelClient } from "../../kernel/client";
import { endpoint } from "../../kernel/protocol/connection";
import { deserialize, DELIMITER, serialize, Signer, WireError, buildMessage } from "../../kernel/protocol/message";

const signer = new Signer("secret");
/** Signed frames whose four JSON parts are exactly these values. */
function framesOf(header: unknown, parent: unknown = {}, metadata: unknown = {}, content: unknown = {}): Buffer[] {
  const parts = [header, parent, metadata, content].map((p) => JSON.stringify(p));
  return [Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts.map((p) => Buffer.from(p))];
}
const goodHeader = buildMessage("kernel_info_request", {}, "s").header;

describe("deserialize checks the structure of a signed message", () => {
  test.each([
    ["a null header", [null]],
    ["a string header", ["kernel_info_request"]],
    ["an array header", [[1, 2]]],
    ["a header without msg_type", [{ ...goodHeader, msg_type: undefined }]],
    ["a header whose msg_id is a number", [{ ...goodHeader, msg_id: 7 }]],
    ["a string parent_header", [goodHeader, "x"]],
    ["null metadata", [goodHeader, {}, null]],
    ["array content", [goodHeader, {}, {}, []]],
  ])("%s is a WireError", (_what, parts) => {
    expect(() => deserialize(framesOf(...(parts as [unknown])), signer)).toThrow(WireError);
  });
  test("a well-formed message passes", () => {
    const msg = deserialize(serialize(buildMessage("kernel_info_request", {}, "s"), signer).map((f) => Buffer.from(f)), signer);
    expect(msg.header.msg_type).toBe("kernel_info_request");
  });
});

describe("a running kernel", () => {
  let kernel: KernelClient;
  beforeAll(async () => { kernel = await KernelClient.launch(); }, 60_000);
  afterAll(async () => {
    if (kernel.alive) await kernel.shutdown();
    await kernel.close();
  });

  test("drops malformed signed messages with a log line and keeps working", async () => {
    const info = kernel.connection;
    const own = new Signer(info.key, info.signature_scheme);
    const raw = new zmq.Dealer({ linger: 0 });
    raw.connect(endpoint(info, "shell"));
    try {
      for (const header of [null, "kernel_info_request", ["kernel_info_request"]]) {
        const parts = [header, {}, {}, {}].map((p) => JSON.stringify(p));
        await raw.send([DELIMITER, own.sign(parts), ...parts]);
      }
      const reply = await kernel.request("shell", "kernel_info_request", {});
      expect(reply.content.status).toBe("ok");
      const r = await kernel.execute("6 * 7");
      expect(r.reply.status).toBe("ok");
      expect(kernel.alive).toBe(true);
      // The kernel says why it dropped each one.
      const deadline = Date.now() + 20_000;
      while ((kernel.stderr.match(/dropped message/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(kernel.stderr).toMatch(/shell: dropped message: message header is null, not an object/);
      expect(kernel.stderr).toMatch(/shell: dropped message: message header is a string, not an object/);
      expect(kernel.stderr).toMatch(/shell: dropped message: message header is an array, not an object/);
    } finally {
      raw.close();
    }
  }, 60_000);
});
