"""Command line: ``python -m autograder {check,grade,list,submit,batch,nbgrader,gradescope-bundle,student-pack}``.

This module only parses the command line and hands it to the command's module in :mod:`autograder.commands`
(exit codes are listed there).
"""

from __future__ import annotations

import argparse
import importlib
import os

from autograder.commands import EXIT_INTERNAL, EXIT_NOT_ALL_PASSED, EXIT_PASSED, EXIT_USAGE
from autograder.common.project import SECRET_ENV
from autograder.common.settings import TIMEOUT

FORMATS = ("text", "json", "gradescope", "junit", "github")
COMMANDS = {"check": "grade", "grade": "grade", "list": "listing", "submit": "submit", "batch": "batch",
            "nbgrader": "nbgrader", "gradescope-bundle": "gradescope_bundle", "student-pack": "student_pack"}
"""Each command and the module of :mod:`autograder.commands` whose ``main(args)`` runs it."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="Grade hand-written VJPs.")
    sub = parser.add_subparsers(dest="command", required=True)
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    output.add_argument("--output", metavar="FILE", help="write the report here (atomically) instead of stdout")
    output.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds allowed per op (default: {TIMEOUT:g})")
    output.add_argument("--quiet", action="store_true", help="no progress display")
    output.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="ops graded at once, each in its own sandboxed child (default: 2 cores' worth)")
    check = sub.add_parser("check", parents=[output], help="check your own exercises/ with the visible cases")
    check.add_argument("ops", nargs="*", metavar="SET|OP", help="sets or ops to check (default: all)")
    check.add_argument("--dir", default="exercises", help="directory with your exercise modules")
    grade = sub.add_parser("grade", parents=[output], help="official grade of a submission directory")
    grade.add_argument("path", help="the submission: a folder laid out like exercises/, a <set>.ipynb, or a zip "
                       "made by `submit`")
    grade.add_argument("--ops", nargs="*", metavar="SET|OP", help="only these sets or ops")
    grade.add_argument("--secret-file", help=f"file with the instructor's secret (or set ${SECRET_ENV})")
    grade.add_argument("--visible-only", action="store_true", help="no hidden cases (no secret needed)")
    grade.add_argument("--sandbox-user", metavar="USER",
                       help="run student code as this unprivileged user (the grader must run as root)")
    listing = sub.add_parser("list", help="list the exercises")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    submit = sub.add_parser("submit", help="bundle your exercise modules into a zip to hand in")
    submit.add_argument("--dir", default="exercises", help="directory with your exercise modules")
    submit.add_argument("-o", "--output", default="submission.zip", help="the zip to write (default: %(default)s)")
    bundle = sub.add_parser("gradescope-bundle", help="write the autograder zip to upload to Gradescope")
    bundle.add_argument("out", metavar="OUT.zip")
    bundle.add_argument("--sets", nargs="*", metavar="SET", help="grade only these sets (default: every op)")
    bundle.add_argument("--secret-file", help="the course secret to ship (default: a new one, only in the zip)")
    bundle.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds allowed per op (default: {TIMEOUT:g})")
    batch = sub.add_parser("batch", help="grade a whole class: grades.csv and feedback per student")
    batch.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                       help="nbgrader course (submitted/<student>/<assignment>/) or one folder or zip per student")
    batch.add_argument("--secret-file", required=True, help="file with the instructor's secret")
    batch.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="where results and feedback go")
    batch.add_argument("-j", "--jobs", type=int, default=2, help="parallel workers (default: %(default)s)")
    batch.add_argument("--ops", nargs="*", metavar="SET|OP", help="only these sets or ops (default: all)")
    batch.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds allowed per op (default: {TIMEOUT:g})")
    batch.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    pack = sub.add_parser("student-pack", help="write the starter kit for students (no solutions, no secret)")
    pack.add_argument("out", metavar="OUT_DIR")
    nbgrader = sub.add_parser("nbgrader", help="nbgrader course tools").add_subparsers(dest="action", required=True)
    build = nbgrader.add_parser("build", help="write an nbgrader course directory: config and one notebook per set")
    build.add_argument("course", metavar="COURSE_DIR")
    build.add_argument("--sets", nargs="*", metavar="SET", help="only these sets (default: every non-empty set)")
    build.add_argument("--course-id", default="autograd-by-hand")
    build.add_argument("--db-url", help="gradebook database URL (default: sqlite gradebook.db in COURSE_DIR)")
    build.add_argument("--secret-file", help="use this secret (default: keep the course's, or make a new one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return importlib.import_module(f"autograder.commands.{COMMANDS[args.command]}").main(args)


__all__ = ["EXIT_INTERNAL", "EXIT_NOT_ALL_PASSED", "EXIT_PASSED", "EXIT_USAGE", "main"]
