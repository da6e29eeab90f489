"""Pictures of a tensor's real autograd graph, as SVG, laid out here (no graphviz needed).

``draw(L, names={"X1": X1, "W1": W1})`` walks ``L.grad_fn`` through ``next_functions`` and returns a picture
that Jupyter displays. Leaves enter the graph as ``AccumulateGrad`` nodes and are labelled with their names
(matched by identity of ``node.variable``); the other nodes are labelled with their class (``MulBackward0``)
and, for a named non-leaf tensor, the name of the tensor they made. Arrows follow the forward pass: from the
leaves at the top to the output at the bottom; ``backward()`` walks them the other way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

import torch

Kind = Literal["leaf", "op", "output"]

# Explicit fills on every box and dark text inside them: readable on a light and on a dark page alike.
FILL = {"leaf": "#dbeafe", "op": "#fef3c7", "output": "#dcfce7"}
STROKE = {"leaf": "#1d4ed8", "op": "#b45309", "output": "#15803d"}
TEXT = "#111827"
EDGE = "#8b95a5"  # mid grey: visible on white and on near-black backgrounds

FONT_SIZE = 13
CHAR_WIDTH = 0.62 * FONT_SIZE  # monospace advance width
BOX_HEIGHT = 44
PAD_X = 12
GAP_X = 28
GAP_Y = 46
MARGIN = 10


@dataclass(frozen=True)
class Node:
    key: int
    title: str
    subtitle: str
    kind: Kind


@dataclass(frozen=True)
class Graph:
    """Nodes and edges ``(source, target)`` in forward direction; a repeated input gives a repeated edge."""

    nodes: dict[int, Node]
    edges: list[tuple[int, int]]


def _shape(t: torch.Tensor) -> str:
    return "scalar" if t.dim() == 0 else "shape (" + ", ".join(map(str, t.shape)) + ("," if t.dim() == 1 else "") + ")"


def graph(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> Graph:
    """The autograd graph behind ``output``, read from ``output.grad_fn`` and every ``next_functions``."""
    named = {id(t): name for name, t in (names or {}).items()}
    made_by = {id(t.grad_fn): name for name, t in (names or {}).items()
               if t.grad_fn is not None and t is not output}
    out_key = -1
    nodes = {out_key: Node(out_key, named.get(id(output), "output"), _shape(output), "output")}
    edges: list[tuple[int, int]] = []
    alive: dict[int, Any] = {}  # holding each node object keeps its id() unique during the walk

    def add(fn: Any) -> bool:
        key = id(fn)
        if key in nodes:
            return False
        alive[key] = fn
        kind = type(fn).__name__
        if kind == "AccumulateGrad":
            nodes[key] = Node(key, named.get(id(fn.variable), "leaf"), "AccumulateGrad", "leaf")
        else:
            made = made_by.get(key)
            nodes[key] = Node(key, kind, f"makes {made}" if made else "", "op")
        return True

    if output.grad_fn is not None:
        add(output.grad_fn)
        edges.append((id(output.grad_fn), out_key))
        stack = [output.grad_fn]
        while stack:
            fn = stack.pop()
            fresh = []
            for parent, _ in fn.next_functions:
                if parent is None:  # an input that needs no gradient has no node
                    continue
                if add(parent):
                    fresh.append(parent)
                edges.append((id(parent), id(fn)))
            stack.extend(reversed(fresh))
    return Graph(nodes, edges)


def _layers(g: Graph) -> list[list[int]]:
    """Rows from top (inputs) to bottom (output): a node sits one row above its highest consumer."""
    consumers: dict[int, set[int]] = {k: set() for k in g.nodes}
    inputs: dict[int, set[int]] = {k: set() for k in g.nodes}
    for src, dst in g.edges:
        consumers[src].add(dst)
        inputs[dst].add(src)
    # Longest path down to the output, computed consumers first (Kahn's order on the reversed edges).
    depth: dict[int, int] = {}
    waiting = {k: len(c) for k, c in consumers.items()}
    ready = [k for k, n in waiting.items() if n == 0]
    while ready:
        k = ready.pop()
        depth[k] = 1 + max((depth[c] for c in consumers[k]), default=-1)
        for src in inputs[k]:
            waiting[src] -= 1
            if waiting[src] == 0:
                ready.append(src)
    rows: list[list[int]] = [[] for _ in range(max(depth.values()) + 1)]
    for k in g.nodes:  # insertion order = discovery order from the output: inputs left to right
        rows[len(rows) - 1 - depth[k]].append(k)
    # A few barycenter sweeps: move each node towards the mean position of its neighbours.
    neighbours = {k: [*consumers[k], *inputs[k]] for k in g.nodes}
    for _ in range(4):
        pos = {k: i - (len(row) - 1) / 2 for row in rows for i, k in enumerate(row)}
        for row in rows:
            row.sort(key=lambda k: sum(pos[n] for n in neighbours[k]) / len(neighbours[k]) if neighbours[k]
                     else pos[k])
    return rows


def _place(g: Graph, rows: list[list[int]], widths: dict[int, float]) -> dict[int, float]:
    """Horizontal centres: each node pulled towards its neighbours, boxes in a row kept apart and in order."""
    above: dict[int, list[int]] = {k: [] for k in g.nodes}
    below: dict[int, list[int]] = {k: [] for k in g.nodes}
    for src, dst in g.edges:
        above[dst].append(src)
        below[src].append(dst)
    centre: dict[int, float] = {}
    for row in rows:
        x = -(sum(widths[k] for k in row) + GAP_X * (len(row) - 1)) / 2
        for k in row:
            centre[k] = x + widths[k] / 2
            x += widths[k] + GAP_X
    # Alternate sweeps up (align over consumers) and down (align under inputs); the last one goes down.
    for sweep in range(12):
        downward = sweep % 2 == 1
        for row in rows if downward else rows[::-1]:
            want = {}
            for k in row:
                near = above[k] if downward else below[k]
                want[k] = sum(centre[n] for n in near) / len(near) if near else centre[k]
            placed: list[tuple[int, float]] = []
            for k in row:
                x = want[k]
                if placed:
                    prev, px = placed[-1]
                    x = max(x, px + (widths[prev] + widths[k]) / 2 + GAP_X)
                placed.append((k, x))
            overshoot = sum(x - want[k] for k, x in placed) / len(placed)
            for k, x in placed:
                centre[k] = x - overshoot
    return centre


def _width(node: Node) -> float:
    return max(len(node.title), len(node.subtitle)) * CHAR_WIDTH + 2 * PAD_X


def to_svg(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> str:
    """An SVG document of ``graph(output, names)``, inputs at the top and the output at the bottom."""
    g = graph(output, names)
    rows = _layers(g)
    widths = {k: _width(n) for k, n in g.nodes.items()}
    centre = _place(g, rows, widths)
    left = min(centre[k] - widths[k] / 2 for k in g.nodes)
    box: dict[int, tuple[float, float, float]] = {}  # key -> (x, y, width)
    for r, row in enumerate(rows):
        for k in row:
            box[k] = (centre[k] - widths[k] / 2 - left + MARGIN, MARGIN + r * (BOX_HEIGHT + GAP_Y), widths[k])
    total_w = max(x + w for x, _, w in box.values()) + MARGIN
    total_h = len(rows) * BOX_HEIGHT + (len(rows) - 1) * GAP_Y + 2 * MARGIN

    parts: list[str] = []
    count = Counter(g.edges)
    seen: Counter[tuple[int, int]] = Counter()
    for src, dst in g.edges:
        # A repeated input (b * b) gets one curve per use, fanned out so that both stay visible.
        spread = (seen[(src, dst)] - (count[(src, dst)] - 1) / 2) * 26
        seen[(src, dst)] += 1
        (sx, sy, sw), (dx, dy, dw) = box[src], box[dst]
        x1, y1, x2, y2 = sx + sw / 2, sy + BOX_HEIGHT, dx + dw / 2 + spread / 3, dy - 3
        bend = spread
        mid = (y1 + y2) / 2
        parts.append(f'<path class="edge" d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{mid:.1f} {x2 + bend:.1f},{mid:.1f} '
                     f'{x2:.1f},{y2:.1f}" fill="none" stroke="{EDGE}" stroke-width="1.6" '
                     f'marker-end="url(#ARROW)"/>')
    for k, node in g.nodes.items():
        x, y, w = box[k]
        cx = x + w / 2
        title_y = y + (BOX_HEIGHT / 2 + 5 if not node.subtitle else 19)
        parts.append(f'<g class="node {node.kind}"><title>{escape(node.title)} {escape(node.subtitle)}</title>'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BOX_HEIGHT}" rx="7" '
                     f'fill="{FILL[node.kind]}" stroke="{STROKE[node.kind]}" stroke-width="1.5"/>'
                     f'<text x="{cx:.1f}" y="{title_y:.1f}" text-anchor="middle" font-weight="bold" '
                     f'fill="{TEXT}">{escape(node.title)}</text>')
        if node.subtitle:
            parts.append(f'<text x="{cx:.1f}" y="{y + 35:.1f}" text-anchor="middle" font-size="{FONT_SIZE - 2}" '
                         f'fill="{TEXT}">{escape(node.subtitle)}</text>')
        parts.append("</g>")
    body = "\n".join(parts)
    # Several pictures share one HTML page: the arrowhead id must be unique to this picture.
    arrow = "arrow-" + hashlib.sha1(body.encode()).hexdigest()[:10]
    label = f"computation graph of {g.nodes[-1].title}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" height="{total_h:.0f}" '
            f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" role="img" aria-label="{escape(label)}" '
            f'font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="{FONT_SIZE}">\n'
            f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker></defs>\n'
            + body.replace("url(#ARROW)", f"url(#{arrow})") + "\n</svg>")


@dataclass(frozen=True)
class Picture:
    """An SVG that Jupyter shows as an image (``_repr_svg_``)."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def draw(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> Picture:
    """The computation graph behind ``output``; ``names`` labels leaves, named results and the output."""
    return Picture(to_svg(output, names))
