"""The grader against the buggy and hostile submissions of AUTOGRADER.md §9, one fixture each.

Each fixture in ``tests/hostile/NN_slug/`` is a submission whose ``binary.py`` implements ``mul_backward``
badly or hostilely (NN is the behaviour's number in the catalogue). Each is graded by the real grader,
together with a correct op in another module (``control``), by one sandbox shared by the whole module.
For every fixture the test checks the claims of the catalogue: the op gets the expected status and
message, scores nothing unless it passed, the control op still passes (one op's failure never changes
another's), the sandbox keeps grading the next fixture, and nothing outside the sandbox was written (the
project checkout and a canary directory are unchanged). Fixtures that need a process-level view (the
secret, the results file, the reference solution) go through the command line instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch

from autograder import registry
from autograder.grading.run import grade, open_sandbox
from autograder.intake.submission import SubmissionError, load
from autograder.report import github, gradescope
from autograder.report.results import OpResult, Report, Status
from autograder.report.text import explain
from autograder.sandbox import landlock
from autograder.sandbox.limits import Limits, MiB
from autograder.sandbox.runner import Sandbox
from tests.conftest import ROOT, run_cli

HOSTILE = ROOT / "tests" / "hostile"
CANARY = Path("/tmp/abh-hostile-canary")
MUL = registry.OPS["mul"]
CONTROL = dataclasses.replace(MUL, name="control", set="elementwise")
CONTROL_SOURCE = """from .helpers import sum_to


def control_backward(grad, x, y):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
"""
NORMAL = Limits(seconds=20.0, memory_bytes=512 * MiB)
SHORT = Limits(seconds=1.5, import_seconds=1.0, memory_bytes=512 * MiB)
LANDLOCK = landlock.abi_version() >= 1
ROOT_USER = os.geteuid() == 0


@dataclasses.dataclass(frozen=True)
class Expect:
    status: Status
    says: str
    """A fragment of the op's explanation (summary, diagnosis, details)."""
    printed: tuple[str, ...] = ()
    """Fragments of what the op printed (its captured output), as the grader keeps it."""
    absent: tuple[str, ...] = ()
    """Fragments that must not appear in the captured output."""
    limits: Limits = NORMAL
    mode: str = "check"
    via: str = "sandbox"
    """``sandbox`` (graded in this process), ``cli`` (its own test, through the command line) or ``own``."""
    needs: str = ""
    """An isolation layer the claim depends on (``landlock``, ``root``): skipped where it is missing."""


TABLE: dict[str, Expect] = {
    # 9.1 buggy, honest submissions
    "01_syntax_error": Expect(Status.INVALID, "could not be imported: SyntaxError: '(' was never closed (line 7)"),
    "01_raises_at_import": Expect(Status.INVALID, "IndexError: index 7 is out of bounds for dimension 0 with size 3 "
                                                  "(line 8)"),
    "02_wrong_signature": Expect(Status.INVALID, "expected mul_backward(grad, x, y); found mul_backward(x, y, grad)"),
    "02_wrong_name": Expect(Status.MISSING, "no function mul_backward in binary.py"),
    "03_stub_left_in": Expect(Status.NOT_IMPLEMENTED, "not implemented yet"),
    "04_single_tensor": Expect(Status.INVALID, "expected a tuple of 2 gradients (grad_x, grad_y), got Tensor"),
    "05_none_for_input": Expect(Status.INVALID, "the gradient for `y` is None, but `y` needs one"),
    "06_numpy_arrays": Expect(Status.INVALID, "must be a plain torch.Tensor, got ndarray"),
    "07_no_broadcast_reduction": Expect(Status.FAILED, "sum the gradient over the broadcast dimensions"),
    "08_swapped": Expect(Status.FAILED, "the gradient for `x` is wrong: largest error"),
    "09_transposed": Expect(Status.FAILED, "reshape or transpose it to (3, 1)"),
    "10_ignores_grad": Expect(Status.FAILED, "when `grad` is all ones"),
    "11_wrong_dtype": Expect(Status.FAILED, "has dtype torch.float32, but `x` has dtype torch.float64"),
    "12_wrong_device": Expect(Status.INVALID, "must be a plain torch.Tensor, got tensor of dtype torch.float64 on "
                                              + ("cuda" if torch.cuda.is_available() else "meta")),
    "13_breaks_on_strided_input": Expect(Status.ERROR, "raised RuntimeError on case «transposed x, expanded y»"),
    "14_mutates_input": Expect(Status.FAILED, "your backward modified its input `x` in place"),
    "15_returns_views": Expect(Status.PASSED, "all 14 cases pass"),
    "16_nan_from_log": Expect(Status.FAILED, "got nan"),
    "17_half_precision": Expect(Status.FAILED, "the gradient for `x` is wrong: largest error"),
    "18_float32_via_float64": Expect(Status.PASSED, "all 14 cases pass"),
    "19_negative_zero": Expect(Status.PASSED, "all 14 cases pass"),
    "20_too_slow": Expect(Status.TIMEOUT, "stopped after 1.5 s", limits=SHORT),
    "21_random_noise": Expect(Status.FAILED, "the gradient for `x` is wrong"),
    "22_shape_keyed_cache": Expect(Status.FAILED, "a VJP is linear in grad"),
    "23_output_flood": Expect(Status.PASSED, "all 14 cases pass", printed=("progress", "noise on stderr",
                                                                           "more bytes of output dropped")),
    "24_autograd_grad": Expect(Status.POLICY, "may not call autograd (torch.autograd.grad)"),
    "24_tensor_backward": Expect(Status.POLICY, "may not call autograd (Tensor.backward)"),
    "24_func_vjp": Expect(Status.POLICY, "may not call autograd (torch.func.vjp)"),
    "24_aliased_import": Expect(Status.POLICY, "may not call autograd (differentiate (torch.autograd.grad))"),
    "24_hidden_in_helper": Expect(Status.POLICY, "may not call autograd (ag.grad (torch.autograd.grad))"),
    "24_obfuscated_getattr": Expect(Status.POLICY, "may not call autograd (torch.autograd.grad)"),
    "24_unwrapped_original": Expect(Status.POLICY, "may not call autograd (the autograd engine (a backward pass))"),
    "25_requires_grad_result": Expect(Status.PASSED, "all 14 cases pass"),
    # 9.2 hostile submissions
    "26_monkeypatch_comparisons": Expect(Status.FAILED, "the gradient for `x` is wrong"),
    "27_tensor_subclass": Expect(Status.INVALID, "must be a plain torch.Tensor, got CheatTensor"),
    "27_always_true": Expect(Status.INVALID, "must be a plain torch.Tensor, got AlwaysTrue"),
    "28_writes_results": Expect(Status.FAILED, "the gradient for `x` is wrong", printed=("refused",),
                                absent=("WROTE", "DELETED"), via="cli", needs="landlock"),
    "29_os_exit_in_backward": Expect(Status.CRASHED, "exited (status 0) before returning a result"),
    "29_sys_exit_in_backward": Expect(Status.ERROR, "raised SystemExit"),
    "29_exit_at_import": Expect(Status.INVALID, "could not be imported: SystemExit"),
    "30_ignores_signals": Expect(Status.TIMEOUT, "stopped after 1.5 s", limits=SHORT),
    "31_sleeps_forever": Expect(Status.TIMEOUT, "stopped after 1.5 s", limits=SHORT),
    "31_busy_loop": Expect(Status.TIMEOUT, "stopped after 1.5 s", limits=SHORT),
    "32_memory_bomb": Expect(Status.OOM, "ran out of memory (limit 512 MiB)"),
    "33_cuda": Expect(Status.ERROR, "CUDA") if not torch.cuda.is_available() else Expect(Status.PASSED, "pass"),
    "34_fork_bomb": Expect(Status.PASSED, "all 14 cases pass", via="own"),
    "35_steals_solutions": Expect(Status.FAILED, "the gradient for `x` is wrong", printed=("refused import",),
                                  absent=("FOUND",), via="cli", needs="landlock"),
    "36_searches_memory": Expect(Status.FAILED, "the gradient for `x` is wrong"),
    "36_reads_secret": Expect(Status.PASSED, "cases pass", printed=("secret not found",), absent=("FOUND",),
                              via="cli"),
    "37_grader_internals": Expect(Status.INVALID, "sent malformed data (expected the result of call 0"),
    "38_reduce_payload": Expect(Status.INVALID, "must be a plain torch.Tensor, got Payload"),
    "38_forged_frames": Expect(Status.INVALID, "sent malformed data"),
    "39_network": Expect(Status.PASSED, "all 14 cases pass", via="own"),
    "40_forged_verdicts": Expect(Status.FAILED, "the gradient for `x` is wrong",
                                 printed=(": :notice title=Autograding complete", "# # [set-output")),
    "41_markup_injection": Expect(Status.ERROR, r"\x1b[32mPASSED\x1b[0m"),
    "42_global_state": Expect(Status.PASSED, "all 14 cases pass"),
    "43_segfault": Expect(Status.CRASHED, "crashed (signal 11)"),
    "43_abort": Expect(Status.CRASHED, "crashed (signal 6)"),
    "44_fills_disk": Expect(Status.ERROR, "File too large", printed=("open files stopped at",)),
    "45_detects_grading": Expect(Status.PASSED, "all 14 cases pass",
                                 printed=("environment keys: HOME,LANG,PATH,TMPDIR,TORCHINDUCTOR_CACHE_DIR\n",)),
    "46_hardcoded_answers": Expect(Status.FAILED, "a VJP is linear in grad", mode="grade"),
    "47_shadow_modules": Expect(Status.PASSED, "all 14 cases pass"),
    "48_symlink_to_solution": Expect(Status.INVALID, "is a symbolic link", via="own"),
    "49_native_code": Expect(Status.PASSED, "all 14 cases pass", printed=("evil.so: OSError",)),
    "50_slow_import": Expect(Status.TIMEOUT, "importing binary.py took longer than 1 s", limits=SHORT, via="own"),
    # 9.3 found by a determined student (issue 16)
    "51_aten_backward_kernel": Expect(Status.POLICY, "may not reach torch's internals or the grader's "
                                                     "(torch.ops.aten.tanh_backward)"),
    "51_module_level_autograd": Expect(Status.POLICY, "may not call autograd (torch.autograd.grad)"),
    "52_policy_switched_off": Expect(Status.POLICY, "policy._enforcing (autograder.sandbox.policy._enforcing)"),
    "53_surrogate_message": Expect(Status.ERROR, "raised ValueError on case «shapes () and (3,)», inputs of shape (), "
                                                 "(3,): bad value \\ud800 here"),
    "54_deeply_nested_code": Expect(Status.INVALID, "your file binary.py could not be imported: MemoryError"),
}


def _needs(expect: Expect) -> None:
    if expect.needs == "landlock" and not LANDLOCK:
        pytest.skip("this claim rests on Landlock, which this kernel does not offer")
    if expect.needs == "root" and not ROOT_USER:
        pytest.skip("this claim rests on layers that need root")


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "site", ".cache"}  # not the venv: 1 GB
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = os.path.join(folder, name)
            with contextlib.suppress(FileNotFoundError):
                st = os.lstat(path)
                found[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with open_sandbox() as box:
        yield box


CANARY_FILES = {"keep.txt": "the canary must survive\n", "secret.txt": "canary-secret-must-stay-unread\n"}


def _plant(path: Path, text: str) -> None:
    """Create `path` holding `text` without touching it when it already does.

    Both pytest-xdist workers share the canary directory and each runs this fixture; rewriting a file
    the other worker is watching would change its mtime in the middle of that worker's test.
    """
    with contextlib.suppress(FileNotFoundError):
        if path.read_text() == text:
            return
    # staged beside the canary directory, not in it, where the other worker's snapshot would see it
    staged = path.parent.with_name(f".{path.parent.name}-{path.name}.{os.getpid()}")
    staged.write_text(text)
    try:
        os.link(staged, path)  # atomic, and refuses to replace a file the other worker just made
    except FileExistsError:
        if path.read_text() != text:  # left damaged by an earlier run: put it right
            os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def canary() -> Path:
    CANARY.mkdir(exist_ok=True)
    for name, text in CANARY_FILES.items():
        _plant(CANARY / name, text)
    return CANARY


@pytest.fixture(autouse=True)
def nothing_written_outside(canary: Path) -> Iterator[None]:
    """Around every test: the project checkout and the canary directory are exactly as they were."""
    before, canary_before = _snapshot(ROOT), _snapshot(canary)
    yield
    assert _snapshot(canary) == canary_before, "a submission changed the canary directory"
    after = _snapshot(ROOT)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the project checkout changed: {changed[:5]}"


def submission(name: str, tmp: Path) -> Path:
    """The fixture's files, plus the reference helpers (unless it ships its own) and the control op."""
    target = tmp / "submission"
    shutil.copytree(HOSTILE / name, target, symlinks=True)
    if not (target / "helpers.py").exists():
        shutil.copy(ROOT / "solutions" / "helpers.py", target / "helpers.py")
    (target / "elementwise.py").write_text(CONTROL_SOURCE)
    return target


def grade_fixture(sandbox: Sandbox, name: str, tmp: Path, ops: list[registry.Op] | None = None) -> Report:
    expect = TABLE[name]
    secret = b"hostile-course-secret" if expect.mode == "grade" else None
    return grade(sandbox, load(submission(name, tmp), list(registry.SETS)), ops or [MUL, CONTROL],
                 mode=expect.mode, secret=secret, limits=expect.limits)


def assert_outcome(result: OpResult, expect: Expect) -> None:
    text = explain(result)
    assert result.status is expect.status, text
    assert expect.says in text, text
    assert result.score == (result.max_score if expect.status is Status.PASSED else 0.0)
    for fragment in expect.printed:
        assert fragment in result.output, result.output[-2000:]
    for fragment in expect.absent:
        assert fragment not in result.output, result.output[-2000:]


def test_every_behaviour_of_the_catalogue_has_a_fixture_and_an_expected_outcome() -> None:
    fixtures = {p.name for p in HOSTILE.iterdir() if p.is_dir()}
    assert fixtures == set(TABLE), fixtures ^ set(TABLE)
    assert {int(name[:2]) for name in fixtures} == set(range(1, 55))
    assert all((HOSTILE / name / "binary.py").is_file() or (HOSTILE / name / "binary.py").is_symlink()
               for name in fixtures)


IN_PROCESS = [name for name, e in TABLE.items() if e.via == "sandbox"]


@pytest.mark.parametrize("name", IN_PROCESS)
def test_fixture_gets_its_typed_outcome_and_nothing_else_changes(name: str, sandbox: Sandbox,
                                                                 tmp_path: Path) -> None:
    expect = TABLE[name]
    _needs(expect)
    report = grade_fixture(sandbox, name, tmp_path)
    mul, control = report.results
    assert_outcome(mul, expect)
    assert control.status is Status.PASSED, explain(control)
    assert report.score == mul.score + control.max_score
    os.kill(sandbox.pid, 0)  # the zygote is alive, ready for the next fixture
    CHECKS.get(name, lambda r: None)(report)


def _output_is_capped(report: Report) -> None:
    [mul, _] = report.results
    assert len(mul.output.encode()) < NORMAL.output_bytes + 200


def _grader_state_untouched(report: Report) -> None:
    assert torch.get_default_dtype() is torch.float32 and torch.is_grad_enabled()


def _inert_in_every_format(report: Report) -> None:
    [mul, _] = report.results
    assert "\x1b" not in explain(mul) and "\x1b" not in mul.summary
    summary = github.render(report)
    assert "<script>" not in summary and "<img" not in summary
    results = json.loads(gradescope.render(report))
    assert results["tests"][0]["output_format"] == "text" and "\x1b" not in results["tests"][0]["output"]


def _no_workflow_command_survives(report: Report) -> None:
    [mul, _] = report.results
    commands = [line for line in explain(mul).splitlines() if re.match(r"\s*(::|##\[)", line)]
    assert not commands, commands


def _linearity_catches_the_lookup_table(report: Report) -> None:
    """The table answers every visible input, yet fails the linearity case: same inputs, another grad."""
    [mul, _] = report.results
    assert mul.failure is not None and not mul.failure.hidden
    assert "linear in grad" in mul.failure.case, "the table answers inputs it has seen, whatever grad is"


def _only_exercise_modules_were_taken(report: Report) -> None:
    taken = load(HOSTILE / "47_shadow_modules", list(registry.SETS)).files
    assert set(taken) == {"binary.py"}


CHECKS: dict[str, Callable[[Report], None]] = {
    "23_output_flood": _output_is_capped,
    "40_forged_verdicts": _no_workflow_command_survives,
    "41_markup_injection": _inert_in_every_format,
    "42_global_state": _grader_state_untouched,
    "46_hardcoded_answers": _linearity_catches_the_lookup_table,
    "47_shadow_modules": _only_exercise_modules_were_taken,
}


def _bombs() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "abh-bomb":
                    found.append(int(entry.name))
    return found


def test_processes_left_behind_are_killed_after_the_op(sandbox: Sandbox, tmp_path: Path) -> None:
    assert not _bombs(), "abh-bomb processes exist before the test"
    report = grade_fixture(sandbox, "34_fork_bomb", tmp_path)
    mul, control = report.results
    assert_outcome(mul, TABLE["34_fork_bomb"])
    assert control.status is Status.PASSED
    time.sleep(0.2)  # a survivor would keep spawning: give it the chance to show up
    assert not _bombs(), "processes started by the submission survived it"


@pytest.fixture
def listeners() -> Iterator[list[socket.socket]]:
    """A TCP and a UDP listener on the first free port the fixture tries, and an abstract Unix socket."""
    opened = []
    for port in range(47311, 47316):
        try:
            tcp = socket.create_server(("127.0.0.1", port))
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind(("127.0.0.1", port))
        except OSError:
            continue
        opened += [tcp, udp]
        break
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind("\0abh-hostile-net")
    unix.listen()
    opened.append(unix)
    for s in opened:
        s.setblocking(False)
    yield opened
    for s in opened:
        s.close()


def test_no_network_from_student_code(sandbox: Sandbox, tmp_path: Path, listeners: list[socket.socket]) -> None:
    if not (ROOT_USER or landlock.abi_version() >= 6):
        pytest.skip("needs a network namespace (root) or Landlock ABI 6")
    assert len(listeners) == 3, "no free port for the TCP and UDP listeners"
    report = grade_fixture(sandbox, "39_network", tmp_path)
    mul, _ = report.results
    assert_outcome(mul, TABLE["39_network"])
    assert "refused tcp" in mul.output and "refused abstract unix socket" in mul.output
    for s in listeners:
        with pytest.raises(BlockingIOError):
            s.accept() if s.type == socket.SOCK_STREAM else s.recvfrom(64)


def test_a_symlinked_file_is_rejected_before_anything_runs() -> None:
    with pytest.raises(SubmissionError, match=TABLE["48_symlink_to_solution"].says):
        load(HOSTILE / "48_symlink_to_solution", list(registry.SETS))


def test_a_slow_import_times_out_once_for_its_whole_module(sandbox: Sandbox, tmp_path: Path) -> None:
    again = dataclasses.replace(MUL, name="mul_again")
    started = time.monotonic()
    report = grade_fixture(sandbox, "50_slow_import", tmp_path, [MUL, again, CONTROL])
    mul, mul_again, control = report.results
    assert_outcome(mul, TABLE["50_slow_import"])
    assert mul_again.status is Status.TIMEOUT and mul_again.summary == mul.summary and mul_again.seconds == 0
    assert control.status is Status.PASSED
    assert time.monotonic() - started < 2 * SHORT.seconds + 5


def cli_grade(name: str, tmp: Path, *args: str,
              env: dict[str, str] | None = None) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Grade the fixture's ``mul`` with the command line; returns the JSON report and the process."""
    out = tmp / "results" / "report.json"
    result = run_cli("grade", str(submission(name, tmp)), "--ops", "mul", "--format", "json", "--output", str(out),
                     *args, env=env)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(out.read_text()), result


def _result_of(data: dict) -> OpResult:
    [raw] = data["results"]
    raw = {**raw, "status": Status(raw["status"]), "failure": None}
    return OpResult(**raw)


def test_a_forged_results_file_has_no_effect(tmp_path: Path, secret_file: Path) -> None:
    expect = TABLE["28_writes_results"]
    _needs(expect)
    data, _ = cli_grade("28_writes_results", tmp_path, "--secret-file", str(secret_file))
    assert_outcome(_result_of(data), expect)
    assert data["score"] == 0 and data["mode"] == "grade"


def test_the_reference_solution_is_out_of_reach(tmp_path: Path) -> None:
    expect = TABLE["35_steals_solutions"]
    _needs(expect)
    data, _ = cli_grade("35_steals_solutions", tmp_path, "--visible-only")
    result = _result_of(data)
    assert_outcome(result, expect)
    for attempt in ("read solutions/binary.py", "read the canary secret", "list the project", "list /tmp"):
        assert f"refused {attempt}" in result.output


def test_the_secret_is_invisible_to_student_code(tmp_path: Path) -> None:
    secret = f"hostile-secret-{os.getpid()}-{time.time_ns()}"
    data, result = cli_grade("36_reads_secret", tmp_path, env={"AUTOGRADER_SECRET": secret})
    assert data["mode"] == "grade", "the grader did not take the secret from the environment"
    assert_outcome(_result_of(data), TABLE["36_reads_secret"])
    assert secret not in json.dumps(data) + result.stdout + result.stderr
    if LANDLOCK:
        for where in ("/proc/self/environ", "/proc/parent/environ", "/proc/parent/mem"):
            assert f"{where}: PermissionError" in _result_of(data).output


def test_the_sandbox_still_grades_after_every_fixture(sandbox: Sandbox, tmp_path: Path) -> None:
    report = grade(sandbox, load(ROOT / "solutions", list(registry.SETS)), [MUL], mode="grade",
                   secret=b"after-the-storm", limits=NORMAL)
    assert report.results[0].status is Status.PASSED
