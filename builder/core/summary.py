"""A ``model.summary()``-like table computed in pure Python from a validation report."""

from __future__ import annotations

from dataclasses import dataclass

from .graph import Graph
from .shapes import fmt
from .validate import Report, validate


@dataclass(frozen=True)
class Row:
    node: str
    name: str  # the node label: layer name, with #k on calls of a shared layer
    type: str
    output_shape: str
    params: int  # counted on the call that builds the layer; 0 on later calls
    connected_to: tuple[str, ...]
    shared: bool
    calls: int


def rows(graph: Graph, report: Report | None = None) -> list[Row]:
    report = report or validate(graph)
    order = report.order + [n.id for n in graph.nodes if n.id not in set(report.order)]
    out = []
    for nid in order:
        node = graph.node_by_id[nid]
        layer = graph.layer_by_id.get(node.layer)
        ltype = layer.type if layer else "?"
        shape = report.shapes.get(nid)
        calls = len(graph.calls.get(node.layer, []))
        out.append(
            Row(
                node=nid,
                name=graph.node_label(nid),
                type="InputLayer" if ltype == "Input" else ltype,
                output_shape="?" if shape is None else fmt(shape),
                params=report.node_params(nid),
                connected_to=tuple(graph.node_label(s) for s in graph.input_nodes(nid)),
                shared=calls > 1,
                calls=calls,
            )
        )
    return out


def render(graph: Graph, report: Report | None = None, width: int = 110) -> str:
    """The summary as text, laid out like Keras' ``model.summary()``."""
    report = report or validate(graph)
    table = rows(graph, report)
    heads = ("Layer (type)", "Output Shape", "Param #", "Connected to")
    body = []
    for r in table:
        first = f"{r.name} ({r.type})" + (" [shared]" if r.shared else "")
        body.append((first, r.output_shape, f"{r.params:,}", list(r.connected_to) or [""]))
    w0 = max([len(heads[0])] + [len(b[0]) for b in body]) + 2
    w1 = max([len(heads[1])] + [len(b[1]) for b in body]) + 2
    w2 = max([len(heads[2])] + [len(b[2]) for b in body]) + 2
    w3 = max([len(heads[3])] + [len(c) for b in body for c in b[3]])
    total = w0 + w1 + w2 + w3
    lines = [f'Model: "{graph.name}"', "=" * total]
    lines.append(f"{heads[0]:<{w0}}{heads[1]:<{w1}}{heads[2]:>{w2 - 2}}  {heads[3]}")
    lines.append("=" * total)
    for i, (a, b, c, conns) in enumerate(body):
        lines.append(f"{a:<{w0}}{b:<{w1}}{c:>{w2 - 2}}  {conns[0]}")
        for extra in conns[1:]:
            lines.append(" " * (w0 + w1 + w2) + extra)
        lines.append(("=" if i == len(body) - 1 else "-") * total)
    p = report.params
    lines.append(f"Total params: {p.total:,}")
    lines.append(f"Trainable params: {p.trainable:,}")
    lines.append(f"Non-trainable params: {p.non_trainable:,}")
    if report.outputs:
        lines.append(f"Outputs: {', '.join(report.outputs)}")
    shared = [la.name for la in graph.layers if graph.is_shared(la.id)]
    if shared:
        lines.append(f"Shared layers: {', '.join(shared)} (weights counted once)")
    if not report.ok:
        lines.append(f"Errors: {len(report.errors)} (run `validate` for details)")
    return "\n".join(lines)
