"""The canvas model: Graph + Report -> React Flow nodes/edges, and the component's returned
state -> graph edits. Pure Python except :func:`flow_component` (the Streamlit component).

The component is ``streamlit-flow-component`` 1.6.1 (React Flow). Its protocol: Python sends
nodes, edges and a timestamp; the component adopts them only when the timestamp is not older
than its own last update, and answers with its full state (nodes with positions, edges, the
clicked id, a new timestamp) after every interaction and after adopting a state. We keep:

* ``SyncState.known``: what the component shows (after our last push or its last answer);
* a push (a new timestamp) only when the graph's view differs from ``known``;
* after a push, answers that do not show the pushed node and edge ids are stale (made before
  the push arrived) and are ignored, so a stale answer can never delete a node just added; an
  answer newer than the push that still misses it means the push was refused: push again.

The component is served from a copy of its build with a small script added (``_INJECT``):
Backspace/Delete on a selected node or edge is reported at once (the stock build only
reports it with the next interaction), and the stock "Edit" entries of the context menus,
which would edit React Flow's copy only, are hidden.
"""

from __future__ import annotations

import hashlib
import html
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.core.catalog import catalog, type_label
from builder.core.graph import Graph
from builder.core.shapes import fmt
from builder.core.validate import Issue, Report

FLOW_KEY = "canvas"
# No node text is smaller than 12 px (the injected stylesheet), and the view never zooms out
# below this, also when it fits a graph: text stays at 10 px or more on screen.
NODE_MIN_FONT_PX = 12
MIN_ZOOM = 0.84
# After adopting a push the component answers twice: the echo, then (once its layout pass has run)
# the same state again with no selection. That second answer looks like a click on the empty
# pane; one that changes nothing and comes this soon after the echo keeps the selection.
LAYOUT_ANSWER_MS = 1500

CATEGORY_COLORS = {
    "core": "#2563eb",
    "recurrent": "#7c3aed",
    "convolution": "#0d9488",
    "pooling": "#0891b2",
    "merge": "#ea580c",
    "attention": "#c2410c",
    "normalization": "#db2777",
    "activations": "#65a30d",
    "regularization": "#9333ea",
    "reshaping": "#475569",
}
SHARED_COLORS = ("#e11d48", "#16a34a", "#9333ea", "#ca8a04", "#0284c7", "#c026d3", "#65a30d", "#f97316")


# ---------------------------------------------------------------------- view model


def shared_colors(graph: Graph) -> dict[str, str]:
    """Layer id -> its colour, for layers with more than one call."""
    out: dict[str, str] = {}
    for layer in graph.layers:
        if graph.is_shared(layer.id):
            out[layer.id] = SHARED_COLORS[len(out) % len(SHARED_COLORS)]
    return out


def call_of(graph: Graph, node_id: str) -> tuple[int, int] | None:
    """(k, n) when the node is the k-th of the n calls of a shared layer (k from 1, in the order
    of ``graph.calls``; the generated code names that call ``<layer>_call_<k>``), else None."""
    node = graph.node_by_id[node_id]
    calls = graph.calls.get(node.layer, [])
    if len(calls) < 2 or node_id not in calls:
        return None
    return calls.index(node_id) + 1, len(calls)


def call_label(graph: Graph, node_id: str) -> str:
    """The node's heading: the layer name, with ``(call k of n)`` for a call of a shared layer."""
    node = graph.node_by_id[node_id]
    layer = graph.layer_by_id.get(node.layer)
    if layer is None:
        return node_id
    call = call_of(graph, node_id)
    return layer.name if call is None else f"{layer.name} (call {call[0]} of {call[1]})"


def _esc(text: str, limit: int = 0) -> str:
    text = " ".join(str(text).split())  # no newlines: the markdown renderer must see one HTML block
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True)


def node_content(
    graph: Graph,
    report: Report,
    node_id: str,
    owner: dict[str, str],
    colors: dict[str, str],
    issues: list[Issue] | None = None,
    flops: str | None = None,
) -> str:
    """The HTML shown inside a node: name, type, output shape, params (and FLOPs, when the canvas
    shows them), badges, issues."""
    node = graph.node_by_id[node_id]
    layer = graph.layer_by_id.get(node.layer)
    ltype = layer.type if layer else "?"
    lt = catalog().types.get(ltype)
    color = CATEGORY_COLORS.get(lt.category if lt else "", "#64748b")
    shape = report.shapes.get(node_id)
    shape_text = "?" if shape is None else fmt(shape)
    multi = report.port_shapes.get(node_id)
    if multi is not None and lt is not None and layer is not None:  # one line per output port
        names = lt.output_ports(dict(layer.config))
        shape_text = " · ".join(f"{k}{f' {names[k]}' if k < len(names) else ''}: {fmt(s)}" for k, s in enumerate(multi))
    params = report.layer_params.get(node.layer)
    if layer is not None and owner.get(node.layer) == node_id and params is not None:
        params_text = f"{params.total:,} params"
    elif layer is not None and graph.is_shared(node.layer):
        params_text = "weights shared"
    else:
        params_text = "0 params"
    if flops is not None:
        params_text += f" · {_esc(flops)} FLOPs"
    if issues is None:
        issues = report.issues_for(node_id)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity == "warning"]
    tip = " | ".join(f"{i.severity}: {i.message}" for i in errors + warnings)
    badges = []
    call = call_of(graph, node_id) if layer is not None and node.layer in colors else None
    if call is not None:
        badges.append(
            f'<span class="kgb-badge" style="background:{colors[node.layer]}" title="call {call[0]} of {call[1]} '
            f'of the shared layer {_esc(layer.name)}">shared {call[0]}/{call[1]}</span>'
        )
    if node_id in graph.outputs:
        ports = [p for n, p in graph.output_refs() if n == node_id]
        which = "" if ports == [0] else " " + ",".join(str(p) for p in ports)
        badges.append(f'<span class="kgb-badge kgb-out">output{which}</span>')
    status = ""
    if errors:
        status = f'<div class="kgb-status kgb-err">{_esc(errors[0].message, 60)}</div>'
    elif warnings:
        status = f'<div class="kgb-status kgb-warn">{_esc(warnings[0].message, 60)}</div>'
    name = layer.name if layer is not None else node_id  # the call number is on the "shared k/n" badge
    label = type_label(ltype, layer.config) if layer is not None else ltype
    return (
        f'<div class="kgb-node" title="{_esc(tip)}">'
        f'<div class="kgb-head"><span class="kgb-name">{_esc(name, 22)}</span>'
        f'<span class="kgb-type" style="background:{color}" title="{_esc(label)}">{_esc(label)}</span></div>'
        f'<div class="kgb-shape">{_esc(shape_text)}</div>'
        f'<div class="kgb-params">{params_text}{"".join(badges)}</div>'
        f"{status}</div>"
    )


def view_nodes(
    graph: Graph, report: Report, selected: str | None, flops: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """React Flow nodes. Only what differs from React Flow's defaults is sent (node size and
    look come from the injected stylesheet), which keeps the rerun payload small. ``flops``
    (node id -> text): FLOPs shown on each node (the canvas toggle)."""
    owner_by_layer = dict(report.builder_node)
    colors = shared_colors(graph)
    by_node: dict[str, list[Issue]] = {}
    for issue in report.issues:
        if issue.node is not None:
            by_node.setdefault(issue.node, []).append(issue)
    out = []
    for node in graph.nodes:
        layer = graph.layer_by_id.get(node.layer)
        issues = by_node.get(node.id, [])
        classes = "kgb"
        if any(i.severity == "error" for i in issues):
            classes += " kgb-error"
        elif issues:
            classes += " kgb-warning"
        pos = node.position or (0.0, 0.0)
        item: dict[str, Any] = {
            "id": node.id,
            "position": {"x": pos[0], "y": pos[1]},
            "data": {
                "content": node_content(
                    graph,
                    report,
                    node.id,
                    owner_by_layer,
                    colors,
                    issues,
                    None if flops is None else flops.get(node.id),
                )
            },
            "type": "input" if layer is not None and layer.type == "Input" else "default",
            "sourcePosition": "right",
            "targetPosition": "left",
            "deletable": True,  # the context menu's "Delete Node" needs it set
            "className": classes,
        }
        if node.layer in colors:
            item["className"] += " kgb-shared"
            item["style"] = {"borderLeft": f"6px solid {colors[node.layer]}"}
        if node.id == selected:
            item["selected"] = True
        out.append(item)
    return out


def edge_id(source: str, target: str, port: int) -> str:
    return f"{source}->{target}#{port}"


def port_label(graph: Graph, e: Any) -> str:
    """``out 1 (h)`` for an edge from output 1 of an LSTM with return_state; ``""`` for port 0."""
    if not e.source_port:
        return ""
    layer = graph.layer_by_id.get(graph.node_by_id[e.source].layer) if e.source in graph.node_by_id else None
    lt = catalog().types.get(layer.type) if layer else None
    names = lt.multi_output_ports if lt is not None else ()
    name = f" ({names[e.source_port]})" if e.source_port < len(names) else ""
    return f"out {e.source_port}{name}"


def view_edges(graph: Graph) -> list[dict[str, Any]]:
    many = {t for t, es in graph.in_edges.items() if len(es) > 1}
    out = []
    for e in graph.edges:
        item: dict[str, Any] = {
            "id": edge_id(e.source, e.target, e.port),
            "source": e.source,
            "target": e.target,
            "markerEnd": {"type": "arrowclosed", "width": 18, "height": 18},
            "deletable": True,
        }
        labels = [port_label(graph, e)] if e.source_port else []
        if e.target in many:
            labels.append(f"in {e.port}")
        if labels:
            item["label"] = " → ".join(labels)
            item["labelShowBg"] = True
        out.append(item)
    return out


def _node_key(n: dict[str, Any]) -> tuple[Any, ...]:
    pos = n.get("position") or {}
    return (
        round(float(pos.get("x", 0.0)), 1),
        round(float(pos.get("y", 0.0)), 1),
        (n.get("data") or {}).get("content"),
        n.get("className"),
        tuple(sorted((n.get("style") or {}).items())),
        n.get("type"),
        bool(n.get("selected")),
    )


def _edge_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e.get("id"), e.get("source"), e.get("target"), e.get("label") or "")


def snapshot(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> tuple[Any, Any]:
    """What the canvas shows, comparable between our view and the component's answer."""
    return ({n.get("id"): _node_key(n) for n in nodes}, frozenset(_edge_key(e) for e in edges))


# ---------------------------------------------------------------------- answers -> edits


@dataclass
class Change:
    graph: Graph
    selected: str | None
    label: str  # what the user did, for the undo history ("" when nothing changed)


def apply_answer(graph: Graph, value: dict[str, Any]) -> Change:
    """Map the component's state to graph edits: deletions, moves, new and removed edges.

    Node ids that the graph does not know are ignored (nothing creates them); everything the
    user drew that the graph can hold is kept, valid or not (cycles, wrong shapes...).
    """
    vnodes = {n.get("id"): n for n in value.get("nodes") or [] if isinstance(n, dict)}
    vedges = [e for e in value.get("edges") or [] if isinstance(e, dict)]
    labels: list[str] = []
    g = graph
    by_id = {edge_id(e.source, e.target, e.port): e for e in graph.edges}
    returned_ids = {e.get("id") for e in vedges}
    # 1. removed edges (ports of their targets closed up, order kept)
    removed = [e for eid, e in by_id.items() if eid not in returned_ids]
    if removed:
        gone = set(removed)
        for target in dict.fromkeys(e.target for e in removed):
            keep = [e.source for e in graph.in_edges.get(target, []) if e not in gone]
            g = g.set_input_order(target, keep)
        labels.append(
            "disconnect " + ", ".join(f"{graph.node_label(e.source)} → {graph.node_label(e.target)}" for e in removed)
        )
    # 2. deleted nodes
    deleted = [n.id for n in graph.nodes if n.id not in vnodes]
    for nid in deleted:
        if nid in g.node_by_id:
            g = g.remove_node(nid)
    if deleted:
        labels.append("delete " + ", ".join(graph.node_label(n) for n in deleted))
    # 3. moves
    moved = []
    for node in g.nodes:
        vn = vnodes.get(node.id)
        pos = vn.get("position") if vn else None
        if not isinstance(pos, dict):
            continue
        try:
            x, y = round(float(pos.get("x", 0.0)), 1), round(float(pos.get("y", 0.0)), 1)
        except (TypeError, ValueError):
            continue
        if node.position is None or (round(node.position[0], 1), round(node.position[1], 1)) != (x, y):
            g = g.move(node.id, x, y)
            moved.append(node.id)
    if moved:
        labels.append("move " + ", ".join(graph.node_label(n) for n in moved[:3]) + ("…" if len(moved) > 3 else ""))
    # 4. new edges (a connection goes to the target's next free port)
    for e in vedges:
        if e.get("id") in by_id:
            continue
        src, dst = e.get("source"), e.get("target")
        if src in g.node_by_id and dst in g.node_by_id:
            g = g.connect(src, dst)
            labels.append(f"connect {g.node_label(src)} → {g.node_label(dst)}")
    # selection: the clicked node, else the one node that moved, else none: a click on the empty
    # pane (or Escape) clears it. React Flow's own "selected" flags are not read: the pane click
    # is reported with the nodes as they were before React Flow unselected them.
    sel = value.get("selectedId")
    if sel not in g.node_by_id:
        sel = moved[0] if len(moved) == 1 else None
    return Change(g, sel, "; ".join(labels))


@dataclass
class SyncState:
    known: tuple[Any, Any] | None = None  # snapshot of what the component shows
    timestamp: int = 0  # the timestamp we send; bumped to push
    last_answer: int | None = None  # timestamp of the last answer processed
    awaiting: tuple[frozenset[Any], frozenset[Any]] | None = None  # ids of a push not yet echoed
    nodes: list[dict[str, Any]] = field(default_factory=list)  # the args last sent
    edges: list[dict[str, Any]] = field(default_factory=list)
    pushes: int = 0
    graph: Any = None  # the Graph the component was last drawn from: answers are diffs against it
    fit_answers: int = 0  # answers still to come from a push that asked to fit the view
    echo_ts: int | None = None  # the component's timestamp of its last echo (see LAYOUT_ANSWER_MS)


def _ids(nodes: list[Any], edges: list[Any]) -> tuple[frozenset[Any], frozenset[Any]]:
    return (
        frozenset(n.get("id") for n in nodes if isinstance(n, dict)),
        frozenset(e.get("id") for e in edges if isinstance(e, dict)),
    )


def read_answer(sync: SyncState, value: Any) -> tuple[str, dict[str, Any] | None]:
    """Classify the component's value: ("none" | "old" | "stale" | "refused" | "echo" | "new", value).

    "echo": the component's answer to adopting our last push (no user action in it)."""
    if not isinstance(value, dict) or "timestamp" not in value:
        return "none", None
    ts = value.get("timestamp")
    if ts == sync.last_answer:
        return "old", None
    sync.last_answer = ts if isinstance(ts, int) else sync.last_answer
    nodes, edges = value.get("nodes") or [], value.get("edges") or []
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return "stale", None
    if sync.awaiting is not None:
        if _ids(nodes, edges) == sync.awaiting:
            sync.awaiting = None
            sync.known = snapshot(nodes, edges)
            sync.echo_ts = ts if isinstance(ts, int) else None
            return "echo", value  # the component adopted our push: nothing the user did
        elif isinstance(ts, (int, float)) and ts >= sync.timestamp:
            return "refused", value
        else:
            return "stale", value
    sync.known = snapshot(nodes, edges)
    return "new", value


def layout_answer(sync: SyncState, value: dict[str, Any]) -> bool:
    """True when ``value`` is the component's post-layout answer to our last push (see
    ``LAYOUT_ANSWER_MS``), not a click on the empty pane."""
    ts = value.get("timestamp")
    return (
        value.get("selectedId") is None
        and sync.echo_ts is not None
        and isinstance(ts, int)
        and 0 <= ts - sync.echo_ts < LAYOUT_ANSWER_MS
    )


def plan_push(sync: SyncState, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], force: bool = False) -> bool:
    """Decide whether the component must adopt ``nodes``/``edges``; records the push."""
    snap = snapshot(nodes, edges)
    if not force and snap == sync.known:
        return False
    now = int(time.time() * 1000)
    sync.timestamp = max(now, sync.timestamp + 1, (sync.last_answer or 0) + 1)
    sync.known = snap
    sync.awaiting = _ids(nodes, edges)
    sync.nodes, sync.edges = nodes, edges
    sync.pushes += 1
    return True


# ---------------------------------------------------------------------- the component

_INJECT = """
<style>
.markdown-node { margin: 0 !important; }
.markdown-node * { margin: 0 !important; }
.react-flow__node.kgb { width: 190px; padding: 6px 8px 6px 8px; border: 1px solid #cbd5e1; border-radius: 9px; background: #ffffff;
  font: 13px/1.35 "Source Sans Pro", system-ui, sans-serif; text-align: left; color: #0f172a;
  box-shadow: 0 1px 3px rgba(15,23,42,.12); }
.react-flow__node.kgb.kgb-error { border: 2px solid #dc2626; background: #fef2f2; }
.react-flow__node.kgb.kgb-warning { border: 2px solid #f59e0b; background: #fffbeb; }
.react-flow__node.kgb.selected { outline: 3px solid #2563eb; outline-offset: 2px; }
.kgb-head { display: flex; justify-content: space-between; align-items: center; gap: 6px; }
.kgb-name { font-weight: 700; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 40%; }
.kgb-type { color: #fff; border-radius: 5px; padding: 0 5px; font-size: 12px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 58%; flex-shrink: 1; }
.kgb-shape { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: #0f172a; }
.kgb-params { color: #475569; font-size: 12px; display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.kgb-badge { color: #fff; border-radius: 8px; padding: 0 6px; font-size: 12px; }
.kgb-badge.kgb-out { background: #0f172a; }
.kgb-badge.kgb-in { background: #64748b; }
.kgb-status { font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kgb-err { color: #b91c1c; } .kgb-warn { color: #b45309; }
.kgb-err::before, .kgb-warn::before { content: ""; display: inline-block; width: 7px; height: 7px;
  border-radius: 50%; margin-right: 4px; background: currentColor; }
.react-flow__handle { width: 11px; height: 11px; background: #334155; border: 2px solid #fff; }
.react-flow__handle:hover { background: #2563eb; }
.react-flow__edge-textbg { fill: #f1f5f9; }
.btn-group-vertical > .btn-outline-primary { display: none; }
.react-flow__node.kgb.kgb-diff-added { border: 3px solid #16a34a; background: #f0fdf4; }
.react-flow__node.kgb.kgb-diff-removed { border: 3px dashed #dc2626; background: #fef2f2; opacity: .8; }
.react-flow__node.kgb.kgb-diff-changed { border: 3px solid #d97706; background: #fffbeb; }
.react-flow__minimap { transform: scale(0.4); transform-origin: bottom right; opacity: 0.85; }
body.kgb-nominimap .react-flow__minimap { display: none; }
#kgb-minimap-toggle { position: fixed; top: 8px; right: 8px; z-index: 10; font: 12px system-ui, sans-serif;
  padding: 2px 8px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; color: #334155; cursor: pointer; }
</style>
<script>
(function () {
  // the minimap can be hidden (the choice is kept in this browser)
  function minimapToggle() {
    if (document.getElementById('kgb-minimap-toggle')) { return; }
    var b = document.createElement('button');
    b.id = 'kgb-minimap-toggle';
    function show(hidden) {
      document.body.classList.toggle('kgb-nominimap', hidden);
      b.textContent = hidden ? 'Show minimap' : 'Hide minimap';
    }
    var hidden = false;
    try { hidden = window.localStorage.getItem('kgb-minimap') === 'hidden'; } catch (e) {}
    show(hidden);
    b.addEventListener('click', function () {
      hidden = !document.body.classList.contains('kgb-nominimap');
      show(hidden);
      try { window.localStorage.setItem('kgb-minimap', hidden ? 'hidden' : 'shown'); } catch (e) {}
    });
    document.body.appendChild(b);
  }
  if (document.body) { minimapToggle(); } else { document.addEventListener('DOMContentLoaded', minimapToggle); }
  // At the minimum zoom a fitted graph can be wider than the canvas: when the view settles (after
  // a fit) with the selected node (a new one) outside it, pan it in by a drag on the empty pane,
  // as a user would. Views the user moved (pointer, wheel) are left alone.
  var userAt = 0, lastT = null, handled = null;
  ['pointerdown', 'pointermove', 'pointerup', 'wheel'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.isTrusted && (type !== 'pointermove' || e.buttons)) { userAt = Date.now(); }
    }, true);
  });
  function mouse(target, type, x, y) {
    target.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true, view: window,
      clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1}));
  }
  function keepSelectedInView() {
    var vp = document.querySelector('.react-flow__viewport');
    var flow = document.querySelector('.react-flow');
    var pane = document.querySelector('.react-flow__pane');
    if (!vp || !flow || !pane) { return; }
    var t = vp.style.transform, steady = t === lastT;
    lastT = t;
    var node = document.querySelector('.react-flow__node.selected');
    if (!steady || !node || Date.now() - userAt < 1500) { return; }
    var key = t + '|' + node.getAttribute('data-id');
    if (key === handled) { return; }
    handled = key;
    var f = flow.getBoundingClientRect(), n = node.getBoundingClientRect(), m = 24, dx = 0, dy = 0;
    if (n.right > f.right - m) { dx = f.right - m - n.right; }
    if (n.left + dx < f.left + m) { dx = f.left + m - n.left; }
    if (n.bottom > f.bottom - m) { dy = f.bottom - m - n.bottom; }
    if (n.top + dy < f.top + m) { dy = f.top + m - n.top; }
    if (!dx && !dy) { return; }
    var x = f.left + 8, y = f.top + 8;
    mouse(pane, 'mousedown', x, y);
    for (var i = 1; i <= 4; i++) { mouse(window, 'mousemove', x + dx * i / 4, y + dy * i / 4); }
    mouse(window, 'mouseup', x + dx, y + dy);
  }
  setInterval(keepSelectedInView, 250);
  function report() {
    var pane = document.querySelector('.react-flow__pane');
    if (pane) { pane.click(); }
  }
  function press(target, type) {
    var ev = new KeyboardEvent(type, {key: 'Backspace', code: 'Backspace', bubbles: true, cancelable: true});
    ev.kgbSynthetic = true;
    target.dispatchEvent(ev);
  }
  document.addEventListener('keydown', function (e) {
    if (e.kgbSynthetic) { return; }
    var t = e.target && e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT') { return; }
    if (e.key === 'Escape') { report(); return; }  // like a click on the empty canvas: the Model panel
    if (e.key !== 'Backspace' && e.key !== 'Delete') { return; }
    if (!document.querySelector('.react-flow__node.selected, .react-flow__edge.selected')) { return; }
    if (e.key === 'Delete') {
      // React Flow deletes on Backspace only: press it for the user, held briefly as a person would.
      var target = (e.target && e.target.dispatchEvent && e.target !== document) ? e.target : document.body;
      press(target, 'keydown');
      setTimeout(function () { press(target, 'keyup'); }, 80);
    }
    setTimeout(report, 250);
  }, true);
})();
</script>
"""


def _build_dir() -> Path:
    """A copy of the component's build with ``_INJECT`` added to its page (made once)."""
    import streamlit_flow

    src = Path(streamlit_flow.__file__).resolve().parent / "frontend" / "build"
    index = (src / "index.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((index + _INJECT).encode()).hexdigest()[:12]
    dst = Path(tempfile.gettempdir()) / f"kgb-flow-{digest}"
    if not (dst / "index.html").exists():
        tmp = Path(tempfile.mkdtemp(prefix="kgb-flow-", dir=tempfile.gettempdir()))
        shutil.copytree(src, tmp / "build")
        (tmp / "build" / "index.html").write_text(index.replace("</head>", _INJECT + "</head>", 1), encoding="utf-8")
        try:
            (tmp / "build").rename(dst)
        except OSError:  # another process made it first
            shutil.rmtree(tmp, ignore_errors=True)
    return dst


_component: Any = None


def flow_component(
    sync: SyncState, *, height: int = 640, fit_view: bool = False, key: str = FLOW_KEY, editable: bool = True
) -> Any:
    """Render the canvas with the args of the last push (the component ignores older ones).

    ``fit_view``: fit the graph in view when the component mounts or adopts this push (the
    component otherwise keeps the user's pan and zoom across edits). ``editable=False``: no new
    edges, no menus (a view such as the diff's; its nodes say ``draggable: False`` themselves)."""
    global _component
    if _component is None:
        import streamlit.components.v1 as components

        _component = components.declare_component("streamlit_flow", path=str(_build_dir()))
    return _component(
        nodes=sync.nodes,
        edges=sync.edges,
        height=height,
        showControls=True,
        fitView=fit_view,
        showMiniMap=True,
        style={},
        animateNewEdges=False,
        allowNewEdges=editable,
        layoutOptions={"elkOptions": {"elk.algorithm": "org.eclipse.elk.fixed"}},
        getNodeOnClick=True,
        getEdgeOnClick=False,
        panOnDrag=True,
        allowZoom=True,
        minZoom=MIN_ZOOM,
        enableNodeMenu=editable,
        enablePaneMenu=False,
        enableEdgeMenu=editable,
        hideWatermark=True,
        key=key,
        timestamp=sync.timestamp,
        component="streamlit_flow",
        default=None,
    )
