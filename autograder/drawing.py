"""Pictures of a tensor's real autograd graph, as SVG, laid out here (no graphviz needed).

``draw(L, names={"X1": X1, "W1": W1})`` walks ``L.grad_fn`` through ``next_functions`` and returns a picture
that Jupyter displays. Leaves enter the graph as ``AccumulateGrad`` nodes and are labelled with their names
(matched by identity of ``node.variable``); the other nodes are labelled with their class (``MulBackward0``)
and, for a named non-leaf tensor, the name of the tensor they made. Arrows follow the forward pass: from the
leaves at the top to the output at the bottom; ``backward()`` walks them the other way.

``draw(L, names, values=True)`` also writes into each box the value of the tensor it stands for (a leaf, a
named result, the output) and that tensor's ``.grad`` as torch holds it: ``None`` before ``backward()``, and
for a non-leaf unless it called ``retain_grad()``. To picture a backward pass while it runs, pass ``grads``:
the gradient that has reached each autograd node so far (keyed by the node objects themselves, as a walk over
``next_functions`` holds them), plus the node being run (``current``) and a short note per node.
:func:`draw_steps` draws a sequence of such states with one shared layout, so that only the numbers change
from one picture to the next.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.sax.saxutils import escape

import torch

Kind = Literal["leaf", "op", "output"]

# Explicit fills on every box and dark text inside them: readable on a light and on a dark page alike.
FILL = {"leaf": "#dbeafe", "op": "#fef3c7", "output": "#dcfce7"}
STROKE = {"leaf": "#1d4ed8", "op": "#b45309", "output": "#15803d"}
TEXT = "#111827"
GRAD_TEXT = "#881337"  # dark rose: tells the gradient from the value, contrast >= 7.8 on every fill
CURRENT = "#e11d48"  # the node being run: a thick border, >= 3:1 against a white and a near-black page
EDGE = "#8b95a5"  # mid grey: visible on white and on near-black backgrounds

FONT_SIZE = 13
CHAR_WIDTH = 0.62 * FONT_SIZE  # monospace advance width
BOX_HEIGHT = 44
LINE_HEIGHT = 16  # each value, gradient or note line adds this much to a box
PAD_X = 12
GAP_X = 28
GAP_Y = 46
MARGIN = 10
SHOWN = 8  # a tensor with more elements shows its first few, then "…" and its element count
PENDING = "—"  # a gradient that has not arrived yet


@dataclass(frozen=True)
class Node:
    key: int
    title: str
    subtitle: str
    kind: Kind
    tensor: torch.Tensor | None = field(default=None, compare=False, repr=False)
    """The tensor the box stands for: a leaf's variable, a named result, the output; else ``None``."""
    fn: Any = field(default=None, compare=False, repr=False)
    """The autograd node (``None`` for the output box)."""


@dataclass(frozen=True)
class Graph:
    """Nodes and edges ``(source, target)`` in forward direction; a repeated input gives a repeated edge."""

    nodes: dict[int, Node]
    edges: list[tuple[int, int]]


@dataclass(frozen=True)
class Step:
    """One moment of a backward pass, for :func:`draw` and :func:`draw_steps`.

    ``grads`` maps autograd nodes (``L.grad_fn``, the ``AccumulateGrad`` of a leaf...) to the gradient that has
    reached them so far; ``current`` is the node being run; ``notes`` maps nodes to one short line of text.
    """

    grads: Mapping[Any, torch.Tensor] = field(default_factory=dict)
    current: Any = None
    notes: Mapping[Any, str] = field(default_factory=dict)


def _shape(t: torch.Tensor) -> str:
    return "scalar" if t.dim() == 0 else "shape (" + ", ".join(map(str, t.shape)) + ("," if t.dim() == 1 else "") + ")"


def graph(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None) -> Graph:
    """The autograd graph behind ``output``, read from ``output.grad_fn`` and every ``next_functions``."""
    named = {id(t): name for name, t in (names or {}).items()}
    made_by = {id(t.grad_fn): (name, t) for name, t in (names or {}).items()
               if t.grad_fn is not None and t is not output}
    out_key = -1
    nodes = {out_key: Node(out_key, named.get(id(output), "output"), _shape(output), "output", output)}
    edges: list[tuple[int, int]] = []
    alive: dict[int, Any] = {}  # holding each node object keeps its id() unique during the walk

    def add(fn: Any) -> bool:
        key = id(fn)
        if key in nodes:
            return False
        alive[key] = fn
        kind = type(fn).__name__
        if kind == "AccumulateGrad":
            nodes[key] = Node(key, named.get(id(fn.variable), "leaf"), "AccumulateGrad", "leaf", fn.variable, fn)
        else:
            made, tensor = made_by.get(key, ("", None))
            nodes[key] = Node(key, kind, f"makes {made}" if made else "", "op", tensor, fn)
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


def _number(x: Any) -> str:
    if isinstance(x, complex):
        return str(x)
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return str(x)
    return f"{x + 0:.4g}"  # + 0 turns -0.0 into 0.0


def numbers(t: torch.Tensor) -> str:
    """A tensor's values, short: ``508``, ``[2, 20, 66, 152]``, ``[[3, 3], [3, 3]]``; beyond eight elements
    the first eight of the flattened tensor, ``…`` and the element count (4 significant digits throughout)."""
    t = t.detach()
    if t.numel() > SHOWN:
        head = ", ".join(_number(x) for x in t.flatten()[:SHOWN].tolist())
        return f"[{head}, … {t.numel()} values]"

    def nested(x: Any) -> str:
        return "[" + ", ".join(nested(v) for v in x) + "]" if isinstance(x, list) else _number(x)

    return nested(t.tolist())


def _lines(g: Graph, output: torch.Tensor, values: bool, step: Step | None) -> dict[int, list[tuple[str, str]]]:
    """The extra lines of each box, as (role, text): role "value", "grad" or "note"."""
    lines: dict[int, list[tuple[str, str]]] = {k: [] for k in g.nodes}
    if not values and step is None:
        return lines
    grads = {id(fn): grad for fn, grad in step.grads.items()} if step else {}
    notes = {id(fn): note for fn, note in step.notes.items()} if step else {}
    out_fn = output.grad_fn
    for k, node in g.nodes.items():
        # The output's box shows the gradient that reached the node that made it; that node's own box (an op
        # that made no named tensor) shows only its note.
        grad_fn = out_fn if node.kind == "output" else None if node.fn is out_fn else node.fn
        if node.tensor is not None:
            lines[k].append(("value", "value " + numbers(node.tensor)))
        if step is not None:
            if grad_fn is not None or node.tensor is not None:
                grad = grads.get(id(grad_fn)) if grad_fn is not None else None
                lines[k].append(("grad", "grad " + (numbers(grad) if grad is not None else PENDING)))
        elif node.tensor is not None:
            held = node.tensor.grad if node.tensor.is_leaf or node.tensor.retains_grad else None
            lines[k].append(("grad", "grad " + (numbers(held) if held is not None else "None")))
        if node.fn is not None and id(node.fn) in notes:
            lines[k].append(("note", notes[id(node.fn)]))
    return lines


def _width(node: Node, extra: list[tuple[str, str]]) -> float:
    return max(len(node.title), len(node.subtitle), *(len(text) for _, text in extra)) * CHAR_WIDTH + 2 * PAD_X


def _height(node: Node, extra: int) -> float:
    return BOX_HEIGHT + extra * LINE_HEIGHT - (LINE_HEIGHT - 2 if extra and not node.subtitle else 0)


def _render(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None, values: bool,
            steps: Sequence[Step | None]) -> list[str]:
    """One SVG per step, all with the layout of the widest and tallest text any step puts in each box."""
    g = graph(output, names)
    every = [_lines(g, output, values, step) for step in steps]
    rows = _layers(g)
    widths = {k: max(_width(n, lines[k]) for lines in every) for k, n in g.nodes.items()}
    count = {k: max(len(lines[k]) for lines in every) for k in g.nodes}
    heights = {k: _height(n, count[k]) for k, n in g.nodes.items()}
    centre = _place(g, rows, widths)
    left = min(centre[k] - widths[k] / 2 for k in g.nodes)
    box: dict[int, tuple[float, float, float, float]] = {}  # key -> (x, y, width, height)
    top = MARGIN
    for row in rows:
        for k in row:
            box[k] = (centre[k] - widths[k] / 2 - left + MARGIN, top, widths[k], heights[k])
        top += max(heights[k] for k in row) + GAP_Y
    total_w = max(x + w for x, _, w, _ in box.values()) + MARGIN
    total_h = top - GAP_Y + MARGIN

    edges: list[str] = []
    repeats = Counter(g.edges)
    seen: Counter[tuple[int, int]] = Counter()
    for src, dst in g.edges:
        # A repeated input (b * b) gets one curve per use, fanned out so that both stay visible.
        spread = (seen[(src, dst)] - (repeats[(src, dst)] - 1) / 2) * 26
        seen[(src, dst)] += 1
        (sx, sy, sw, sh), (dx, dy, dw, _) = box[src], box[dst]
        x1, y1, x2, y2 = sx + sw / 2, sy + sh, dx + dw / 2 + spread / 3, dy - 3
        bend = spread
        mid = (y1 + y2) / 2
        edges.append(f'<path class="edge" d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{mid:.1f} {x2 + bend:.1f},{mid:.1f} '
                     f'{x2:.1f},{y2:.1f}" fill="none" stroke="{EDGE}" stroke-width="1.6" '
                     f'marker-end="url(#ARROW)"/>')

    pictures = []
    for step, lines in zip(steps, every, strict=True):
        current = id(step.current) if step is not None and step.current is not None else None
        parts = list(edges)
        for k, node in g.nodes.items():
            x, y, w, h = box[k]
            cx = x + w / 2
            title_y = y + (BOX_HEIGHT / 2 + 5 if not node.subtitle and not lines[k] else 19)
            is_current = node.fn is not None and id(node.fn) == current
            stroke, stroke_width = (CURRENT, 4) if is_current else (STROKE[node.kind], 1.5)
            tip = " ".join([node.title, node.subtitle, *(text for _, text in lines[k])]).strip()
            parts.append(f'<g class="node {node.kind}{" current" if is_current else ""}"><title>{escape(tip)}</title>'
                         f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="7" '
                         f'fill="{FILL[node.kind]}" stroke="{stroke}" stroke-width="{stroke_width}"/>'
                         f'<text x="{cx:.1f}" y="{title_y:.1f}" text-anchor="middle" font-weight="bold" '
                         f'fill="{TEXT}">{escape(node.title)}</text>')
            line_y = title_y
            if node.subtitle:
                line_y = y + 35
                parts.append(f'<text x="{cx:.1f}" y="{line_y:.1f}" text-anchor="middle" font-size="{FONT_SIZE - 2}" '
                             f'fill="{TEXT}">{escape(node.subtitle)}</text>')
            for role, text in lines[k]:
                line_y += LINE_HEIGHT
                style = {"value": f'fill="{TEXT}"', "grad": f'fill="{GRAD_TEXT}" font-weight="bold"',
                         "note": f'fill="{TEXT}" font-style="italic" font-size="{FONT_SIZE - 2}"'}[role]
                parts.append(f'<text class="{role}" x="{cx:.1f}" y="{line_y:.1f}" text-anchor="middle" {style}>'
                             f'{escape(text)}</text>')
            parts.append("</g>")
        body = "\n".join(parts)
        # Several pictures share one HTML page: the arrowhead id must be unique to this picture.
        arrow = "arrow-" + hashlib.sha1(body.encode()).hexdigest()[:10]
        label = f"computation graph of {g.nodes[-1].title}"
        pictures.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" height="{total_h:.0f}" '
            f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" role="img" aria-label="{escape(label)}" '
            f'font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="{FONT_SIZE}">\n'
            f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker></defs>\n'
            + body.replace("url(#ARROW)", f"url(#{arrow})") + "\n</svg>")
    return pictures


def to_svg(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None, *, values: bool = False,
           grads: Mapping[Any, torch.Tensor] | None = None, current: Any = None,
           notes: Mapping[Any, str] | None = None) -> str:
    """An SVG document of ``graph(output, names)``, inputs at the top and the output at the bottom.

    ``values=True`` writes each known tensor's value and ``.grad`` into its box; ``grads`` (with ``current``
    and ``notes``) shows a moment of a backward pass instead of ``.grad`` (see :class:`Step`)."""
    step = Step(grads or {}, current, notes or {}) if grads is not None or current is not None or notes else None
    return _render(output, names, values or step is not None, [step])[0]


@dataclass(frozen=True)
class Picture:
    """An SVG that Jupyter shows as an image (``_repr_svg_``)."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def draw(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None = None, *, values: bool = False,
         grads: Mapping[Any, torch.Tensor] | None = None, current: Any = None,
         notes: Mapping[Any, str] | None = None) -> Picture:
    """The computation graph behind ``output``; ``names`` labels leaves, named results and the output.

    ``values=True`` adds each box's value and ``.grad``; ``grads``, ``current`` and ``notes`` draw one moment
    of a backward pass (see :class:`Step`)."""
    return Picture(to_svg(output, names, values=values, grads=grads, current=current, notes=notes))


def draw_steps(output: torch.Tensor, names: Mapping[str, torch.Tensor] | None, steps: Sequence[Step]) -> list[Picture]:
    """One picture per step of a backward pass, every box at the same place and size in all of them."""
    return [Picture(svg) for svg in _render(output, names, True, list(steps))]
