"""Quick fixes: graph edits that repair one validator issue, each with a one-line label.

``fixes_for(graph, report)`` maps the index of each issue in ``report.issues`` to the fixes that
repair it. A :class:`Fix` has a stable ``id`` (``kind:node[:detail]``, e.g.
``insert_flatten:concatenate:1``), a ``label`` for a button, and ``apply(graph) -> Graph``, built
from the edits of :class:`~builder.core.graph.Graph` (add, connect, update_config, rename_layer,
unshare, remove_node, set_training). Fixes are computed from the report's issues; the validator
does not know about them.

Every fix offered is *checked*: it is applied and the result validated, and it is offered only
when the issue it fixes is gone and it adds no error on a node whose shape was already known
(errors downstream of a broken merge were masked before, and may show once it is repaired).

The repairs:

=================================  =================================================================
issue                              fixes
=================================  =================================================================
merge of a vector and a sequence   ``insert_flatten`` / ``insert_gap`` (GlobalAveragePooling1D/2D)
or image (different ranks)         on each higher-rank input
Concatenate, shapes agree on       ``concat_axis``: concatenate on that axis
another axis
Concatenate of spatial sizes that  ``padding_same``: ``padding='same'`` in the windowed layers that
differ (valid padding)             feed it (seed 004's Inception module)
Add/Multiply/... mismatched        ``project_dense`` (a Dense on the shortcut, last axis only) or
shapes                             ``project_conv`` (a strided 1x1 convolution, spatial sizes too)
``embedding_swapped``              ``swap_embedding``: swap ``input_dim`` and ``output_dim``
``unused_input``                   ``remove_input``; ``connect_input``: feed it into a merge port
                                   where its shape fits, in place of what is there
``loss_key_mismatch``              ``rename_head``: name the head after a loss key;
                                   ``rename_key``: rename the key after the head
``loss_weights_mismatch``          ``loss_per_head``: one loss per head, weights keyed by head
``metrics_mismatch``               ``metrics_per_head``: the same metrics for every head
``shared_layer_mismatch``          ``unshare``: give this call its own layer
=================================  =================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import GraphEditError
from .catalog import catalog
from .graph import Graph
from .validate import Issue, Report, validate

MERGES = ("Concatenate", "Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract")
ELEMENTWISE = MERGES[1:]
_GAP = {3: "GlobalAveragePooling1D", 4: "GlobalAveragePooling2D"}
_CONV = {3: "Conv1D", 4: "Conv2D"}
MAX_CANDIDATES = 64  # fixes tried per report (each costs one validation)
MAX_PLACES = 4  # merge ports tried for an unused input


class UnknownFix(GraphEditError):
    """No fix of that id applies to the graph."""


@dataclass(frozen=True)
class Fix:
    id: str
    label: str
    edit: Callable[[Graph], Graph] = field(repr=False, compare=False)

    def apply(self, graph: Graph) -> Graph:
        return self.edit(graph)

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label}


# ---------------------------------------------------------------------- entry points


def fixes_for(graph: Graph, report: Report | None = None) -> dict[int, list[Fix]]:
    """Issue index (in ``report.issues``) -> the checked fixes for it (issues without any are left out)."""
    report = report if report is not None else validate(graph)
    out: dict[int, list[Fix]] = {}
    budget = MAX_CANDIDATES
    for index, issue in enumerate(report.issues):
        kept: list[Fix] = []
        for fix in _candidates(graph, report, issue):
            if budget <= 0:
                break
            if any(f.id == fix.id for f in kept):
                continue
            budget -= 1
            if _repairs(graph, report, issue, fix):
                kept.append(fix)
        if kept:
            out[index] = kept
    return out


def all_fixes(graph: Graph, report: Report | None = None) -> list[Fix]:
    """Every checked fix of the graph, in issue order (one fix listed under two issues once)."""
    out: dict[str, Fix] = {}
    for fixes in fixes_for(graph, report).values():
        for fix in fixes:
            out.setdefault(fix.id, fix)
    return list(out.values())


def find_fix(graph: Graph, fix_id: str, report: Report | None = None) -> Fix:
    """The fix named ``fix_id``; :class:`UnknownFix` (listing the graph's fixes) when none."""
    fixes = all_fixes(graph, report)
    for fix in fixes:
        if fix.id == fix_id:
            return fix
    offered = ", ".join(f.id for f in fixes) or "none: no issue of this graph has a quick fix"
    raise UnknownFix(f"no fix {fix_id!r} for this graph; its fixes: {offered}")


def issues_with_fixes(graph: Graph, report: Report | None = None) -> list[dict[str, Any]]:
    """``report.issues`` as dicts, each with ``fixes: [{id, label}]`` (what ``validate --json`` prints)."""
    report = report if report is not None else validate(graph)
    fixes = fixes_for(graph, report)
    return [
        dict(issue.to_dict(), fixes=[f.to_dict() for f in fixes.get(i, [])]) for i, issue in enumerate(report.issues)
    ]


# ---------------------------------------------------------------------- checking a fix


def _key(issue: Issue) -> tuple[Any, ...]:
    if issue.node is None:  # a model-wide issue: its message says which key (up to the first ';')
        return (issue.code, None, None, issue.message.split(";")[0])
    return (issue.code, issue.node, issue.port)


def _repairs(graph: Graph, before: Report, issue: Issue, fix: Fix) -> bool:
    try:
        fixed = fix.apply(graph)
    except (GraphEditError, KeyError, ValueError, TypeError):
        return False
    after = validate(fixed)
    target = _key(issue)
    if any(_key(i) == target for i in after.issues):
        return False
    known = {n for n, s in before.shapes.items() if s is not None}
    old = {_key(i) for i in before.errors}
    for i in after.errors:
        if _key(i) in old:
            continue
        if i.node is None or i.node in known or i.node not in before.shapes:
            return False
    return True


# ---------------------------------------------------------------------- candidates


def _candidates(graph: Graph, report: Report, issue: Issue) -> Iterator[Fix]:
    code, node = issue.code, issue.node
    if node is not None and node not in graph.node_by_id:
        return
    if code in ("shape_mismatch", "rank_mismatch") and node is not None:
        ltype = graph.layer_of(node).type
        if ltype in MERGES:
            yield from _merge_fixes(graph, report, node, issue.port)
    elif code == "embedding_swapped" and node is not None:
        yield _swap_embedding(graph, node)
    elif code == "unused_input" and node is not None:
        yield from _unused_input(graph, report, node)
    elif code == "shared_layer_mismatch" and node is not None:
        layer = graph.layer_of(node)
        yield Fix(
            f"unshare:{node}",
            f"Give this call of '{layer.name}' its own {layer.type} layer (no shared weights)",
            lambda g: g.unshare(node),
        )
    elif code == "loss_key_mismatch":
        yield from _loss_keys(graph, report, issue)
    elif code == "loss_weights_mismatch":
        yield from _loss_per_head(graph, report)
    elif code == "metrics_mismatch":
        yield from _metrics_per_head(graph, report)


# ------------------------------------------------------------------ merges


def _merge_fixes(graph: Graph, report: Report, node: str, port: int | None) -> Iterator[Fix]:
    edges = graph.in_edges.get(node, [])
    sources = [e.source for e in edges]
    shapes = [report.shapes.get(s) for s in sources]
    if len(shapes) < 2 or any(s is None for s in shapes):
        return
    shapes_ = [s for s in shapes if s is not None]
    label = graph.node_label(node)
    ranks = [len(s) for s in shapes_]
    if len(set(ranks)) > 1:
        yield from _to_vector(graph, node, label, sources, shapes_)
        return
    ltype = graph.layer_of(node).type
    if ltype == "Concatenate":
        yield from _concat_axis(graph, node, label, shapes_)
        yield from _padding_same(graph, node, label)
    elif port is not None and 0 < port < len(shapes_):
        yield from _projection(graph, node, label, sources, shapes_, port, 0)
        yield from _projection(graph, node, label, sources, shapes_, 0, port)


def _to_vector(
    graph: Graph, node: str, label: str, sources: list[str], shapes: list[tuple[int | None, ...]]
) -> Iterator[Fix]:
    """Inputs of a higher rank than the lowest get a Flatten or a global average pooling."""
    low = min(len(s) for s in shapes)
    if low != 2:
        return
    ports = [p for p, s in enumerate(shapes) if len(s) > low]
    names = ", ".join(f"'{graph.node_label(sources[p])}'" for p in ports)
    suffix = ":".join(str(p) for p in ports)

    def insert(type_name: str) -> Callable[[Graph], Graph]:
        def edit(g: Graph) -> Graph:
            for p in ports:
                g = _insert(g, sources[p], node, p, type_name, {})
            return g

        return edit

    yield Fix(f"insert_flatten:{node}:{suffix}", f"Insert Flatten after {names} (into '{label}')", insert("Flatten"))
    gap_ranks = {len(shapes[p]) for p in ports}
    if len(gap_ranks) == 1 and (rank := gap_ranks.pop()) in _GAP:
        kind = _GAP[rank]
        yield Fix(
            f"insert_gap:{node}:{suffix}",
            f"Insert {kind} after {names} (into '{label}')",
            insert(kind),
        )


def _concat_axis(graph: Graph, node: str, label: str, shapes: list[tuple[int | None, ...]]) -> Iterator[Fix]:
    rank = len(shapes[0])
    current = graph.layer_of(node).config.get("axis", -1)
    lid = graph.node_by_id[node].layer
    for ax in range(1, rank):
        if ax == current % rank:
            continue
        if all(_agree([s[i] for s in shapes]) for i in range(1, rank) if i != ax):
            axis = -1 if ax == rank - 1 else ax
            yield Fix(
                f"concat_axis:{node}:{axis}",
                f"Concatenate '{label}' on axis {axis} (the inputs agree on every other axis)",
                lambda g, a=axis: g.update_config(lid, axis=a),
            )


def _padding_same(graph: Graph, node: str, label: str) -> Iterator[Fix]:
    """Valid padding shrinks the branches by different amounts: pad every windowed layer upstream."""
    cat = catalog()
    layers: list[str] = []
    for nid in _ancestors(graph, node):
        layer = graph.layer_of(nid)
        t = cat.types.get(layer.type)
        if t is None or "padding" not in t.params or layer.id in layers:
            continue
        if t.resolved(dict(layer.config)).get("padding") == "valid":
            layers.append(layer.id)
    if not layers:
        return

    def edit(g: Graph) -> Graph:
        for lid in layers:
            g = g.update_config(lid, padding="same")
        return g

    n = len(layers)
    yield Fix(
        f"padding_same:{node}",
        f"Use padding='same' in the {n} layer{'s' if n != 1 else ''} that feed '{label}'",
        edit,
    )


def _projection(
    graph: Graph,
    node: str,
    label: str,
    sources: list[str],
    shapes: list[tuple[int | None, ...]],
    port: int,
    like: int,
) -> Iterator[Fix]:
    """Project input ``port`` to the shape of input ``like`` (a residual shortcut's projection)."""
    src, want = shapes[port], shapes[like]
    rank = len(src)
    if rank < 2 or want[-1] is None:
        return
    units = want[-1]
    name = graph.node_label(sources[port])
    middle = list(zip(src[1:-1], want[1:-1]))
    if all(a == b or a is None or b is None for a, b in middle):
        yield Fix(
            f"project_dense:{node}:{port}",
            f"Insert Dense({units}) on the shortcut from '{name}' into '{label}' (a projection)",
            lambda g: _insert(g, sources[port], node, port, "Dense", {"units": units}),
        )
        return
    if rank not in _CONV:
        return
    strides = []
    for a, b in middle:
        if a is None or b is None or b <= 0:
            return
        s = next((s for s in range(1, a + 1) if math.ceil(a / s) == b), None)
        if s is None:
            return
        strides.append(s)
    stride: int | tuple[int, ...] = strides[0] if len(set(strides)) == 1 else tuple(strides)
    kind = _CONV[rank]
    config = {"filters": units, "kernel_size": 1, "strides": stride, "padding": "same"}
    yield Fix(
        f"project_conv:{node}:{port}",
        f"Insert {kind}({units}, 1, strides={stride}, padding='same') on the shortcut from '{name}' into '{label}'",
        lambda g: _insert(g, sources[port], node, port, kind, config),
    )


# ------------------------------------------------------------------ layers and inputs


def _swap_embedding(graph: Graph, node: str) -> Fix:
    layer = graph.layer_of(node)
    t = catalog().types[layer.type]
    r = t.resolved(dict(layer.config))
    i, o = r["input_dim"], r["output_dim"]
    return Fix(
        f"swap_embedding:{node}",
        f"Swap the arguments of '{layer.name}': input_dim={o:,}, output_dim={i:,}",
        lambda g: g.update_config(layer.id, input_dim=o, output_dim=i),
    )


def _unused_input(graph: Graph, report: Report, node: str) -> Iterator[Fix]:
    label = graph.node_label(node)
    shape = report.shapes.get(node)
    live = {n for n in report.order if n in report.shapes and report.shapes[n] is not None}
    if shape is not None:
        # Where it fits best first: in place of a head's prediction fed back into the model (seed
        # 000 concatenates aux_output where aux_input was meant), then the closest last dim.
        places: list[tuple[tuple[bool, int], str, int, str]] = []
        for target in report.order:
            if target not in live or graph.layer_of(target).type not in MERGES:
                continue
            for e in graph.in_edges.get(target, []):
                got = report.shapes.get(e.source)
                if got is None or len(got) != len(shape) or e.source == node:
                    continue
                distance = abs((got[-1] or 0) - (shape[-1] or 0))
                places.append(((e.source not in graph.outputs, distance), target, e.port, e.source))
        for _, target, port, source in sorted(places, key=lambda p: p[0])[:MAX_PLACES]:
            yield Fix(
                f"connect_input:{node}:{target}:{port}",
                f"Feed '{label}' into '{graph.node_label(target)}' (input {port}) "
                f"in place of '{graph.node_label(source)}'",
                lambda g, t=target, p=port: g.connect(node, t, p),
            )
    yield Fix(f"remove_input:{node}", f"Delete the unused input '{label}'", lambda g: g.remove_node(node))


# ------------------------------------------------------------------ training settings


def _training(graph: Graph) -> dict[str, Any]:
    return dict(graph.training or {})


def _loss_keys(graph: Graph, report: Report, issue: Issue) -> Iterator[Fix]:
    training = _training(graph)
    outputs = list(report.outputs)
    dicts = {k: training[k] for k in ("loss", "loss_weights", "metrics") if isinstance(training.get(k), Mapping)}
    if issue.node is not None:  # a head the loss dict has no entry for
        head_node = issue.node
        head = graph.layer_of(head_node).name
        loss = dicts.get("loss", {})
        keys = list(loss)
        unknown = [k for k in keys if k not in outputs]
        index = graph.outputs.index(head_node) if head_node in graph.outputs else -1
        if 0 <= index < len(keys) and keys[index] in unknown:  # the key at the head's position first
            unknown.remove(keys[index])
            unknown.insert(0, keys[index])
        taken = {la.name for la in graph.layers}
        lid = graph.node_by_id[head_node].layer
        for key in unknown:
            if key not in taken:
                yield Fix(
                    f"rename_head:{head_node}:{key}",
                    f"Name the head '{head}' '{key}', after its loss key",
                    lambda g, k=key: g.rename_layer(lid, k),
                )
        for key in unknown:
            yield Fix(
                f"rename_key:{key}:{head}",
                f"Rename the loss key '{key}' to '{head}'",
                lambda g, k=key: _rename_key(g, k, head),
            )
        return
    match = re.search(r"has key '(.+?)', which names no output", issue.message)
    if match:
        bad = [match.group(1)]
    else:
        bad = [k for k in dicts.get("loss", {}) if k not in outputs]
    loss_keys = list(dicts.get("loss", {}))
    taken = {la.name for la in graph.layers}
    for key in bad:
        missing = [h for h in outputs if not any(h in d for d in dicts.values())]
        missing += [h for h in outputs if h not in missing]
        if key in loss_keys and loss_keys.index(key) < len(outputs):  # the head at the key's position first
            at = outputs[loss_keys.index(key)]
            missing = [at] + [h for h in missing if h != at]
        for head in missing:
            if key in taken or head not in outputs or outputs.count(head) != 1:
                continue
            lid = graph.node_by_id[graph.outputs[outputs.index(head)]].layer
            yield Fix(
                f"rename_head:{graph.outputs[outputs.index(head)]}:{key}",
                f"Name the head '{head}' '{key}', after its loss key",
                lambda g, k=key, lid=lid: g.rename_layer(lid, k),
            )
        for head in missing:
            yield Fix(
                f"rename_key:{key}:{head}",
                f"Rename the key '{key}' to '{head}'",
                lambda g, k=key, h=head: _rename_key(g, k, h),
            )


def _rename_key(graph: Graph, old: str, new: str) -> Graph:
    training = _training(graph)
    for key in ("loss", "loss_weights", "metrics"):
        value = training.get(key)
        if isinstance(value, Mapping) and old in value:
            if new in value:
                raise GraphEditError(f"`{key}` has a key {new!r} already")
            training[key] = {new if k == old else k: v for k, v in value.items()}
    return graph.set_training(training)


def _loss_per_head(graph: Graph, report: Report) -> Iterator[Fix]:
    training = _training(graph)
    loss, weights = training.get("loss"), training.get("loss_weights")
    outputs = list(report.outputs)
    if not isinstance(loss, str) or len(set(outputs)) != len(outputs) or len(outputs) < 2:
        return
    if not isinstance(weights, (list, tuple)) or len(weights) != len(outputs):
        return

    def edit(g: Graph) -> Graph:
        t = _training(g)
        t["loss"] = {h: loss for h in outputs}
        t["loss_weights"] = dict(zip(outputs, weights, strict=True))
        return g.set_training(t)

    yield Fix("loss_per_head", f"Give each of the {len(outputs)} heads the loss '{loss}', weights by head", edit)


def _metrics_per_head(graph: Graph, report: Report) -> Iterator[Fix]:
    training = _training(graph)
    metrics = training.get("metrics")
    outputs = list(report.outputs)
    if not isinstance(metrics, (list, tuple)) or len(set(outputs)) != len(outputs):
        return
    flat = list(metrics)

    def edit(g: Graph) -> Graph:
        t = _training(g)
        t["metrics"] = {h: list(flat) for h in outputs}
        return g.set_training(t)

    yield Fix("metrics_per_head", f"Give each of the {len(outputs)} heads the metrics {flat!r}", edit)


# ---------------------------------------------------------------------- helpers


def _agree(dims: list[int | None]) -> bool:
    return len({d for d in dims if d is not None}) <= 1


def _ancestors(graph: Graph, node: str) -> list[str]:
    seen: list[str] = []
    stack = [e.source for e in graph.in_edges.get(node, [])]
    while stack:
        nid = stack.pop()
        if nid in seen:
            continue
        seen.append(nid)
        stack.extend(e.source for e in graph.in_edges.get(nid, []))
    return seen


def _insert(graph: Graph, source: str, target: str, port: int, type_name: str, config: Mapping[str, Any]) -> Graph:
    """A new layer between ``source`` and ``target``'s input ``port``, placed half way."""
    a = graph.node_by_id[source].position
    b = graph.node_by_id[target].position
    position = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 60) if a is not None and b is not None else None
    g, nid = graph.add(type_name, config, inputs=[source], position=position)
    return g.connect(nid, target, port)
