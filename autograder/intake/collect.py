"""What a student hands in, in any of the forms the course accepts, as one :class:`Submission`.

A submission is a folder with the exercise modules (``<set>.py``, ``helpers.py``) at its top or in an
``exercises/`` folder (a clone of the student's repository), notebooks named ``<set>.ipynb`` (at the top
or one folder down, as nbgrader stores them), a zip made by ``submit``, or one such file on its own.
Whatever the form, the same files give the same digest, so the same hidden cases and the same grade.
"""

from __future__ import annotations

from pathlib import Path

from autograder import registry
from autograder.intake import archive, notebook_code
from autograder.intake.submission import Submission, SubmissionError, load

NOTEBOOK_DEPTH = 2


def _modules() -> list[str]:
    return list(registry.SETS)


def _no_linked_folder(root: Path, folder: Path) -> None:
    """Refuse ``folder`` if it, or a folder on the way to it from ``root``, is a symbolic link: a link could hand
    in someone else's files (``exercises -> ../alice``, or the solutions), and git keeps links on clone."""
    for part in folder.relative_to(root).parts:
        root = root / part
        if root.is_symlink():
            raise SubmissionError(f"{root}: is a symbolic link to a folder; submit the folder itself")


def _notebook(path: Path) -> dict[str, bytes]:
    if path.is_symlink():
        raise SubmissionError(f"{path}: is a symbolic link; submit the file itself")
    try:
        return {f"{path.stem}.py": notebook_code.module_from_file(path).encode()}
    except notebook_code.NotebookError as err:
        raise SubmissionError(str(err)) from None


def _file(path: Path) -> dict[str, bytes]:
    sets = _modules()
    if path.suffix == ".zip":
        return archive.read(path, sets)[0]
    if path.suffix == ".ipynb" and path.stem in sets:
        return _notebook(path)
    if path.name in archive.allowed(sets):
        return {name: data for name, data in load(path.parent, sets).files.items() if name == path.name}
    raise SubmissionError(f"{path}: not a submission (expected a folder, a <set>.py, a <set>.ipynb or a zip "
                          "made by `python -m autograder submit`)")


def _notebooks(root: Path) -> list[Path]:
    sets = set(_modules())
    found = []
    for depth in range(NOTEBOOK_DEPTH):
        pattern = "/".join(["*"] * depth + ["*.ipynb"])
        found += [p for p in sorted(root.glob(pattern)) if p.stem in sets
                  and not any(part.startswith(".") for part in p.relative_to(root).parts)
                  and (p.is_file() or p.is_symlink())]  # a folder named like a notebook is not one
    return found


def _merge(into: dict[str, bytes], origin: dict[str, str], files: dict[str, bytes], source: str) -> None:
    for name, data in files.items():
        if name in into and into[name] != data:
            raise SubmissionError(f"{name} is handed in twice with different content ({origin[name]} and {source}); "
                                  "hand in one")
        into[name], origin[name] = data, source


def gather(path: str | Path) -> Submission:
    """The whitelisted files of whatever is at ``path``. Anything that cannot be read, however malformed, is a
    :class:`SubmissionError` that says why."""
    try:
        return _gather(Path(path))
    except SubmissionError:
        raise
    except (OSError, ValueError, RecursionError, MemoryError) as err:
        raise SubmissionError(f"{path}: could not be read ({type(err).__name__}: {err})") from None


def _gather(root: Path) -> Submission:
    if root.is_file():
        return Submission(root, _file(root))
    if not root.is_dir():
        raise SubmissionError(f"{root}: not a directory (expected a folder laid out like exercises/)")
    sets = _modules()
    files: dict[str, bytes] = {}
    origin: dict[str, str] = {}
    modules = load(root, sets).files
    if not modules and (root / "exercises").is_dir():
        _no_linked_folder(root, root / "exercises")
        modules = load(root / "exercises", sets).files
    _merge(files, origin, modules, "the .py files")
    for notebook in _notebooks(root):
        _no_linked_folder(root, notebook.parent)
        _merge(files, origin, _notebook(notebook), str(notebook.relative_to(root)))
    for zipped in sorted(root.glob("*.zip")):
        _merge(files, origin, archive.read(zipped, sets)[0], zipped.name)
    return Submission(root, files)


def discover(root: str | Path) -> dict[str, list[Path]]:
    """Each student's submission in a class's directory: student id -> what they handed in, sorted by id.

    Two layouts: nbgrader's (``<root>/submitted/<student>/<assignment>/<notebook>.ipynb``, or the
    ``submitted`` folder itself) and a flat one (``<root>/<student>/`` folders or ``<root>/<student>.zip``).
    A student with more than one entry (``alice/`` and ``alice.zip``) keeps all of them, to be refused.
    """
    base = Path(root)
    if (base / "submitted").is_dir():
        base = base / "submitted"
    found: dict[str, list[Path]] = {}
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.setdefault(entry.name, []).append(entry)
        elif entry.suffix == ".zip":
            found.setdefault(entry.stem, []).append(entry)
    return dict(sorted(found.items()))
