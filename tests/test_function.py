"""Hand-written backward rules drive ``loss.backward()`` through ``autograder.function``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F

from autograder.function import BackwardRuleError, as_function, op_function
from tests.conftest import ROOT, load_module

Tensor = torch.Tensor
NN = load_module(ROOT / "solutions" / "nn.py", "_solutions")
BINARY = load_module(ROOT / "solutions" / "binary.py", "_solutions")
MUTANTS = load_module(ROOT / "tests" / "mutants" / "nn.py", "_mutants")


def leaves(seed: int = 0) -> dict[str, Tensor]:
    gen = torch.Generator().manual_seed(seed)

    def leaf(*shape: int) -> Tensor:
        return torch.randn(shape, generator=gen, dtype=torch.float64).requires_grad_()

    return {"x": leaf(2, 1, 6, 6), "kernel": leaf(3, 1, 3, 3), "bias": leaf(3), "gain": leaf(3, 3, 3),
            "shift": leaf(3, 3, 3), "scale": leaf(27), "w": leaf(27, 4)}


def small_cnn(p: dict[str, Tensor], ops: dict[str, Callable[..., Tensor]]) -> Tensor:
    """conv -> max-pool -> layer norm -> avg-pool -> flatten -> dropout -> scale -> linear -> cross-entropy,
    with ``scale`` used twice (its gradient accumulates over two paths)."""
    target = torch.tensor([2, 0])
    mask = torch.tensor([1.0, 0.0] * 27, dtype=torch.float64).reshape(2, 27)
    h = ops["conv2d"](p["x"], p["kernel"], p["bias"], stride=1, padding=1)
    h = ops["max_pool2d"](h, kernel_size=2, stride=None)
    h = ops["layer_norm"](h, p["gain"], p["shift"], normalized_shape=[3, 3, 3], eps=1e-5)
    h = ops["avg_pool2d"](h, kernel_size=3, stride=1, padding=1).flatten(1)
    h = ops["dropout_with_mask"](h, mask, p=0.5)
    h = ops["mul"](ops["mul"](h, p["scale"]), p["scale"])
    logits = torch.log_softmax(h @ p["w"], dim=1)
    return ops["cross_entropy"](logits, target, reduction="mean", ignore_index=-100)


OPS = ("conv2d", "max_pool2d", "layer_norm", "avg_pool2d", "dropout_with_mask", "mul", "cross_entropy")


def torch_ops() -> dict[str, Callable[..., Tensor]]:
    from autograder import registry

    return {name: registry.OPS[name].forward for name in OPS}


def hand_written(**replaced: Callable[..., tuple]) -> dict[str, Callable[..., Tensor]]:
    modules = {"mul": BINARY}
    return {name: op_function(name, replaced.get(name) or getattr(modules.get(name, NN), f"{name}_backward"))
            for name in OPS}


def gradients(ops: dict[str, Callable[..., Tensor]]) -> dict[str, Tensor]:
    p = leaves()
    small_cnn(p, ops).backward()
    return {name: t.grad for name, t in p.items()}


def test_reference_backwards_give_torchs_gradients_through_a_composed_graph() -> None:
    expected, got = gradients(torch_ops()), gradients(hand_written())
    for name, g in got.items():
        assert g is not None and g.abs().sum() > 0, name
        torch.testing.assert_close(g, expected[name], rtol=1e-10, atol=1e-12, msg=name)


@pytest.mark.parametrize("mistake", ["layer_norm_backward__constant_stats", "conv2d_backward__flipped_kernel",
                                     "max_pool2d_backward__ignores_grad"])
def test_a_wrong_backward_gives_wrong_gradients(mistake: str) -> None:
    name = mistake.split("_backward__")[0]
    expected = gradients(torch_ops())
    got = gradients(hand_written(**{name: getattr(MUTANTS, mistake)}))
    assert not all(torch.allclose(got[k], expected[k]) for k in expected)
    torch.testing.assert_close(got["w"], expected["w"])  # layers after the wrong node are still right


def test_the_backward_rule_really_runs_when_loss_backward_is_called() -> None:
    calls: list[tuple[int, ...]] = []

    def spy(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
        calls.append(tuple(grad.shape))
        return NN.softmax_backward(grad, x, dim=dim)

    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    (op_function("softmax", spy)(x, dim=1) * torch.arange(4.0, dtype=torch.float64)).sum().backward()
    assert calls == [(3, 4)]
    torch.testing.assert_close(x.grad, NN.softmax_backward(torch.arange(4.0, dtype=torch.float64).expand(3, 4),
                                                           x.detach(), dim=1)[0])


def test_gradcheck_and_double_backward_pass_through_hand_written_rules() -> None:
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(2, 3, 4, generator=gen, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, generator=gen, dtype=torch.float64, requires_grad=True)
    b = torch.randn(4, generator=gen, dtype=torch.float64, requires_grad=True)
    softmax = op_function("softmax", NN.softmax_backward)
    layer_norm = op_function("layer_norm", NN.layer_norm_backward)
    assert torch.autograd.gradcheck(lambda t: softmax(t, dim=-1), (x,))
    assert torch.autograd.gradgradcheck(lambda t: softmax(t, dim=1), (x,))
    assert torch.autograd.gradcheck(lambda *t: layer_norm(*t, normalized_shape=[4], eps=1e-5), (x, w, b))


def test_a_wrong_backward_fails_gradcheck() -> None:
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    softmax = op_function("softmax", MUTANTS.softmax_backward__diagonal_only)
    assert not torch.autograd.gradcheck(lambda t: softmax(t, dim=1), (x,), raise_exception=False)


def test_an_integer_input_gets_no_gradient_and_params_pass_through() -> None:
    logits = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([0, -1, 2, 1])
    loss = op_function("cross_entropy", NN.cross_entropy_backward)(logits, target, reduction="sum", ignore_index=-1)
    loss.backward()
    expected = torch.autograd.grad(F.cross_entropy(logits, target, reduction="sum", ignore_index=-1), logits)[0]
    torch.testing.assert_close(logits.grad, expected)
    assert logits.grad[1].abs().sum() == 0


def test_a_gradient_of_the_wrong_shape_or_dtype_is_an_error_not_a_silent_fix() -> None:
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    unreduced = as_function(torch.mul, lambda g, a, b: (g * b, g * a), name="mul")  # forgot to sum x's gradient
    with pytest.raises(BackwardRuleError, match=r"shape \(2, 3\).*input 0, which has shape \(3,\)"):
        unreduced(x, y).sum().backward()
    drifted = as_function(torch.exp, lambda g, a: ((g * a.exp()).float(),), name="exp")
    with pytest.raises(BackwardRuleError, match=r"dtype torch\.float32"):
        drifted(x).sum().backward()
    single = as_function(torch.exp, lambda g, a: g * a.exp(), name="exp")  # a tensor, not a 1-tuple
    with pytest.raises(BackwardRuleError, match="must return a tuple of 1 gradients, got Tensor"):
        single(x).sum().backward()


def test_none_for_an_input_that_needs_a_gradient_is_an_error() -> None:
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    mask = torch.ones(3, dtype=torch.float64)
    dropout = op_function("dropout_with_mask", NN.dropout_with_mask_backward)
    dropout(x, mask, p=0.0).sum().backward()  # None for the mask is fine: it needs no gradient
    forgot = op_function("dropout_with_mask", lambda g, x, m, *, p: (None, None))
    with pytest.raises(BackwardRuleError, match="None for input 0"):
        forgot(x, mask, p=0.0).sum().backward()
