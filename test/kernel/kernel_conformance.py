"""The Jupyter project's kernel conformance suite (jupyter_kernel_test) against the gradlab kernel.

Every sample attribute is filled in, so no test may skip. Run by test/kernel/conformance.test.ts with
JUPYTER_PATH pointing at a freshly installed kernelspec.
"""
import unittest

import jupyter_kernel_test


class GradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.SQRT", "matches": {"SQRT1_2", "SQRT2", "sqrt"}},
        {"text": "conso", "matches": {"console"}},
        {"text": "[1, 2].ma", "matches": {"map", "flatMap"}},
    ]

    complete_code_samples = ["1 + 1", "let x: number = 1;", "function f() {\n  return 1;\n}", "const y = <number>(3);"]
    incomplete_code_samples = ["function f() {", "let a = [1,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["let x = ;", "1 +* 2", "}"]

    code_page_something = 'page("gradlab pager text")'

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"grad" + "lab"', "result": "'gradlab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": "const t: number = 6 * 7;\nt", "result": "42"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# Title")', "mime": "text/markdown"},
        {"code": 'display.svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>")', "mime": "image/svg+xml"},
        {"code": 'display({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>rich</i>" }; } })', "mime": "text/html"},
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
