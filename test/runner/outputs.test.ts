import { DisplayRegistry, OutputCollector } from "../../kernel/runner/outputs";

const stream = (name: string, text: string) => ({ msg_type: "stream", content: { name, text } });
const display = (html: string, displayId?: string, type = "display_data") => ({
  msg_type: type,
  content: { data: { "text/html": html }, metadata: {}, transient: displayId ? { display_id: displayId } : {} },
});

describe("collecting a cell's outputs from iopub messages", () => {
  test("consecutive streams of one name merge; a different stream or output starts a new one", () => {
    const c = new OutputCollector(new DisplayRegistry());
    for (const m of [stream("stdout", "a"), stream("stdout", "b\n"), stream("stderr", "e"), stream("stdout", "c"), display("<b/>"), stream("stdout", "d")]) c.handle(m);
    expect(c.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "e" },
      { output_type: "stream", name: "stdout", text: "c" },
      { output_type: "display_data", data: { "text/html": "<b/>" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: "d" },
    ]);
  });

  test("clear_output empties at once; with wait=true only when the next output arrives", () => {
    const c = new OutputCollector(new DisplayRegistry());
    c.handle(stream("stdout", "old"));
    c.handle({ msg_type: "clear_output", content: { wait: false } });
    expect(c.outputs).toEqual([]);
    c.handle(display("<i>1</i>"));
    c.handle({ msg_type: "clear_output", content: { wait: true } });
    expect(c.outputs).toHaveLength(1);
    c.handle(stream("stdout", "x"));
    expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "x" }]);
  });

  test("a stream after clear_output(wait) does not merge into the cleared stream", () => {
    const c = new OutputCollector(new DisplayRegistry());
    c.handle(stream("stdout", "epoch 1\n"));
    c.handle({ msg_type: "clear_output", content: { wait: true } });
    c.handle(stream("stdout", "epoch 2\n"));
    expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "epoch 2\n" }]);
  });

  test("update_display_data rewrites every output with that display_id, in earlier cells too", () => {
    const displays = new DisplayRegistry();
    const first = new OutputCollector(displays);
    first.handle(display("<p>loss 1.0</p>", "chart"));
    first.handle(display("<p>other</p>", "other"));
    const second = new OutputCollector(displays);
    second.handle(display("<p>loss 1.0</p>", "chart"));
    second.handle(display("<p>loss 0.1</p>", "chart", "update_display_data"));
    expect(first.outputs[0]).toMatchObject({ data: { "text/html": "<p>loss 0.1</p>" } });
    expect(first.outputs[1]).toMatchObject({ data: { "text/html": "<p>other</p>" } });
    expect(second.outputs).toHaveLength(1);
    expect(second.outputs[0]).toMatchObject({ data: { "text/html": "<p>loss 0.1</p>" } });
  });

  test("execute_result keeps its count; errors keep ename, evalue and traceback", () => {
    const c = new OutputCollector(new DisplayRegistry());
    c.handle({ msg_type: "execute_input", content: { code: "1", execution_count: 7 } });
    c.handle({ msg_type: "execute_result", content: { execution_count: 7, data: { "text/plain": "2" }, metadata: {} } });
    c.handle({ msg_type: "error", content: { ename: "RangeError", evalue: "too far", traceback: ["RangeError: too far", "    at cell:1"] } });
    c.handle({ msg_type: "status", content: { execution_state: "idle" } });
    expect(c.executionCount).toBe(7);
    expect(c.outputs).toEqual([
      { output_type: "execute_result", execution_count: 7, data: { "text/plain": "2" }, metadata: {} },
      { output_type: "error", ename: "RangeError", evalue: "too far", traceback: ["RangeError: too far", "    at cell:1"] },
    ]);
    expect(c.hasError()).toBe(true);
  });
});
