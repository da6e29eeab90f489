"""The tensor class students build their ``backward()`` on, and the graph programs that grade it."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder import registry
from autograder.common.settings import VISIBLE_SEED
from autograder.engine import SECOND_TIME, Tensor
from autograder.grading.plan import plan
from autograder.grading.run import grade, open_sandbox
from autograder.intake.submission import load
from autograder.kinds import drivers, programs
from autograder.kinds.programs import Call, Program
from autograder.registry import engine as engine_set
from autograder.report.results import Status
from autograder.sandbox.limits import Limits
from tests.conftest import ROOT, load_module

ENGINE_OPS = registry.SETS["engine"]


def _torch_grads(make, *arrays: np.ndarray) -> list[np.ndarray]:
    leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    make(*leaves).sum().backward()
    return [leaf.grad.numpy() for leaf in leaves]


@pytest.mark.parametrize(("name", "make", "shapes"), [
    ("add, broadcast", lambda a, b: a + b, [(2, 3), (3,)]),
    ("add, stretched size-1 dims", lambda a, b: a + b, [(3, 1), (1, 4)]),
    ("mul, broadcast", lambda a, b: a * b, [(2, 3), ()]),
    ("mul, same shape", lambda a, b: a * b, [(4,), (4,)]),
    ("exp", lambda a: a.exp(), [(3,)]),
    ("tanh", lambda a: a.tanh(), [(2, 2)]),
    ("sum", lambda a: a.sum(), [(2, 3)]),
])
def test_the_given_vjp_rules_agree_with_torch(name: str, make, shapes) -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=s) for s in shapes]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = make(*tensors)
    grad = rng.normal(size=out.shape)
    ours = out.vjp(grad)
    leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    theirs = torch.autograd.grad(make(*leaves), leaves, torch.tensor(grad))
    for o, t in zip(ours, theirs, strict=True):
        assert o.shape == tuple(t.shape)
        np.testing.assert_allclose(o, t.numpy(), rtol=1e-12)


def test_release_frees_saved_values_and_a_later_vjp_raises_torchs_error() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp()
    y.release()
    assert y.freed
    with pytest.raises(RuntimeError, match="backward through the graph a second time") as err:
        y.vjp(np.ones(2))
    assert str(err.value) == SECOND_TIME


def test_ops_that_save_nothing_can_run_their_rule_after_release_as_in_torch() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    for out in (x + x, x.sum()):
        out.release()
        assert not out.freed
        out.vjp(np.ones(out.shape))


def test_ops_on_constants_make_constant_leaves() -> None:
    c = Tensor([1.0, 2.0])
    y = (c * c).exp()
    assert y.is_leaf and not y.requires_grad and y.parents == ()
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        y.retain_grad()


def test_results_remember_parents_op_and_are_not_leaves() -> None:
    x = Tensor(2.0, requires_grad=True)
    c = Tensor(3.0)
    y = x * c
    assert y.parents == (x, c) and y.op == "mul" and not y.is_leaf and y.requires_grad
    assert [float(g) for g in y.vjp(1.0)] == [3.0, 2.0]


@pytest.mark.parametrize("op", ENGINE_OPS, ids=lambda op: op.name)
def test_a_label_that_quotes_torchs_error_is_a_case_where_torch_raises_it(op: registry.Op) -> None:
    for case in plan(op, {"visible": VISIBLE_SEED}).cases:
        codes = {int(c) for c in op.expected(case)[0].tolist()} - {0}
        quoted = {code for code, phrase in programs.ERRORS.items() if phrase.split(" and ")[0][:25] in case.label}
        assert codes == quoted, f"{case.label}: torch raises {codes}"


@pytest.mark.parametrize("op", ENGINE_OPS, ids=lambda op: op.name)
def test_hidden_cases_are_other_graphs(op: registry.Op) -> None:
    visible = plan(op, {"visible": VISIBLE_SEED}).cases
    hidden = plan(op, {"hidden": 99}).cases
    same = plan(op, {"visible": VISIBLE_SEED}).cases
    assert [c.params for c in visible] == [c.params for c in same]
    random = [c for c in hidden if "random" in c.label]
    assert random and all(c.params not in [v.params for v in visible] for c in random)


def test_random_graphs_reuse_values_and_end_in_a_result_that_requires_grad() -> None:
    gen = torch.Generator().manual_seed(3)
    fan_out = 0
    for _ in range(40):
        leaves, ops = engine_set.random_graph(gen, (3,), 8)
        program = Program(leaves, ops)
        assert program.requires_grad()[-1]
        used = [i for _, *operands in ops for i in operands]
        fan_out += len(used) > len(set(used))
    assert fan_out > 20


def test_a_failed_case_prints_a_program_that_reruns_it() -> None:
    """The reproduction is real code: run with the reference backward, it prints torch's gradients."""
    op = registry.OPS["engine_order"]
    case = next(c for c in plan(op, {"visible": VISIBLE_SEED}).cases if c.label.startswith("a diamond"))
    code = engine_set.repro(case).replace("from exercises.engine import backward", "")
    namespace = {"backward": load_module(ROOT / "solutions/engine.py", "_solutions_engine").backward}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(code, namespace)  # our own generated code
    program = Program.from_params(case.params["program"])
    leaves = [namespace[program.names[i]] for i in program.watched]
    rounded = torch.tensor(np.round(case.inputs[0].numpy(), 4))
    _, _, grads, _ = programs.run(program, rounded, programs.TorchBackend())
    np.testing.assert_allclose(np.concatenate([leaf.grad.reshape(-1) for leaf in leaves]), grads[-1].numpy())
    assert "array" in out.getvalue() or "[" in out.getvalue()


def test_explanations_name_the_programs_tensors_and_calls() -> None:
    op = registry.OPS["engine_leaves"]
    case = next(c for c in plan(op, {"visible": VISIBLE_SEED}).cases if c.label.startswith("a constant leaf"))
    expected = op.expected(case)
    wrong = [t.clone() if t is not None else None for t in expected]
    wrong[1][0, 1] = 1.0  # the constant x1 has a .grad
    lines = engine_set.explain(case, 1, expected, wrong)
    assert lines == ["after call 1, backward(y2): x1.grad should be None; yours is [0.0, 0.0, 0.0]"]
    codes = expected[0].clone()
    codes[0] = 3
    assert "yours raised RuntimeError(\"Trying to backward" in engine_set.explain(case, 0, expected,
                                                                                 [codes, *expected[1:]])[0]


def test_programs_round_trip_through_json_params() -> None:
    program = Program((((3,), True), ((), False)), (("mul", 0, 1), ("sum", 2)), (Call(3, None, True), Call(3, ())),
                      (2,), (0, 2), True)
    assert Program.from_params(json.loads(json.dumps(program.to_params()))) == program


TORCH_ENGINE = '''
import numpy as np
import torch


def backward(root, gradient=None, *, retain_graph=False):
    """Rebuilds the graph in torch and lets torch's engine do the work: refused."""
    leaf = torch.tensor(root.data, requires_grad=True)
    (leaf * 1.0).sum().backward()
'''


def test_an_engine_that_hands_the_work_to_torch_autograd_is_refused(tmp_path: Path) -> None:
    (tmp_path / "engine.py").write_text(TORCH_ENGINE)
    with open_sandbox() as sandbox:
        report = grade(sandbox, load(tmp_path, list(registry.SETS)), ENGINE_OPS, mode="check", secret=None,
                       limits=Limits())
    assert [r.status for r in report.results] == [Status.POLICY] * len(ENGINE_OPS)
    assert "Tensor.backward" in report.results[0].summary


def test_on_many_hidden_seeds_two_correct_engines_agree_with_torch_and_every_gradient_is_finite() -> None:
    """Hidden graphs are drawn from a seed nobody can predict: none of them may make a correct engine fail."""
    engines = [load_module(ROOT / "solutions/engine.py", "_solutions_engine").backward,
               load_module(ROOT / "tests/alternatives/engine.py", "_alternative_engine").backward]
    for seed in range(25):
        for op in ENGINE_OPS:
            for case in plan(op, {"hidden": seed}).cases:
                expected = op.expected(case)
                assert torch.isfinite(expected[2]).all(), case.label
                for backward in engines:
                    got, _ = drivers.run({"driver": "engine"}, backward, list(case.inputs), dict(case.params))
                    for g, e in zip(got, expected, strict=True):
                        if e is not None:
                            rtol, atol = op.tolerance(torch.float64)
                            torch.testing.assert_close(g, e, rtol=rtol, atol=atol)
