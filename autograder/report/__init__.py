"""Exporters: each turns one :class:`~autograder.report.results.Report` into one format."""

from __future__ import annotations

from collections.abc import Callable

from autograder.report import github, gradescope, json_report, junit, text
from autograder.report.results import Report

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_report.render,
    "gradescope": gradescope.render,
    "junit": junit.render,
    "github": github.render,
}
