"""exercises/ and solutions/ define exactly the registered functions, with the registered signatures."""

from __future__ import annotations

import ast
import inspect

import pytest
import torch

from autograder import registry
from tests.conftest import ROOT, load_module


def defined_backwards(path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.endswith("_backward")}


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_each_set_module_defines_exactly_its_registered_functions(folder: str) -> None:
    for name, ops in registry.SETS.items():
        path = ROOT / folder / f"{name}.py"
        assert path.exists(), f"{folder}/{name}.py is missing"
        assert defined_backwards(path) == {op.function for op in ops}, path


def test_no_module_exists_without_a_registered_set() -> None:
    for folder in ("exercises", "solutions"):
        modules = {p.stem for p in (ROOT / folder).glob("*.py")} - {"__init__", "helpers"}
        assert modules <= set(registry.SETS), f"{folder}: unregistered modules {modules - set(registry.SETS)}"


@pytest.mark.parametrize("op", list(registry.OPS.values()), ids=lambda op: op.name)
def test_stub_and_solution_have_the_registered_signature(op: registry.Op) -> None:
    expected = ["grad", *op.args, *op.params]
    for folder in ("exercises", "solutions"):
        function = getattr(load_module(ROOT / folder / f"{op.set}.py", f"_{folder}"), op.function)
        params = inspect.signature(function).parameters
        assert list(params) == expected, f"{folder}.{op.set}.{op.function}"
        assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in op.params)


@pytest.mark.parametrize("op", list(registry.OPS.values()), ids=lambda op: op.name)
def test_every_stub_raises_not_implemented_with_a_one_line_task(op: registry.Op) -> None:
    function = getattr(load_module(ROOT / "exercises" / f"{op.set}.py", "_exercises"), op.function)
    case = op.cases(torch.Generator().manual_seed(0))[0]
    with pytest.raises(NotImplementedError) as err:
        function(torch.ones(()), *case.inputs, **case.params)
    message = str(err.value)
    assert message.startswith(op.function) and "\n" not in message and len(message) > len(op.function) + 10


def test_op_names_are_unique_and_sets_are_in_teaching_order() -> None:
    names = [op.name for ops in registry.SETS.values() for op in ops]
    assert len(names) == len(set(names))
    assert all(op.set == name for name, ops in registry.SETS.items() for op in ops)
