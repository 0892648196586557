"""Measures the conformance table of docs/kernel.md: the gradlab kernel and tslab's own kernel, side by side.

Two parts, both through Jupyter's own client library (jupyter_client), not through gradlab's client:
1. jupyter_kernel_test's KernelTests (the samples of kernel_conformance.py; for tslab its own display API,
   `tslab.display.html`), per test: passed, failed (with the reason) or skipped;
2. probes for what that suite does not reach: stop_on_error, the cell sent right after an error,
   history, comms, interrupt by message and by signal, restart, heartbeat while busy, display updates,
   stdin, ESM-only imports. Each prints what the kernel actually did.

Usage (from the repository root, after `npm run build`):
    /usr/bin/python3 test/kernel/compare_kernels.py [--only gradlab|tslab] > table.md
Needs Debian's python3-jupyter-client and python3-jupyter-kernel-test. Takes about two minutes.
"""
import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOTEBOOK_DIR = os.path.join(HERE, "fixtures", "notebook")


def install_kernelspecs(prefix):
    """gradlab through its own installer; tslab as its installer would (python/install.py), minus the PATH lookup."""
    subprocess.run(["node", os.path.join(ROOT, "bin", "gradlab.js"), "kernel", "install", "--prefix", prefix],
                   check=True, stdout=subprocess.DEVNULL)
    spec = os.path.join(prefix, "share", "jupyter", "kernels", "tslab")
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({
            "argv": ["node", os.path.join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel",
                     "--config-path", "{connection_file}"],
            "display_name": "TypeScript (tslab)",
            "language": "typescript",
        }, f)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


# ---------------------------------------------------------------------------------------------------------
# Part 1: jupyter_kernel_test

class Collect(unittest.TestResult):
    """Keeps one line per test (subtests folded into their test): passed, failed: reason, skipped."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}

    @staticmethod
    def name(test):
        test = getattr(test, "test_case", test)
        return test._testMethodName

    def note(self, test, outcome):
        name = self.name(test)
        if self.outcomes.get(name, "passed") == "passed" or outcome != "passed":
            self.outcomes.setdefault(name, outcome)
            if outcome != "passed" and self.outcomes[name] == "passed":
                self.outcomes[name] = outcome

    def addSuccess(self, test):
        self.note(test, "passed")

    def addFailure(self, test, err):
        self.note(test, "FAILED: " + reason(err))

    def addError(self, test, err):
        self.note(test, "ERROR: " + reason(err))

    def addSkip(self, test, why):
        self.note(test, "skipped" + (f": {why}" if why else ""))

    def addSubTest(self, test, subtest, err):
        if err is not None:
            prefix = "FAILED" if issubclass(err[0], AssertionError) else "ERROR"
            self.note(test, f"{prefix} ({subtest._subDescription().strip('()')}): " + reason(err))


def reason(err):
    kind, value, _ = err
    text = " ".join(str(value).split())
    return f"{kind.__name__}: {text[:160]}" if text else kind.__name__


def run_kernel_test_suite(kernel):
    sys.path.insert(0, HERE)
    import kernel_conformance

    if kernel == "gradlab":
        cls = kernel_conformance.GradlabKernelTests
    else:
        class TslabKernelTests(kernel_conformance.GradlabKernelTests):
            kernel_name = "tslab"
            # tslab's display functions live in its module; it has no pager and no clear_output.
            code_display_data = [
                {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>bold</b>")', "mime": "text/html"},
                {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("# Title")', "mime": "text/markdown"},
                {"code": 'import * as tslab from "tslab";\ntslab.display.svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>")', "mime": "image/svg+xml"},
            ]
            code_page_something = None
            code_clear_output = None
        cls = TslabKernelTests
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(cls)
    result = Collect()
    cwd = os.getcwd()
    os.chdir(NOTEBOOK_DIR)
    try:
        suite.run(result)
    finally:
        os.chdir(cwd)
    return result.outcomes


# ---------------------------------------------------------------------------------------------------------
# Part 2: probes

class Kernel:
    """One kernel through jupyter_client, restarted by the probes that end it."""

    def __init__(self, name):
        from jupyter_client.manager import KernelManager
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel(cwd=NOTEBOOK_DIR)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.drain()

    def drain(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.3)
            except queue.Empty:
                return

    def send_execute(self, code, **kw):
        return self.kc.execute(code, **kw)

    def reply(self, msg_id, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    def iopub_of(self, msg_id, timeout=5):
        """The request's iopub messages up to its idle status."""
        out, deadline = [], time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] != "status":
                out.append(msg)
        return out

    def run(self, code, timeout=20, **kw):
        msg_id = self.send_execute(code, **kw)
        reply = self.reply(msg_id, timeout)
        return reply, self.iopub_of(msg_id)

    def request(self, channel, msg_type, content, timeout=5):
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, channel + "_channel").send(msg)
        deadline = time.time() + timeout
        get = self.kc.get_control_msg if channel == "control" else self.kc.get_shell_msg
        while time.time() < deadline:
            try:
                reply = get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply
        return None

    def alive(self):
        return self.km.is_alive()

    def close(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)


def kinds(iopub):
    return [m["msg_type"] if m["msg_type"] != "stream" else f"stream({m['content']['name']})" for m in iopub]


def describe_reply(reply):
    if reply is None:
        return "no reply within the timeout"
    c = reply["content"]
    if c.get("status") == "error":
        return f"error {c.get('ename')}"
    return c.get("status", "?")


def probe_kernel_info(k, name):
    r = k.request("shell", "kernel_info_request", {})
    c = r["content"]
    li = c.get("language_info", {})
    return (f"status {c.get('status', 'missing')}, protocol {c.get('protocol_version')}, "
            f"language {li.get('name')} {li.get('version')}, file_extension {li.get('file_extension')}")


def probe_execute_result(k, name):
    reply, iopub = k.run("1 + 2")
    return f"{describe_reply(reply)}; iopub: {', '.join(kinds(iopub)) or 'nothing'}"


def probe_error(k, name):
    reply, iopub = k.run('throw new Error("boom")')
    c = reply["content"] if reply else {}
    errors = [m for m in iopub if m["msg_type"] == "error"]
    shape = "ename/evalue/traceback in reply" if all(key in c for key in ("ename", "evalue", "traceback")) else "reply without ename/evalue/traceback"
    return f"{describe_reply(reply)}; {shape}; iopub: {', '.join(kinds(iopub)) or 'nothing'}" + \
        (f" (traceback: {errors[0]['content']['traceback'][:2]})" if errors else "")


def probe_type_error(k, name):
    reply, iopub = k.run('const wrongType: number = "one";')
    c = reply["content"] if reply else {}
    return f"{describe_reply(reply)}: {c.get('evalue', '')[:90]!r}; iopub: {', '.join(kinds(iopub)) or 'nothing'}"


def probe_stop_on_error(k, name):
    first = k.send_execute('await new Promise((r) => setTimeout(r, 300));\nthrow new Error("stop")')
    queued = k.send_execute("'queued'")
    r1, r2 = k.reply(first), k.reply(queued)
    k.drain()
    first = k.send_execute('await new Promise((r) => setTimeout(r, 300));\nthrow new Error("go on")', stop_on_error=False)
    queued = k.send_execute("'queued'")
    s1, s2 = k.reply(first), k.reply(queued)
    k.drain()
    return f"queued cell after an error: {describe_reply(r2)}; with stop_on_error=False: {describe_reply(s2)}"


def probe_abort_window(k, name):
    reply, _ = k.run('throw new Error("first")')
    results = []
    for delay in (0.0, 0.1, 0.3):
        k.run('throw new Error("again")')
        time.sleep(delay)
        r, _ = k.run("'next'")
        results.append(f"{int(delay * 1000)} ms later: {describe_reply(r)}")
    return "; ".join(results)


def probe_complete(k, name):
    r = k.request("shell", "complete_request", {"code": "Math.SQRT", "cursor_pos": 9})
    return f"{r['content'].get('status')}, matches {sorted(r['content'].get('matches', []))[:3]}" if r else "no reply"


def probe_inspect(k, name):
    r = k.request("shell", "inspect_request", {"code": "Math.max", "cursor_pos": 8, "detail_level": 0})
    if not r:
        return "no reply"
    text = r["content"].get("data", {}).get("text/plain", "")
    return f"found {r['content'].get('found')}: {text.splitlines()[0][:60]!r}" if text else f"found {r['content'].get('found')}"


def probe_is_complete(k, name):
    out = []
    for code in ("1 + 1", "function f() {", "1 +* 2"):
        r = k.request("shell", "is_complete_request", {"code": code})
        c = r["content"] if r else {}
        out.append(f"{code!r}: {c.get('status', 'no reply')}" + (f" (indent {c['indent']!r})" if c.get("indent") else ""))
    return "; ".join(out)


def probe_history(k, name):
    k.run("const historyProbe = 1;")
    out = []
    for access, extra in (("tail", {"n": 1}), ("range", {"session": 0, "start": 0, "stop": 2}), ("search", {"pattern": "const*", "n": 1})):
        r = k.request("shell", "history_request", {"hist_access_type": access, "output": False, "raw": True, **extra})
        out.append(f"{access}: " + (f"{len(r['content'].get('history', []))} entries" if r else "no reply"))
    return "; ".join(out)


def probe_comm_info(k, name):
    r = k.request("shell", "comm_info_request", {})
    return f"{r['msg_type']} {json.dumps(r['content'])[:80]}" if r else "no reply"


def probe_comms(k, name):
    k.kc.shell_channel.send(k.kc.session.msg("comm_open", {"comm_id": "probe", "target_name": "probe.target", "data": {}}))
    time.sleep(0.3)
    listed = k.request("shell", "comm_info_request", {})
    k.kc.shell_channel.send(k.kc.session.msg("comm_close", {"comm_id": "probe", "data": {}}))
    time.sleep(0.3)
    after = k.request("shell", "comm_info_request", {})
    k.drain()
    shown = lambda r: json.dumps(r["content"].get("comms")) if r and "comms" in r["content"] else (r["msg_type"] if r else "no reply")
    return f"after comm_open: {shown(listed)}; after comm_close: {shown(after)}; alive {k.alive()}"


def probe_interrupt(k, name, by):
    k.run("let keptValue = 41;")
    msg_id = k.send_execute("while (true) {}")
    time.sleep(1.0)
    if by == "message":
        r = k.request("control", "interrupt_request", {})
        sent = f"interrupt_reply {r['content'].get('status')}" if r else "no interrupt_reply"
    else:
        os.kill(k.km.provisioner.process.pid, signal.SIGINT)
        sent = "SIGINT sent"
    reply = k.reply(msg_id, timeout=10)
    if not k.alive():
        return f"{sent}; the kernel died"
    if reply is None:
        k.km.restart_kernel(now=True)  # still spinning: the next probe needs a kernel that answers
        k.kc.wait_for_ready(timeout=60)
        return f"{sent}; the cell kept running (no reply in 10 s; the kernel had to be restarted)"
    time.sleep(0.5)  # past tslab's 200 ms abort window, so that the check is not aborted
    after, iopub = k.run("keptValue + 1", timeout=10)
    value = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
    stdout = [m["content"]["text"].strip() for m in iopub if m["msg_type"] == "stream"]
    return f"{sent}; cell: {describe_reply(reply)}; variables kept: {(value or stdout or ['?'])[0]}"


def probe_restart(k, name):
    k.run("(globalThis as any).restartMarker = 'kept';")
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=60)
    k.drain()
    reply, iopub = k.run("String((globalThis as any).restartMarker)")
    value = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
    stdout = [m["content"]["text"].strip() for m in iopub if m["msg_type"] == "stream"]
    seen = (value or stdout or ["?"])[0]
    return f"a global set before the restart reads {seen} after it ({'a fresh process' if 'undefined' in seen else 'state kept?'})"


def probe_heartbeat(k, name):
    msg_id = k.send_execute("const until = Date.now() + 3000; while (Date.now() < until) {}")
    time.sleep(0.5)
    beating = k.kc.hb_channel.is_beating()
    k.reply(msg_id)
    k.drain()
    return f"beating while a cell spins: {beating}"


def probe_display(k, name):
    if name == "gradlab":
        code = 'const h = display.html("<b>1</b>", { displayId: "d" });\nh.update("2");\nclearOutput();'
    else:
        code = 'import * as tslab from "tslab";\ntslab.display.html("<b>1</b>");'
    reply, iopub = k.run(code)
    return f"{describe_reply(reply)}; iopub: {', '.join(kinds(iopub))}"


def probe_stdin(k, name):
    fn = "input" if name == "gradlab" else "(globalThis as any).input"
    msg_id = k.send_execute(f'const answer = await {fn}("name? ");\nanswer', allow_stdin=True)
    try:
        req = k.kc.get_stdin_msg(timeout=5)
        k.kc.input("Ada")
        got = f"input_request {req['content'].get('prompt')!r}"
    except queue.Empty:
        got = "no input_request"
    reply = k.reply(msg_id, timeout=10)
    return f"{got}; cell: {describe_reply(reply)}"


def probe_esm(k, name):
    reply, iopub = k.run('const vegaModule = await import("vega");\nvegaModule.version', timeout=30)
    value = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
    stdout = [m["content"]["text"].strip() for m in iopub if m["msg_type"] == "stream"]
    return f"{describe_reply(reply)}: {(value or stdout or [''])[0][:60]}"


PROBES = [
    ("kernel_info", probe_kernel_info),
    ("execute: 1 + 2", probe_execute_result),
    ("execute: a runtime error", probe_error),
    ("execute: a type error", probe_type_error),
    ("stop_on_error (cells already queued)", probe_stop_on_error),
    ("a cell sent right after an error", probe_abort_window),
    ("complete", probe_complete),
    ("inspect", probe_inspect),
    ("is_complete", probe_is_complete),
    ("history tail / range / search", probe_history),
    ("comm_info", probe_comm_info),
    ("comm_open / comm_close", probe_comms),
    ("display, update_display_data, clear_output", probe_display),
    ("stdin (input_request)", probe_stdin),
    ("ESM-only import (vega)", probe_esm),
    ("heartbeat", probe_heartbeat),
    ("interrupt_request (message)", lambda k, n: probe_interrupt(k, n, "message")),
    ("interrupt by SIGINT", lambda k, n: probe_interrupt(k, n, "signal")),
    ("shutdown with restart", probe_restart),
]


def run_probes(name):
    results = {}
    k = Kernel(name)
    try:
        for title, probe in PROBES:
            if not k.alive():
                k.close()
                k = Kernel(name)
            try:
                results[title] = probe(k, name)
            except Exception as e:  # a probe that trips over the kernel's answer reports that answer
                results[title] = f"probe failed: {type(e).__name__}: {str(e)[:100]}"
            k.drain()
    finally:
        k.close()
    return results


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["gradlab", "tslab"])
    args = ap.parse_args()
    kernels = [args.only] if args.only else ["gradlab", "tslab"]
    prefix = tempfile.mkdtemp(prefix="gradlab-compare-")
    try:
        install_kernelspecs(prefix)
        suite = {k: run_kernel_test_suite(k) for k in kernels}
        probes = {k: run_probes(k) for k in kernels}
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    print("### jupyter_kernel_test " + __import__("jupyter_kernel_test").__version__ + " (KernelTests)\n")
    print("| test | " + " | ".join(kernels) + " |")
    print("| --- |" + " --- |" * len(kernels))
    for test in sorted(set().union(*[s.keys() for s in suite.values()])):
        print(f"| {test} | " + " | ".join(cell(suite[k].get(test, "-")) for k in kernels) + " |")
    for k in kernels:
        passed = sum(1 for v in suite[k].values() if v == "passed")
        print(f"\n{k}: {passed} of {len(suite[k])} passed", end="")
    print("\n\n### Probes\n")
    print("| behaviour | " + " | ".join(kernels) + " |")
    print("| --- |" + " --- |" * len(kernels))
    for title, _ in PROBES:
        print(f"| {title} | " + " | ".join(cell(probes[k].get(title, "-")) for k in kernels) + " |")


if __name__ == "__main__":
    main()
