"""Differences between two graphs, by layer *names* (ids and canvas positions do not matter).

``diff(a, b)`` returns a JSON-ready dict with exactly these keys::

    {
      "added":   [{"kind": "layer", "layer": NAME, "type": TYPE}
                  | {"kind": "call", "layer": LABEL}                 # one more call of a shared layer
                  | {"kind": "edge", "source": LABEL, "target": LABEL, "port": P}, ...],
      "removed": [... the same shapes ...],
      "changed": [{"layer": NAME_OR_LABEL_OR_NULL, "field": FIELD, "before": X, "after": Y}, ...],
      "params":  {"before": TOTAL_A, "after": TOTAL_B},
    }

Layers are matched by name (a renamed layer is one removed and one added); calls (nodes) by
their label (``name``, or ``name#k`` for the k-th call of a shared layer); edges by
``(source label, target label, port)``. ``changed`` fields:

* ``type``: the layer type;
* ``config.<key>``: a layer parameter, compared with Keras' defaults filled in from the catalog
  (setting ``units`` explicitly to its default is no change); ``before``/``after`` are the
  effective values;
* ``shape``: a call's inferred output shape (a list, ``null`` when unknown), from
  :func:`builder.validate`;
* ``params``: a layer's parameter count;
* with ``layer: null``: ``model.inputs`` / ``model.outputs`` (order of the model's inputs and
  outputs, as labels), ``model.training`` (the training settings) and ``model.name``.

Pure Python: no numpy, no Keras. :func:`is_equal` says whether a diff is empty. The CLI command
``python -m builder diff A B [--json]`` (exit 0 equal, 1 different, 2 unreadable) is registered
here; ``A``/``B`` are graph files, template names, or ``MODEL@VERSION`` from the workspace
(:mod:`builder.store`).
"""

from __future__ import annotations

import json
from typing import Any

from .catalog import catalog
from .graph import Graph
from .validate import Report, validate

DiffResult = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _effective_config(graph: Graph, layer_id: str) -> dict[str, Any]:
    layer = graph.layer_by_id[layer_id]
    config = {k: _plain(v) for k, v in layer.config.items()}
    cat = catalog()
    if layer.type in cat:
        return {k: _plain(v) for k, v in cat[layer.type].resolved(config).items()}
    return config


def _calls(graph: Graph) -> dict[str, str]:
    """Node label -> node id (the first one if two labels collide, as in a broken graph)."""
    out: dict[str, str] = {}
    for node in graph.nodes:
        out.setdefault(graph.node_label(node.id), node.id)
    return out


def _edges(graph: Graph) -> set[tuple[str, str, int]]:
    label = graph.node_label
    return {
        # output k > 0 of a call with several outputs reads "enc:1", as in the graph document
        (label(e.source) + (f":{e.source_port}" if e.source_port else ""), label(e.target), e.port)
        for e in graph.edges
        if e.source in graph.node_by_id and e.target in graph.node_by_id
    }


def _layers(graph: Graph) -> dict[str, str]:
    """Layer name -> layer id (first one wins on duplicate names)."""
    out: dict[str, str] = {}
    for layer in graph.layers:
        out.setdefault(layer.name, layer.id)
    return out


def _labels(graph: Graph, node_ids: tuple[str, ...]) -> list[str]:
    return [graph.node_label(n) if n in graph.node_by_id else n for n in node_ids]


def diff(a: Graph, b: Graph, report_a: Report | None = None, report_b: Report | None = None) -> DiffResult:
    """What changed from ``a`` to ``b`` (see the module docstring for the format)."""
    ra = report_a if report_a is not None else validate(a)
    rb = report_b if report_b is not None else validate(b)
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []

    def change(layer: str | None, field: str, before: Any, after: Any) -> None:
        if before != after:
            changed.append({"layer": layer, "field": field, "before": before, "after": after})

    # model-level fields
    change(None, "model.name", a.name, b.name)
    change(None, "model.inputs", _labels(a, a.inputs), _labels(b, b.inputs))
    change(None, "model.outputs", _labels(a, a.outputs), _labels(b, b.outputs))
    change(None, "model.training", _plain(dict(a.training or {})), _plain(dict(b.training or {})))

    # layers
    la, lb = _layers(a), _layers(b)
    for name, lid in la.items():
        if name not in lb:
            removed.append({"kind": "layer", "layer": name, "type": a.layer_by_id[lid].type})
    for name, lid in lb.items():
        if name not in la:
            added.append({"kind": "layer", "layer": name, "type": b.layer_by_id[lid].type})
    for name in la.keys() & lb.keys():
        ida, idb = la[name], lb[name]
        ta, tb = a.layer_by_id[ida].type, b.layer_by_id[idb].type
        change(name, "type", ta, tb)
        ca, cb = _effective_config(a, ida), _effective_config(b, idb)
        for key in sorted(ca.keys() | cb.keys()):
            change(name, f"config.{key}", ca.get(key), cb.get(key))
        pa, pb = ra.layer_params.get(ida), rb.layer_params.get(idb)
        change(name, "params", pa.total if pa else 0, pb.total if pb else 0)

    # calls (nodes): only those of layers present on both sides are listed as calls
    na, nb = _calls(a), _calls(b)
    for lbl, nid in na.items():
        if lbl not in nb and a.layer_of(nid).name in lb:
            removed.append({"kind": "call", "layer": lbl})
    for lbl, nid in nb.items():
        if lbl not in na and b.layer_of(nid).name in la:
            added.append({"kind": "call", "layer": lbl})
    for lbl in sorted(na.keys() & nb.keys()):
        sa, sb = ra.shapes.get(na[lbl]), rb.shapes.get(nb[lbl])
        change(lbl, "shape", None if sa is None else list(sa), None if sb is None else list(sb))

    # edges
    ea, eb = _edges(a), _edges(b)
    for s, t, p in sorted(ea - eb):
        removed.append({"kind": "edge", "source": s, "target": t, "port": p})
    for s, t, p in sorted(eb - ea):
        added.append({"kind": "edge", "source": s, "target": t, "port": p})

    order = {"layer": 0, "call": 1, "edge": 2}
    added.sort(key=lambda d: order[d["kind"]])
    removed.sort(key=lambda d: order[d["kind"]])
    changed.sort(key=lambda d: (d["layer"] is not None, d["layer"] or "", d["field"]))
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "params": {"before": ra.params.total, "after": rb.params.total},
    }


def is_equal(result: DiffResult) -> bool:
    p = result["params"]
    return not (result["added"] or result["removed"] or result["changed"]) and p["before"] == p["after"]


def _item_text(item: dict[str, Any]) -> str:
    if item["kind"] == "edge":
        return f"edge  {item['source']} -> {item['target']} (port {item['port']})"
    if item["kind"] == "layer":
        return f"layer {item['layer']} ({item['type']})"
    return f"call  {item['layer']}"


def render(result: DiffResult) -> str:
    """The diff as readable lines (``+`` added, ``-`` removed, ``~`` changed)."""
    lines = [f"+ {_item_text(i)}" for i in result["added"]]
    lines += [f"- {_item_text(i)}" for i in result["removed"]]
    for c in result["changed"]:
        where = c["layer"] if c["layer"] is not None else "(model)"
        before, after = (json.dumps(v, ensure_ascii=False) for v in (c["before"], c["after"]))
        lines.append(f"~ {where}  {c['field']}: {before} -> {after}")
    p = result["params"]
    if is_equal(result):
        lines.append(f"equal: {p['after']:,} params")
    else:
        delta = p["after"] - p["before"]
        lines.append(f"params: {p['before']:,} -> {p['after']:,} ({delta:+,})")
    return "\n".join(lines)
