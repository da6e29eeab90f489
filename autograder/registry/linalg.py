"""Set ``linalg``: matrix products (teaches: transposes and batch broadcasting).

Every case uses non-square, non-symmetric matrices and the grader's cotangents are random, so a forgotten
transpose cannot pass by luck: it either fails on shape or gives different numbers.
"""

from __future__ import annotations

import torch

from autograder.registry import declare
from autograder.registry.cases import Case, Shape, expanded, matmul_cases, normal, pair, transposed, with_dtype
from autograder.registry.op import Op

Tensor = torch.Tensor


def _shapes(gen: torch.Generator, sa: Shape, sb: Shape, **params: object) -> Case:
    return pair(f"{sa} and {sb}", normal(sa, gen), normal(sb, gen), **params)


# --- matmul ------------------------------------------------------------------------------------------------

MATMUL = declare.vjp(name="matmul", set="linalg", forward=torch.matmul, args=("a", "b"), cases=matmul_cases)


# --- outer -------------------------------------------------------------------------------------------------

def _outer_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _shapes(gen, (3,), (4,)),
        _shapes(gen, (1,), (5,)),
        _shapes(gen, (4,), (1,)),
        _shapes(gen, (3,), (3,)),
        _shapes(gen, (0,), (3,)),
        pair("strided x[::2] (non-contiguous) and (4,)", normal((6,), gen)[::2], normal((4,), gen)),
        pair("expanded (stride-0) x (3,) and (2,)", expanded(normal((1,), gen), (3,)), normal((2,), gen)),
    ]
    return cases + with_dtype([cases[0], cases[5]], torch.float32)


OUTER = declare.vjp(name="outer", set="linalg", forward=torch.outer, args=("x", "y"), cases=_outer_cases)


# --- bmm ---------------------------------------------------------------------------------------------------

def _bmm_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _shapes(gen, (2, 3, 4), (2, 4, 5)),
        _shapes(gen, (1, 2, 3), (1, 3, 2)),
        _shapes(gen, (3, 1, 4), (3, 4, 1)),
        _shapes(gen, (2, 3, 3), (2, 3, 3)),
        _shapes(gen, (3, 2, 1), (3, 1, 2)),
        pair("an empty batch (0, 2, 3) and (0, 3, 4)", normal((0, 2, 3), gen), normal((0, 3, 4), gen)),
        pair("an empty inner dimension (2, 3, 0) and (2, 0, 4)", normal((2, 3, 0), gen), normal((2, 0, 4), gen)),
        pair("transposed (non-contiguous) A (2, 3, 4) and (2, 4, 2)", transposed(normal((2, 3, 4), gen)),
              normal((2, 4, 2), gen)),
    ]
    return cases + with_dtype([cases[0], cases[7]], torch.float32)


BMM = declare.vjp(name="bmm", set="linalg", forward=torch.bmm, args=("a", "b"), cases=_bmm_cases)


# --- einsum ------------------------------------------------------------------------------------------------

def _einsum_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _shapes(gen, (2, 3, 4), (2, 4, 2), equation="bij,bjk->bik"),
        _shapes(gen, (2, 3), (3, 4), equation="ij,jk->ik"),
        _shapes(gen, (2, 3), (4, 3), equation="ij,kj->ik"),
        _shapes(gen, (3,), (4,), equation="i,j->ij"),
        _shapes(gen, (4,), (4,), equation="i,i->"),
        _shapes(gen, (2, 3, 4), (4, 2), equation="bij,jk->bik"),
        _shapes(gen, (3, 4), (3, 4), equation="ij,ij->i"),
        _shapes(gen, (2, 3, 2), (2, 2), equation="ijk,ik->j"),
        _shapes(gen, (0, 3), (3, 2), equation="ij,jk->ik"),
        pair("transposed (non-contiguous) (3, 4) and (4, 2)", transposed(normal((3, 4), gen)), normal((4, 2), gen),
              equation="ij,jk->ik"),
    ]
    return cases + with_dtype([cases[0], cases[9]], torch.float32)


EINSUM = declare.vjp(
    name="einsum", set="linalg", forward=lambda a, b, *, equation: torch.einsum(equation, a, b), args=("a", "b"),
    params=("equation",), cases=_einsum_cases,
)


OPS: list[Op] = [MATMUL, OUTER, BMM, EINSUM]
