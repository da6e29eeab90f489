"""exercises/ and solutions/ define exactly the registered functions, with the registered signatures."""

from __future__ import annotations

import ast
import inspect

import pytest
import torch

from autograder import registry
from autograder.kinds import KINDS, drivers
from tests.conftest import ROOT, load_module


def defined_publicly(path) -> set[str]:
    """Top-level functions and classes not marked private: exactly what the student is asked to write."""
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")}


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_each_set_module_defines_exactly_its_registered_functions(folder: str) -> None:
    for name, ops in registry.SETS.items():
        path = ROOT / folder / f"{name}.py"
        assert path.exists(), f"{folder}/{name}.py is missing"
        assert defined_publicly(path) == {op.function for op in ops}, path


def test_no_module_exists_without_a_registered_set() -> None:
    for folder in ("exercises", "solutions"):
        modules = {p.stem for p in (ROOT / folder).glob("*.py")} - {"__init__", "helpers"}
        assert modules <= set(registry.SETS), f"{folder}: unregistered modules {modules - set(registry.SETS)}"


@pytest.mark.parametrize("op", list(registry.OPS.values()), ids=lambda op: op.name)
def test_stub_and_solution_have_the_registered_signature(op: registry.Op) -> None:
    expected = op.parameters
    for folder in ("exercises", "solutions"):
        function = getattr(load_module(ROOT / folder / f"{op.set}.py", f"_{folder}"), op.function)
        if op.kind.as_class:  # a torch.autograd.Function: the signature is its forward's
            assert issubclass(function, torch.autograd.Function)
            assert list(inspect.signature(function.forward).parameters) == ["ctx", *op.args]
            assert list(inspect.signature(function.backward).parameters) == ["ctx", "grad"]
            continue
        params = inspect.signature(function).parameters
        assert list(params) == expected, f"{folder}.{op.set}.{op.function}"
        assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in op.params)


@pytest.mark.parametrize("op", list(registry.OPS.values()), ids=lambda op: op.name)
def test_every_stub_raises_not_implemented_with_a_one_line_task(op: registry.Op) -> None:
    function = getattr(load_module(ROOT / "exercises" / f"{op.set}.py", "_exercises"), op.function)
    case = op.cases(torch.Generator().manual_seed(0))[0]
    job = {"driver": op.driver, "functions": list(op.functions)}
    with pytest.raises(NotImplementedError) as err:
        drivers.run(job, function, [*([torch.ones(())] if op.takes_grad else []), *case.inputs], dict(case.params))
    message = str(err.value)
    assert message.startswith(op.function) and "\n" not in message and len(message) > len(op.function) + 10


def test_forbidden_calls_are_entry_points_the_policy_guards() -> None:
    from autograder.sandbox import policy

    guarded = set(policy.names())
    for op in registry.OPS.values():
        assert set(op.forbidden) <= guarded, f"{op.name}: {set(op.forbidden) - guarded} cannot be refused"
        assert not op.forbidden or op.autograd_allowed, f"{op.name}: forbidden calls only mean something when " \
                                                        "autograd is otherwise allowed"


def test_exercises_that_are_not_vjps_declare_how_they_are_checked() -> None:
    for op in registry.OPS.values():
        if op.takes_grad:
            continue
        assert op.expected is not None and op.outputs, op.name
        assert op.kind in KINDS.values(), op.name
        assert op.page.sections and op.page.testing and len(op.page.mistakes) >= 3, op.name
        assert set(op.why) <= {*op.outputs, *op.measured}, op.name
        case = op.cases(torch.Generator().manual_seed(0))[0]
        assert len(op.expected(case)) == len(op.outputs) + len(op.measured), op.name
        assert len(case.inputs) == len(op.args) + len(op.extra_inputs), op.name
        assert set(op.functions) <= set(case.params), op.name


def test_op_names_are_unique_and_sets_are_in_teaching_order() -> None:
    names = [op.name for ops in registry.SETS.values() for op in ops]
    assert len(names) == len(set(names))
    assert all(op.set == name for name, ops in registry.SETS.items() for op in ops)
