/**
 * Notebook 10 trains with `await trainer.trainAsync()`, so its loss chart is redrawn in place
 * (update_display_data) while the training runs, not all at once when the cell ends. Runs the
 * notebook's cells up to the training with the embedded kernel and times the updates.
 */
import { join } from "path";
import { KernelClient } from "../../kernel/client";
import { joined, NOTEBOOKS, readNotebook } from "./support";

const NOTEBOOK = join(NOTEBOOKS, "10-neural-network-playground.ipynb");

test("the playground's loss chart updates live, once per epoch, while training runs", async () => {
  const code = readNotebook(NOTEBOOK).cells.filter((c) => c.cell_type === "code").map((c) => joined(c.source));
  const training = code.findIndex((src) => src.includes("trainer.trainAsync()"));
  expect(training).toBeGreaterThan(0);

  const client = await KernelClient.launch({ cwd: NOTEBOOKS, startupTimeoutMs: 30000 });
  try {
    for (const src of code.slice(0, training)) expect((await client.execute(src, { timeoutMs: 120000 })).reply.status).toBe("ok");
    const updates: { at: number; points: number }[] = [];
    let firstDisplay = 0;
    const started = Date.now();
    const { reply } = await client.execute(code[training], {
      timeoutMs: 120000,
      onOutput: (msg) => {
        const data = (msg.content as { data?: Record<string, string> }).data;
        if (msg.header.msg_type === "display_data" && !firstDisplay) firstDisplay = Date.now();
        const m = /^loss curve: (\d+) points/.exec(data?.["text/plain"] ?? "");
        if (msg.header.msg_type === "update_display_data" && m) updates.push({ at: Date.now(), points: Number(m[1]) });
      },
    });
    const finished = Date.now();
    expect(reply.status).toBe("ok");
    // One redraw per epoch: 20 epochs of 20 mini-batches.
    expect(updates.map((u) => u.points)).toEqual(Array.from({ length: 20 }, (_, i) => 20 * (i + 1)));
    // Live: the redraws are spread over the training, not sent in a burst when the cell ends
    // (with the synchronous train() all twenty arrive within the last few percent of the cell's time).
    const spread = updates[updates.length - 1].at - updates[0].at;
    expect(spread / (finished - (firstDisplay || started))).toBeGreaterThan(0.5);
  } finally {
    await client.shutdown().catch(() => client.kill());
    await client.close();
  }
}, 120000);
