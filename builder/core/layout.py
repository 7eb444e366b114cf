"""Automatic layered layout (left to right) for graphs without positions. Pure Python.

Nodes go into layers by their longest path from a model input; within a layer they are
ordered by the mean position of their predecessors (one downward and one upward sweep of
the barycenter heuristic), which keeps most edges from crossing in the usual Keras graphs.
Cycles do not stop it: the nodes left after the topological pass are placed below.
"""

from __future__ import annotations

from dataclasses import replace

from builder.core.graph import Graph

X_GAP = 240.0
Y_GAP = 120.0
WRAP = 5  # levels per band (5 x 240 px keeps nodes readable when the view is fitted)


def layered_positions(
    graph: Graph, x_gap: float = X_GAP, y_gap: float = Y_GAP, wrap: int | None = WRAP
) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y). Levels run left to right; with ``wrap``, a graph deeper than
    ``wrap`` levels is folded into bands of ``wrap`` levels stacked top to bottom (like
    wrapped text), so that long chains stay readable when the canvas fits them in view."""
    ids = [n.id for n in graph.nodes]
    if not ids:
        return {}
    preds: dict[str, list[str]] = {i: [] for i in ids}
    succs: dict[str, list[str]] = {i: [] for i in ids}
    for e in graph.edges:
        if e.source in preds and e.target in preds:
            preds[e.target].append(e.source)
            succs[e.source].append(e.target)
    # Kahn's algorithm; inputs first, in model order, then document order.
    rank = {nid: i for i, nid in enumerate(ids)}
    first = {nid: i for i, nid in enumerate(graph.inputs)}
    indeg = {i: len(set(preds[i])) for i in ids}
    ready = sorted((i for i in ids if indeg[i] == 0), key=lambda i: (first.get(i, len(first)), rank[i]))
    order: list[str] = []
    seen: set[str] = set()
    while ready:
        nid = ready.pop(0)
        order.append(nid)
        seen.add(nid)
        for s in dict.fromkeys(succs[nid]):
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    level: dict[str, int] = {}
    for nid in order:
        level[nid] = max((level[p] + 1 for p in preds[nid] if p in level), default=0)
    depth = max(level.values(), default=-1) + 1
    for nid in ids:  # nodes on a cycle: one more level each, in document order
        if nid not in seen:
            level[nid] = depth
            depth += 1
    layers: dict[int, list[str]] = {}
    for nid in order + [i for i in ids if i not in seen]:
        layers.setdefault(level[nid], []).append(nid)
    slot: dict[str, float] = {}
    for lv in sorted(layers):
        for i, nid in enumerate(layers[lv]):
            slot[nid] = float(i)

    def sweep(levels: list[int], neighbours: dict[str, list[str]]) -> None:
        for lv in levels:
            row = layers[lv]

            def key(nid: str) -> tuple[float, float]:
                ns = [slot[p] for p in neighbours[nid] if p in slot]
                return (sum(ns) / len(ns) if ns else slot[nid], slot[nid])

            row.sort(key=key)
            for i, nid in enumerate(row):
                slot[nid] = float(i)

    levels = sorted(layers)
    sweep(levels[1:], preds)
    sweep(list(reversed(levels[:-1])), succs)
    sweep(levels[1:], preds)
    out: dict[str, tuple[float, float]] = {}
    per_band = wrap if wrap and len(levels) > wrap else len(levels)
    band_top = 0.0
    for b in range(0, len(levels), per_band):
        band = levels[b : b + per_band]
        tallest = max(len(layers[lv]) for lv in band)
        for lv in band:
            row = layers[lv]
            offset = (len(row) - 1) / 2.0
            for i, nid in enumerate(row):
                y = band_top + (i - offset + (tallest - 1) / 2.0) * y_gap
                out[nid] = (round((lv - b) * x_gap, 1), round(y, 1))
        band_top += tallest * y_gap + y_gap * 0.5
    return out


def auto_layout(graph: Graph, *, force: bool = False) -> Graph:
    """Positions for the nodes that have none (all nodes when ``force`` or none has one).

    Nodes that already have a position keep it; the new ones are placed by the layered
    layout, shifted to the right of the positioned ones so that nothing overlaps.
    """
    missing = [n for n in graph.nodes if n.position is None]
    if not force and not missing:
        return graph
    pos = layered_positions(graph)
    placed = [n.position for n in graph.nodes if n.position is not None]
    if force or not placed:
        shift = 0.0
    else:
        min_y = min(p[1] for p in pos.values())
        shift = max(p[1] for p in placed) + Y_GAP - min_y
    nodes = tuple(
        replace(n, position=(pos[n.id][0], pos[n.id][1] + shift)) if force or n.position is None else n
        for n in graph.nodes
    )
    return replace(graph, nodes=nodes)


def too_wide(graph: Graph, *, max_aspect: float = 4.0) -> bool:
    """True when the stored positions form a long strip (many levels, few rows) that would be
    tiny once the canvas fits it in view; :func:`auto_layout` with ``force`` wraps it."""
    pos = [n.position for n in graph.nodes if n.position is not None]
    if len(pos) < 2 or len({round(p[0]) for p in pos}) <= WRAP:
        return False
    width = max(p[0] for p in pos) - min(p[0] for p in pos) + X_GAP
    height = max(p[1] for p in pos) - min(p[1] for p in pos) + Y_GAP
    return width / height > max_aspect


def readable(graph: Graph) -> Graph:
    """The graph laid out for a first look: missing positions filled, a long strip wrapped."""
    return auto_layout(graph, force=too_wide(graph))
