"""Reading a report back from the JSON the ``json`` exporter wrote (for tools that grade in a subprocess)."""

from __future__ import annotations

from typing import Any

from autograder.report.results import Failure, OpResult, Report, Status

DERIVED = ("score", "max_score")


def op_result(data: dict[str, Any]) -> OpResult:
    fields = dict(data)
    fields["status"] = Status(fields["status"])
    if fields.get("failure") is not None:
        fields["failure"] = Failure(**fields["failure"])
    return OpResult(**fields)


def report(data: dict[str, Any]) -> Report:
    fields = {k: v for k, v in data.items() if k not in DERIVED}
    fields["results"] = [op_result(r) for r in fields.get("results", [])]
    return Report(**fields)
