"""Graph assembly: the layer calls a model depends on -> a :class:`Graph` (ids, names, edges, outputs).

Layers become graph layers, calls become nodes (the first call of a layer gets the layer's id, later
calls ``<id>_call``...), inputs of a call become edges by port. Calls the outputs do not need are left
out, as Keras does, with a note.
"""

from __future__ import annotations

from ...core.graph import Edge, Graph, Layer, Node
from ..common import IdAllocator
from .diagnostics import Diagnostics
from .symbolic import Model, NodeRec


def assemble(model: Model, calls: list[NodeRec], diag: Diagnostics, name: str, description: str) -> Graph:
    """The graph of ``model`` from all layer ``calls`` of the code, in call order (no training settings)."""
    in_nodes = [t.node for t in model.inputs]
    out_nodes = [t.node for t in model.outputs]
    if not out_nodes:
        raise diag.fail("the model has no outputs", model.line)
    keep = _needed(out_nodes)
    listed = {id(n) for n in in_nodes}
    for n in calls:
        if id(n) in keep and n.layer.type == "Input" and id(n) not in listed:
            raise diag.fail(
                f"Graph disconnected: the outputs depend on the input '{n.layer.name}' (line {n.line}), which "
                "is not one of the model's inputs",
                model.line,
            )
    keep |= listed
    kept = [n for n in calls if id(n) in keep]
    # Results computed from the model's tensors but never used: Keras leaves them out; say so.
    for n in calls:
        if id(n) not in keep and n.inputs and all(id(s) in keep for s in n.inputs):
            diag.note(
                f"the result of layer '{n.layer.name}' is not used by the model's outputs; Keras leaves it "
                "out, and so does the import",
                n.line,
            )
    _name_heads(model, kept, diag)
    ids = IdAllocator()
    layer_ids: dict[int, str] = {}
    layers: list[Layer] = []
    nodes: list[Node] = []
    edges: list[Edge] = []
    for n in kept:
        lid = layer_ids.get(id(n.layer))
        if lid is None:
            lid = ids.new(n.layer.name)
            layer_ids[id(n.layer)] = lid
            layers.append(Layer(lid, n.layer.name, n.layer.type, dict(n.layer.config)))
            n.id = lid
        else:
            n.id = ids.new(f"{lid}_call")
        nodes.append(Node(n.id, lid))
        edges.extend(Edge(src.id, n.id, port, n.in_port(port)) for port, src in enumerate(n.inputs))
    outputs = [n.id for n in out_nodes]
    ports = [t.port for t in model.outputs]
    if len(set(zip(outputs, ports))) != len(outputs):
        raise diag.fail("the model lists one output tensor twice", model.line)
    if len(set(id(n) for n in in_nodes)) != len(in_nodes):
        raise diag.fail("the model lists one input twice", model.line)
    return Graph(
        layers=tuple(layers),
        nodes=tuple(nodes),
        edges=tuple(edges),
        inputs=tuple(n.id for n in in_nodes),
        outputs=tuple(outputs),
        output_ports=tuple(ports) if any(ports) else (),
        name=name,
        description=description,
    )


def _needed(out_nodes: list[NodeRec]) -> set[int]:
    """The ids of the calls the outputs depend on."""
    keep: set[int] = set()
    stack = list(out_nodes)
    while stack:
        n = stack.pop()
        if id(n) in keep:
            continue
        keep.add(id(n))
        stack.extend(n.inputs)
    return keep


def _name_heads(model: Model, kept: list[NodeRec], diag: Diagnostics) -> None:
    """Output dict keys name the heads: give auto-named head layers the key as their name."""
    names_in_use = {n.layer.name for n in kept}
    for t, key in zip(model.outputs, model.output_keys):
        layer = t.node.layer
        if key is None or key == layer.name:
            continue
        if not layer.explicit and key not in names_in_use:
            diag.note(f"output '{key}': its layer '{layer.name}' is named '{key}' after the dict key", model.line)
            names_in_use.discard(layer.name)
            layer.name = key
            names_in_use.add(key)
        else:
            diag.note(
                f"output dict key '{key}' differs from its layer's name '{layer.name}'; "
                "the builder names outputs after their layers",
                model.line,
            )
