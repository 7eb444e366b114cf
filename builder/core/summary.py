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
        multi = report.port_shapes.get(nid)
        if multi is not None:  # a call with several outputs: Keras lists them all
            text = "[" + ", ".join(fmt(s) for s in multi) + "]"
        else:
            text = "?" if shape is None else fmt(shape)
        calls = len(graph.calls.get(node.layer, []))
        out.append(
            Row(
                node=nid,
                name=graph.node_label(nid),
                type="InputLayer" if ltype == "Input" else ltype,
                output_shape=text,
                params=report.node_params(nid),
                connected_to=tuple(_source(graph, e.source, e.source_port) for e in graph.in_edges.get(nid, [])),
                shared=calls > 1,
                calls=calls,
            )
        )
    return out


def _source(graph: Graph, node_id: str, port: int) -> str:
    """An input in "Connected to": the source's label, with ``[k]`` for output k > 0 (as Keras
    writes ``encoder[0][1]`` for the first call's output 1)."""
    label = graph.node_label(node_id)
    return label if port == 0 else f"{label}[{port}]"


def _num(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def render(graph: Graph, report: Report | None = None, width: int = 110, *, with_cost: bool = False) -> str:
    """The summary as text, laid out like Keras' ``model.summary()``; ``with_cost`` adds FLOPs and
    activation-memory columns and cost totals (``builder.cost``)."""
    report = report or validate(graph)
    table = rows(graph, report)
    costs = None
    if with_cost:
        from .cost import cost

        costs = cost(graph, report)
    heads = ("Layer (type)", "Output Shape", "Param #", "FLOPs", "Act. bytes", "Connected to")
    body = []
    for r in table:
        first = f"{r.name} ({r.type})" + (" [shared]" if r.shared else "")
        extra = ("", "")
        if costs is not None:
            nc = costs.per_node[r.node]
            extra = (_num(nc.flops), _num(nc.activation_bytes_per_sample))
        body.append((first, r.output_shape, f"{r.params:,}", *extra, list(r.connected_to) or [""]))
    cols = (0, 1, 2, 3, 4) if costs is not None else (0, 1, 2)
    widths = {k: max([len(heads[k])] + [len(b[k]) for b in body]) + 2 for k in cols}
    w_conn = max([len(heads[5])] + [len(c) for b in body for c in b[5]])
    total = sum(widths.values()) + w_conn

    def line(values: tuple[str, ...], conn: str) -> str:
        out = ""
        for k in cols:
            out += f"{values[k]:<{widths[k]}}" if k < 2 else f"{values[k]:>{widths[k] - 2}}  "
        return out + conn

    lines = [f'Model: "{graph.name}"', "=" * total]
    lines.append(line(heads, heads[5]))
    lines.append("=" * total)
    for i, b in enumerate(body):
        conns = b[5]
        lines.append(line(b, conns[0]))
        for extra_conn in conns[1:]:
            lines.append(" " * sum(widths.values()) + extra_conn)
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
    if costs is not None:
        lines.append(f"FLOPs (inference, per sample, as TensorFlow's profiler counts): {_num(costs.flops)}")
        lines.append(f"Weight memory: {costs.weight_bytes:,} bytes ({costs.weight_dtype})")
        lines.append(f"Activation memory per sample: {_num(costs.activation_bytes_per_sample)} bytes")
        if len(costs.per_output) > 1:
            for name, head in costs.per_output.items():
                shared = f", shared: {', '.join(graph.node_label(n) for n in head.shared)}" if head.shared else ""
                lines.append(f"  head {name}: {_num(head.flops)} FLOPs, {head.weight_bytes:,} weight bytes{shared}")
    if not report.ok:
        lines.append(f"Errors: {len(report.errors)} (run `validate` for details)")
    return "\n".join(lines)
