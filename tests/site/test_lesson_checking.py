"""Lesson 10 as built: the measured error curve behind its float64 advice, gradcheck and gradgradcheck runs
that pass and fail as the text says, torch's choices at kinks and ties, the where trap, and its exercise links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from autograder import registry

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

LESSON = "10-checking-gradients"


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / LESSON / "index.html").read_text(), "html.parser")


def outputs(site: Path) -> str:
    text = "\n".join(o.get_text() for o in page(site).select(".jp-OutputArea-output"))
    return " ".join(text.split())


def error_table(text: str) -> dict[str, dict[float, float]]:
    """The printed table: relative error per method and step h (powers of ten from 1e-1 to 1e-13)."""
    rows = re.findall(r"\b(\de-\d\d) (\d\.\de[-+]\d\d) (\d\.\de[-+]\d\d) (\d\.\de[-+]\d\d)", text)
    assert len(rows) == 13, rows
    columns = ("central, float64", "central, float32", "forward, float64")
    return {name: {float(row[0]): float(row[1 + i]) for row in rows} for i, name in enumerate(columns)}


def test_the_error_curve_backs_the_advice_to_check_in_float64(site: Path) -> None:
    text = outputs(site)
    table = error_table(text)
    c64, c32, f64 = table["central, float64"], table["central, float32"], table["forward, float64"]
    assert c64[1e-1] / c64[1e-3] > 5e3 and f64[1e-1] / f64[1e-3] < 5e2  # h^2 against h
    assert c64[1e-5] < 1e-9 and c64[1e-6] < 1e-9  # the text: 1e-11 to 1e-10 there
    assert 1e-3 < c32[1e-6] < 1e-1  # float32 at gradcheck's eps: above its rtol of 1e-3
    assert all(c32[h] > 0.5 for h in (1e-8, 1e-10, 1e-13))  # nothing left of the derivative
    best = dict(re.findall(r"(central, float64|central, float32): smallest error (\d\.\de-\d\d) at h", text))
    assert float(best["central, float64"]) < 1e-9 and 1e-7 < float(best["central, float32"]) < 1e-4
    assert float(best["central, float32"]) / float(best["central, float64"]) > 1e4
    plots = [img for img in page(site).select(".jp-OutputArea-output img")
             if img["src"].startswith(("data:image/png", "data:image/webp"))]
    assert len(plots) == 1


def test_an_almost_right_gradient_is_caught_in_float64_only(site: Path) -> None:
    text = outputs(site)
    runs = re.findall(r"(float\d\d), h = ([\de.-]+) (\d\.\de-\d\d) (\d\.\de[-+]\d\d)", text)
    assert len(runs) == 3, runs
    scores = {(dtype, h): (float(right), float(almost)) for dtype, h, right, almost in runs}
    right, almost = scores["float64", "1e-06"]
    assert right < 1e-8 and 1e-4 < almost < 1e-3
    right, almost = scores["float32", "0.001"]
    assert almost / right < 10
    right, almost = scores["float32", "1e-06"]
    assert right == almost


def test_gradcheck_and_the_custom_function_behave_as_the_text_says(site: Path) -> None:
    text = outputs(site)
    for claim in ("tanh(x @ w), float64: True", "tanh(x), float32: False",
                  "its warning: Input #0 requires gradient and is not a double precision floating point",
                  "grad_fn: ScaledTanhBackward", "forward: grad mode on? False",
                  "backward: needs_input_grad = (True, True)", "backward: needs_input_grad = (True, False)",
                  "gradcheck: True", "Jacobian mismatch for output 0 with respect to input 0, numerical:",
                  "| requires grad: False RuntimeError: element 0 of tensors does not require grad",
                  "must override the setup_context staticmethod",
                  "ScaledTanh: gradgradcheck True", "SavedTanh: Jacobian mismatch", "OnceTanh: Jacobian mismatch",
                  "WrongTanh: gradgradcheck True"):
        assert claim in text, claim
    ours = re.search(r"ours : x (\[[^]]*\]) a (\S+)", text)
    reference = re.search(r"reference: x (\[[^]]*\]) a (\S+)", text)
    assert ours and reference and ours.groups() == reference.groups()
    hessians = dict(re.findall(r"(plain torch|ScaledTanh|SavedTanh|OnceTanh): (\[[^]]*\])", text))
    assert hessians["ScaledTanh"] == hessians["plain torch"] != hessians["SavedTanh"]
    assert hessians["SavedTanh"] == hessians["OnceTanh"] == "[0.0000, 0.0000, 0.0000]"
    assert text.count("| gradcheck: True") == 3
    func = re.search(r"torch\.func\.grad: (\[[^]]*\])", text)
    autograd = re.search(r"torch\.autograd : (\[[^]]*\])", text)
    assert func and autograd and func.group(1) == autograd.group(1) == ours.group(1)


def test_torch_choices_at_kinks_ties_and_the_where_trap_are_measured(site: Path) -> None:
    text = outputs(site)
    for row in ("relu at 0 0 1 0.5 0", "maximum(x, 0) at 0 0 1 0.5 0.5", "abs at 0 -1 1 0 0",
                "clamp(x, 0, 1) at 0 0 1 0.5 1", "clamp(x, 0, 1) at 1 1 0 0.5 1",
                "hardtanh(x, 0, 1) at 1 1 0 0.5 0", "sqrt at 0 nan 1000 nan inf",
                "torch.max(x) -> [0.5000, 0.0000, 0.5000]", "torch.amax(x, dim=0) -> [0.5000, 0.0000, 0.5000]",
                "torch.max(x, dim=0).values -> [1.0000, 0.0000, 0.0000] the index max(x, dim=0) returned: 0",
                "max() of [[3, 1], [3, 3]] -> [[0.3333, 0.0000], [0.3333, 0.3333]]",
                "numerical:tensor([[0.0000, 0.0000, 0.0000], [0.0000, 0.5000, 0.0000], [0.0000, 0.0000, 1.0000]]",
                "x.grad: [nan, nan, 0.2500]", "sqrt's backward on it: [nan, nan, 0.2500]",
                "where(x > 0, sqrt(x), 0) y [0.0, 0.0, 2.0] grad [nan, nan, 0.25]",
                "sqrt(x) * (x > 0) y [nan, 0.0, 2.0] grad [nan, nan, 0.25]",
                "sqrt(x.clamp(min=0)) y [0.0, 0.0, 2.0] grad [0.00, inf, 0.25]",
                "double where y [0.0, 0.0, 2.0] grad [0.00, 0.00, 0.25]", "x = [-1, 0, 4] where(x > 0, log(x), 0)"):
        assert row in text, row
    at_zero = re.findall(r"\) x\.grad = \[(\S+), (\S+), (\S+)\]", text)
    assert len(at_zero) == 3 and all(zero == "nan" for _, zero, _ in at_zero)


def test_check_yourself_answers_are_hidden_and_nothing_went_to_stderr(site: Path) -> None:
    soup = page(site)
    assert soup.find(id="check-yourself") and soup.find(id="practise-it")
    answers = soup.select(".jp-RenderedMarkdown details")
    assert 3 <= len(answers) <= 5 and all(d.summary and d.summary.get_text() == "Answer" for d in answers)
    assert not soup.select("[data-mime-type='application/vnd.jupyter.stderr']"), "a cell wrote to stderr"


def test_the_lesson_links_the_exercises_that_practise_it(site: Path) -> None:
    links = {a["href"] for a in page(site).select("a[href]")}
    wanted = [f"../../exercises/{op.set}/{op.name}/" for op in registry.SETS["kinks"]]
    wanted += ["../../exercises/higher_order/x_sin_x/", "../../exercises/reductions/amax/",
               "../../exercises/reductions/max_dim/", "../../exercises/binary/maximum/",
               "../../exercises/binary/where/", "../../exercises/elementwise/sqrt/"]
    for href in wanted:
        assert href in links, href
        assert (site / "lessons" / LESSON / href / "index.html").resolve().exists(), href
    # Hessian-vector products and Hessians are lesson 9's: this lesson's text points there instead of practising
    # them (the navigation, which lists every page, is not the lesson's text).
    in_text = {a["href"] for a in page(site).select("article a[href]")}
    assert not in_text & {"../../exercises/higher_order/hvp/", "../../exercises/higher_order/hessian/"}
