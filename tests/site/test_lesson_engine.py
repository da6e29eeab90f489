"""Lesson 8 as built: a hand-written walker reproduces torch's backward(), drawn at every step, and the engine's
other behaviours (freeing, hooks, inputs=, allow_unused, anomaly mode) print what torch really does; and the
pictures with values and gradients that other lessons show hold torch's numbers."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from autograder import registry

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

LESSON = "08-inside-backward"
LESSONS_IT_LINKS = ("02-scalar-backward", "06-accumulation-and-zeroing", "09-autograd-grad-and-higher-order")


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / LESSON / "index.html").read_text(), "html.parser")


def outputs(site: Path) -> str:
    text = "\n".join(o.get_text() for o in page(site).select(".jp-OutputArea-output"))
    return " ".join(text.split())


def pictures(site: Path) -> list[str]:
    """The SVG text of every graph picture, in page order."""
    found = []
    for img in page(site).select(".jp-OutputArea-output img"):
        kind, _, data = img["src"].partition(",")
        if kind.startswith("data:image/svg+xml"):
            found.append(base64.b64decode(data).decode() if kind.endswith(";base64") else data)
    return found


def lines(svg: str) -> list[str]:
    """The text lines written in the boxes of a picture."""
    return [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def current(svg: str) -> list[str]:
    """The first line of each box drawn as the node being run."""
    return [g.find("{http://www.w3.org/2000/svg}text").text or "" for g in ET.fromstring(svg).iter()
            if "current" in g.get("class", "").split()]


def test_the_walker_reproduces_torchs_gradients_and_order_on_article_001s_graph(site: Path) -> None:
    text = outputs(site)
    for claim in ("L = 508.0",
                  "X1.grad walker: tensor([ 2., 20., 66., 152.]) torch: tensor([ 2., 20., 66., 152.]) "
                  "identical: True",
                  "W1.grad walker: tensor([ 4., 60., 264., 760.]) torch: tensor([ 4., 60., 264., 760.]) "
                  "identical: True",
                  "W2.grad walker: tensor([ 4., 30., 88., 190.]) torch: tensor([ 4., 30., 88., 190.]) "
                  "identical: True",
                  "same order as torch: True",
                  "SumBackward0→L → PowBackward0→s → SubBackward0→d → MulBackward0→y → W2 → MulBackward0→X2 → W1 → X1",
                  "SubBackward0→d inputs: None, MulBackward0→y",
                  "MulBackward0→y sends [2, 20, 66, 152] to MulBackward0→X2 (complete: ready)",
                  "W2 sequence number 18446744073709551615"):
        assert claim in text, claim


def test_every_step_of_the_walk_is_drawn_and_the_gradients_fill_in(site: Path) -> None:
    svgs = pictures(site)
    assert len(svgs) == 12  # the graph, 9 steps of the walk, the fan-in step, torch's retained gradients
    steps = [lines(svg) for svg in svgs[1:10]]
    # X2's buffer holds [2, 20, 66, 152] from step 4 (after MulBackward0→y ran), X1's from step 6.
    assert [step.count("grad [2, 20, 66, 152]") for step in steps] == [0, 0, 0, 0, 1, 1, 2, 2, 2]
    assert [step.count("grad —") for step in steps] == [7, 6, 5, 4, 2, 2, 0, 0, 0]
    assert [current(svg) for svg in svgs[1:10]] == [[], ["SumBackward0"], ["PowBackward0"], ["SubBackward0"],
                                                    ["MulBackward0"], ["W2"], ["MulBackward0"], ["W1"], ["X1"]]
    assert steps[0].count("waits for 1") == 7 and steps[0].count("ready") == 1
    assert steps[-1].count("done") == 7 and steps[-1].count("just ran") == 1
    for number in ("grad [4, 60, 264, 760]", "grad [4, 30, 88, 190]", "grad [-2, -10, -22, -38]", "value 508",
                   "grad 1"):
        assert number in steps[-1], number
    fan_in = svgs[10]
    assert {"grad [[4.5, 4.5], [4.5, 4.5]]", "grad [[0.75, 0.75], [0.75, 0.75]]"} <= set(lines(fan_in))
    assert current(fan_in) == ["MulBackward0"]
    retained = lines(svgs[11])
    for number in ("grad [2, 20, 66, 152]", "grad [2, 10, 22, 38]", "grad [-2, -10, -22, -38]", "grad 1"):
        assert number in retained, number


def test_a_tensor_used_twice_waits_for_two_contributions_and_gets_their_sum(site: Path) -> None:
    text = outputs(site)
    assert "AddBackward0→y waits for 2" in text
    assert text.count("MulBackward0 sends [[2.25, 2.25], [2.25, 2.25]] to AddBackward0→y") == 2
    assert "(waits for 1 more)" in text and "x.grad identical to torch's: True" in text


def test_freeing_hooks_inputs_unused_and_anomaly_print_what_torch_does(site: Path) -> None:
    text = outputs(site)
    for claim in ("after backward(): RuntimeError: Trying to backward through the graph a second time",
                  "second backward(): RuntimeError: Trying to backward through the graph a second time",
                  "Specify retain_graph=True",
                  "after 2 calls: tensor([ 4., 40., 132., 304.])",
                  "(x + 1).sum(), twice without retain_graph: tensor([2., 2.])",
                  "hook on y saw dL/dy = tensor([ 2., 10., 22., 38.])",
                  "while X1.grad is still None",
                  "with dL/dy capped at 10: X1.grad = tensor([ 2., 20., 30., 40.]) "
                  "W2.grad = tensor([ 4., 30., 40., 50.])",
                  "ran: SumBackward0→L → PowBackward0→s → SubBackward0→d → MulBackward0→y → W2 W2.grad",
                  "W1.grad = None | X1.grad = None",
                  "appears to not have been used in the graph. Set allow_unused=True",
                  "allow_unused=True : (tensor([ 2., 20., 66., 152.]), None)",
                  "materialize_grads=True: (tensor([ 2., 20., 66., 152.]), tensor([0., 0., 0.]))",
                  "X1.grad is untouched : None",
                  "x.grad = tensor([ nan, 0.2500])",
                  "RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.",
                  "the forward line: root = x.sqrt()"):
        assert claim in text, claim


def test_the_page_has_goals_answers_that_unfold_and_links_to_the_engine_exercises(site: Path) -> None:
    soup = page(site)
    h1 = soup.select_one(".jp-RenderedMarkdown h1")
    assert h1 is not None and h1.get_text().startswith("8. Inside backward()")
    assert soup.find(id="check-yourself") and soup.find(id="practise-it")
    answers = soup.select("details")
    assert 3 <= len(answers) <= 5 and all(d.summary and d.summary.get_text() == "Answer" for d in answers)
    assert not soup.select("[data-mime-type='application/vnd.jupyter.stderr']"), "a cell wrote to stderr"
    links = {a["href"] for a in soup.select("a[href]")}
    for op in registry.SETS["engine"]:
        assert f"../../exercises/engine/{op.name}/" in links, op.name
    for lesson in LESSONS_IT_LINKS:
        assert any(re.match(rf"\.\./{lesson}/(#[\w-]+)?$", href) for href in links), lesson


# Lessons whose worked examples also get a picture with values and gradients, found by name without their
# number (lessons are renumbered as the course grows), and lines that one of their pictures must show.
PICTURED = {
    "scalar-backward": ("value 508", "grad 1", "grad [2, 10, 22, 38]", "grad [2, 20, 66, 152]",
                        "grad [4, 60, 264, 760]", "grad [4, 30, 88, 190]"),
    "gradient-argument-and-vjp": ("value [1, 4, 9]", "grad [1.621, -1.961, -2.733]", "grad [3.242, -7.844, -16.4]"),
    "accumulation-and-zeroing": ("value 3", "grad 6", "value 9", "grad 1"),
    "chain-rule-through-a-network": ("value 544.5", "grad 33", "grad [33, 66]", "grad [165, 33]",
                                     "grad [[165, 330], [33, 66]]", "grad [[165, 363], [330, 726]]",
                                     "grad [-198, 693]"),
}


@pytest.mark.parametrize("name", sorted(PICTURED))
def test_other_lessons_draw_their_worked_example_with_torchs_values_and_gradients(site: Path, name: str) -> None:
    (lesson,) = sorted(site.glob(f"lessons/[0-9][0-9]-{name}/index.html"))
    soup = BeautifulSoup(lesson.read_text(), "html.parser")
    svgs = [base64.b64decode(img["src"].partition(",")[2]).decode()
            for img in soup.select(".jp-OutputArea-output img") if img["src"].startswith("data:image/svg+xml;base64")]
    shown = [set(lines(svg)) for svg in svgs]
    assert any(set(PICTURED[name]) <= box_lines for box_lines in shown), name
    if name == "gradient-argument-and-vjp":  # the argument is what the whole network put in y's box
        assert sum("grad [1.621, -1.961, -2.733]" in box_lines for box_lines in shown) == 2
        assert sum("grad [3.242, -7.844, -16.4]" in box_lines for box_lines in shown) == 2
