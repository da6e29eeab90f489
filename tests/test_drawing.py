"""Graph pictures are drawn from the real autograd graph: every node and edge of it, legible, as valid SVG."""

from __future__ import annotations

import itertools
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import torch
from IPython.core.interactiveshell import InteractiveShell

from autograder.drawing import CURRENT, PENDING, Step, draw, draw_steps, graph, numbers, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def article_graph() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Article 001's example: X2 = W1*X1, y = W2*X2, L = sum((Y - y)^2), with a target Y that needs no grad."""
    X1 = torch.tensor([2.0, 3.0, 4.0, 5.0], requires_grad=True)
    W1 = torch.tensor(1.0, requires_grad=True)
    W2 = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    Y = torch.tensor(1.0)
    X2 = W1 * X1
    y = W2 * X2
    L = ((Y - y) ** 2).sum()
    return L, {"X1": X1, "W1": W1, "W2": W2, "Y": Y, "X2": X2, "y": y, "L": L}


def walk(output: torch.Tensor) -> tuple[set[Any], int]:
    """Independent count: the distinct autograd nodes and the number of non-None input links between them."""
    nodes, links, todo = [], 0, [output.grad_fn]
    while todo:
        fn = todo.pop()
        if any(fn is n for n in nodes):
            continue
        nodes.append(fn)
        for parent, _ in fn.next_functions:
            if parent is not None:
                links += 1
                todo.append(parent)
    return nodes, links


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(SVG + "text")]


def test_the_svg_is_xml_and_names_every_leaf_op_and_the_output() -> None:
    L, names = article_graph()
    labels = texts(parse(to_svg(L, names)))
    for expected in ("X1", "W1", "W2", "L", "SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0",
                     "AccumulateGrad", "makes X2", "makes y"):
        assert expected in labels, expected
    assert labels.count("MulBackward0") == 2
    assert "Y" not in labels, "a tensor that needs no gradient has no node in the autograd graph"


def test_one_edge_per_input_link_plus_one_into_the_output() -> None:
    L, names = article_graph()
    nodes, links = walk(L)
    root = parse(to_svg(L, names))
    edges = root.findall(f".//{SVG}path[@class='edge']")
    assert len(edges) == links + 1 == 8
    assert len(root.findall(f".//{SVG}rect")) == len(nodes) + 1 == 9


def test_a_repeated_input_is_drawn_once_per_use() -> None:
    a = torch.ones(2, 2, requires_grad=True)
    b = a + 2
    c = b * b * 3
    g = graph(c.mean(), {"a": a, "b": b})
    assert g.edges.count((id(b.grad_fn), id(c.grad_fn.next_functions[0][0]))) == 2
    svg = to_svg(c.mean(), {"a": a})
    paths = [p.get("d") for p in parse(svg).findall(f".//{SVG}path[@class='edge']")]
    assert len(paths) == len(set(paths)) == 6, "two uses of b must be two distinct curves"


def test_unnamed_tensors_get_generic_labels_and_a_leaf_output_is_one_box() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    labels = texts(parse(to_svg(x.exp().sum())))
    assert {"leaf", "output", "ExpBackward0", "SumBackward0"} <= set(labels)
    lone = parse(to_svg(x, {"x": x}))
    assert texts(lone) == ["x", "shape (2,)"]
    assert not lone.findall(f".//{SVG}path[@class='edge']")


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def every_kind_of_picture() -> list[str]:
    """A plain drawing, one with values and gradients, and the moments of a walk (with a highlighted node)."""
    L, names = article_graph()
    plain = to_svg(L, names)
    L2, names2 = article_loss_retained()
    L2.backward()
    walk_L, walk_names, steps = article_walk()
    return [plain, to_svg(L2, names2, values=True), *(p.svg for p in draw_steps(walk_L, walk_names, steps))]


def test_text_sits_on_an_explicit_fill_with_strong_contrast_whatever_the_page_theme() -> None:
    for svg in every_kind_of_picture():
        root = parse(svg)
        for node in root.iter(SVG + "g"):
            fill = node.find(SVG + "rect").get("fill")
            texts_in_box = list(node.iter(SVG + "text"))
            assert texts_in_box
            for text in texts_in_box:
                light, dark = sorted([luminance(fill), luminance(text.get("fill"))], reverse=True)
                assert (light + 0.05) / (dark + 0.05) >= 7, f"{text.text}: contrast too low on {fill}"


def test_boxes_do_not_overlap_and_fit_in_the_picture_and_their_text_fits_in_them() -> None:
    for svg in every_kind_of_picture():
        root = parse(svg)
        width, height = float(root.get("width")), float(root.get("height"))
        boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in root.iter(SVG + "rect")]
        for x, y, w, h in boxes:
            assert x >= 0 and y >= 0 and x + w <= width and y + h <= height
        for (x1, y1, w1, h1), (x2, y2, w2, h2) in itertools.combinations(boxes, 2):
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
        for node in root.iter(SVG + "g"):
            rect = node.find(SVG + "rect")
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            for text in node.iter(SVG + "text"):
                size = float(text.get("font-size", 13))
                half = len(text.text) * 0.62 * size / 2  # monospace advance width, as the layout assumes
                assert x <= float(text.get("x")) - half and float(text.get("x")) + half <= x + w, text.text
                assert y + size <= float(text.get("y")) <= y + h - 3, text.text


def test_inputs_are_drawn_above_the_ops_that_use_them() -> None:
    L, names = article_graph()
    g = graph(L, names)
    root = parse(to_svg(L, names))
    top = {}
    for node, rect in zip(g.nodes.values(), root.iter(SVG + "rect"), strict=True):
        top[node.key] = float(rect.get("y"))
    assert all(top[src] < top[dst] for src, dst in g.edges)


def test_jupyter_displays_the_picture_as_svg_and_pictures_on_one_page_do_not_share_ids() -> None:
    L, names = article_graph()
    picture = draw(L, names)
    data, _ = InteractiveShell.instance().display_formatter.format(picture)
    assert data["image/svg+xml"] == picture.svg
    x = torch.tensor([1.0], requires_grad=True)
    ids = [parse(draw(t).svg).find(f".//{SVG}marker").get("id") for t in (L, x.exp())]
    assert ids[0] != ids[1]


def article_loss_retained() -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Article 001's graph as SEED_FACTS.md has it (W1 = ones(4)), every result named and keeping its grad."""
    X1 = torch.tensor([2.0, 3.0, 4.0, 5.0], requires_grad=True)
    W1 = torch.ones(4, requires_grad=True)
    W2 = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    Y = torch.ones(4)
    X2 = W1 * X1
    y = W2 * X2
    L = ((Y - y) ** 2).sum()
    for t in (X2, y, L):
        t.retain_grad()
    return L, {"X1": X1, "W1": W1, "W2": W2, "X2": X2, "y": y, "L": L}


def box_texts(root: ET.Element) -> dict[str, list[str]]:
    """The lines of each box, keyed by its first line (a leaf's or the output's name, an op's class), or for an op
    that made a named tensor by its second ("makes y")."""
    boxes: dict[str, list[str]] = {}
    for node in root.iter(SVG + "g"):
        lines = [t.text or "" for t in node.iter(SVG + "text")]
        key = lines[1] if len(lines) > 1 and lines[1].startswith("makes ") else lines[0]
        boxes[key] = lines
    return boxes


def test_values_and_gradients_of_article_001_are_written_in_their_boxes() -> None:
    L, names = article_loss_retained()
    before = box_texts(parse(to_svg(L, names, values=True)))
    assert before["X1"] == ["X1", "AccumulateGrad", "value [2, 3, 4, 5]", "grad None"]
    assert before["L"] == ["L", "scalar", "value 508", "grad None"]
    L.backward()
    after = box_texts(parse(to_svg(L, names, values=True)))
    assert after["X1"] == ["X1", "AccumulateGrad", "value [2, 3, 4, 5]", "grad [2, 20, 66, 152]"]
    assert after["W1"] == ["W1", "AccumulateGrad", "value [1, 1, 1, 1]", "grad [4, 60, 264, 760]"]
    assert after["W2"] == ["W2", "AccumulateGrad", "value [1, 2, 3, 4]", "grad [4, 30, 88, 190]"]
    assert after["makes X2"] == ["MulBackward0", "makes X2", "value [2, 3, 4, 5]", "grad [2, 20, 66, 152]"]
    assert after["makes y"] == ["MulBackward0", "makes y", "value [2, 6, 12, 20]", "grad [2, 10, 22, 38]"]
    assert after["L"] == ["L", "scalar", "value 508", "grad 1"]
    assert after["PowBackward0"] == ["PowBackward0"], "an unnamed result has no value to show"
    # The numbers in the boxes are torch's own.
    assert after["X1"][3] == "grad " + str([int(v) for v in names["X1"].grad.tolist()]).replace("'", "")


def test_a_result_that_did_not_retain_its_grad_shows_none_and_reading_it_does_not_warn() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    out = h.sum()
    out.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading h.grad would warn: the drawing must not
        boxes = box_texts(parse(to_svg(out, {"x": x, "h": h, "out": out}, values=True)))
    assert boxes["x"][-1] == "grad [3, 3]"
    assert boxes["makes h"] == ["MulBackward0", "makes h", "value [3, 6]", "grad None"]
    assert boxes["out"][-1] == "grad None"


def test_numbers_are_short_and_exact_enough() -> None:
    assert numbers(torch.tensor(508.0)) == "508"
    assert numbers(torch.tensor([-0.0, 1.5, 1 / 3])) == "[0, 1.5, 0.3333]"
    assert numbers(torch.full((2, 2), 4.5)) == "[[4.5, 4.5], [4.5, 4.5]]"
    assert numbers(torch.tensor([float("nan"), float("inf")])) == "[nan, inf]"
    assert numbers(torch.arange(12.0).reshape(3, 4)) == "[0, 1, 2, 3, 4, 5, 6, 7, … 12 values]"
    assert numbers(torch.tensor([1e-7, 123456.0])) == "[1e-07, 1.235e+05]"


def article_walk() -> tuple[torch.Tensor, dict[str, torch.Tensor], list[Step]]:
    """Three moments of backward() on article 001's graph, with gradients from torch.autograd.grad."""
    L, names = article_loss_retained()
    X1, X2, y = names["X1"], names["X2"], names["y"]
    sum_fn = L.grad_fn
    pow_fn = sum_fn.next_functions[0][0]
    x1_fn = X2.grad_fn.next_functions[1][0]  # X2 = W1 * X1: the second input's AccumulateGrad
    assert x1_fn.variable is X1
    dy, dX2, dX1 = torch.autograd.grad(L, (y, X2, X1), retain_graph=True)
    one = torch.tensor(1.0)
    steps = [
        Step({sum_fn: one}, current=sum_fn, notes={sum_fn: "running"}),
        Step({sum_fn: one, y.grad_fn: dy}, current=y.grad_fn, notes={sum_fn: "done", pow_fn: "done"}),
        Step({sum_fn: one, y.grad_fn: dy, X2.grad_fn: dX2, x1_fn: dX1}, current=x1_fn),
    ]
    return L, names, steps


def test_a_walk_fills_in_gradients_step_by_step_on_one_layout() -> None:
    L, names, steps = article_walk()
    roots = [parse(p.svg) for p in draw_steps(L, names, steps)]
    boxes = [box_texts(r) for r in roots]
    assert [b["L"][-1] for b in boxes] == ["grad 1"] * 3
    assert [b["makes y"][-1] for b in boxes] == [f"grad {PENDING}", "grad [2, 10, 22, 38]", "grad [2, 10, 22, 38]"]
    assert [b["X1"][-1] for b in boxes] == [f"grad {PENDING}"] * 2 + ["grad [2, 20, 66, 152]"]
    assert boxes[0]["SumBackward0"] == ["SumBackward0", "running"]
    assert boxes[1]["PowBackward0"] == ["PowBackward0", f"grad {PENDING}", "done"]
    # One layout: every box at the same place with the same size, the arrows identical.
    geometry = [[tuple(r.get(k) for k in ("x", "y", "width", "height")) for r in root.iter(SVG + "rect")]
                for root in roots]
    assert geometry[0] == geometry[1] == geometry[2]
    assert len({root.get("width") for root in roots}) == 1
    paths = [[p.get("d") for p in root.findall(f".//{SVG}path[@class='edge']")] for root in roots]
    assert paths[0] == paths[1] == paths[2]
    # The node being run, and only it, has the thick highlighted border.
    current = [[g for g in root.iter(SVG + "g") if "current" in g.get("class")] for root in roots]
    assert [len(c) for c in current] == [1, 1, 1]
    assert [c[0].find(SVG + "text").text for c in current] == ["SumBackward0", "MulBackward0", "X1"]
    for root in roots:
        strokes = [r.get("stroke") for r in root.iter(SVG + "rect")]
        assert strokes.count(CURRENT) == 1


def test_a_value_used_twice_is_one_box_whose_gradient_is_the_sum() -> None:
    """Article 002's example: z = y * y * 3 uses y twice; torch's 4.5 = 2.25 + 2.25 shows in y's box."""
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    y.retain_grad()
    out = (y * y * 3).mean()
    out.backward()
    boxes = box_texts(parse(to_svg(out, {"x": x, "y": y, "out": out}, values=True)))
    assert boxes["makes y"] == ["AddBackward0", "makes y", "value [[3, 3], [3, 3]]", "grad [[4.5, 4.5], [4.5, 4.5]]"]
    assert boxes["x"][-1] == "grad [[4.5, 4.5], [4.5, 4.5]]"
    assert boxes["out"][-2:] == ["value 27", "grad None"]


def test_a_highlight_or_notes_alone_draw_a_moment_with_every_gradient_still_pending() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    out = (x * 2).sum()
    boxes = box_texts(parse(to_svg(out, {"x": x, "out": out}, current=out.grad_fn, notes={out.grad_fn: "ready"})))
    assert boxes["SumBackward0"] == ["SumBackward0", "ready"]
    assert boxes["x"][-1] == boxes["MulBackward0"][-1] == boxes["out"][-1] == f"grad {PENDING}"
