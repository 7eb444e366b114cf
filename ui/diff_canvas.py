"""The visual diff: the *after* graph on a read-only canvas, its added layers and edges green,
its changed ones amber, and what the *before* graph had that is gone drawn from it in red.

:func:`marks` turns :func:`builder.core.diff.diff`'s result into a status per node and edge
(pure, no Streamlit); :func:`view` makes the React Flow nodes and edges (the editor's node look,
``ui.flow``, plus a ``kgb-diff-*`` class); :func:`render` shows them with the editor's canvas
component, read-only. Kept small on purpose: the canvas is to be replaced, these marks are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from builder.core.diff import DiffResult
from builder.core.graph import Graph
from builder.core.layout import auto_layout
from builder.core.validate import Report

from .flow import SyncState, edge_id, flow_component, node_content, plan_push, shared_colors, view_edges, view_nodes

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
COLORS = {ADDED: "#16a34a", REMOVED: "#dc2626", CHANGED: "#d97706"}  # the table's green, red, amber
REMOVED_PREFIX = "removed:"  # ids of the before graph's nodes drawn on the after graph's canvas
HEIGHT = 460


@dataclass
class DiffMarks:
    """Node ids of the *after* graph -> ``added`` / ``changed`` (with the changed fields), the
    *before* graph's removed node ids, and edges (by ``ui.flow.edge_id``) the same way."""

    nodes: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)  # node id -> "field: before -> after"
    removed_nodes: list[str] = field(default_factory=list)  # node ids of the before graph
    edges: dict[str, str] = field(default_factory=dict)  # edge id of the after graph -> "added"
    removed_edges: list[tuple[str, str, int]] = field(default_factory=list)  # before graph's node ids


def _by_label(graph: Graph) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in graph.nodes:
        out.setdefault(graph.node_label(n.id), n.id)
    return out


def _by_layer(graph: Graph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in graph.nodes:
        layer = graph.layer_by_id.get(n.layer)
        if layer is not None:
            out.setdefault(layer.name, []).append(n.id)
    return out


def marks(a: Graph, b: Graph, result: DiffResult) -> DiffMarks:
    """Where each item of ``result`` (``diff(a, b)``) is on the canvases of ``a`` and ``b``."""
    out = DiffMarks()
    la, lb = _by_label(a), _by_label(b)
    layers_a, layers_b = _by_layer(a), _by_layer(b)
    for item in result["added"]:
        if item["kind"] == "layer":
            out.nodes.update(dict.fromkeys(layers_b.get(item["layer"], []), ADDED))
        elif item["kind"] == "call" and item["layer"] in lb:
            out.nodes[lb[item["layer"]]] = ADDED
        elif item["kind"] == "edge" and item["source"] in lb and item["target"] in lb:
            out.edges[edge_id(lb[item["source"]], lb[item["target"]], item["port"])] = ADDED
    removed: list[str] = []
    for item in result["removed"]:
        if item["kind"] == "layer":
            removed += layers_a.get(item["layer"], [])
        elif item["kind"] == "call" and item["layer"] in la:
            removed.append(la[item["layer"]])
        elif item["kind"] == "edge" and item["source"] in la and item["target"] in la:
            out.removed_edges.append((la[item["source"]], la[item["target"]], item["port"]))
    out.removed_nodes = list(dict.fromkeys(removed))
    for c in result["changed"]:
        name = c["layer"]
        if name is None:
            continue
        if c["field"] == "shape":  # a call's label
            ids = [lb[name]] if name in lb else []
        else:  # a layer's name: every call of it
            ids = layers_b.get(name, [])
        for nid in ids:
            if out.nodes.get(nid) != ADDED:
                out.nodes[nid] = CHANGED
                out.changes.setdefault(nid, []).append(f"{c['field']}: {c['before']} → {c['after']}")
    return out


def _mark(item: dict[str, Any], status: str) -> None:
    item["className"] = f"{item.get('className', '')} kgb-diff-{status}".strip()
    item["draggable"] = item["connectable"] = item["deletable"] = False


def view(a: Graph, b: Graph, result: DiffResult, ra: Report, rb: Report) -> tuple[list[dict], list[dict]]:
    """React Flow nodes and edges: ``b`` with its marks, plus ``a``'s removed nodes and edges."""
    a, b = auto_layout(a), auto_layout(b)
    m = marks(a, b, result)
    nodes = view_nodes(b, rb, None)
    for n in nodes:
        _mark(n, m.nodes.get(n["id"], "same"))
        if n["id"] in m.changes:
            n["data"]["content"] = n["data"]["content"].replace(
                'title="', 'title="changed: ' + "; ".join(m.changes[n["id"]]).replace('"', "'") + " | ", 1
            )
    taken = {(round(n["position"]["x"]), round(n["position"]["y"])) for n in nodes}
    owner, colors = dict(ra.builder_node), shared_colors(a)
    for nid in m.removed_nodes:
        x, y = a.node_by_id[nid].position or (0.0, 0.0)
        while (round(x), round(y)) in taken:  # drawn where it was, below what took its place
            y += 110.0
        taken.add((round(x), round(y)))
        item = {
            "id": REMOVED_PREFIX + nid,
            "position": {"x": x, "y": y},
            "data": {"content": node_content(a, ra, nid, owner, colors)},
            "type": "default",
            "sourcePosition": "right",
            "targetPosition": "left",
            "className": "kgb",
        }
        _mark(item, REMOVED)
        nodes.append(item)
    edges = view_edges(b)
    for e in edges:
        status = m.edges.get(e["id"])
        if status:
            e["className"] = f"kgb-diff-{status}"
            e["style"] = {"stroke": COLORS[status], "strokeWidth": 2.5}
        e["deletable"] = False
    removed_ids = set(m.removed_nodes)
    la = _by_label(a)
    lb = _by_label(b)
    for s, t, port in m.removed_edges:

        def where(nid: str) -> str:
            label = a.node_label(nid)
            return (
                lb[label] if nid not in removed_ids and label in lb and la.get(label) == nid else REMOVED_PREFIX + nid
            )

        src, dst = where(s), where(t)
        edges.append(
            {
                "id": REMOVED_PREFIX + edge_id(src, dst, port),
                "source": src,
                "target": dst,
                "markerEnd": {"type": "arrowclosed", "width": 18, "height": 18},
                "className": "kgb-diff-removed",
                "style": {"stroke": COLORS[REMOVED], "strokeWidth": 2.5, "strokeDasharray": "6 4"},
                "deletable": False,
            }
        )
    return nodes, edges


def render(a: Graph, b: Graph, result: DiffResult, ra: Report, rb: Report, *, key: str) -> None:
    """The diff canvas (read-only: nothing on it can be moved, connected or deleted)."""
    nodes, edges = view(a, b, result, ra, rb)
    sync: SyncState = st.session_state.setdefault(f"kgb_diff_sync_{key}", SyncState())
    plan_push(sync, nodes, edges)
    st.markdown(
        f":green[■ added] · :red[■ removed (drawn from *From*)] · :orange[■ changed] "
        f"· {len(nodes)} nodes on the canvas; hover a changed node for what changed"
    )
    value = flow_component(sync, height=HEIGHT, fit_view=True, key=key, editable=False)
    if isinstance(value, dict) and isinstance(value.get("timestamp"), int):
        sync.last_answer = max(sync.last_answer or 0, value["timestamp"])
