"""Graph pictures are drawn from the real autograd graph: every node and edge of it, legible, as valid SVG."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from typing import Any

import torch
from IPython.core.interactiveshell import InteractiveShell

from autograder.drawing import draw, graph, to_svg

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


def test_text_sits_on_an_explicit_fill_with_strong_contrast_whatever_the_page_theme() -> None:
    L, names = article_graph()
    root = parse(to_svg(L, names))
    for node in root.iter(SVG + "g"):
        fill = node.find(SVG + "rect").get("fill")
        for text in node.iter(SVG + "text"):
            light, dark = sorted([luminance(fill), luminance(text.get("fill"))], reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 7, f"{text.text}: contrast too low on {fill}"


def test_boxes_do_not_overlap_and_fit_in_the_picture() -> None:
    L, names = article_graph()
    root = parse(to_svg(L, names))
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in root.iter(SVG + "rect")]
    for x, y, w, h in boxes:
        assert x >= 0 and y >= 0 and x + w <= width and y + h <= height
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in itertools.combinations(boxes, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


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
