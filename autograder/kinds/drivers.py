"""The table of drivers handed to the sandbox: how the child calls a student's function, by kind of exercise.

Trusted code that runs in the child: the zygote imports it before it forks, so the functions of
:mod:`autograder.library` and the probes of each kind exist there, and hold the real autograd entry points even
after the policy has replaced the public ones. A driver returns the student's result (checked by the grader
like any result) and what it measured about the call (compared like results too).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.autograd.forward_ad  # imported before the fork: the locked-down child finds them loaded
import torch.autograd.functional
import torch.func

from autograder import engine, library
from autograder.kinds import KINDS, programs

Tensor = torch.Tensor
_gradgradcheck = torch.autograd.gradgradcheck


def run(job: dict[str, Any], function: Any, arrays: list[Tensor], params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    """Call the student's ``function`` on one case the way the exercise's driver says."""
    names = job.get("functions") or []
    named = [library.resolve(params[name]) for name in names]
    rest = {k: v for k, v in params.items() if k not in names}
    return KINDS[job.get("driver", "vjp")].drive(function, named, arrays, rest)


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
