"""Plans: which cases an op is graded on, their cotangents, and the seeds that make them.

Visible cases come from one fixed seed (the same for everyone); hidden ones from a seed derived from the
instructor's secret and the submission's hash, so a regrade of the same files gives the same cases.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import torch

from autograder.grading import reference
from autograder.registry import Case, Op

Tensor = torch.Tensor


@dataclass(frozen=True)
class Plan:
    """One op's cases with their cotangents, the expected gradients computed lazily."""

    op: Op
    cases: list[Case]
    grads: list[Tensor | None]
    """The cotangent of each case (``None`` for exercises that are not VJPs)."""
    hidden: list[bool]


def hidden_seed(secret: bytes, digest: str) -> int:
    """Seed for hidden cases: unknown without the secret, the same for every regrade of the same files."""
    return int.from_bytes(hmac.new(secret, digest.encode(), hashlib.sha256).digest()[:8], "big") >> 1


def op_seed(seed: int, op: Op) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{op.name}".encode()).digest()[:8], "big") >> 1


def plan(op: Op, seeds: dict[str, int]) -> Plan:
    cases: list[Case] = []
    hidden: list[bool] = []
    grads: list[Tensor | None] = []
    for kind, seed in seeds.items():
        gen = torch.Generator().manual_seed(op_seed(seed, op))
        made = op.cases(gen)
        if kind == "visible":
            made += [c.case() for c in op.conventions]
        if not op.takes_grad:
            grads += [None] * len(made)
            cases += made
            hidden += [kind == "hidden"] * len(made)
            continue
        made_grads = [reference.cotangent(reference.forward(op, case), gen) for case in made]
        base = next((i for i, c in enumerate(made) if not c.empty and made_grads[i].numel() > 1), None)
        if base is not None:  # linearity in grad: the same inputs with 2g - 3g' must give 2 VJP(g) - 3 VJP(g')
            other = reference.cotangent(reference.forward(op, made[base]), gen)
            made.append(Case(f"{made[base].label}, with grad = 2g - 3g' (a VJP is linear in grad)",
                             made[base].inputs, dict(made[base].params)))
            made_grads.append(2 * made_grads[base] - 3 * other)
        grads += made_grads
        cases += made
        hidden += [kind == "hidden"] * len(made)
    order = sorted(range(len(cases)), key=lambda i: (hidden[i], cases[i].empty, cases[i].size))
    return Plan(op, [cases[i] for i in order], [grads[i] for i in order], [hidden[i] for i in order])


def expectations(op: Op, p: Plan) -> list[list[Tensor | None]]:
    """The right answer of every case: torch autograd's VJP, or the exercise's own ``expected``."""
    return [reference.vjp(op, case, grad) if grad is not None else op.expected(case)
            for case, grad in zip(p.cases, p.grads, strict=True)]
