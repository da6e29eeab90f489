"""The repository is laid out as DESIGN.md fixes it, with every version pinned in one place."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests.conftest import ROOT

REQUIRED = ["README.md", "mkdocs.yml", "pyproject.toml", "Makefile", ".ci/run", "requirements.txt",
            "docs", "exercises", "solutions", "autograder", "tests", "benchmarks"]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            found[name.lower().replace("_", "-")] = version
    return found


def test_layout_has_every_fixed_path() -> None:
    missing = [p for p in REQUIRED if not (ROOT / p).exists()]
    assert not missing


def test_every_dependency_is_pinned_including_the_stack_the_issues_name() -> None:
    versions = pins()
    assert versions["torch"] == "2.13.0"
    assert versions["mkdocs"] == "1.6.1"
    assert versions["mkdocs-jupyter"] == "0.26.3"
    for name in ("numpy", "mkdocs-material", "nbgrader", "pytest", "playwright", "ruff"):
        assert name in versions


def test_pyproject_repeats_the_same_pins_as_requirements() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"].startswith(">=3.11")
    versions = pins()
    for dep in project["dependencies"]:
        name, version = dep.split("==")
        assert versions[name] == version, dep


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    assert "make serve" in first_block and "make test" in first_block
    assert readme.index("make serve") < readme.index("## Students")
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in ci
    assert Path(ROOT / ".ci/run").stat().st_mode & 0o111
