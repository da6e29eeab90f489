"""Lesson 7 as built: what autograd records and how to stop it, with its numbers, its correction and its links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

LESSON = "07-what-autograd-records"
SEED_SENTENCE = ("要停止 tensor 历史记录的跟踪,您可以调用 tensor.detach(),"
                 "它将其与计算历史记录分离,并防止将来的计算被跟踪。")
EXERCISES = ("semantics/accumulate_steps", "engine/engine_leaves", "nn/dropout_with_mask", "higher_order/x_sin_x")


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / LESSON / "index.html").read_text(), "html.parser")


def outputs(site: Path) -> str:
    text = "\n".join(o.get_text() for o in page(site).select(".jp-OutputArea-output"))
    return " ".join(text.split())


def assert_printed(site: Path, *claims: str) -> None:
    text = outputs(site)
    for claim in claims:
        assert claim in text, claim


def test_a_detached_branch_changes_the_gradient_not_the_value(site: Path) -> None:
    assert_printed(site, "through both paths: dL/dx = tensor(33.)", "branch through y.detach(): dL/dx = tensor(15.)",
                   "L = 36.0", "forward: tensor([0., 2., 2.]) | gradient: tensor([1., 1., 1.])",
                   "plain round's gradient: tensor([0., 0., 0.])")
    # The graph of the detached example is drawn from the real grad_fn graph: one picture, with the cut branch.
    pictures = [img for img in page(site).select(".jp-OutputArea-output img") if img["src"].startswith("data:image")]
    assert len(pictures) == 1


def test_what_a_node_saves(site: Path) -> None:
    assert_printed(site, "b * b -> None", "saved self (a): None saved other (b): tensor([3., 4.])",
                   "saved result: tensor([2.7183, 7.3891], grad_fn=<ExpBackward0>)")


def test_the_detach_claim_is_quoted_points_to_its_correction_and_is_followed_by_its_run(site: Path) -> None:
    soup = page(site)
    text = " ".join(soup.get_text().split())
    assert SEED_SENTENCE in text and "prevents future computation from being tracked" in text
    assert "returns a new tensor" in text and "detach_()" in text
    assert soup.select_one('a[href="../01-graphs-and-leaves/#E002-9"]') is not None
    assert_printed(site, "y: True MulBackward0 d: False None", "y * 3 is recorded: MulBackward0",
                   "d * 3 is not: None", "d is y: False | same storage: True",
                   "y now: tensor([100., 4., 6.], grad_fn=<MulBackward0>)", "after y.detach_(): False None")
    corrections = (site / "corrections" / "index.html").read_text()
    assert "01-graphs-and-leaves/#E002-9" in corrections


def test_the_seed_sentence_is_quoted_exactly() -> None:
    shared = Path(os.environ.get("AUTOGRAD_SHARED", ROOT.parent / "shared"))
    seed = next((shared / "seeds").glob("002_*.txt"), None)
    if seed is None:
        pytest.skip("the shared seed articles are not beside the project")
    assert SEED_SENTENCE in seed.read_text().replace("\n", "")


def test_no_grad_inference_mode_and_set_grad_enabled(site: Path) -> None:
    assert_printed(site, "no_grad: False None | inference: False",
                   "n used later as a constant: x.grad = tensor([2., 4.])",
                   "inference_mode: False None | inference: True",
                   "RuntimeError: Inference tensors do not track version counter",
                   "RuntimeError: Inference tensors cannot be saved for backward",
                   "RuntimeError: Inplace update to inference tensor outside InferenceMode is not allowed",
                   "training=True: tensor(3., grad_fn=<SumBackward0>) training=False: tensor(3.)",
                   "decorated with @torch.no_grad(): tensor(3.)")


def test_eval_changes_layers_not_recording(site: Path) -> None:
    assert_printed(site, "train: tensor([0., 0., 2., 0., 0., 0., 2., 2.])",
                   "eval: tensor([1., 1., 1., 1., 1., 1., 1., 1.])",
                   "train: tensor([-0.9258, -0.4629, 1.3887]) running mean, var: tensor([0.3000]) tensor([1.6000])",
                   "eval: tensor([0.5534, 1.3440, 4.5062]) running mean, var: tensor([0.3000]) tensor([1.6000])",
                   "eval mode: out.grad_fn = AddmmBackward0", "and backward fills .grad: True",
                   "no_grad, training mode: running mean tensor([0.3000])")


def test_frozen_parameters_get_no_grad_and_do_not_move(site: Path) -> None:
    assert_printed(site, "trainable parameters: 21 of 41",
                   "0.weight grad: (4, 3) after the step: changed",
                   "2.weight grad: None after the step: unchanged", "2.bias grad: None after the step: unchanged",
                   "4.weight grad: (1, 4) after the step: changed",
                   "frozen weight moved: True its stale grad: tensor([[1., 1.]]) after zero_grad(): None")


def test_to_on_a_leaf_and_its_fix(site: Path) -> None:
    assert_printed(site, "is_leaf: False | grad_fn: ToCopyBackward0 w.grad after backward: None",
                   "warning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed",
                   'a.to("cpu") is a: True', "a.to(torch.float64) is a: False", "a.to(torch.float64) a leaf: False",
                   "w: True tensor([2., 2., 2.], dtype=torch.float64)",
                   "v: True tensor([3., 3., 3.], dtype=torch.float64)", "parameter after .to(): torch.float64 True")


def test_in_place_updates_and_the_version_counter(site: Path) -> None:
    assert_printed(site, "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.",
                   "tensor([0.8000, 0.8000, 0.8000], requires_grad=True) | leaf: True | version: 1",
                   "w = w - ...: leaf: False | grad_fn: SubBackward0",
                   "version after sigmoid: 0 version after y.mul_(2): 1",
                   "one of the variables needed for gradient computation has been modified by an inplace "
                   "operation: [torch.FloatTensor [3]], which is output 0 of Sigmoid, is at version 1; expected "
                   "version 0 instead.",
                   "version: 1 | grad_fn: MulBackward0 x.grad: tensor([2., 2., 2.])",
                   "versions: y 1 | d 1 RuntimeError: one of the variables needed for gradient computation has "
                   "been modified by an inplace operation")


def test_check_yourself_answers_are_collapsed_details(site: Path) -> None:
    soup = page(site)
    heading = soup.find(id="check-yourself")
    assert heading is not None
    answers = [d for d in heading.find_all_next("details") if d.find_previous(id="practise-it") is None]
    assert 3 <= len(answers) <= 5
    for details in answers:
        assert details.summary is not None and details.summary.get_text(strip=True) == "Answer"
        assert not details.has_attr("open") and len(details.get_text(strip=True)) > len("Answer") + 20
    assert "<details>" not in " ".join(md.get_text() for md in soup.select(".jp-RenderedMarkdown"))


def test_the_lesson_links_the_exercises_that_practise_it(site: Path) -> None:
    links = {a["href"] for a in page(site).select(".jp-RenderedMarkdown a[href]")}
    for exercise in EXERCISES:
        assert f"../../exercises/{exercise}/" in links, exercise
        assert (site / "exercises" / exercise / "index.html").exists(), exercise
