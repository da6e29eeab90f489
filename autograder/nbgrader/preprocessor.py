"""The nbgrader autograde step that decides the score: the course autograder, run outside the kernel.

Registered in ``c.Autograde.autograde_preprocessors`` after ``Execute`` and before ``SaveAutoGrades``. For
each submitted notebook it turns the code cells into ``<set>.py`` (:mod:`autograder.intake.notebook_code`),
grades that with ``python -m autograder grade`` in a subprocess (visible and hidden cases, the secret read
from a file the course keeps outside ``source/``), and replaces each test cell's outputs with the verdict:
nothing but the score for a pass, the score and the explanation for partial credit, an error output with
the explanation for no credit. Whatever the student's code did in the kernel (patched asserts, hidden
tracebacks, forged outputs) is overwritten. The explanations withhold the inputs of hidden cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Unicode

from autograder import registry
from autograder.common import settings
from autograder.common.files import write_atomically
from autograder.common.project import grade_command, grader_env
from autograder.intake import notebook_code
from autograder.nbgrader.build import grade_cell_id
from autograder.registry import Op
from autograder.report import load as results_io
from autograder.report.results import OpResult, Status
from autograder.report.text import explain

NOTE = "The autograder grades the code cells of this notebook as one module, {file}."


class GradingFailed(RuntimeError):
    """The grader itself could not run: the submission is left ungraded (not given zero)."""


def verdict(result: OpResult, file: str) -> list[NotebookNode]:
    """The outputs of a test cell that make nbgrader record ``result.score`` (``utils.determine_grade``)."""
    text = explain(result)
    if result.status in (Status.MISSING, Status.INVALID):
        text += "\n" + NOTE.format(file=file)
    if result.score <= 0:
        return [NotebookNode(output_type="error", ename="AutograderVerdict", evalue=result.summary,
                             traceback=text.splitlines())]
    score = NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                         data={"text/plain": f"{result.score:g}"})
    return [NotebookNode(output_type="stream", name="stdout", text=text + "\n"), score]


class GradeOutOfKernel(NbGraderPreprocessor):
    """Grade a notebook's code with the course autograder and write the verdicts into its test cells."""

    secret_file = Unicode("", help="File with the course secret (hidden cases are seeded from it).").tag(config=True)
    report_dir = Unicode("", help="Where to keep the full JSON report of each graded notebook.").tag(config=True)
    timeout = Float(settings.TIMEOUT, help="Seconds allowed per op.").tag(config=True)
    python = Unicode(sys.executable, help="The Python that runs `python -m autograder grade`.").tag(config=True)

    def _tests(self, nb: NotebookNode) -> dict[str, tuple[Op, NotebookNode]]:
        by_id = {grade_cell_id(op): op for op in registry.OPS.values()}
        found = {}
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and notebook_code.is_test_cell(cell) and grade_id in by_id:
                found[by_id[grade_id].name] = (by_id[grade_id], cell)
        return found

    def _grade(self, module: str, ops: list[Op]) -> dict[str, Any]:
        if not self.secret_file or not Path(self.secret_file).is_file():
            raise GradingFailed(f"no course secret at {self.secret_file!r} (c.GradeOutOfKernel.secret_file)")
        with tempfile.TemporaryDirectory(prefix="abh-nbgrader-") as tmp:
            submission = Path(tmp, "submission")
            submission.mkdir()
            for name in {op.set for op in ops}:
                (submission / f"{name}.py").write_text(module, encoding="utf-8")
            out = Path(tmp, "report.json")
            command = grade_command(submission, "--ops", *(op.name for op in ops), "--secret-file", self.secret_file,
                                    "--format", "json", "--output", str(out), "--quiet", "--timeout",
                                    f"{self.timeout:g}", python=self.python)
            budget = settings.time_budget(len(ops), self.timeout)
            try:
                done = subprocess.run(command, env=grader_env(), cwd=tmp, capture_output=True, text=True,
                                      timeout=budget)
            except subprocess.TimeoutExpired:
                raise GradingFailed(f"the grader did not finish within {budget:g} s") from None
            if done.returncode not in (0, 1) or not out.is_file():
                raise GradingFailed(f"the grader exited with status {done.returncode}: {done.stderr[-2000:]}")
            return json.loads(out.read_text(encoding="utf-8"))

    def _keep(self, data: dict[str, Any], resources: dict[str, Any]) -> None:
        if not self.report_dir:
            return
        info = resources["nbgrader"]
        path = Path(self.report_dir, info["student"], info["assignment"], f"{info['notebook']}.json")
        write_atomically(str(path), json.dumps(data, indent=2) + "\n")

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        tests = self._tests(nb)
        if not tests:
            self.log.warning("No autograder test cells in this notebook; nothing to grade out of kernel")
            return nb, resources
        ops = [op for op, _ in tests.values()]
        name = f"{resources['nbgrader']['notebook']}.ipynb"
        data = self._grade(notebook_code.to_module(nb, name), ops)
        self._keep(data, resources)
        report = results_io.report(data)
        for result in report.results:
            op, cell = tests[result.op]
            cell.outputs = verdict(result, f"{op.set}.py")
            self.log.info("%s: %s, %g / %g", result.op, result.status.value, result.score, result.max_score)
        return nb, resources
