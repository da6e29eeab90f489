"""Lessons 05, 06, 09 and 11 run at build time and their pages show the numbers of every worked example they teach."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

# For each lesson: the corrections it owns, and what its executed outputs must print (compared without whitespace,
# because torch pads numbers to align columns).
LESSONS: dict[str, dict[str, list[str]]] = {
    "06-accumulation-and-zeroing": {
        "corrections": [],
        "outputs": [
            "after backward 1: x.grad = tensor([5., 1., 7.])",
            "after backward 2: x.grad = tensor([10., 2., 14.])",
            "after backward 3: x.grad = tensor([15., 3., 21.])",
            "after x.grad.zero_(): tensor([0., 0., 0.])",
            "next backward: tensor([5., 1., 7.])",
            "x.grad = None, then backward: tensor([5., 1., 7.])",
            "after optimizer.zero_grad(): None None",
            "RuntimeError: Trying to backward through the graph a second time",
            "x.grad after two passes: tensor([10., 2., 14.])",
            "4 micro-batches",
            "the same: True",
            "MulBackward0 returns, for grad = 1: (tensor(3.), tensor(3.))",
            "after one backward: x.grad = tensor(6.)",
            "after two backwards: x.grad = tensor(12.)",
            "tensor([[ 0.5000, -1.0000], [ 1.0000, -2.0000], [ 1.5000, -3.0000]]",
            "weight.grad, summed over the samples: tensor([[22., 28.]]",
            "bias.grad, summed over the samples: tensor([6.]",
            "their sum: tensor([[22., 28.]]",
            "h.grad = tensor([4., 8.])",
        ],
    },
    "09-autograd-grad-and-higher-order": {
        "corrections": ["E002-4", "E002-7"],
        "outputs": [
            "returned: tensor(7.) tensor(5.)",
            "x1.grad = None | x2.grad = None",
            "tensor(7., grad_fn=<AddBackward0>) tensor(5., grad_fn=<AddBackward0>)",
            "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
            "tensor(2.) tensor(1.) tensor(1.) tensor(2.)",
            "Hessian, assembled: [[2.0, 1.0], [1.0, 2.0]]",
            "functional.hessian: [[2.0, 1.0], [1.0, 2.0]]",
            "u' = 12.0 | u'' = 12.0 | u''' = 6.0",
            "tensor([4.0000e-01, 4.0000e+00, 4.0000e-04])",
            "u' = tensor([ 3., 12., 27.]) | u'' = tensor([ 6., 12., 18.])",
            "second call -> RuntimeError: Trying to backward through the graph a second time",
            "with retain_graph=True on the first call: tensor(18.) tensor(27.)",
            "H v, double backward: tensor([ 4., -25., -36.])",
            "H @ v : tensor([ 4., -25., -36.])",
        ],
    },
    "05-chain-rule-through-a-network": {
        "corrections": [],
        "outputs": [
            "z = [5.0, 11.0] s = [-6.0, 21.0] y = 36.0 L = 544.5",
            "dL/dy = 33.0",
            "autograd dL/dW1 = [[165.0, 330.0], [33.0, 66.0]] | same: True",
            "autograd dL/dW2 = [[165.0, 363.0], [330.0, 726.0]] | same: True",
            "autograd dL/dv = [-198.0, 693.0] | same: True",
            "(2-8) direct dL/dw1 = 165.0 | (2-9) chain dL/dw1 = 165.0 | autograd = 165.0",
            "tensor([[ 14., 32.], [ 32., 77.], [ 50., 122.]], grad_fn=<MmBackward0>)",
            "X.grad = tensor([[5., 7., 9.], [5., 7., 9.], [5., 7., 9.]])",
            "W.grad = tensor([[12., 15., 18.], [12., 15., 18.]])",
            "W has 6 entries",
            "dL/dW1: shape (3, 5), matches autograd: True",
        ],
    },
    "11-forward-and-reverse-mode": {
        "corrections": ["E003-3"],
        "outputs": [
            "right to left: {'inner products': 20, 'multiplications': 40}",
            "left to right: {'inner products': 38, 'multiplications': 76}",
            "10 | 20 ( 40) | 38 ( 76) | 36",
            "d = 1000, n = 10: right to left 1.000e+07, left to right 9.001e+09, ratio 900.1",
            "rows from 2 VJPs: [[2.0, 1.0, 0.0], [0.0, 1.0, 6.0]]",
            "columns from 3 JVPs: [[2.0, 1.0, 0.0], [0.0, 1.0, 6.0]]",
            "row convention, left to right: 10240 multiplications",
            "jacrev costs 2 evaluations of the loss, jacfwd 1002",
            "the same gradient: True",
            "one JVP costs 3.0 evaluations of net", "one VJP costs 2.0 evaluations of net",
            "2048 16 | 17 | 2050",
            "16 2048 | 2049 | 18",
        ],
    },
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page(site: Path, stem: str) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / stem / "index.html").read_text(), "html.parser")


def outputs(soup: BeautifulSoup) -> str:
    return "\n".join(node.get_text() for node in soup.select(".jp-OutputArea-output"))


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_page_prints_the_key_numbers_of_each_worked_example(site: Path, stem: str) -> None:
    printed = squash(outputs(page(site, stem)))
    missing = [line for line in LESSONS[stem]["outputs"] if squash(line) not in printed]
    assert not missing, f"{stem} does not print: {missing}"


@pytest.mark.parametrize("stem", ["05-chain-rule-through-a-network", "11-forward-and-reverse-mode"])
def test_every_check_against_autograd_or_a_formula_holds(site: Path, stem: str) -> None:
    assert "False" not in outputs(page(site, stem))


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_page_shows_its_corrections(site: Path, stem: str) -> None:
    soup = page(site, stem)
    for ident in LESSONS[stem]["corrections"]:
        block = soup.select_one(f"details.correction[id='{ident}']")
        assert block is not None, f"{stem}: no correction block {ident}"
        text = block.get_text(" ")
        assert all(part in text for part in (f"Correction {ident}", "The original says:", "What is true:", "The run:"))
    assert sorted(block["id"] for block in soup.select(".correction")) == sorted(LESSONS[stem]["corrections"])
    corrections = (site / "corrections" / "index.html").read_text()
    for ident in LESSONS[stem]["corrections"]:
        assert f"{stem}/#{ident}" in corrections or f"{stem}.ipynb#{ident}" in corrections, ident


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_the_page_has_goals_check_yourself_and_practice(site: Path, stem: str) -> None:
    soup = page(site, stem)
    title = soup.select_one("h1")
    assert title is not None and title.get_text().startswith(f"{int(stem[:2])}.")
    assert "Goals." in soup.get_text()
    assert "Draws on:" in soup.get_text()
    for anchor in ("check-yourself", "practise-it"):
        assert soup.select_one(f"[id='{anchor}']") is not None, f"{stem}: no section {anchor}"
    assert len(soup.select("details")) >= 3, f"{stem}: the questions need hidden answers"


def test_the_rebuilt_network_is_marked_with_what_the_text_pins_down(site: Path) -> None:
    markers = page(site, "05-chain-rule-through-a-network").select("div.admonition.reconstructed")
    assert len(markers) == 1
    text = markers[0].get_text(" ")
    assert "Reconstructed" in text and "(2-8)" in text and "(2-9)" in text


def test_the_plot_of_forward_and_reverse_mode_is_a_rendered_image(site: Path) -> None:
    images = page(site, "11-forward-and-reverse-mode").select(".jp-OutputArea-output img")
    assert any(img.get("src", "").startswith(("data:image/png", "data:image/webp")) for img in images)


def test_every_concept_of_these_lessons_points_at_a_heading_on_its_page(site: Path) -> None:
    concepts = yaml.safe_load((ROOT / "docs/lessons/concepts.yml").read_text())
    ours = {key: target for key, target in concepts.items() if Path(target.split("#")[0]).stem in LESSONS}
    assert ours  # completeness (every concept mapped somewhere) is test_concepts.py's claim
    for key, target in ours.items():
        path, anchor = target.split("#")
        stem = Path(path).stem
        assert page(site, stem).select_one(f"h2[id='{anchor}'], h3[id='{anchor}']") is not None, (key, target)
