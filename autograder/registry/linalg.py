"""Set ``linalg``: matrix products (teaches: transposes and batch broadcasting).

Every case uses non-square, non-symmetric matrices and the grader's cotangents are random, so a forgotten
transpose cannot pass by luck: it either fails on shape or gives different numbers.
"""

from __future__ import annotations

import torch

from autograder.registry.cases import Case, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Op, Page

Tensor = torch.Tensor

IGNORES_GRAD = (
    "Using ones in place of `grad` (the gradient of `out.sum()`): with a random `grad` the gradient of "
    "each input depends on every entry of `grad`."
)


def _pair(label: str, a: Tensor, b: Tensor, **params: object) -> Case:
    return Case(label, (a, b), dict(params))


def _shapes(gen: torch.Generator, sa: Shape, sb: Shape, **params: object) -> Case:
    return _pair(f"{sa} and {sb}", normal(sa, gen), normal(sb, gen), **params)


# --- matmul ------------------------------------------------------------------------------------------------

def _matmul_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _pair("(3,) @ (3,): a dot product", normal((3,), gen), normal((3,), gen)),
        _pair("(3,) @ (3, 4): vector times matrix", normal((3,), gen), normal((3, 4), gen)),
        _pair("(2, 3) @ (3,): matrix times vector", normal((2, 3), gen), normal((3,), gen)),
        _pair("(2, 3) @ (3, 4)", normal((2, 3), gen), normal((3, 4), gen)),
        _pair("(3, 3) @ (3, 3): square, not symmetric", normal((3, 3), gen), normal((3, 3), gen)),
        _pair("(2, 2, 3) @ (3, 4): batched A, shared B", normal((2, 2, 3), gen), normal((3, 4), gen)),
        _pair("(2, 3) @ (2, 3, 4): shared A, batched B", normal((2, 3), gen), normal((2, 3, 4), gen)),
        _pair("(2, 1, 2, 3) @ (3, 3, 4): broadcast batch dims", normal((2, 1, 2, 3), gen), normal((3, 3, 4), gen)),
        _pair("(3,) @ (2, 3, 4): vector times batched matrix", normal((3,), gen), normal((2, 3, 4), gen)),
        _pair("(2, 2, 3) @ (3,): batched matrix times vector", normal((2, 2, 3), gen), normal((3,), gen)),
        _pair("empty (0, 3) @ (3, 2)", normal((0, 3), gen), normal((3, 2), gen)),
        _pair("(2, 0) @ (0, 3): an empty inner dimension", normal((2, 0), gen), normal((0, 3), gen)),
        _pair("transposed (non-contiguous) A (2, 3) @ (3, 4)", transposed(normal((2, 3), gen)), normal((3, 4), gen)),
        _pair("(2, 3) @ expanded (stride-0) B (2, 3, 4)", normal((2, 3), gen),
              expanded(normal((1, 3, 4), gen), (2, 3, 4))),
    ]
    return cases + with_dtype([cases[3], cases[7]], torch.float32)


MATMUL = Op(
    name="matmul",
    set="linalg",
    forward=torch.matmul,
    args=("a", "b"),
    cases=_matmul_cases,
    summary="`a @ b`, with 1-D promotion and broadcast batch dimensions.",
    page=Page(
        math=r"\mathrm{out}[\dots, i, j] = \sum_k a[\dots, i, k]\, b[\dots, k, j]",
        jacobian=(
            r"For 2-D operands, $\partial\,\mathrm{out}_{ij} / \partial a_{ik} = b_{kj}$ and "
            r"$\partial\,\mathrm{out}_{ij} / \partial b_{kj} = a_{ik}$: each output entry depends on one "
            r"row of $a$ and one column of $b$. `torch.matmul` adds two rules on top. **1-D promotion**: a "
            r"1-D `a` of shape $(k)$ is treated as a row $(1, k)$, a 1-D `b` as a column $(k, 1)$, and the "
            r"added dimension is removed from the result (so 1-D @ 1-D is a dot product and gives a 0-d "
            r"tensor). **Batch broadcasting**: all dimensions but the last two are batch dimensions, "
            r"broadcast like in elementwise ops, so one matrix can be used by every matrix of a batch."
        ),
        vjp=(
            r"For 2-D operands: $\bar a = \bar{\mathrm{out}}\, b^\top$ and $\bar b = a^\top\, "
            r"\bar{\mathrm{out}}$ (check the shapes: $(n, m)(m, k) = (n, k)$ and $(k, n)(n, m) = (k, m)$). "
            r"In general: promote 1-D operands to matrices and put the matching size-1 dimension back into "
            r"$\bar{\mathrm{out}}$, apply the two formulas batch by batch (`@` with `.mT`, the transpose of "
            r"the last two dimensions), sum each result over the batch dimensions its operand was broadcast "
            r"along ($\operatorname{sum\_to}$ its promoted shape), and finally drop the promoted dimension."
        ),
        mistakes=(
            r"Forgetting a transpose, e.g. $\bar a = \bar{\mathrm{out}}\, b$: the shapes do not even match "
            r"when the matrices are not square, and with square matrices the numbers are wrong.",
            "Not summing over the batch: when `b` is one matrix shared by a batch of `a`s, its gradient is the "
            "sum of the gradients from every matrix of the batch.",
            r"Putting the operands on the wrong side: $\bar a = b^\top \bar{\mathrm{out}}$ or "
            r"$\bar b = \bar{\mathrm{out}}\, a^\top$.",
            "1-D promotion slips: promoting a 1-D `b` to a row instead of a column, or returning the promoted "
            "`(1, k)` gradient instead of reshaping it back to `(k,)`.",
            IGNORES_GRAD,
        ),
        hint=(
            "`a2 = a.unsqueeze(0) if a.dim() == 1 else a`, `b2 = b.unsqueeze(-1) if b.dim() == 1 else b`; "
            "then add the same dimensions to `grad` (first `unsqueeze(-1)` for a 1-D `b`, then "
            "`unsqueeze(-2)` for a 1-D `a`). `ga = sum_to(g @ b2.mT, a2.shape).reshape(a.shape)` and "
            "`gb = sum_to(a2.mT @ g, b2.shape).reshape(b.shape)`, where `sum_to` is the helper you wrote for "
            "broadcasting (keep it in `exercises/helpers.py`)."
        ),
    ),
)


# --- outer -------------------------------------------------------------------------------------------------

def _outer_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _shapes(gen, (3,), (4,)),
        _shapes(gen, (1,), (5,)),
        _shapes(gen, (4,), (1,)),
        _shapes(gen, (3,), (3,)),
        _shapes(gen, (0,), (3,)),
        _pair("strided x[::2] (non-contiguous) and (4,)", normal((6,), gen)[::2], normal((4,), gen)),
        _pair("expanded (stride-0) x (3,) and (2,)", expanded(normal((1,), gen), (3,)), normal((2,), gen)),
    ]
    return cases + with_dtype([cases[0], cases[5]], torch.float32)


OUTER = Op(
    name="outer",
    set="linalg",
    forward=torch.outer,
    args=("x", "y"),
    cases=_outer_cases,
    summary="Outer product of two vectors: `torch.outer(x, y)`, a matrix of shape (n, m).",
    page=Page(
        math=r"\mathrm{out}_{ij} = x_i\, y_j",
        jacobian=(
            r"$\partial\,\mathrm{out}_{ij} / \partial x_k = y_j$ if $i = k$ and 0 otherwise: $x_k$ feeds the "
            r"whole row $k$ of the output, scaled by $y$. Likewise $y_k$ feeds column $k$, scaled by $x$. "
            r"It is `x[:, None] * y[None, :]`, or the matrix product of a column $(n, 1)$ and a row "
            r"$(1, m)$."
        ),
        vjp=(
            r"$\bar x_i = \sum_j \bar{\mathrm{out}}_{ij}\, y_j$, that is $\bar x = \bar{\mathrm{out}}\, y$; "
            r"$\bar y_j = \sum_i \bar{\mathrm{out}}_{ij}\, x_i$, that is $\bar y = \bar{\mathrm{out}}^\top x$."
        ),
        mistakes=(
            r"Forgetting the transpose for $\bar y$: $\bar{\mathrm{out}}\, x$ only has the right shape when "
            r"$n = m$, and then the numbers are wrong.",
            r"Swapping the partners: the gradient of `x` is built from `y`, not from `x`.",
            IGNORES_GRAD,
        ),
        hint="`grad @ y` and `grad.mT @ x`.",
    ),
)


# --- bmm ---------------------------------------------------------------------------------------------------

def _bmm_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _shapes(gen, (2, 3, 4), (2, 4, 5)),
        _shapes(gen, (1, 2, 3), (1, 3, 2)),
        _shapes(gen, (3, 1, 4), (3, 4, 1)),
        _shapes(gen, (2, 3, 3), (2, 3, 3)),
        _shapes(gen, (3, 2, 1), (3, 1, 2)),
        _pair("an empty batch (0, 2, 3) and (0, 3, 4)", normal((0, 2, 3), gen), normal((0, 3, 4), gen)),
        _pair("an empty inner dimension (2, 3, 0) and (2, 0, 4)", normal((2, 3, 0), gen), normal((2, 0, 4), gen)),
        _pair("transposed (non-contiguous) A (2, 3, 4) and (2, 4, 2)", transposed(normal((2, 3, 4), gen)),
              normal((2, 4, 2), gen)),
    ]
    return cases + with_dtype([cases[0], cases[7]], torch.float32)


BMM = Op(
    name="bmm",
    set="linalg",
    forward=torch.bmm,
    args=("a", "b"),
    cases=_bmm_cases,
    summary="Batched matrix product of two 3-D tensors: `torch.bmm(a, b)`, (B, n, k) @ (B, k, m).",
    page=Page(
        math=r"\mathrm{out}[s] = a[s]\, b[s]\quad\text{for every batch index } s:\quad "
             r"\mathrm{out}[s, i, j] = \sum_k a[s, i, k]\, b[s, k, j]",
        jacobian=(
            r"Block diagonal over the batch: output matrix $s$ depends only on $a[s]$ and $b[s]$, so the "
            r"batch index just rides along. Unlike `matmul`, `bmm` never broadcasts: both batch sizes are "
            r"equal, so there is nothing to sum over."
        ),
        vjp=(
            r"$\bar a[s] = \bar{\mathrm{out}}[s]\, b[s]^\top$ and $\bar b[s] = a[s]^\top\, "
            r"\bar{\mathrm{out}}[s]$ for every $s$. Transpose only the last two dimensions (`.mT` or "
            r"`.transpose(-2, -1)`), never the batch dimension."
        ),
        mistakes=(
            r"A missing transpose: $\bar{\mathrm{out}}\, b$ instead of $\bar{\mathrm{out}}\, b^\top$.",
            "Transposing the wrong dimensions: `.T` on a 3-D tensor reverses all three dimensions (and is "
            "deprecated); `.transpose(0, 1)` swaps the batch with the rows.",
            "Swapping which operand goes on which side of `grad`.",
            IGNORES_GRAD,
        ),
        hint="`grad @ b.mT` and `a.mT @ grad` (or `torch.bmm` with the same operands).",
    ),
)


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
        _pair("transposed (non-contiguous) (3, 4) and (4, 2)", transposed(normal((3, 4), gen)), normal((4, 2), gen),
              equation="ij,jk->ik"),
    ]
    return cases + with_dtype([cases[0], cases[9]], torch.float32)


EINSUM = Op(
    name="einsum",
    set="linalg",
    forward=lambda a, b, *, equation: torch.einsum(equation, a, b),
    args=("a", "b"),
    params=("equation",),
    cases=_einsum_cases,
    summary="Einstein summation of two operands: `torch.einsum(equation, a, b)`, e.g. `\"bij,bjk->bik\"`.",
    page=Page(
        math=r"\mathrm{out}[\text{out letters}] = \sum_{\text{letters not in out}} "
             r"a[\text{a's letters}]\; b[\text{b's letters}]",
        jacobian=(
            r"The output is linear in each operand, and every output entry is a sum of products of one entry "
            r"of $a$ and one of $b$ whose letters agree. Here the equations always have an explicit `->`, no "
            r"letter repeats inside one operand, and every letter of an operand also appears in the other "
            r"operand or in the output (so nothing is summed over inside one operand alone). Examples: "
            r"`ij,jk->ik` is a matrix product, `i,j->ij` an outer product, `i,i->` a dot product, "
            r"`ij,ij->i` row-wise dot products."
        ),
        vjp=(
            r"Swap the roles of the output and the operand: for $\mathrm{out} = "
            r"\operatorname{einsum}(A, B \to O)$, the gradient is $\bar a = \operatorname{einsum}(O, B \to A)"
            r"(\bar{\mathrm{out}}, b)$ and $\bar b = \operatorname{einsum}(O, A \to B)(\bar{\mathrm{out}}, "
            r"a)$. Each entry of $\bar a$ collects $\bar{\mathrm{out}} \cdot b$ over every letter it does "
            r"not have, which is exactly the sum the chain rule asks for. For `ij,jk->ik` this gives "
            r"`ik,jk->ij`, i.e. $\bar{\mathrm{out}}\, b^\top$."
        ),
        mistakes=(
            "Treating every equation as a matrix product (`grad @ b.mT`): right for `ij,jk->ik` only.",
            "Swapping the operands: the gradient of `a` contracts `grad` with `b`, and is indexed by a's letters.",
            "Writing the output letters of the gradient in another order than the operand's: `einsum` returns "
            "the dimensions in the order you name them.",
            IGNORES_GRAD,
        ),
        hint=(
            "Split the equation: `inputs, out = equation.split('->')` and `sa, sb = inputs.split(',')`. Then "
            "`torch.einsum(f'{out},{sb}->{sa}', grad, b)` and `torch.einsum(f'{out},{sa}->{sb}', grad, a)`."
        ),
    ),
)


OPS: list[Op] = [MATMUL, OUTER, BMM, EINSUM]
