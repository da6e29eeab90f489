"""Gradescope's ``results.json``: top-level ``score`` and one test per op (name, score, max_score, status, output).

Student-derived text goes out with ``output_format: text`` so it is never rendered as HTML.
"""

from __future__ import annotations

import json

from autograder.report.results import Report
from autograder.report.text import explain


def render(report: Report) -> str:
    tests = [{
        "name": f"{r.set}/{r.op}: {r.function or r.op + '_backward'}",
        "number": f"{n}",
        "score": r.score,
        "max_score": r.max_score,
        "status": "passed" if r.passed else "failed",
        "output": explain(r),
        "output_format": "text",
        "tags": [r.set, r.status.value],
        "visibility": "visible",
    } for n, r in enumerate(report.results, start=1)]
    data = {
        "score": report.score,
        "execution_time": round(report.seconds, 2),
        "output": f"{report.score:g} / {report.max_score:g} points. Grader {report.grader_version}, "
                  f"torch {report.torch_version}, submission {report.submission_hash[:12]}.",
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"submission_hash": report.submission_hash, "seeds": report.seeds,
                       "grader_version": report.grader_version, "torch_version": report.torch_version,
                       "limits": report.limits},
    }
    return json.dumps(data, indent=2) + "\n"


def crashed(message: str) -> str:
    """A valid results.json for when grading itself could not run."""
    return json.dumps({"score": 0.0, "output": f"The autograder could not grade this submission: {message}",
                       "output_format": "text", "tests": []}, indent=2) + "\n"
