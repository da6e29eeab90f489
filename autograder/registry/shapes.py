"""Set ``shapes``: shape, view and indexing ops (teaches: adjoint permutations and scatter-add).

None of these ops does arithmetic: each output entry is a copy of one input entry (or a constant). So the
Jacobian is a 0/1 matrix with at most one 1 per row, and the VJP sends every entry of ``grad`` back to the
input entry it was copied from, adding where several outputs were copied from the same entry.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry.cases import Case, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Convention, Op, Page

Tensor = torch.Tensor

IGNORES_GRAD = (
    "Returning ones (or the right shape filled with ones) instead of moving `grad`: that is only the "
    "gradient of `out.sum()`. The grader uses a random `grad`, so every entry must come from it."
)
INDEX_INPUT = (
    " The index tensor is an input too, but integers have no gradient: return `None` in its place."
)


def _index(low: int, high: int, shape: Shape, gen: torch.Generator) -> Tensor:
    """Random int64 indices in ``[low, high)``; more indices than values makes duplicates certain."""
    return torch.randint(low, high, shape, generator=gen, dtype=torch.int64)


def _one(label: str, x: Tensor, **params: object) -> Case:
    return Case(label, (x,), dict(params))


# --- reshape -----------------------------------------------------------------------------------------------

def _reshape_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(2, 3, 4) to [6, -1]", normal((2, 3, 4), gen), shape=[6, -1]),
        _one("(2, 3, 4) to [4, -1, 2]", normal((2, 3, 4), gen), shape=[4, -1, 2]),
        _one("0-d to [1, 1]", normal((), gen), shape=[1, 1]),
        _one("(1,) to [] (a 0-d tensor)", normal((1,), gen), shape=[]),
        _one("(5,) to [5, 1]", normal((5,), gen), shape=[5, 1]),
        _one("empty (0, 3) to [3, 0]", normal((0, 3), gen), shape=[3, 0]),
        _one("transposed (non-contiguous) (3, 4) to [-1]", transposed(normal((3, 4), gen)), shape=[-1]),
        _one("transposed (non-contiguous) (4, 3) to [2, 6]", transposed(normal((4, 3), gen)), shape=[2, 6]),
        _one("expanded (stride-0) (3, 4) to [2, -1]", expanded(normal((1, 4), gen), (3, 4)), shape=[2, -1]),
    ]
    return cases + with_dtype([cases[0], cases[6]], torch.float32)


RESHAPE = Op(
    name="reshape",
    set="shapes",
    forward=lambda x, *, shape: torch.reshape(x, shape),
    args=("x",),
    params=("shape",),
    cases=_reshape_cases,
    summary="Reshape to a new shape (one entry may be -1), reading entries in row-major order.",
    page=Page(
        math=r"\mathrm{out} = \operatorname{reshape}(x, s):\quad "
             r"\mathrm{out.flatten()}_k = x\mathrm{.flatten()}_k \ \text{for every } k",
        jacobian=(
            r"Flatten both tensors in row-major (C) order and reshape is the identity: entry $k$ of the output "
            r"is entry $k$ of the input. The Jacobian, seen as a matrix of size $\mathrm{numel}\times"
            r"\mathrm{numel}$, is the identity matrix. Only the way the numbers are grouped into dimensions "
            r"changes. The memory layout of `x` plays no part: a transposed `x` is read in its *logical* "
            r"row-major order, which is why `reshape` of a non-contiguous tensor copies."
        ),
        vjp=(
            r"$\bar x = \operatorname{reshape}(\bar{\mathrm{out}},\ \text{shape of } x)$: the same numbers, "
            r"grouped back into the input's dimensions."
        ),
        mistakes=(
            "Returning `grad` unchanged: it has the output's shape, not the input's.",
            "Following `x`'s memory layout (for example `torch.as_strided(grad, x.shape, x.stride())`): "
            "reshape reads entries in logical order, so the gradient goes back in logical order too, "
            "whatever `x.stride()` is.",
            "Using `grad.view(x.shape)` works here because `grad` is contiguous, but `view` fails on "
            "non-contiguous tensors; `reshape` always works.",
            IGNORES_GRAD,
        ),
        hint="One line: `grad.reshape(x.shape)`. The `shape` parameter (with its -1) is not needed at all.",
    ),
)


# --- permute -----------------------------------------------------------------------------------------------

def _permute_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(2, 3, 4) with dims [1, 2, 0]", normal((2, 3, 4), gen), dims=[1, 2, 0]),
        _one("(2, 3, 4) with dims [2, 0, 1]", normal((2, 3, 4), gen), dims=[2, 0, 1]),
        _one("(2, 3, 1, 2) with dims [3, 1, 0, 2]", normal((2, 3, 1, 2), gen), dims=[3, 1, 0, 2]),
        _one("(2, 3, 4) with negative dims [-1, 0, 1]", normal((2, 3, 4), gen), dims=[-1, 0, 1]),
        _one("(2, 3, 4) with dims [0, 2, 1] (a swap)", normal((2, 3, 4), gen), dims=[0, 2, 1]),
        _one("(3, 4) with dims [1, 0]", normal((3, 4), gen), dims=[1, 0]),
        _one("(5,) with dims [0]", normal((5,), gen), dims=[0]),
        _one("0-d with dims []", normal((), gen), dims=[]),
        _one("empty (0, 2, 3) with dims [2, 0, 1]", normal((0, 2, 3), gen), dims=[2, 0, 1]),
        _one("non-contiguous (2, 3, 4) with dims [1, 2, 0]", normal((2, 4, 3), gen).transpose(1, 2),
             dims=[1, 2, 0]),
    ]
    return cases + with_dtype([cases[0], cases[9]], torch.float32)


PERMUTE = Op(
    name="permute",
    set="shapes",
    forward=lambda x, *, dims: torch.permute(x, dims),
    args=("x",),
    params=("dims",),
    cases=_permute_cases,
    summary="Reorder the dimensions: output dimension i is input dimension dims[i].",
    page=Page(
        math=r"\mathrm{out}[i_0, \dots, i_{n-1}] = x[j_0, \dots, j_{n-1}]"
             r"\quad\text{where } j_{\mathrm{dims}[k]} = i_k",
        jacobian=(
            r"A permutation matrix: every output entry is exactly one input entry, and every input entry "
            r"appears exactly once. The VJP of a permutation is the *inverse* permutation (the transpose of a "
            r"permutation matrix is its inverse)."
        ),
        vjp=(
            r"$\bar x = \operatorname{permute}(\bar{\mathrm{out}},\ \mathrm{dims}^{-1})$, where the inverse "
            r"permutation satisfies $\mathrm{inv}[\mathrm{dims}[i]] = i$ (it is `argsort(dims)`). Since output "
            r"dimension $i$ came from input dimension $\mathrm{dims}[i]$, gradient dimension $i$ goes back to "
            r"position $\mathrm{dims}[i]$."
        ),
        mistakes=(
            "Permuting `grad` by `dims` again. For a swap of two dimensions (and for every 2-D case) the "
            "permutation is its own inverse, so this passes small tests; a cycle such as `[1, 2, 0]` "
            "exposes it, since its inverse is `[2, 0, 1]`.",
            "Forgetting negative dims: `argsort([-1, 0, 1])` is `[0, 1, 2]`, the identity. Reduce each "
            "entry modulo `x.dim()` first.",
            IGNORES_GRAD,
        ),
        hint=(
            "Build the inverse with a loop: `inv = [0] * x.dim()`, then for `i, d in enumerate(dims)` set "
            "`inv[d % x.dim()] = i`. Return `grad.permute(inv)`. `dims` arrives as a list."
        ),
    ),
)


# --- transpose ---------------------------------------------------------------------------------------------

def _transpose_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(3, 4) swapping 0 and 1", normal((3, 4), gen), dim0=0, dim1=1),
        _one("(2, 3, 4) swapping 0 and 2", normal((2, 3, 4), gen), dim0=0, dim1=2),
        _one("(2, 3, 4) swapping -1 and 1", normal((2, 3, 4), gen), dim0=-1, dim1=1),
        _one("(2, 3, 4) swapping 1 with itself (no-op)", normal((2, 3, 4), gen), dim0=1, dim1=1),
        _one("(2, 1, 3) swapping 0 and 1", normal((2, 1, 3), gen), dim0=0, dim1=1),
        _one("(5,) swapping 0 with itself", normal((5,), gen), dim0=0, dim1=0),
        _one("0-d swapping 0 and -1", normal((), gen), dim0=0, dim1=-1),
        _one("empty (0, 3) swapping 0 and 1", normal((0, 3), gen), dim0=0, dim1=1),
        _one("transposed (non-contiguous) (3, 4) swapping 1 and 0", transposed(normal((3, 4), gen)), dim0=1, dim1=0),
    ]
    return cases + with_dtype([cases[1], cases[8]], torch.float32)


TRANSPOSE = Op(
    name="transpose",
    set="shapes",
    forward=lambda x, *, dim0, dim1: torch.transpose(x, dim0, dim1),
    args=("x",),
    params=("dim0", "dim1"),
    cases=_transpose_cases,
    summary="Swap two dimensions.",
    page=Page(
        math=r"\mathrm{out}[\dots, i, \dots, j, \dots] = x[\dots, j, \dots, i, \dots]"
             r"\quad(i \text{ at position } \mathrm{dim0},\ j \text{ at position } \mathrm{dim1})",
        jacobian=(
            r"A permutation matrix, like `permute`. Swapping two dimensions is a permutation that is its own "
            r"inverse: doing it twice gives back the original."
        ),
        vjp=(
            r"$\bar x = \operatorname{transpose}(\bar{\mathrm{out}},\ \mathrm{dim0},\ \mathrm{dim1})$: "
            r"swap the same two dimensions back."
        ),
        mistakes=(
            "Returning `grad` as it is: it has the output's shape (unless the two swapped sizes are equal, "
            "and then the values are in the wrong places).",
            "Always swapping the last two dimensions (`grad.mT`, or `.T` habits from matrices): right only "
            "when `dim0` and `dim1` are the last two.",
            IGNORES_GRAD,
        ),
        hint="One line: `grad.transpose(dim0, dim1)`.",
    ),
)


# --- expand ------------------------------------------------------------------------------------------------

def _expand_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(3, 1) to [3, 4]", normal((3, 1), gen), shape=[3, 4]),
        _one("(1,) to [2, 3, 4] (prepended dims and a stretched one)", normal((1,), gen), shape=[2, 3, 4]),
        _one("0-d to [3]", normal((), gen), shape=[3]),
        _one("(2, 1, 4) to [3, 2, 5, 4]", normal((2, 1, 4), gen), shape=[3, 2, 5, 4]),
        _one("(3, 1) to [-1, 4] (-1 keeps a size)", normal((3, 1), gen), shape=[-1, 4]),
        _one("(1, 1) to [2, 3]", normal((1, 1), gen), shape=[2, 3]),
        _one("(2, 3) to [2, 3] (nothing to expand)", normal((2, 3), gen), shape=[2, 3]),
        _one("(1, 3) to [0, 3] (stretched to size 0)", normal((1, 3), gen), shape=[0, 3]),
        _one("non-contiguous (2, 1, 3) to [2, 4, 3]", transposed(normal((2, 3), gen)).unsqueeze(1), shape=[2, 4, 3]),
    ]
    return cases + with_dtype([cases[3], cases[8]], torch.float32)


EXPAND = Op(
    name="expand",
    set="shapes",
    forward=lambda x, *, shape: x.expand(shape),
    args=("x",),
    params=("shape",),
    cases=_expand_cases,
    summary="Broadcast to a larger shape without copying (size-1 dims stretch, new dims are prepended).",
    page=Page(
        math=r"\mathrm{out}[b, i_0, \dots, i_{n-1}] = x[i'_0, \dots, i'_{n-1}],\quad "
             r"i'_k = \begin{cases} 0 & \text{if } x \text{ has size 1 in dim } k \\ i_k & \text{otherwise}"
             r"\end{cases}",
        jacobian=(
            r"Each input entry is copied to every output position along the stretched and prepended "
            r"dimensions, so its column of the Jacobian holds as many ones as it has copies. This is exactly "
            r"what broadcasting does silently inside `mul`, `add` or `matmul`: `expand` makes it explicit."
        ),
        vjp=(
            r"$\bar x = \operatorname{sum\_to}(\bar{\mathrm{out}},\ \text{shape of } x)$: add up the gradient "
            r"of all the copies. Sum over the leading dimensions that `expand` prepended, then over every "
            r"dimension where `x` has size 1 (keeping it, with `keepdim=True`)."
        ),
        mistakes=(
            "Returning `grad` unreduced: it has the expanded shape.",
            "Summing the size-1 dimensions without `keepdim=True`: the dimension disappears and the shape "
            "is wrong.",
            "Taking the mean instead of the sum: each copy passes its full gradient back, so the gradients "
            "add up.",
            "Summing only the prepended dimensions and forgetting the stretched size-1 ones.",
        ),
        hint=(
            "`lead = grad.dim() - x.dim()`; sum `grad` over `range(lead)`; then sum with `keepdim=True` over "
            "each dim `i` where `x.shape[i] == 1`. An expanded size-0 dim sums to zeros, which is right."
        ),
    ),
)


# --- squeeze -----------------------------------------------------------------------------------------------

def _squeeze_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(3, 1, 4) at dim 1", normal((3, 1, 4), gen), dim=1),
        _one("(3, 1, 4) at dim -2", normal((3, 1, 4), gen), dim=-2),
        _one("(3, 4) at dim 0 (size 3: a no-op)", normal((3, 4), gen), dim=0),
        _one("(3, 4) at dim -1 (size 4: a no-op)", normal((3, 4), gen), dim=-1),
        _one("(1, 3, 1) with dim=None (every size-1 dim)", normal((1, 3, 1), gen), dim=None),
        _one("(1, 3, 1) at dims [0, 2]", normal((1, 3, 1), gen), dim=[0, 2]),
        _one("(1, 3, 1) at dims [0, 1] (dim 1 is a no-op)", normal((1, 3, 1), gen), dim=[0, 1]),
        _one("0-d at dim 0", normal((), gen), dim=0),
        _one("(1,) at dim 0 (to 0-d)", normal((1,), gen), dim=0),
        _one("empty (0, 1) at dim 1", normal((0, 1), gen), dim=1),
        _one("empty (0, 1) at dim 0 (size 0: a no-op)", normal((0, 1), gen), dim=0),
        _one("non-contiguous (4, 1, 3) at dim 1", transposed(normal((4, 3), gen)).unsqueeze(1), dim=1),
    ]
    return cases + with_dtype([cases[0], cases[2]], torch.float32)


SQUEEZE = Op(
    name="squeeze",
    set="shapes",
    forward=lambda x, *, dim: torch.squeeze(x) if dim is None else torch.squeeze(x, dim),
    args=("x",),
    params=("dim",),
    cases=_squeeze_cases,
    summary="Remove size-1 dimensions: at `dim` (an int or a list of ints) or, for `dim=None`, all of them.",
    page=Page(
        math=r"\mathrm{out} = \operatorname{squeeze}(x, \mathrm{dim}):\quad \text{the same entries, with the "
             r"size-1 dimensions at } \mathrm{dim} \text{ removed}",
        jacobian=(
            r"The identity on the flattened entries (a size-1 dimension holds no extra data). Only the shape "
            r"changes. One rule to know: squeezing a dimension whose size is *not* 1 does nothing at all: "
            r"no error, the output has the input's shape."
        ),
        vjp=(
            r"$\bar x = \operatorname{reshape}(\bar{\mathrm{out}},\ \text{shape of } x)$, which puts back "
            r"exactly the dimensions that were removed and none of the ones that were not."
        ),
        mistakes=(
            "Calling `grad.unsqueeze(dim)` unconditionally: when the dimension had a size other than 1, "
            "squeeze did nothing and the unsqueeze adds a dimension that `x` never had.",
            "Returning `grad` as it is: squeeze is a view, but the gradient must still have `x`'s shape.",
            IGNORES_GRAD,
        ),
        hint=(
            "You do not need `dim` at all: `grad.reshape(x.shape)` restores every removed size-1 dimension. "
            "`dim` can be an int, a list of ints or `None`."
        ),
    ),
)


# --- unsqueeze ---------------------------------------------------------------------------------------------

def _unsqueeze_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(3,) at dim 0", normal((3,), gen), dim=0),
        _one("(3,) at dim 1", normal((3,), gen), dim=1),
        _one("(3,) at dim -1", normal((3,), gen), dim=-1),
        _one("(2, 3) at dim 1", normal((2, 3), gen), dim=1),
        _one("(2, 3) at dim -1", normal((2, 3), gen), dim=-1),
        _one("(2, 3) at dim -3", normal((2, 3), gen), dim=-3),
        _one("0-d at dim 0", normal((), gen), dim=0),
        _one("0-d at dim -1", normal((), gen), dim=-1),
        _one("(1, 3) at dim 0 (x already has a size-1 dim)", normal((1, 3), gen), dim=0),
        _one("(3, 1) at dim -1 (x already has a size-1 dim)", normal((3, 1), gen), dim=-1),
        _one("empty (0, 3) at dim 0", normal((0, 3), gen), dim=0),
        _one("transposed (non-contiguous) (3, 4) at dim 1", transposed(normal((3, 4), gen)), dim=1),
    ]
    return cases + with_dtype([cases[3], cases[11]], torch.float32)


UNSQUEEZE = Op(
    name="unsqueeze",
    set="shapes",
    forward=lambda x, *, dim: torch.unsqueeze(x, dim),
    args=("x",),
    params=("dim",),
    cases=_unsqueeze_cases,
    summary="Insert a size-1 dimension at position `dim` of the output.",
    page=Page(
        math=r"\mathrm{out} = \operatorname{unsqueeze}(x, \mathrm{dim}),\quad "
             r"\mathrm{out.shape} = x.\mathrm{shape}[:d] + (1,) + x.\mathrm{shape}[d:]",
        jacobian=(
            r"The identity on the flattened entries; only the shape changes. `dim` counts in the *output's* "
            r"dimensions, so it ranges over $[-(n+1), n]$ for an $n$-dimensional `x`, and a negative `dim` "
            r"is normalised by adding $n + 1$ (not $n$)."
        ),
        vjp=(
            r"$\bar x = \operatorname{squeeze}(\bar{\mathrm{out}},\ \mathrm{dim})$ (the same `dim`, which is "
            r"valid for `grad` because `grad` has the output's shape), or simply "
            r"$\operatorname{reshape}(\bar{\mathrm{out}},\ \text{shape of } x)$."
        ),
        mistakes=(
            "`grad.squeeze()` without a dimension: it also removes size-1 dimensions that `x` had before "
            "the unsqueeze.",
            "Normalising a negative `dim` with `dim + x.dim()` instead of `dim + x.dim() + 1`: the inserted "
            "dimension lands one place to the left, and `squeeze` there removes nothing (or the wrong one).",
            IGNORES_GRAD,
        ),
        hint="`grad.squeeze(dim)` with the same `dim`, or `grad.reshape(x.shape)`.",
    ),
)


# --- cat ---------------------------------------------------------------------------------------------------

def _two(label: str, a: Tensor, b: Tensor, **params: object) -> Case:
    return Case(label, (a, b), dict(params))


def _cat_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _two("(3,) and (2,) along 0", normal((3,), gen), normal((2,), gen), dim=0),
        _two("(2, 3) and (4, 3) along 0", normal((2, 3), gen), normal((4, 3), gen), dim=0),
        _two("(2, 3) and (2, 1) along 1", normal((2, 3), gen), normal((2, 1), gen), dim=1),
        _two("(2, 3) and (2, 2) along -1", normal((2, 3), gen), normal((2, 2), gen), dim=-1),
        _two("(2, 3, 4) and (2, 2, 4) along 1", normal((2, 3, 4), gen), normal((2, 2, 4), gen), dim=1),
        _two("(2, 3, 2) and (2, 3, 3) along -1", normal((2, 3, 2), gen), normal((2, 3, 3), gen), dim=-1),
        _two("(1, 3) and (1, 3) along 0 (equal pieces)", normal((1, 3), gen), normal((1, 3), gen), dim=0),
        _two("empty (0, 3) and (2, 3) along 0", normal((0, 3), gen), normal((2, 3), gen), dim=0),
        _two("(2, 3) and empty (2, 0) along 1", normal((2, 3), gen), normal((2, 0), gen), dim=1),
        _two("transposed (3, 4) and (2, 4) along 0", transposed(normal((3, 4), gen)), normal((2, 4), gen), dim=0),
    ]
    return cases + with_dtype([cases[4], cases[9]], torch.float32)


CAT = Op(
    name="cat",
    set="shapes",
    forward=lambda a, b, *, dim: torch.cat([a, b], dim),
    args=("a", "b"),
    params=("dim",),
    cases=_cat_cases,
    summary="Concatenate two tensors along an existing dimension: `torch.cat([a, b], dim)`.",
    page=Page(
        math=r"\mathrm{out} = [\,a \;|\; b\,] \text{ along } \mathrm{dim}:\quad "
             r"\mathrm{out}[\dots, i, \dots] = \begin{cases} a[\dots, i, \dots] & i < n_a \\ "
             r"b[\dots, i - n_a, \dots] & i \ge n_a \end{cases}",
        jacobian=(
            r"Stacked blocks: the Jacobian with respect to `a` is an identity block on the first $n_a$ "
            r"slices along `dim` and zero elsewhere; the one for `b` is an identity block on the last "
            r"$n_b$ slices. Every output entry comes from exactly one of the two inputs."
        ),
        vjp=(
            r"Cut $\bar{\mathrm{out}}$ back into the pieces: $\bar a$ = the first $n_a$ slices along `dim`, "
            r"$\bar b$ = the remaining $n_b$, with $n_a$ = `a.shape[dim]` and $n_b$ = `b.shape[dim]`."
        ),
        mistakes=(
            "Giving `a` the last slices and `b` the first: the order of the pieces is the order of the inputs.",
            "Splitting along dimension 0 whatever `dim` is.",
            "Breaking on a piece of size 0: `torch.split` and `narrow` handle zero sizes, so the empty piece "
            "simply gets an empty gradient.",
            IGNORES_GRAD,
        ),
        hint="`grad.split([a.shape[dim], b.shape[dim]], dim)` gives both pieces at once; return them as a tuple.",
    ),
)


# --- stack -------------------------------------------------------------------------------------------------

def _stack_cases(gen: torch.Generator) -> list[Case]:
    def pair(shape: Shape) -> tuple[Tensor, Tensor]:
        return normal(shape, gen), normal(shape, gen)

    cases = [
        _two("two 0-d along 0", *pair(()), dim=0),
        _two("(3,) along 0", *pair((3,)), dim=0),
        _two("(3,) along 1", *pair((3,)), dim=1),
        _two("(3,) along -1", *pair((3,)), dim=-1),
        _two("(2, 3) along 0", *pair((2, 3)), dim=0),
        _two("(2, 3) along 1", *pair((2, 3)), dim=1),
        _two("(2, 3) along 2", *pair((2, 3)), dim=2),
        _two("(2, 3) along -2", *pair((2, 3)), dim=-2),
        _two("empty (0, 2) along 1", *pair((0, 2)), dim=1),
        _two("transposed (3, 4) along 1", transposed(normal((3, 4), gen)), transposed(normal((3, 4), gen)), dim=1),
    ]
    return cases + with_dtype([cases[5], cases[9]], torch.float32)


STACK = Op(
    name="stack",
    set="shapes",
    forward=lambda a, b, *, dim: torch.stack([a, b], dim),
    args=("a", "b"),
    params=("dim",),
    cases=_stack_cases,
    summary="Stack two same-shaped tensors along a new dimension: `torch.stack([a, b], dim)`.",
    page=Page(
        math=r"\mathrm{out} = \operatorname{stack}([a, b], \mathrm{dim}):\quad "
             r"\operatorname{select}(\mathrm{out}, \mathrm{dim}, 0) = a,\ "
             r"\operatorname{select}(\mathrm{out}, \mathrm{dim}, 1) = b",
        jacobian=(
            r"Like `cat` after an `unsqueeze` of each input: the Jacobian for `a` is an identity block on "
            r"index 0 of the new dimension, the one for `b` on index 1. `dim` counts in the output's "
            r"dimensions (from $-(n+1)$ to $n$ for $n$-dimensional inputs)."
        ),
        vjp=(
            r"$\bar a = \operatorname{select}(\bar{\mathrm{out}}, \mathrm{dim}, 0)$, "
            r"$\bar b = \operatorname{select}(\bar{\mathrm{out}}, \mathrm{dim}, 1)$: take the two slices "
            r"along the new dimension, which disappears."
        ),
        mistakes=(
            "Swapping the slices: `a` is index 0 along the new dimension.",
            "Unbinding along dimension 0 whatever `dim` is.",
            "Normalising a negative `dim` with `dim + a.dim()`: the new dimension is counted in the output, "
            "which has one more dimension, so it is `dim + a.dim() + 1`. Simplest: use `dim` as it is on "
            "`grad`, which has the output's shape.",
            IGNORES_GRAD,
        ),
        hint="`grad.unbind(dim)` returns both slices; return them as a tuple.",
    ),
)


# --- getitem -----------------------------------------------------------------------------------------------

def _indexed(label: str, x: Tensor, index: Tensor, **params: object) -> Case:
    return Case(label, (x, index), dict(params))


def _getitem_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _indexed("(5,) with 8 indices (duplicates)", normal((5,), gen), _index(0, 5, (8,), gen)),
        _indexed("(5,) with negative and duplicate indices", normal((5,), gen), _index(-5, 5, (8,), gen)),
        _indexed("(4, 3) rows, negative and duplicate", normal((4, 3), gen), _index(-4, 4, (6,), gen)),
        _indexed("(4, 3) with a 2-D index (2, 3)", normal((4, 3), gen), _index(-4, 4, (2, 3), gen)),
        _indexed("(6, 2) with arange(1, 5), like x[1:5]", normal((6, 2), gen), torch.arange(1, 5)),
        _indexed("(7,) with arange(0, 7, 3), like x[::3]", normal((7,), gen), torch.arange(0, 7, 3)),
        _indexed("(2, 3, 2) with 4 indices", normal((2, 3, 2), gen), _index(0, 2, (4,), gen)),
        _indexed("(4, 3) with a 0-d index, like x[i]", normal((4, 3), gen), _index(-4, 4, (), gen)),
        _indexed("(4, 3) with an empty index", normal((4, 3), gen), torch.zeros(0, dtype=torch.int64)),
        _indexed("transposed (4, 3) with 5 indices", transposed(normal((4, 3), gen)), _index(-4, 4, (5,), gen)),
    ]
    return cases + with_dtype([cases[2], cases[9]], torch.float32)


GETITEM = Op(
    name="getitem",
    set="shapes",
    forward=lambda x, index: x[index],
    args=("x", "index"),
    cases=_getitem_cases,
    summary="Pick entries along the first dimension with an int64 index tensor: `x[index]`.",
    differentiable=(True, False),
    convention=(
        "Duplicate indices *accumulate*: an entry picked twice receives the sum of both gradients. Negative "
        "indices count from the end, as in Python: `-1` is the last entry."
    ),
    conventions=(
        Convention("x[[0, 0, 2]] gives x the gradient [2, 0, 1]",
                   ([1.0, 2.0, 3.0], torch.tensor([0, 0, 2])), ([2.0, 0.0, 1.0], None)),
        Convention("x[[-1, -1, 0]] gives x the gradient [1, 0, 2]",
                   ([1.0, 2.0, 3.0], torch.tensor([-1, -1, 0])), ([1.0, 0.0, 2.0], None)),
    ),
    page=Page(
        math=r"\mathrm{out}[j, \dots] = x[\mathrm{index}[j], \dots]"
             r"\quad(\text{for every position } j \text{ of } \mathrm{index};\ "
             r"\mathrm{out.shape} = \mathrm{index.shape} + x.\mathrm{shape}[1:])",
        jacobian=(
            r"Row $j$ of the Jacobian has a single 1, in the column of $x[\mathrm{index}[j]]$. Several rows "
            r"can point at the same column (duplicate indices), and columns no index points at are all zero. "
            r"A slice `x[1:5]` is the special case `index = arange(1, 5)`."
        ),
        vjp=(
            r"Start from zeros of `x`'s shape and *add* each row of the gradient where it came from: "
            r"$\bar x[\mathrm{index}[j]] \mathrel{+}= \bar{\mathrm{out}}[j]$ for every $j$. This is a "
            r"scatter-add: `index_add` along dimension 0." + INDEX_INPUT
        ),
        mistakes=(
            "Assigning instead of adding: `gx[index] = grad` keeps only one of the gradients of a duplicated "
            "index. Use `index_add` (or `index_put` with `accumulate=True`).",
            "Passing negative indices to `index_add`: it accepts only indices in `[0, n)`. Wrap them with "
            "`index % n` (or add `n` where negative) first.",
            "Scattering along the wrong dimension: the index picks along dimension 0.",
            IGNORES_GRAD,
        ),
        hint=(
            "Flatten the index (`index.reshape(-1)`), wrap it into `[0, n)`, and reshape `grad` to "
            "`(index.numel(), *x.shape[1:])`; then `grad.new_zeros(x.shape).index_add(0, flat, rows)`. "
            "Return `(gx, None)`."
        ),
    ),
)


# --- gather ------------------------------------------------------------------------------------------------

def _gather_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _indexed("(3, 4) along 1 with a (3, 6) index", normal((3, 4), gen), _index(0, 4, (3, 6), gen), dim=1),
        _indexed("(4, 3) along 0 with a (6, 3) index", normal((4, 3), gen), _index(0, 4, (6, 3), gen), dim=0),
        _indexed("(4, 5) along -1 with a smaller (2, 3) index", normal((4, 5), gen), _index(0, 5, (2, 3), gen),
                 dim=-1),
        _indexed("(2, 3, 4) along 1 with a (2, 5, 4) index", normal((2, 3, 4), gen), _index(0, 3, (2, 5, 4), gen),
                 dim=1),
        _indexed("(5,) with 8 indices", normal((5,), gen), _index(0, 5, (8,), gen), dim=0),
        _indexed("0-d with a 0-d index", normal((), gen), torch.tensor(0), dim=0),
        _indexed("(3, 4) along 0 with an empty (0, 4) index", normal((3, 4), gen),
                 torch.zeros(0, 4, dtype=torch.int64), dim=0),
        _indexed("transposed (3, 4) along 1 with a (3, 5) index", transposed(normal((3, 4), gen)),
                 _index(0, 4, (3, 5), gen), dim=1),
    ]
    return cases + with_dtype([cases[0], cases[7]], torch.float32)


GATHER = Op(
    name="gather",
    set="shapes",
    forward=lambda x, index, *, dim: torch.gather(x, dim, index),
    args=("x", "index"),
    params=("dim",),
    cases=_gather_cases,
    summary="Pick one entry per output position along `dim`: `torch.gather(x, dim, index)`.",
    differentiable=(True, False),
    convention="Duplicate indices *accumulate*: an entry gathered twice receives the sum of both gradients.",
    conventions=(
        Convention("gather(x, 0, [0, 0, 2]) gives x the gradient [2, 0, 1]",
                   ([1.0, 2.0, 3.0], torch.tensor([0, 0, 2])), ([2.0, 0.0, 1.0], None), {"dim": 0}),
    ),
    page=Page(
        math=r"\mathrm{out}[i, j] = x[\mathrm{index}[i, j],\ j]\ \ (\mathrm{dim}=0),\qquad "
             r"\mathrm{out}[i, j] = x[i,\ \mathrm{index}[i, j]]\ \ (\mathrm{dim}=1)",
        jacobian=(
            r"`out` has the shape of `index`. Each output entry copies one input entry: the same position "
            r"in every dimension except `dim`, where the position is read from `index`. So each Jacobian row "
            r"has a single 1; duplicates make a column have several, and entries never gathered get none. "
            r"`index` may be smaller than `x` in the other dimensions."
        ),
        vjp=(
            r"The adjoint of gather is scatter-add: $\bar x = \operatorname{scatter\_add}(0_x,\ \mathrm{dim},"
            r"\ \mathrm{index},\ \bar{\mathrm{out}})$, which adds $\bar{\mathrm{out}}[i, j]$ into "
            r"$\bar x$ at the position it was read from." + INDEX_INPUT
        ),
        mistakes=(
            "Using `scatter` (assignment) instead of `scatter_add`: one of two duplicate indices wins and "
            "the other's gradient is lost.",
            "Scattering along another dimension than `dim`.",
            IGNORES_GRAD,
        ),
        hint="`grad.new_zeros(x.shape).scatter_add(dim, index, grad)`, and return `(gx, None)`.",
    ),
)


# --- index_select ------------------------------------------------------------------------------------------

def _index_select_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _indexed("(5, 3) along 0 with 7 indices", normal((5, 3), gen), _index(0, 5, (7,), gen), dim=0),
        _indexed("(3, 5) along 1 with 6 indices", normal((3, 5), gen), _index(0, 5, (6,), gen), dim=1),
        _indexed("(2, 4, 3) along -2 with 5 indices", normal((2, 4, 3), gen), _index(0, 4, (5,), gen), dim=-2),
        _indexed("(6,) with 9 indices", normal((6,), gen), _index(0, 6, (9,), gen), dim=0),
        _indexed("(4, 3) along 0 with a 0-d index", normal((4, 3), gen), _index(0, 4, (), gen), dim=0),
        _indexed("(3, 4) along 1 with an empty index", normal((3, 4), gen), torch.zeros(0, dtype=torch.int64),
                 dim=1),
        _indexed("transposed (4, 3) along 1 with 4 indices", transposed(normal((4, 3), gen)),
                 _index(0, 3, (4,), gen), dim=1),
    ]
    return cases + with_dtype([cases[0], cases[6]], torch.float32)


INDEX_SELECT = Op(
    name="index_select",
    set="shapes",
    forward=lambda x, index, *, dim: torch.index_select(x, dim, index),
    args=("x", "index"),
    params=("dim",),
    cases=_index_select_cases,
    summary="Pick whole slices along `dim` with a 1-D index: `torch.index_select(x, dim, index)`.",
    differentiable=(True, False),
    convention="Duplicate indices *accumulate*: a slice selected twice receives the sum of both gradients.",
    conventions=(
        Convention("index_select(x, 0, [2, 2, 0]) gives x the gradient [1, 0, 2]",
                   ([1.0, 2.0, 3.0], torch.tensor([2, 2, 0])), ([1.0, 0.0, 2.0], None), {"dim": 0}),
    ),
    page=Page(
        math=r"\operatorname{select}(\mathrm{out}, \mathrm{dim}, j) = "
             r"\operatorname{select}(x, \mathrm{dim}, \mathrm{index}[j])",
        jacobian=(
            r"Slice $j$ of the output along `dim` is a copy of slice $\mathrm{index}[j]$ of `x`: an identity "
            r"block for each $j$, placed in the columns of the selected slice. Several $j$ may select the "
            r"same slice. A 0-d index selects one slice and keeps `dim` with size 1."
        ),
        vjp=(
            r"$\bar x = \operatorname{index\_add}(0_x,\ \mathrm{dim},\ \mathrm{index},\ \bar{\mathrm{out}})$:"
            r" slice $j$ of the gradient is added into slice $\mathrm{index}[j]$." + INDEX_INPUT
        ),
        mistakes=(
            "Using `index_copy` or assignment: duplicate indices must add, not overwrite.",
            "Adding along dimension 0 whatever `dim` is.",
            IGNORES_GRAD,
        ),
        hint="`grad.new_zeros(x.shape).index_add(dim, index.reshape(-1), grad)`, and return `(gx, None)`.",
    ),
)


# --- embedding ---------------------------------------------------------------------------------------------

def _with_index(indices: Tensor, position: tuple[int, ...], value: int) -> Tensor:
    """The indices with one entry set, so that the padding row surely occurs."""
    indices = indices.clone()
    indices[position] = value
    return indices


_PADDING_POINT = ": its row is a special point (no gradient)"
"""The row ``padding_idx`` is read by the forward but gets no gradient: a convention, not a derivative.
"point" in a label keeps the case out of finite-difference checks, and makes a wrong answer there be
diagnosed as a convention slip."""


def _embedding_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _indexed("(6, 3) table, 5 indices, no padding", normal((6, 3), gen), _index(0, 6, (5,), gen),
                 padding_idx=None),
        _indexed("(5, 4) table, (2, 3) indices, padding_idx=0" + _PADDING_POINT, normal((5, 4), gen),
                 _with_index(_index(0, 5, (2, 3), gen), (0, 0), 0), padding_idx=0),
        _indexed("(4, 2) table, 7 indices, padding_idx=-1" + _PADDING_POINT, normal((4, 2), gen),
                 _with_index(_index(0, 4, (7,), gen), (3,), 3), padding_idx=-1),
        _indexed("(5, 3) table, 4 indices, padding_idx=2" + _PADDING_POINT, normal((5, 3), gen),
                 _index(0, 5, (4,), gen), padding_idx=2),
        _indexed("(6, 3) table, a 0-d index", normal((6, 3), gen), _index(0, 6, (), gen), padding_idx=None),
        _indexed("(5, 3) table, no indices", normal((5, 3), gen), torch.zeros(0, dtype=torch.int64),
                 padding_idx=1),
        _indexed("transposed (6, 3) table, 5 indices, padding_idx=1" + _PADDING_POINT,
                 transposed(normal((6, 3), gen)), _with_index(_index(0, 6, (5,), gen), (2,), 1), padding_idx=1),
    ]
    return cases + with_dtype([cases[1], cases[6]], torch.float32)


EMBEDDING = Op(
    name="embedding",
    set="shapes",
    forward=lambda weight, indices, *, padding_idx: F.embedding(indices, weight, padding_idx=padding_idx),
    args=("weight", "indices"),
    params=("padding_idx",),
    cases=_embedding_cases,
    summary="Look up rows of a table: `F.embedding(indices, weight, padding_idx=padding_idx)`.",
    differentiable=(True, False),
    convention=(
        "Rows looked up several times *accumulate* their gradients. The row `padding_idx` (when it is not "
        "`None`; a negative value counts from the end) always gets a zero gradient, however often it is "
        "looked up: that is what `padding_idx` is for, a fixed row that training never changes."
    ),
    conventions=(
        Convention("with padding_idx=0, row 0 gets 0; rows 1 and 2 get 1 each",
                   ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], torch.tensor([0, 2, 0, 1])),
                   ([[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]], None), {"padding_idx": 0}),
        Convention("without padding_idx, a row looked up twice gets 2",
                   ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], torch.tensor([1, 1, 2])),
                   ([[0.0, 0.0], [2.0, 2.0], [1.0, 1.0]], None), {"padding_idx": None}),
    ),
    page=Page(
        math=r"\mathrm{out}[\dots, :] = W[\mathrm{indices}[\dots], :]"
             r"\quad(\mathrm{out.shape} = \mathrm{indices.shape} + (d,))",
        jacobian=(
            r"The same as `getitem` on the rows of the table $W$ of shape $(n, d)$: each output row is a copy "
            r"of one table row. The forward pass ignores `padding_idx`; only the backward treats that row "
            r"specially."
        ),
        vjp=(
            r"$\bar W[r] = \sum_{j:\ \mathrm{indices}[j] = r} \bar{\mathrm{out}}[j]$ for every row $r$, "
            r"then $\bar W[\mathrm{padding\_idx}] = 0$. Flatten the indices and the leading dimensions of "
            r"the gradient, and `index_add` the rows." + INDEX_INPUT
        ),
        mistakes=(
            "Forgetting `padding_idx`: the padding row must get exactly zero even when it is looked up.",
            "Assigning rows instead of adding them: a token that occurs twice in a batch gets both gradients.",
            "Not wrapping a negative `padding_idx`: `-1` means row `n - 1`.",
            IGNORES_GRAD,
        ),
        hint=(
            "`rows = grad.reshape(-1, weight.shape[1])`, `gw = grad.new_zeros(weight.shape).index_add(0, "
            "indices.reshape(-1), rows)`, then zero row `padding_idx % n` (without modifying `grad`). "
            "Return `(gw, None)`."
        ),
    ),
)


# --- flip --------------------------------------------------------------------------------------------------

def _flip_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(5,) along [0]", normal((5,), gen), dims=[0]),
        _one("(3, 4) along [0]", normal((3, 4), gen), dims=[0]),
        _one("(3, 4) along [1]", normal((3, 4), gen), dims=[1]),
        _one("(3, 4) along [0, 1]", normal((3, 4), gen), dims=[0, 1]),
        _one("(3, 4) along [-1]", normal((3, 4), gen), dims=[-1]),
        _one("(2, 3, 4) along [0, 2]", normal((2, 3, 4), gen), dims=[0, 2]),
        _one("(2, 3, 4) along [-2]", normal((2, 3, 4), gen), dims=[-2]),
        _one("0-d along []", normal((), gen), dims=[]),
        _one("empty (0, 3) along [1]", normal((0, 3), gen), dims=[1]),
        _one("transposed (3, 4) along [0]", transposed(normal((3, 4), gen)), dims=[0]),
    ]
    return cases + with_dtype([cases[5], cases[9]], torch.float32)


FLIP = Op(
    name="flip",
    set="shapes",
    forward=lambda x, *, dims: torch.flip(x, dims),
    args=("x",),
    params=("dims",),
    cases=_flip_cases,
    summary="Reverse the order of entries along the given dimensions.",
    page=Page(
        math=r"\mathrm{out}[\dots, i, \dots] = x[\dots, n - 1 - i, \dots]"
             r"\quad\text{along each dimension in } \mathrm{dims}",
        jacobian=(
            r"A permutation matrix (the anti-diagonal exchange matrix along each flipped dimension). "
            r"Reversing twice restores the order, so this permutation is its own inverse and it is "
            r"symmetric: its transpose is itself."
        ),
        vjp=r"$\bar x = \operatorname{flip}(\bar{\mathrm{out}},\ \mathrm{dims})$: reverse the gradient the same way.",
        mistakes=(
            "Returning `grad` unflipped: the shape is right but each entry goes back to the mirror position.",
            "Flipping every dimension instead of only those in `dims`.",
            IGNORES_GRAD,
        ),
        hint="One line: `grad.flip(dims)`. `dims` arrives as a list.",
    ),
)


# --- pad ---------------------------------------------------------------------------------------------------

def _pad_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        _one("(5,) padded [1, 2]", normal((5,), gen), pad=[1, 2], value=0.0),
        _one("(3, 4) padded [1, 1, 2, 0]", normal((3, 4), gen), pad=[1, 1, 2, 0], value=0.0),
        _one("(2, 3, 4) padded [0, 0, 1, 1] (dim -2 only)", normal((2, 3, 4), gen), pad=[0, 0, 1, 1], value=0.0),
        _one("(2, 3, 4) padded [2, 1] (last dim only)", normal((2, 3, 4), gen), pad=[2, 1], value=0.0),
        _one("(2, 2, 3) padded on all three dims", normal((2, 2, 3), gen), pad=[1, 0, 0, 2, 1, 1], value=0.0),
        _one("(3, 4) padded [0, 0] (no-op)", normal((3, 4), gen), pad=[0, 0], value=0.0),
        _one("(3, 4) padded [2, 0] with value 1.5", normal((3, 4), gen), pad=[2, 0], value=1.5),
        _one("empty (0, 3) padded [1, 1]", normal((0, 3), gen), pad=[1, 1], value=0.0),
        _one("(6,) padded [-1, 2] (a negative amount crops)", normal((6,), gen), pad=[-1, 2], value=0.0),
        _one("(3, 4) padded [1, -2, -1, 1] (pads and crops)", normal((3, 4), gen), pad=[1, -2, -1, 1], value=0.0),
        _one("transposed (3, 4) padded [1, 1] with value -2.0", transposed(normal((3, 4), gen)), pad=[1, 1],
             value=-2.0),
    ]
    return cases + with_dtype([cases[1], cases[10]], torch.float32)


PAD = Op(
    name="pad",
    set="shapes",
    forward=lambda x, *, pad, value: F.pad(x, pad, value=value),
    args=("x",),
    params=("pad", "value"),
    cases=_pad_cases,
    summary="Constant padding: `F.pad(x, pad, value=value)`; a negative amount crops instead.",
    page=Page(
        math=r"\mathrm{out}[\dots, i] = \begin{cases} x[\dots, i - l] & 0 \le i - l < n \\ "
             r"\mathrm{value} & \text{otherwise} \end{cases}"
             r"\quad\text{(last dimension, padded by } l \text{ before and } r \text{ after)}",
        jacobian=(
            r"`pad` lists amounts from the *last* dimension backwards: `[left, right]` for the last dimension, "
            r"then `[top, bottom]` for the one before it, and so on; dimensions it does not reach are left "
            r"alone. Each output entry is either a copy of an input entry (Jacobian row with a single 1) or "
            r"the constant `value` (a zero row: the constant does not depend on `x`). A negative amount "
            r"removes entries instead; their Jacobian columns are zero."
        ),
        vjp=(
            r"$\bar x$ is $\bar{\mathrm{out}}$ with the padded border cut off: along each padded dimension "
            r"keep the $n$ entries from $l$ up to (not including) $l + n$. Where an amount is negative, the cropped "
            r"entries of `x` got no gradient, so put zeros back there. Both at once: padding by the "
            r"*negated* amounts, `F.pad(grad, [-p for p in pad])`, is exactly the adjoint."
        ),
        mistakes=(
            "Reading the pairs front to back: the first pair is for the *last* dimension.",
            "Off-by-one slicing: the input's entries are `[left : left + n]`, not `[left : -right]` (which "
            "breaks when `right` is 0: `-0` is `0`, an empty slice).",
            "Thinking `value` affects the gradient: it is a constant, so the border's gradient is simply "
            "dropped.",
            IGNORES_GRAD,
        ),
        hint=(
            "For `k` in `range(len(pad) // 2)`, the dimension is `x.dim() - 1 - k` with amounts "
            "`pad[2k], pad[2k + 1]`. With only positive amounts, `grad.narrow(dim, left, x.shape[dim])` on each "
            "of them is enough; `F.pad(grad, [-p for p in pad])` handles the negative amounts too."
        ),
    ),
)


OPS: list[Op] = [RESHAPE, PERMUTE, TRANSPOSE, EXPAND, SQUEEZE, UNSQUEEZE, CAT, STACK, GETITEM, GATHER,
                 INDEX_SELECT, EMBEDDING, FLIP, PAD]
