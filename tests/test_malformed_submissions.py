"""Every malformed submission becomes a clear, typed refusal, never a crash of the grader (issue 16; the hostile
table in docs/guides/security.md). Real files on disk, read by the same functions ``grade`` and ``batch`` use."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from autograder import registry
from autograder.common.files import write_atomically
from autograder.grading import static
from autograder.intake import archive, notebook_code
from autograder.intake.collect import gather
from autograder.intake.submission import SubmissionError
from autograder.sandbox.protocol import inert

SETS = list(registry.SETS)
GOOD = b"import torch\n\ndef mul_backward(grad, x, y):\n    return grad * y, grad * x\n"

pytestmark = pytest.mark.fast


def notebook(cells: list[object], **extra: object) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **extra}).encode()


def code_cell(source: object, metadata: object = None) -> dict[str, object]:
    return {"cell_type": "code", "source": source, "metadata": {} if metadata is None else metadata,
            "outputs": [], "execution_count": None}


def test_a_notebook_nested_too_deeply_is_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "binary.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SubmissionError, match="nested too deeply"):
        gather(tmp_path)


@pytest.mark.parametrize("source", [[1, None, "x = 1\n"], 42, None, {"a": 1}])
def test_cell_sources_that_are_not_strings_count_as_no_code(tmp_path: Path, source: object) -> None:
    (tmp_path / "binary.ipynb").write_bytes(notebook([code_cell(source), code_cell(GOOD.decode())]))
    module = gather(tmp_path).files["binary.py"].decode()
    assert "def mul_backward" in module


@pytest.mark.parametrize("metadata", [[], "text", {"nbgrader": []}, {"nbgrader": "x"}])
def test_cell_metadata_of_any_type_is_read_without_error(tmp_path: Path, metadata: object) -> None:
    (tmp_path / "binary.ipynb").write_bytes(notebook([code_cell(GOOD.decode(), metadata)]))
    assert "def mul_backward" in gather(tmp_path).files["binary.py"].decode()


def test_a_folder_named_like_a_notebook_is_not_read_as_one(tmp_path: Path) -> None:
    (tmp_path / "binary.ipynb").mkdir()
    (tmp_path / "binary.py").write_bytes(GOOD)
    assert set(gather(tmp_path).files) == {"binary.py"}


def test_code_too_deep_for_python_is_left_out_with_a_note() -> None:
    module = notebook_code.to_module(json.loads(notebook([code_cell("x = " + "-" * 50_000 + "1\n")])))
    assert "left out" in module


def test_a_notebook_whose_code_is_larger_than_a_module_may_be_is_refused(tmp_path: Path) -> None:
    big = "x = 1\n" * (notebook_code.MAX_CODE_BYTES // 6 + 10)
    (tmp_path / "binary.ipynb").write_bytes(notebook([code_cell(big)]))
    with pytest.raises(SubmissionError, match="code cells hold"):
        gather(tmp_path)


def test_a_lone_surrogate_in_notebook_code_gives_a_module_that_can_be_written(tmp_path: Path) -> None:
    cell = notebook([code_cell('s = "\\ud800"  # \\udc80\n')]).replace(b"\\\\ud", b"\\ud")
    (tmp_path / "binary.ipynb").write_bytes(cell)
    module = gather(tmp_path).files["binary.py"]  # bytes: it was encoded as UTF-8 without an error
    assert b"cell 1 is not valid Python and was left out" in module


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_zip_members_compressed_with_other_methods_are_refused(compression: int) -> None:
    data = zipped({"binary.py": GOOD}, compression)
    with pytest.raises(archive.ArchiveError, match="other than deflate"):
        archive.unpack(data, SETS)


def test_a_corrupt_member_is_refused_as_unreadable() -> None:
    data = bytearray(zipped({"binary.py": GOOD * 50}))
    start = data.index(b"binary.py") + len("binary.py")
    data[start + 10:start + 40] = b"\xff" * 30  # the compressed stream, broken
    with pytest.raises(archive.ArchiveError):
        archive.unpack(bytes(data), SETS)


def test_a_manifest_nested_too_deeply_is_refused() -> None:
    data = zipped({"binary.py": GOOD, archive.MANIFEST: b"[" * 100_000 + b"]" * 100_000})
    with pytest.raises(archive.ArchiveError, match="not a valid manifest"):
        archive.unpack(data, SETS)


def test_a_symlinked_exercises_folder_is_refused(tmp_path: Path, root: Path) -> None:
    submission = tmp_path / "bob"
    submission.mkdir()
    os.symlink(root / "solutions", submission / "exercises")
    with pytest.raises(SubmissionError, match="symbolic link to a folder"):
        gather(submission)


def test_notebooks_under_a_symlinked_folder_are_refused(tmp_path: Path) -> None:
    alice = tmp_path / "alice"
    alice.mkdir()
    (alice / "binary.ipynb").write_bytes(notebook([code_cell(GOOD.decode())]))
    bob = tmp_path / "bob"
    bob.mkdir()
    os.symlink(alice, bob / "work")
    with pytest.raises(SubmissionError, match="symbolic link"):
        gather(bob)


def test_a_plain_exercises_folder_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "binary.py").write_bytes(GOOD)
    assert set(gather(tmp_path).files) == {"binary.py"}


def test_defusing_a_flood_of_newlines_takes_linear_time() -> None:
    small, large = "\n" * 8_192, "\n" * 262_144  # 32 times more text
    started = time.process_time()
    inert(small)
    base = time.process_time() - started
    started = time.process_time()
    inert(large)
    assert inert(large) == large  # nothing to defuse; the point is that it returns
    assert time.process_time() - started < max(1.0, 200 * base)  # quadratic would be ~1000x


def test_lone_surrogates_from_the_child_are_escaped_so_any_report_can_be_written(tmp_path: Path) -> None:
    text = inert("ValueError: bad \ud800 value")
    assert text == "ValueError: bad \\ud800 value"
    text.encode("utf-8")
    write_atomically(tmp_path / "feedback.txt", "raw \udc80 from elsewhere")
    assert (tmp_path / "feedback.txt").read_bytes() == b"raw \\udc80 from elsewhere"


@pytest.mark.parametrize(("source", "expected"), [
    ("import torch\nG = torch.autograd.grad\ndef mul_backward(grad, x, y):\n    return G(x, y, grad)\n",
     "torch.autograd.grad"),
    ("import torch\nag = torch.autograd\ndef mul_backward(grad, x, y):\n    return ag.grad(x, y, grad)\n",
     "ag.grad (torch.autograd.grad)"),
    ("import torch\ndef mul_backward(grad, x, y):\n    return torch.ops.aten.tanh_backward(grad, x), None\n",
     "torch.ops.aten.tanh_backward"),
    ("def mul_backward(grad, x, y):\n    return (x * y).grad_fn(grad)\n", "Tensor.grad_fn"),
    ("import sys\ndef mul_backward(grad, x, y):\n    return sys.modules, None\n", "sys.modules"),
    ("import gc\nfound = gc.get_objects()\ndef mul_backward(grad, x, y):\n    return grad, grad\n",
     "gc.get_objects"),
    ("def mul_backward(grad, x, y):\n    return eval('grad'), grad\n", "eval"),
    ("import torch\ndef mul_backward(grad, x, y):\n    return torch._C._functions, None\n", "torch._C._functions"),
    ("from autograder.sandbox import policy\npolicy._enforcing = False\ndef mul_backward(grad, x, y):\n"
     "    return grad, grad\n", "policy._enforcing (autograder.sandbox.policy._enforcing)"),
])
def test_the_static_policy_refuses_the_routes_around_it(source: str, expected: str) -> None:
    assert expected in static.violations(source.encode(), "mul_backward")


@pytest.mark.parametrize("source", [
    GOOD.decode(),
    "import torch\nfrom torch import nn\nEPS = 1e-12\ndef mul_backward(grad, x, y):\n    return grad * y, grad * x\n",
    "import math\nscale = math.sqrt(2)\ndef mul_backward(grad, x, y):\n    g = grad\n    return g * y, g * x\n",
    "from autograder.library import rosenbrock\nimport autograder.engine as engine\n"
    "def mul_backward(grad, x, y):\n    return grad * rosenbrock(y), engine.Tensor\n",
])
def test_the_static_policy_leaves_plain_code_alone(source: str) -> None:
    assert static.violations(source.encode(), "mul_backward") == []


@pytest.mark.parametrize("source", [
    "def mul_backward(grad, x, y):\n    return (" + "-" * 20_000 + "grad, grad)\n",
    "def mul_backward(grad, x, y):\n    return (grad" + ".real" * 20_000 + ", grad)\n",
])
def test_the_static_policy_survives_code_nested_beyond_any_limit(source: str) -> None:
    static.violations(source.encode(), "mul_backward")  # returns: the child reports what Python makes of it


def test_a_large_result_is_decoded_within_twice_its_size() -> None:
    import tracemalloc

    import torch

    from autograder.sandbox import wire

    sent = torch.arange(1 << 22, dtype=torch.float64)  # 32 MiB
    frame = wire.encode({"kind": "result"}, [sent])
    reader = wire.FrameReader(max_bytes=1 << 30, contiguous=True)
    tracemalloc.start()
    try:
        frames = [f for i in range(0, len(frame), 1 << 20) for f in reader.feed(frame[i:i + (1 << 20)])]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert torch.equal(frames[0][1][0], sent)
    assert peak <= 2.2 * len(frame), f"peak {peak >> 20} MiB for a {len(frame) >> 20} MiB frame"
