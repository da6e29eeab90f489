"""The full report as JSON: every field, for tools and for replaying a grade."""

from __future__ import annotations

import json

from autograder.report.results import Report


def render(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, sort_keys=False, default=str) + "\n"
