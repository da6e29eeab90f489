"""Lessons 1-4 as built: every worked example prints its numbers, every correction, reconstruction marker and picture
is on the page.

The numbers are those of SEED_FACTS.md (stated and inferred ones verbatim). Output text is compared with runs of
whitespace collapsed, so that ``tensor([  2.,  20.])`` and ``tensor([ 2., 20.])`` are the same claim.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

LESSONS = ("01-graphs-and-leaves", "02-scalar-backward", "03-gradient-argument-and-vjp", "04-jacobians")

EXAMPLES: dict[str, dict[str, list[str]]] = {
    "01-graphs-and-leaves": {
        "a001_e1": ["X1: is_leaf=True, requires_grad=True, grad_fn=None",
                    "W1: is_leaf=True, requires_grad=True, grad_fn=None",
                    "W2: is_leaf=True, requires_grad=True, grad_fn=None",
                    "Y: is_leaf=True, requires_grad=False, grad_fn=None",
                    "X2: is_leaf=False, requires_grad=True, grad_fn=MulBackward0",
                    "y: is_leaf=False, requires_grad=True, grad_fn=MulBackward0",
                    "L: is_leaf=False, requires_grad=True, grad_fn=SumBackward0",
                    "L = 508.0", "dL/dX1 = tensor([ 2., 20., 66., 152.])",
                    "dL/dW1 = tensor([ 4., 60., 264., 760.])", "dL/dW2 = tensor([ 4., 30., 88., 190.])",
                    "X2.grad (non-leaf) = None", "warning: The .grad attribute of a Tensor that is not a leaf Tensor",
                    "use .retain_grad()"],
        "a001_e2": ["tensor([2., 3., 4., 5.], requires_grad=True)",
                    "torch.bfloat16 requires_grad_(): ok", "torch.complex128 requires_grad_(): ok",
                    "torch.int64 requires_grad_(): RuntimeError: only Tensors of floating point dtype",
                    "RuntimeError: Only Tensors of floating point and complex dtype can require gradients",
                    "tensor([1.+2.j], requires_grad=True)"],
        "E001-1": ["W1 @ X1 = 14.0 (a matrix product of two 4-vectors: one number)",
                   "W1 * X1 = tensor([2., 3., 4., 5.]) (element-wise: a 4-vector)"],
        "E002-9": ["x.detach() is a new tensor: True | shares memory: True",
                   "the detached copy: requires_grad = False | (d * 2).grad_fn = None",
                   "the original x: requires_grad = True | (x * 2).grad_fn = MulBackward0"],
        "old spellings": ["TypeError: Tensor.backward() got an unexpected keyword argument 'retain_variables'",
                          "IndexError: invalid index of a 0-dim tensor", "loss.item() = 20.0"],
        "a001_e3": ["tensor([1., 1., 1., 1.], requires_grad=True)", "tensor([1., 2., 3., 4.], requires_grad=True)"],
        "a001_e4": ["tensor([2., 3., 4., 5.], grad_fn=<MulBackward0>)",
                    "x2.is_leaf = False | x2.grad_fn.next_functions = [('AccumulateGrad', 0), ('AccumulateGrad', 0)]"],
        "a001_e5": ["<AddBackward0 object at 0x", "<MulBackward0 object at 0x", "names: None AddBackward0 MulBackward0",
                    "is_leaf: True False False"],
        "a002_e2": ["tensor([[1., 1.], [1., 1.]], requires_grad=True)"],
        "a002_e3": ["tensor([[2., 2.], [2., 2.]], grad_fn=<AddBackward0>)", "<AddBackward0 object at 0x"],
        "a002_e4": ["tensor([[-0.0220, 0.9392], [ 2.1243, 0.2287]])",
                    "tensor([[ 0.0646, -46.3478], [ 5.6683, -0.8896]], requires_grad=True)",
                    "tensor([[ 1.0646, -45.3478], [ 6.6683, 0.1104]], grad_fn=<AddBackward0>)",
                    "created: False | after requires_grad_(): True | after requires_grad_(False): False",
                    "requires_grad_(requires_grad=True)"],
        "a002_e9": ["detach: False None | shares storage: True", "inside no_grad: False None",
                    "outside: True MulBackward0"],
    },
    "02-scalar-backward": {
        "a000_e1": ["input: tensor([2., 3.], requires_grad=True)", "output: 16.5",
                    "input gradients are: tensor([1.5000, 1.5000])", "by hand: out = 16.5 | d out/d a = [1.5, 1.5]"],
        "a001_e6": ["as written -> RuntimeError: The size of tensor a (2) must match the size of tensor b (4) at "
                    "non-singleton dimension 1",
                    "L = -9.0 x1.grad = tensor([-0.2500, -0.5000, -0.7500, -1.0000])",
                    "L = 508.0 x1.grad = tensor([ 2., 20., 66., 152.])",
                    "w1.grad = tensor([ 4., 60., 264., 760.]) w2.grad = tensor([ 4., 30., 88., 190.])",
                    "dL/dX1 = dL/dy diag(W2) diag(W1) = tensor([ 2., 20., 66., 152.])",
                    "dL/dW1 = dL/dy diag(W2) diag(X1) = tensor([ 4., 60., 264., 760.])",
                    "dL/dW2 = dL/dy diag(X2) = tensor([ 4., 30., 88., 190.])"],
        "a002_e6": ["tensor([[3., 3.], [3., 3.]], grad_fn=<AddBackward0>)",
                    "tensor([[27., 27.], [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)",
                    "tensor([[4.5000, 4.5000], [4.5000, 4.5000]])", "reshaped to X: [[4.5, 4.5], [4.5, 4.5]]"],
    },
    "03-gradient-argument-and-vjp": {
        "a001_e7": ["tensor([ 0., 2., 56.], grad_fn=<MulBackward0>)",
                    "z.backward() without argument -> RuntimeError: grad can be implicitly created only for scalar "
                    "outputs",
                    "x.grad = tensor([5., 1., 7.])", "y.grad = tensor([0., 2., 8.])",
                    "via l = (v*z).sum(): x.grad = tensor([5., 1., 7.]) y.grad = tensor([0., 2., 8.])",
                    "v=[1,0.5,2] -> x.grad = tensor([ 5.0000, 0.5000, 14.0000])",
                    "scalar: backward() -> tensor([5., 1., 7.]) | backward(torch.tensor(1.0)) -> tensor([5., 1., 7.])"],
        "a000_e2": ["input: tensor([[2., 4.]]) | output: tensor([[ 8., 128.]])",
                    "input gradients are: tensor([[ 8., 96.]])", "tensor([[ 8., 0.], [ 0., 96.]])"],
        "a000_e3": ["J = [[8.0, 2.0], [2.0, 96.0]]", "out = [[16.0, 132.0]] -> a.grad = [[10.0, 98.0]]"],
        "a000_e4": ["a.grad = [[12.0, 194.0]] | k @ J = [12.0, 194.0] | J @ k = [12.0, 194.0]"],
        "a000_e5": ["J = [[8.0, 2.0], [4.0, 96.0]]",
                    "arg [[1.0, 1.0]] -> out [[16.0, 136.0]] -> a.grad [[12.0, 98.0]]",
                    "J @ k would give [10.0, 100.0]",
                    "arg [[1.0, 2.0]] -> out [[16.0, 136.0]] -> a.grad [[16.0, 194.0]]",
                    "J @ k would give [12.0, 196.0]"],
        "E000-8": ["symmetric : shapes (1, 2) and (1, 2) | arg J = [[12.0, 194.0]], (J arg)^T = [[12.0, 194.0]]",
                   "not symmetric: shapes (1, 2) and (1, 2) | arg J = [[16.0, 194.0]], (J arg)^T = [[12.0, 196.0]]"],
        "E000-9": ["a.grad : [[16.0, 194.0]] (1, 2)", "arg J : [[16.0, 194.0]] (1, 2) | equal to a.grad: True",
                   "(arg J)^T shape : (2, 1)"],
        "E001-8": ["TypeError: Tensor.backward() got an unexpected keyword argument 'grad_tensor'"],
        "E001-9": ["2 outputs, 3 inputs: v = [1.0, 2.0] | vJ = [2.0, 3.0, 12.0]"],
        "E001-10": ["l = sum v_i y_i : dl/dy = [5.0, 1.0, 7.0], l = 75.0",
                    "l = sum y_i^2 / 2: dl/dy = [5.0, 1.0, 7.0], l = 37.5"],
        "a003_e2": ["tensor(17.) tensor(52.) tensor(81.)", "y = [18.0, 38.0, 37.0]",
                    "J = [[3.0, 8.0, 3.0], [3.0, 8.0, 27.0], [2.0, 12.0, 18.0]]", "w^T J = [17.0, 52.0, 81.0]"],
    },
    "04-jacobians": {
        "a000_e5": ["one-hot [1.0, 0.0] -> row [8.0, 2.0]", "one-hot [0.0, 1.0] -> row [4.0, 96.0]",
                    "tensor([[ 8., 2.], [ 4., 96.]])", "equal to jacobian(): True",
                    "second backward without retain_graph -> RuntimeError: Trying to backward through the graph a "
                    "second time",
                    "'row 2' without clearing a.grad: [12.0, 98.0]"],
        "a002_e1": ["torch jacobian shape (m, n) = (2, 3)", "tensor([[2., 1., 0.], [0., 1., 6.]])",
                    "tensor([[2., 0.], [1., 1.], [0., 6.]])", "dy/dX (same shape as X): tensor([[2., 7.], [8., 8.]])"],
        "a003_e1": ["d(v^T x)/dx = v : True", "d(x^T x)/dx = 2x : True", "d(x^T A x)/dx = (A+A^T)x: True",
                    "d(Bx)/dx = B (m x n) : True (3, 4)", "scalar chain dy/dx = (dz/dx)^T dy/dz : True",
                    "k x n chain dy/dx = (dy/dz)(dz/dx) : True", "k x 1 chain dy/dx = (dy/dz)(dz/dx) : True (2,)"],
        "a000_e6": ["out = [[16.0], [8.0]]", "k=[[1.0], [1.0]] -> a.grad = [[8.0, 2.0], [4.0, 2.0]]",
                    "k=[[1.0], [2.0]] -> a.grad = [[8.0, 2.0], [8.0, 4.0]]", "out = [[16.0, 136.0], [8.0, 58.0]]",
                    "k of shape 2x1 -> RuntimeError: Mismatch in shape: grad_output[0] has a shape of "
                    "torch.Size([2, 1]) and output[0] has a shape of torch.Size([2, 2]).",
                    "k = [[1.0, 1.0], [1.0, 1.0]] -> a.grad = [[12.0, 98.0], [8.0, 56.0]]",
                    "k = [[1.0, 2.0], [1.0, 2.0]] -> a.grad = [[16.0, 194.0], [12.0, 110.0]]",
                    "tensor([[ 4., 2.], [ 4., 54.]])",
                    "[ 0., 0., 4., 2.], [ 0., 0., 4., 54.]]",
                    "off-diagonal blocks of the per-sample model are zero: True"],
        "E000-5": ["a.grad (one row per sample): [[8.0, 2.0], [8.0, 4.0]]",
                   "w.grad: [12.0, 20.0] | k1 dout1/dw + k2 dout2/dw = [12.0, 20.0]"],
    },
}

CORRECTIONS = {
    "01-graphs-and-leaves": ["E001-1", "E001-2", "E001-4", "E002-3", "E002-9"],
    "02-scalar-backward": ["E000-1", "E001-5", "E001-6"],
    "03-gradient-argument-and-vjp": ["E000-2", "E000-3", "E000-8", "E000-9", "E001-8", "E001-9", "E001-10",
                                     "E002-2", "E003-1"],
    "04-jacobians": ["E000-4", "E000-5", "E000-6"],
}

# Examples whose code or output is lost carry a marker that says what the surviving text pins down.
RECONSTRUCTED = {"01-graphs-and-leaves": 2, "02-scalar-backward": 3, "03-gradient-argument-and-vjp": 3,
                 "04-jacobians": 3}
PINNED = {"03-gradient-argument-and-vjp": ["8 and 96", "10", "98", "[[8, 2], [4, 96]]"],
          "04-jacobians": ["[[8, 2], [4, 96]]"]}

PICTURES = {"01-graphs-and-leaves": 5, "02-scalar-backward": 2, "03-gradient-argument-and-vjp": 2,
            "04-jacobians": 1}  # graph SVGs; the batch plot


def squash(text: str) -> str:
    return " ".join(text.split())


def page(site: Path, lesson: str) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / lesson / "index.html").read_text(), "html.parser")


def outputs(soup: BeautifulSoup) -> str:
    return squash("\n".join(o.get_text("\n") for o in soup.select(".jp-OutputArea-output")))


@pytest.mark.parametrize(("lesson", "example"), [(lesson, ex) for lesson, exs in EXAMPLES.items() for ex in exs])
def test_each_worked_example_prints_its_numbers(site: Path, lesson: str, example: str) -> None:
    printed = outputs(page(site, lesson))
    missing = [want for want in EXAMPLES[lesson][example] if squash(want) not in printed]
    assert not missing, f"{lesson} {example}: not in the executed output: {missing}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_correction_of_the_lesson_is_on_its_page(site: Path, lesson: str) -> None:
    soup = page(site, lesson)
    found = {block.get("id"): block for block in soup.select(".correction")}
    assert sorted(found) == sorted(CORRECTIONS[lesson])
    for ident, block in found.items():
        assert block.name == "details" and block.summary is not None, f"{ident}: not a collapsible block"
        assert squash(block.summary.get_text(" ")).startswith(f"Correction {ident} (")
        text = squash(block.get_text(" "))
        assert all(part in text for part in ("The original says: 「", "What is true:", "The run:")), ident


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_reconstructed_example_is_marked_with_what_the_text_pins_down(site: Path, lesson: str) -> None:
    markers = page(site, lesson).select("div.admonition.reconstructed")
    assert len(markers) == RECONSTRUCTED[lesson]
    assert all(squash(m.select_one(".admonition-title").get_text()) == "Reconstructed" for m in markers)
    text = squash(" ".join(m.get_text(" ") for m in markers))
    missing = [number for number in PINNED.get(lesson, []) if number not in text]
    assert not missing, f"{lesson}: the markers do not say what the text pins down: {missing}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_goals_sources_and_check_yourself(site: Path, lesson: str) -> None:
    soup = page(site, lesson)
    h1 = soup.select_one(".jp-RenderedMarkdown h1")
    assert h1 is not None and h1.get_text().startswith(f"{int(lesson[:2])}. ")
    intro = squash(h1.find_parent(class_="jp-RenderedMarkdown").get_text(" "))
    assert "Goals." in intro and "Draws on:" in intro
    assert soup.find(id="check-yourself") and soup.find(id="practise-it")
    answers = soup.select("details:not(.correction)")
    assert 3 <= len(answers) <= 5 and all(d.summary and d.summary.get_text() == "Answer" for d in answers)
    exercise_links = [a["href"] for a in soup.select("a[href*='exercises/']")]
    assert exercise_links and all(h.startswith("../../exercises/") and h.endswith("/") for h in exercise_links)
    assert not soup.select("[data-mime-type='application/vnd.jupyter.stderr']"), "a cell wrote to stderr"


@pytest.mark.parametrize("lesson", LESSONS)
def test_pictures_are_on_the_page(site: Path, lesson: str) -> None:
    images = page(site, lesson).select(".jp-OutputArea-output img")
    graphs = [i for i in images if i["src"].startswith("data:image/svg+xml")]
    plots = [i for i in images if i["src"].startswith(("data:image/png", "data:image/webp"))]
    if lesson == "04-jacobians":
        assert len(plots) == PICTURES[lesson]
    else:
        assert len(graphs) == PICTURES.get(lesson, 0)


def test_every_concept_of_these_lessons_points_at_a_heading_on_the_built_page(site: Path) -> None:
    concepts = yaml.safe_load((ROOT / "docs/lessons/concepts.yml").read_text())
    ours = {c: t for c, t in concepts.items() if any(t.startswith(f"lessons/{lesson}.ipynb#") for lesson in LESSONS)}
    assert ours  # completeness (every concept mapped somewhere) is test_concepts.py's claim
    for concept, target in ours.items():
        lesson, anchor = re.match(r"lessons/(.+)\.ipynb#(.+)", target).groups()
        heading = page(site, lesson).find(id=anchor)
        assert heading is not None and heading.name in ("h2", "h3"), f"{concept}: #{anchor} is not on {lesson}"
