"""Set ``shapes``: shape, view and indexing ops (teaches: adjoint permutations and scatter-add).

None of these ops does arithmetic: each output entry is a copy of one input entry (or a constant). So the
Jacobian is a 0/1 matrix with at most one 1 per row, and the VJP sends every entry of ``grad`` back to the
input entry it was copied from, adding where several outputs were copied from the same entry.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry import declare
from autograder.registry.cases import Case, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Convention, Op

Tensor = torch.Tensor


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


RESHAPE = declare.vjp(
    name="reshape", set="shapes", forward=lambda x, *, shape: torch.reshape(x, shape), args=("x",), params=("shape",),
    cases=_reshape_cases,
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


PERMUTE = declare.vjp(
    name="permute", set="shapes", forward=lambda x, *, dims: torch.permute(x, dims), args=("x",), params=("dims",),
    cases=_permute_cases,
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


TRANSPOSE = declare.vjp(
    name="transpose", set="shapes", forward=lambda x, *, dim0, dim1: torch.transpose(x, dim0, dim1), args=("x",),
    params=("dim0", "dim1"), cases=_transpose_cases,
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


EXPAND = declare.vjp(
    name="expand", set="shapes", forward=lambda x, *, shape: x.expand(shape), args=("x",), params=("shape",),
    cases=_expand_cases,
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


SQUEEZE = declare.vjp(
    name="squeeze", set="shapes", forward=lambda x, *, dim: torch.squeeze(x) if dim is None else torch.squeeze(x, dim),
    args=("x",), params=("dim",), cases=_squeeze_cases,
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


UNSQUEEZE = declare.vjp(
    name="unsqueeze", set="shapes", forward=lambda x, *, dim: torch.unsqueeze(x, dim), args=("x",), params=("dim",),
    cases=_unsqueeze_cases,
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


CAT = declare.vjp(
    name="cat", set="shapes", forward=lambda a, b, *, dim: torch.cat([a, b], dim), args=("a", "b"), params=("dim",),
    cases=_cat_cases,
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


STACK = declare.vjp(
    name="stack", set="shapes", forward=lambda a, b, *, dim: torch.stack([a, b], dim), args=("a", "b"), params=("dim",),
    cases=_stack_cases,
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


GETITEM = declare.vjp(
    name="getitem", set="shapes", forward=lambda x, index: x[index], args=("x", "index"), cases=_getitem_cases,
    differentiable=(True, False),
    conventions=(
        Convention("x[[0, 0, 2]] gives x the gradient [2, 0, 1]",
                   ([1.0, 2.0, 3.0], torch.tensor([0, 0, 2])), ([2.0, 0.0, 1.0], None)),
        Convention("x[[-1, -1, 0]] gives x the gradient [1, 0, 2]",
                   ([1.0, 2.0, 3.0], torch.tensor([-1, -1, 0])), ([1.0, 0.0, 2.0], None)),
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


GATHER = declare.vjp(
    name="gather", set="shapes", forward=lambda x, index, *, dim: torch.gather(x, dim, index), args=("x", "index"),
    params=("dim",), cases=_gather_cases, differentiable=(True, False),
    conventions=(
        Convention("gather(x, 0, [0, 0, 2]) gives x the gradient [2, 0, 1]",
                   ([1.0, 2.0, 3.0], torch.tensor([0, 0, 2])), ([2.0, 0.0, 1.0], None), {"dim": 0}),
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


INDEX_SELECT = declare.vjp(
    name="index_select", set="shapes", forward=lambda x, index, *, dim: torch.index_select(x, dim, index),
    args=("x", "index"), params=("dim",), cases=_index_select_cases, differentiable=(True, False),
    conventions=(
        Convention("index_select(x, 0, [2, 2, 0]) gives x the gradient [1, 0, 2]",
                   ([1.0, 2.0, 3.0], torch.tensor([2, 2, 0])), ([1.0, 0.0, 2.0], None), {"dim": 0}),
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


EMBEDDING = declare.vjp(
    name="embedding", set="shapes",
    forward=lambda weight, indices, *, padding_idx: F.embedding(indices, weight, padding_idx=padding_idx),
    args=("weight", "indices"), params=("padding_idx",), cases=_embedding_cases, differentiable=(True, False),
    conventions=(
        Convention("with padding_idx=0, row 0 gets 0; rows 1 and 2 get 1 each",
                   ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], torch.tensor([0, 2, 0, 1])),
                   ([[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]], None), {"padding_idx": 0}),
        Convention("without padding_idx, a row looked up twice gets 2",
                   ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], torch.tensor([1, 1, 2])),
                   ([[0.0, 0.0], [2.0, 2.0], [1.0, 1.0]], None), {"padding_idx": None}),
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


FLIP = declare.vjp(
    name="flip", set="shapes", forward=lambda x, *, dims: torch.flip(x, dims), args=("x",), params=("dims",),
    cases=_flip_cases,
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


PAD = declare.vjp(
    name="pad", set="shapes", forward=lambda x, *, pad, value: F.pad(x, pad, value=value), args=("x",),
    params=("pad", "value"), cases=_pad_cases,
)


OPS: list[Op] = [RESHAPE, PERMUTE, TRANSPOSE, EXPAND, SQUEEZE, UNSQUEEZE, CAT, STACK, GETITEM, GATHER,
                 INDEX_SELECT, EMBEDDING, FLIP, PAD]
