"""The terminal report: a table of ops, then an explanation of each op that did not pass."""

from __future__ import annotations

from autograder.report.results import OpResult, Report


def explain(r: OpResult) -> str:
    """Everything a student needs to fix one op, as plain text."""
    lines = [f"{r.op}: {r.status.value}. {r.summary}"]
    if r.failure:
        lines += [f"  why: {d}" for d in r.failure.diagnosis]
        lines += [f"  {d}" for d in r.failure.details]
        if r.failure.hidden:
            lines.append("  (the inputs of hidden cases are not shown)")
        if r.failure.repro:
            lines += ["  reproduce it:", *(f"    {line}" for line in r.failure.repro.splitlines())]
    if not r.passed:
        lines.append(f"  read: {r.page}")
    if r.output:
        lines += ["  your code printed:", *(f"    {line}" for line in r.output.splitlines()[:20])]
    return "\n".join(lines)


def render(report: Report) -> str:
    width = max([len(r.op) for r in report.results] + [2])
    lines = [f"{'op':<{width}}  {'set':<12} {'status':<17} points", "-" * (width + 42)]
    for r in report.results:
        lines.append(f"{r.op:<{width}}  {r.set:<12} {r.status.value:<17} "
                     f"{r.score:g}/{r.max_score:g}")
    lines += ["-" * (width + 42), f"total: {report.score:g} / {report.max_score:g} points"
              f"  ({sum(r.passed for r in report.results)} of {len(report.results)} ops pass)"]
    problems = [explain(r) for r in report.results if not r.passed and r.status.value != "not implemented"]
    todo = [r.op for r in report.results if r.status.value == "not implemented"]
    if todo:
        lines.append(f"not implemented yet: {', '.join(todo)}")
    if problems:
        lines += ["", *problems]
    if report.mode == "check":
        lines.append("\n(check runs the visible cases; the official grade adds hidden cases.)")
    return "\n".join(lines) + "\n"
