"""The sandbox's parts on their own: the data-only wire format, the child protocol, the policy checks,
and the isolation layers a child reports on this machine."""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from autograder.grading import static
from autograder.grading.run import open_sandbox
from autograder.sandbox import landlock, protocol, wire
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Sandbox
from tests.conftest import ROOT

# ---------------------------------------------------------------- wire format


def layouts() -> dict[str, torch.Tensor]:
    base = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4)
    return {
        "contiguous": base,
        "transposed": base.mT,
        "expanded (stride 0)": torch.tensor([1.5, -2.0, 3.25], dtype=torch.float64)[:, None].expand(3, 5),
        "sliced with an offset": base[1, 1:, ::2],
        "0-d": torch.tensor(7.0, dtype=torch.float64),
        "empty": torch.empty(0, 3, dtype=torch.float64),
        "int64": torch.arange(-3, 3, dtype=torch.int64).reshape(2, 3).t(),
        "bool": torch.tensor([[True, False], [False, True]]),
        "float32": torch.randn(4, 3, generator=torch.Generator().manual_seed(0)),
        "float16": torch.tensor([0.5, -1.25, 65504.0], dtype=torch.float16),
        "bfloat16": torch.tensor([1.0, -3.5], dtype=torch.bfloat16),
        "int32": torch.tensor([2**31 - 1, -(2**31)], dtype=torch.int32),
        "negative view": torch.tensor([1.0, 2.0], dtype=torch.float64)._neg_view(),
    }


def round_trip(tensors: list[torch.Tensor | None], keep_layout: bool) -> tuple[dict, list[torch.Tensor | None]]:
    reader = wire.FrameReader(max_bytes=1 << 30)
    [(meta, back)] = list(reader.feed(wire.encode({"note": "ünïcode"}, tensors, keep_layout=keep_layout)))
    assert not reader.pending
    return meta, back


@pytest.mark.parametrize("keep_layout", [True, False], ids=["layout kept", "made contiguous"])
@pytest.mark.parametrize("name", list(layouts()))
def test_a_tensor_survives_the_wire_with_its_values_dtype_and_shape(name: str, keep_layout: bool) -> None:
    t = layouts()[name]
    meta, [back] = round_trip([t], keep_layout)
    assert meta == {"note": "ünïcode"}
    assert type(back) is torch.Tensor and back.dtype == t.dtype and back.shape == t.shape
    assert torch.equal(back, t.resolve_neg())
    if keep_layout:
        assert back.stride() == t.stride() or t.is_contiguous()
    else:
        assert back.is_contiguous()


def test_none_entries_and_many_tensors_keep_their_order() -> None:
    a, b = torch.ones(2, dtype=torch.float64), torch.zeros(3, dtype=torch.int64)
    _, back = round_trip([a, None, b], keep_layout=False)
    assert back[1] is None and torch.equal(back[0], a) and torch.equal(back[2], b)


def test_an_expanded_input_travels_as_its_storage_not_its_size() -> None:
    big = torch.ones(1, dtype=torch.float64).expand(1000, 1000)
    frame = wire.encode({}, [big], keep_layout=True)
    assert len(frame) < 200


def test_a_reader_splits_frames_however_the_bytes_arrive() -> None:
    frames = b"".join(wire.encode({"i": i}, [torch.full((i,), float(i))]) for i in range(5))
    reader = wire.FrameReader(max_bytes=1 << 20)
    got = []
    for start in range(0, len(frames), 7):
        got += list(reader.feed(frames[start:start + 7]))
    assert [m["i"] for m, _ in got] == list(range(5))
    assert all(torch.equal(t, torch.full((i,), float(i))) for i, (_, [t]) in enumerate(got))


def frame(header: object, payload: bytes = b"") -> bytes:
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    return wire.MAGIC + struct.pack(">I", len(data)) + data + payload


def spec(**changes: object) -> dict:
    return {"dtype": "float64", "shape": [2], "stride": [1], "nbytes": 16, **changes}


MALFORMED = {
    "bad magic": b"PKL1" + struct.pack(">I", 2) + b"{}",
    "header longer than the limit": wire.MAGIC + struct.pack(">I", wire.MAX_HEADER + 1),
    "header is not JSON": frame(b"\x80\x04\x95 pickle"),
    "header nested 100000 deep": frame(b"[" * 100000 + b"]" * 100000),
    "an integer of 10000 digits": frame(b'{"tensors": [], "n": ' + b"9" * 10000 + b"}"),
    "header is a list": frame([1, 2]),
    "no tensor list": frame({"kind": "result"}),
    "unknown dtype": frame({"tensors": [spec(dtype="complex128")]}, bytes(16)),
    "dtype given as a number": frame({"tensors": [spec(dtype=7)]}, bytes(16)),
    "object dtype": frame({"tensors": [spec(dtype="object")]}, bytes(16)),
    "shape and stride of different lengths": frame({"tensors": [spec(stride=[1, 1])]}, bytes(16)),
    "negative size": frame({"tensors": [spec(shape=[-2])]}, bytes(16)),
    "fractional size": frame({"tensors": [spec(shape=[2.0])]}, bytes(16)),
    "boolean size": frame({"tensors": [spec(shape=[True, True], stride=[1, 1], nbytes=8)]}, bytes(8)),
    "byte count does not match the shape": frame({"tensors": [spec(nbytes=8)]}, bytes(8)),
    "extra field in a tensor": frame({"tensors": [{**spec(), "pickle": "x"}]}, bytes(16)),
    "string byte count": frame({"tensors": [spec(nbytes="16")]}, bytes(16)),
    "garbage after a frame": frame({"tensors": []}) + b"junkjunk",
    "2^78 elements from 8 bytes": frame({"tensors": [spec(shape=[2**39, 2**39], stride=[0, 0], nbytes=8)]},
                                        bytes(8)),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_frame_is_rejected_with_a_wire_error(name: str) -> None:
    reader = wire.FrameReader(max_bytes=1 << 30)
    with pytest.raises(wire.WireError):
        list(reader.feed(MALFORMED[name]))


def test_a_payload_longer_than_its_tensors_is_rejected() -> None:
    header = json.dumps({"tensors": [spec()]}).encode()
    with pytest.raises(wire.WireError, match="trailing"):
        wire.decode(header, bytes(20))


def test_results_must_be_contiguous_so_their_bytes_pay_for_every_element() -> None:
    expanded = frame({"tensors": [spec(shape=[1000, 1000], stride=[0, 0], nbytes=8)]}, bytes(8))
    assert list(wire.FrameReader(1 << 30).feed(expanded))  # fine for the grader's own inputs
    with pytest.raises(wire.WireError, match="contiguous"):
        list(wire.FrameReader(1 << 30, contiguous=True).feed(expanded))
    transposed = wire.encode({}, [torch.ones(2, 3).mT], keep_layout=True)
    with pytest.raises(wire.WireError, match="contiguous"):
        list(wire.FrameReader(1 << 30, contiguous=True).feed(transposed))


def test_more_data_than_allowed_is_refused() -> None:
    data = wire.encode({}, [torch.zeros(1000, dtype=torch.float64)])
    with pytest.raises(wire.WireError, match="exceeds"):
        list(wire.FrameReader(max_bytes=4000).feed(data))


def test_a_truncated_frame_yields_nothing_and_stays_pending() -> None:
    data = wire.encode({}, [torch.zeros(10, dtype=torch.float64)])
    reader = wire.FrameReader(max_bytes=1 << 20)
    assert list(reader.feed(data[:-1])) == [] and reader.pending


def test_tensors_the_wire_cannot_carry_are_refused_when_sending() -> None:
    for t in (torch.ones(2, dtype=torch.complex64), torch.ones(2, 2).to_sparse()):
        with pytest.raises(wire.WireError):
            wire.encode({}, [t])


# ---------------------------------------------------------------- child protocol

CALLS = [{"n_tensors": 3, "params": {}}, {"n_tensors": 3, "params": {}}]
TWO = [torch.zeros(2), torch.zeros(2)]


def result(call: int, kinds: list | None = None, tensors: list | None = None) -> tuple[dict, list]:
    meta = {"kind": "result", "call": call, "kinds": kinds or ["tensor", "tensor"], "mutated": [False] * 3,
            "seconds": 0.1, "policy": []}
    return meta, TWO if tensors is None else tensors


def loaded() -> tuple[dict, list]:
    return {"kind": "loaded", "parameters": [["grad", "POSITIONAL_OR_KEYWORD"]], "seconds": 0.2,
            "layers": ["process"]}, []


def test_a_well_behaved_child_is_accepted_frame_by_frame() -> None:
    checker = protocol.Protocol(CALLS)
    for meta, tensors in (loaded(), result(0), result(1), ({"kind": "done"}, [])):
        assert checker.check(meta, tensors)["kind"] == meta["kind"]
    assert checker.complete


BROKEN_SEQUENCES = {
    "a result before the import report": [result(0)],
    "results out of order": [loaded(), result(1)],
    "done before every call was answered": [loaded(), result(0), ({"kind": "done"}, [])],
    "anything after done": [loaded(), result(0), result(1), ({"kind": "done"}, []), result(0)],
    "two tensors claimed, none sent": [loaded(), result(0, tensors=[])],
    "a tensor sent for a None": [loaded(), result(0, kinds=["tensor", "none"])],
    "a verdict smuggled in as a kind": [loaded(), result(0, kinds=[{"returned": "x", "passed": True}], tensors=[])],
    "a mutation report of the wrong length": [loaded(), ({**result(0)[0], "mutated": [False]}, TWO)],
    "an error report with results": [loaded(), ({**result(0)[0], "kind": "raised", "type": "E", "message": "m",
                                                 "traceback": "t", "line": None}, TWO)],
    "a message that is not text": [({"kind": "import_error", "type": "E", "message": ["x"], "traceback": "",
                                     "line": None, "seconds": 0.0}, [])],
}


@pytest.mark.parametrize("name", list(BROKEN_SEQUENCES))
def test_frames_out_of_protocol_are_rejected(name: str) -> None:
    checker = protocol.Protocol(CALLS)
    frames = BROKEN_SEQUENCES[name]
    with pytest.raises(wire.WireError):
        for meta, tensors in frames:
            checker.check(meta, tensors)


def test_student_text_is_made_inert() -> None:
    text = protocol.inert("ok\x1b[31mred\x1b[0m\r\n::notice title=x::10/10\n  ::set-output a\n##[error]x\u202eevil\x00")
    assert "\x1b" not in text and "\u202e" not in text and "\x00" not in text and "\r" not in text
    assert "\\x1b[31mred" in text and "\\u202eevil" in text
    assert not any(line.lstrip().startswith(("::", "##[")) for line in text.splitlines())
    assert protocol.inert("plain text\nwith\ttabs") == "plain text\nwith\ttabs"


# ---------------------------------------------------------------- static policy check


@pytest.mark.parametrize(("source", "found"), [
    ("import torch\ndef f(g, x):\n    return torch.autograd.grad(x, x, g)\n", ["torch.autograd.grad"]),
    ("from torch.autograd import grad as d\ndef f(g, x):\n    return d(x, x, g)\n", ["d (torch.autograd.grad)"]),
    ("import torch.autograd as ag\ndef f(g, x):\n    return ag.grad(x, x, g)\n", ["ag.grad (torch.autograd.grad)"]),
    ("from torch import func as F\ndef f(g, x):\n    return F.vjp(abs, x)\n", ["F.vjp (torch.func.vjp)"]),
    ("import torch\ndef f(g, x):\n    return getattr(torch.autograd, 'grad')(x, x)\n", ["torch.autograd.grad"]),
    ("def f(g, x):\n    (x * x).backward(g)\n    return x.grad\n", ["Tensor.backward"]),
    ("import torch\ndef h(x):\n    return torch.autograd.functional.vjp(abs, x)\ndef f(g, x):\n    return h(x)\n",
     ["torch.autograd.functional.vjp"]),
    ("import torch\ndef f(g, x):\n    return g * torch.autograd.grad_mode.no_grad\n", []),
    ("import torch\ndef f(g, x):\n    return torch.func.vmap(torch.mul)(g, x)\n", []),
    ("import torch\ndef other(x):\n    return torch.autograd.grad(x, x)\ndef f(g, x):\n    return g * x\n", []),
    ("def f(g, x):\n    return g *\n", []),
])
def test_the_static_check_resolves_imports_and_follows_helpers(source: str, found: list[str]) -> None:
    assert static.violations(source.encode(), "f") == found


# ---------------------------------------------------------------- isolation layers on this machine


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with open_sandbox() as box:
        yield box


def test_children_report_the_isolation_layers_this_machine_offers(sandbox: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "binary.py").write_text("def mul_backward(grad, x, y):\n    return grad * y, grad * x\n")
    x = torch.ones(2, dtype=torch.float64)
    job = {"module": "binary", "function": "mul_backward", "dir": str(tmp_path),
           "calls": [{"n_tensors": 3, "params": {}}]}
    run = sandbox.run(job, [x, x, x], Limits(seconds=10))
    assert [meta["kind"] for meta, _ in run.frames] == ["loaded", "result", "done"]
    expected = {"process", "rlimits"}
    abi = landlock.abi_version()
    expected |= {"landlock-fs"} if abi >= 1 else set()
    expected |= {"landlock-tcp"} if abi >= 4 else set()
    expected |= {"landlock-scope"} if abi >= 6 else set()
    expected |= {"netns", "tmpfs", "no-capabilities"} if os.geteuid() == 0 else set()
    assert set(run.layers) == expected
    assert (run.strays == 0 and run.exit_code == 0) or run.signal == 9


def test_the_project_is_not_readable_from_a_child(sandbox: Sandbox, tmp_path: Path) -> None:
    if landlock.abi_version() < 1:
        pytest.skip("needs Landlock")
    secret = ROOT / "solutions" / "binary.py"
    (tmp_path / "binary.py").write_text(
        "import torch\n"
        "def mul_backward(grad, x, y):\n"
        f"    try:\n        open({str(secret)!r}).read()\n        found = 1.0\n"
        "    except OSError:\n        found = 0.0\n"
        "    return torch.full_like(x, found), torch.full_like(y, found)\n")
    x = torch.ones(2, dtype=torch.float64)
    job = {"module": "binary", "function": "mul_backward", "dir": str(tmp_path),
           "calls": [{"n_tensors": 3, "params": {}}]}
    run = sandbox.run(job, [x, x, x], Limits(seconds=10))
    _, returned = run.frames[1]
    assert returned[0].tolist() == [0.0, 0.0], "the child read a file of the project"
