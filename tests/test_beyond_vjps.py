"""Exercises beyond single-op VJPs: the function library, the drivers, the per-exercise policy and the pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from autograder import library, registry
from autograder.common.settings import VISIBLE_SEED
from autograder.course import pages
from autograder.grading import static
from autograder.grading.plan import plan
from autograder.grading.run import grade, open_sandbox
from autograder.intake.submission import load
from autograder.kinds import drivers
from autograder.report.results import Status
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Sandbox
from tests.conftest import ROOT, load_module

BEYOND = ("semantics", "higher_order", "forward_mode")
JVPS = [op for op in registry.SETS["forward_mode"] if op.name.endswith("_jvp")]


@pytest.fixture(scope="module")
def sandbox():
    with open_sandbox() as box:
        yield box


def graded(sandbox: Sandbox, tmp_path: Path, module: str, source: str, op: str) -> tuple[Status, str]:
    (tmp_path / f"{module}.py").write_text(source)
    report = grade(sandbox, load(tmp_path, list(registry.SETS)), [registry.OPS[op]], mode="check", secret=None,
                   limits=Limits())
    [result] = report.results
    return result.status, result.summary + "\n" + result.output


# --- the library of functions passed by name ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(library.VECTOR))
def test_library_functions_are_deterministic_and_work_in_both_modes(name: str) -> None:
    f = library.resolve(name)
    x = torch.randn(3, dtype=torch.float64)
    assert torch.equal(f(x), f(x.clone()))
    v = torch.randn(3, dtype=torch.float64)
    _, forward = torch.func.jvp(f, (x,), (v,))
    jac = torch.autograd.functional.jacobian(f, x)
    torch.testing.assert_close(forward, (jac.reshape(-1, 3) @ v).reshape(forward.shape))
    assert f(x.float()).dtype == torch.float32


@pytest.mark.parametrize("name", sorted(library.SCALAR))
def test_scalar_library_functions_have_coupled_second_derivatives(name: str) -> None:
    f = library.resolve(name)
    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    assert f(x).dim() == 0
    assert torch.autograd.gradgradcheck(f, (x,))
    hessian = torch.autograd.functional.hessian(f, x.detach())
    if name != "radius":  # every other one couples neighbouring entries: the Hessian is not diagonal
        assert (hessian - torch.diag(hessian.diagonal())).abs().max() > 1e-3


# --- forward-mode rules, checked without torch.func -------------------------------------------------------

@pytest.mark.parametrize("op", JVPS, ids=lambda op: op.name)
def test_jvp_solutions_match_central_finite_differences(op: registry.Op) -> None:
    solution = getattr(load_module(ROOT / "solutions/forward_mode.py", "_solutions"), op.function)
    eps, checked = 1e-6, 0
    for case in plan(op, {"visible": VISIBLE_SEED}).cases:
        n = len(case.inputs) // 2
        primals, tangents = case.inputs[:n], case.inputs[n:]
        if any(t.dtype != torch.float64 or t.numel() == 0 or t.abs().max() > 100 for t in primals):
            continue
        up = op.forward(*(p + eps * t for p, t in zip(primals, tangents, strict=True)), **case.params)
        down = op.forward(*(p - eps * t for p, t in zip(primals, tangents, strict=True)), **case.params)
        (got,) = solution(*case.inputs, **case.params)
        torch.testing.assert_close(got, (up - down) / (2 * eps), rtol=1e-5, atol=1e-6)
        checked += 1
    assert checked >= 3


# --- the drivers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("how", "used"), [
    (lambda f, x: torch.func.jacfwd(f)(x), [1.0, 0.0]),
    (lambda f, x: torch.func.jacrev(f)(x), [0.0, 1.0]),
    (lambda f, x: torch.autograd.functional.jacobian(f, x), [0.0, 1.0]),
    (lambda f, x: torch.autograd.functional.jacobian(f, x, vectorize=True, strategy="forward-mode"), [1.0, 0.0]),
    (lambda f, x: torch.func.jvp(f, (x,), (torch.ones_like(x),))[1], [1.0, 0.0]),
    (lambda f, x: f(x.requires_grad_()).sum().backward(), [0.0, 1.0]),
    (lambda f, x: f(x), [0.0, 0.0]),
], ids=["jacfwd", "jacrev", "jacobian", "jacobian-forward", "jvp", "backward", "no-derivative"])
def test_the_modes_driver_sees_which_mode_evaluated_the_function(how, used: list[float]) -> None:
    job = {"driver": "modes", "functions": ["f"]}
    _, measured = drivers.run(job, lambda f, x: how(f, x), [torch.randn(3, dtype=torch.float64)],
                              {"f": "tanh_layer"})
    assert [m.item() for m in measured] == used


def test_the_function_probe_explains_what_is_not_an_autograd_function() -> None:
    job = {"driver": "function"}
    x = torch.randn(3, dtype=torch.float64)
    with pytest.raises(TypeError, match=r"derived from torch\.autograd\.Function"):
        drivers.run(job, lambda t: t * torch.sin(t), [x, x, x], {})

    class Scalar(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return (t * torch.sin(t)).sum()

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(TypeError, match="x's shape"):
        drivers.run(job, Scalar, [x, x, x], {})


def test_accumulating_micro_batches_is_full_batch_descent() -> None:
    """The claim the accumulate_steps page makes: micro-batches of 1, of 2 and the whole batch agree."""
    solution = load_module(ROOT / "solutions/semantics.py", "_solutions").accumulate_steps
    w, xs, ys = (torch.randn(shape, dtype=torch.float64) for shape in ((3,), (4, 3), (4,)))
    runs = [solution(library.tanh_linear, w, xs, ys, micro=micro, lr=0.1, steps=3) for micro in (1, 2, 4)]
    for w_final, grad in runs[1:]:
        torch.testing.assert_close(w_final, runs[0][0])
        torch.testing.assert_close(grad, runs[0][1])


# --- the per-exercise policy ------------------------------------------------------------------------------

def test_a_forbidden_helper_is_refused_when_called_however_it_is_spelled(sandbox: Sandbox, tmp_path: Path) -> None:
    source = ("import torch\n\ndef jacobian_rows(f, x):\n"
              "    helper = getattr(torch.autograd.functional, 'jac' + 'obian')\n    return (helper(f, x),)\n")
    assert not static.violations(source.encode(), "jacobian_rows", registry.OPS["jacobian_rows"].forbidden)
    status, summary = graded(sandbox, tmp_path, "semantics", source, "jacobian_rows")
    assert status is Status.POLICY and "torch.autograd.functional.jacobian" in summary
    assert "one backward() call per row" in summary


def test_a_forbidden_helper_imported_under_another_name_is_named_in_full() -> None:
    source = b"from torch.autograd.functional import hessian as H\n\ndef hessian(f, x):\n    return (H(f, x),)\n"
    found = static.violations(source, "hessian", registry.OPS["hessian"].forbidden)
    assert found == ["H (torch.autograd.functional.hessian)"]


def test_allowed_autograd_is_not_refused_and_plain_attribute_reads_are_not_calls() -> None:
    source = (b"import torch\n\ndef jacobian_rows(f, x):\n    x = x.detach().requires_grad_()\n"
              b"    out = f(x)\n    out.backward(torch.ones_like(out))\n    return (x.grad,)\n")
    assert static.violations(source, "jacobian_rows", registry.OPS["jacobian_rows"].forbidden) == []
    assert static.violations(source, "jacobian_rows", registry.OPS["x_sin_x"].forbidden) == ["out.backward"]


def test_autograd_inside_a_custom_function_is_refused_but_the_probe_still_runs(sandbox: Sandbox,
                                                                               tmp_path: Path) -> None:
    source = (ROOT / "solutions/higher_order.py").read_text().replace(
        "        return grad * (torch.sin(x) + x * torch.cos(x))",
        "        with torch.enable_grad():\n            leaf = x.detach().requires_grad_()\n"
        "            g = getattr(torch.autograd, 'grad')\n"
        "            return g(leaf * torch.sin(leaf), leaf, grad, create_graph=True)[0]")
    status, summary = graded(sandbox, tmp_path, "higher_order", source, "x_sin_x")
    assert status is Status.POLICY and "torch.autograd.grad" in summary


def test_the_jvp_exercises_refuse_autograd(sandbox: Sandbox, tmp_path: Path) -> None:
    source = ("import torch\n\ndef exp_jvp(x, x_dot):\n"
              "    return (getattr(getattr(torch, 'fu' + 'nc'), 'jvp')(torch.exp, (x,), (x_dot,))[1],)\n")
    status, summary = graded(sandbox, tmp_path, "forward_mode", source, "exp_jvp")
    assert status is Status.POLICY and "torch.func.jvp" in summary and "JVP rule by hand" in summary


def test_a_failing_gradgradcheck_is_reported_with_its_report(sandbox: Sandbox, tmp_path: Path) -> None:
    source = (ROOT / "solutions/higher_order.py").read_text().replace(
        "ctx.save_for_backward(x)  #", "ctx.save_for_backward(x, torch.cos(x))  #").replace(
        "        (x,) = ctx.saved_tensors\n        return grad * (torch.sin(x) + x * torch.cos(x))",
        "        x, cos_x = ctx.saved_tensors\n        return grad * (torch.sin(x) + x * cos_x)")
    status, text = graded(sandbox, tmp_path, "higher_order", source, "x_sin_x")
    assert status is Status.FAILED and "grad_grad_x" in text and "gradgradcheck failed" in text


# --- pages ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("op", [op for s in BEYOND for op in registry.SETS[s]], ids=lambda op: op.name)
def test_pages_of_exercises_that_are_not_vjps_have_their_own_sections(op: registry.Op) -> None:
    page = pages.op_page(op)
    assert op.signature in page and "## Common mistakes" in page and "## How it is tested" in page
    assert all(f"## {heading}" in page for heading, _ in op.page.sections)
    assert "## The vector-Jacobian product" not in page and "## Convention at special points" not in page
    assert all(f"`{name}`" in page for name in op.forbidden)
    if op.functions:
        used = {c.params[f] for c in op.cases(torch.Generator().manual_seed(1)) for f in op.functions}
        assert all(f"| `{name}` |" in page for name in used)


def test_vjp_pages_keep_their_sections_and_sets_beyond_have_an_intro() -> None:
    assert "## The vector-Jacobian product" in pages.op_page(registry.OPS["mul"])
    for name in BEYOND:
        assert pages.SET_INTROS[name] in pages.set_index(name)
