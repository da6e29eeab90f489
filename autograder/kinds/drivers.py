"""How the sandboxed child calls a student's function, one driver per kind of exercise.

Trusted code that runs in the child: the zygote imports it before it forks, so the functions of
:mod:`autograder.library` and the probes below exist there, and hold the real autograd entry points even after
the policy has replaced the public ones. A driver returns the student's result (checked by the grader like any
result) and what it measured about the call (compared like results too).

- ``vjp`` and ``call``: ``function(*functions, *tensors, **params)``;
- ``modes``: the same, and whether the student evaluated the library function in forward mode, reverse mode
  or both, counted by an identity op on its output whose forward-mode and reverse-mode rules count calls;
- ``engine``: the case's graph program (:mod:`autograder.kinds.programs`) on the numpy tensors of
  :mod:`autograder.engine`, differentiated by the student's own ``backward(root, gradient, *, retain_graph)``;
- ``function``: the student's ``torch.autograd.Function`` subclass is probed: its output, its backward for a
  cotangent ``v``, the derivative of that backward for a cotangent ``u`` (so the backward must be
  differentiable), and ``gradgradcheck`` in float64.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import redirect_stdout
from typing import Any

import torch
import torch.autograd.forward_ad  # imported before the fork: the locked-down child finds them loaded
import torch.autograd.functional
import torch.func

from autograder import engine, library
from autograder.kinds import programs
from autograder.sandbox import policy

Tensor = torch.Tensor
Driver = Callable[[Any, list[Callable[..., Tensor]], list[Tensor], dict[str, Any]], tuple[Any, list[Tensor]]]

_grad = torch.autograd.grad  # the real one: the policy replaces the public name inside the child
_gradgradcheck = torch.autograd.gradgradcheck


def _plain(function: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
           params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    return function(*named, *arrays, **params), []


_passes = {"forward": 0, "reverse": 0}
_reported = False


class _CountPasses(torch.autograd.Function):
    """The identity, counting how often autograd runs its forward-mode and reverse-mode rules."""

    generate_vmap_rule = True  # jacfwd and jacrev batch their passes with vmap: one batched pass counts once

    @staticmethod
    def forward(y: Tensor) -> Tensor:
        return y.clone()

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Tensor) -> None:
        pass

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        _passes["reverse"] += 1
        return grad

    @staticmethod
    def jvp(ctx: Any, tangent: Tensor) -> Tensor:
        _passes["forward"] += 1
        return tangent


def _modes(function: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
           params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    _passes.update(forward=0, reverse=0)
    counted = [lambda *xs, f=f: _CountPasses.apply(f(*xs)) for f in named]
    out = function(*counted, *arrays, **params)
    used = [torch.tensor(float(_passes[mode] > 0), dtype=torch.float64) for mode in ("forward", "reverse")]
    return out, used


def _autograd_function(cls: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
                       params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    if not (isinstance(cls, type) and issubclass(cls, torch.autograd.Function)):
        raise TypeError(f"{getattr(cls, '__name__', cls)} must be a class derived from torch.autograd.Function")
    x, v, u = arrays
    leaf = x.detach().clone().requires_grad_()
    with torch.enable_grad():
        out = cls.apply(leaf)
        if type(out) is not Tensor or out.shape != x.shape:
            got = f"shape {tuple(out.shape)}" if isinstance(out, Tensor) else type(out).__qualname__
            raise TypeError(f"forward must return a tensor of x's shape {tuple(x.shape)}, got {got}")
        (grad_x,) = _grad(out, leaf, v, create_graph=True)
        if not grad_x.requires_grad:
            raise RuntimeError("the gradient your backward returned cannot be differentiated again: compute it with "
                               "torch operations from tensors saved with ctx.save_for_backward (no .detach(), no "
                               "torch.no_grad(), no values computed inside forward)")
        (grad_grad_x,) = _grad(grad_x, leaf, u, allow_unused=True, materialize_grads=True)
    return (out.detach(), grad_x.detach(), grad_grad_x.detach()), [_gradgradcheck_passed(cls, x)]


def _gradgradcheck_passed(cls: Any, x: Tensor) -> Tensor:
    """1 when ``gradgradcheck`` passes in float64 (its report is printed when it does not), else 0."""
    if x.dtype != torch.float64:
        return torch.tensor(1.0, dtype=torch.float64)  # finite differences need float64: not checked here
    report = io.StringIO()
    with policy.suspended(), redirect_stdout(report):
        try:
            _gradgradcheck(cls.apply, (x.detach().clone().requires_grad_(),))
            passed = True
        except Exception as err:  # GradcheckError, or an error from the student's backward
            passed = False
            first = str(err).strip().splitlines()[:6]
            print("gradgradcheck failed:", *first, sep="\n  ", file=report)
    global _reported
    if not passed and not _reported:  # the first failure explains; the same report for every case would not
        print(report.getvalue(), end="")
        _reported = True
    return torch.tensor(float(passed), dtype=torch.float64)


def _engine(backward: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
            params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    """The case's graph program built on :class:`autograder.engine.Tensor`, differentiated by the student's
    ``backward``: see :mod:`autograder.kinds.programs`."""
    (numbers,) = arrays
    return programs.run(programs.Program.from_params(params["program"]), numbers,
                        programs.EngineBackend(backward)), []


DRIVERS: dict[str, Driver] = {"vjp": _plain, "call": _plain, "modes": _modes, "function": _autograd_function,
                              "engine": _engine}


def run(job: dict[str, Any], function: Any, arrays: list[Tensor], params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    """Call the student's ``function`` on one case the way the exercise's driver says."""
    names = job.get("functions") or []
    named = [library.resolve(params[name]) for name in names]
    rest = {k: v for k, v in params.items() if k not in names}
    return DRIVERS[job.get("driver", "vjp")](function, named, arrays, rest)


def warm_up() -> None:
    """Run each autograd route once (tiny, single-threaded), so that whatever torch imports or reads from disk
    on first use (sympy for shape checks, source lines for functorch) is in memory before children fork."""
    x = torch.ones(2, dtype=torch.float64, requires_grad=True)
    (x * x).backward(torch.ones(2, dtype=torch.float64))
    torch.autograd.grad((x * x).sum(), x, create_graph=True)
    torch.autograd.functional.jacobian(torch.sin, x.detach())
    for transform in (torch.func.jacrev, torch.func.jacfwd, torch.func.hessian):
        transform(lambda t: t.sin().sum())(x.detach())
    torch.func.jvp(torch.sin, (x.detach(),), (torch.ones(2, dtype=torch.float64),))
    with torch.autograd.forward_ad.dual_level():
        torch.autograd.forward_ad.unpack_dual(torch.autograd.forward_ad.make_dual(x.detach(), x.detach()).sin())
    _gradgradcheck(torch.sin, (x.detach().clone().requires_grad_(),))
    leaf = engine.Tensor([1.0, 2.0], requires_grad=True)
    out = (leaf * leaf + 1.0).exp().tanh().sum()
    out.parents[0].vjp(out.vjp(1.0)[0])
    program = programs.Program((((2,), True),), (("mul", 0, 0), ("sum", 1)), (programs.Call(2, None),))
    programs.run(program, torch.ones(2, dtype=torch.float64), programs.TorchBackend())
