"""A GitHub Actions job summary (Markdown): a table of ops, statuses and points."""

from __future__ import annotations

from autograder.report.results import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")[:300]


def render(report: Report) -> str:
    lines = [f"## Autograd by Hand: {report.score:g} / {report.max_score:g} points", "",
             "| op | status | points | note |", "| --- | --- | --- | --- |"]
    for r in report.results:
        mark = "✅" if r.passed else "❌"
        lines.append(f"| [`{r.op}`]({r.page}) | {mark} {r.status.value} | {r.score:g} / {r.max_score:g} | "
                     f"{_cell(r.summary)} |")
    lines += ["", f"Grader {report.grader_version}, torch {report.torch_version}, submission "
                  f"`{report.submission_hash[:12]}`, mode `{report.mode}`."]
    if report.mode == "check":
        lines.append("This is an advisory check with the visible cases; the official grade adds hidden ones.")
    return "\n".join(lines) + "\n"
