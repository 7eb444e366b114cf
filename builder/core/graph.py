"""The graph document: layers, calls (nodes) and edges, as immutable values.

A *layer* is one Keras layer instance (type, unique name, config). A *node* is one call of a
layer; several nodes pointing at one layer share its weights (Siamese models). An *edge* feeds
output ``source_port`` of one node (0 unless the call has several outputs, such as an LSTM with
``return_state=True``: output, h, c) into an input *port* of another. ``inputs`` lists the Input
nodes in model order; ``outputs`` lists the output nodes in model order, each named after its
layer, as Keras 3 names model outputs; ``output_ports`` (parallel to ``outputs``, empty: all 0)
says which output of each node is the model output. In JSON an output is ``"node"`` (port 0) or
``"node:1"``; an edge carries ``"source_port"`` only when it is not 0, so single-output graphs
are written exactly as before.

Every edit returns a new :class:`Graph`; nothing is mutated in place. ``to_json`` /
``from_json`` give a versioned document; a malformed one raises :class:`GraphFormatError`
naming the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import GraphEditError, GraphFormatError
from .naming import to_snake_case
from .plain import tuplify

FORMAT = "keras-graph-builder"
SCHEMA_VERSION = 1
MAX_NODES = 100_000
MAX_JSON_DEPTH = 64
MAX_FILE_BYTES = 50 * 2**20  # a graph JSON file


@dataclass(frozen=True)
class Layer:
    id: str
    name: str
    type: str
    config: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        d["config"] = {k: _listify(v) for k, v in self.config.items()}
        return d


@dataclass(frozen=True)
class Node:
    id: str
    layer: str  # layer id
    position: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "layer": self.layer}
        if self.position is not None:
            d["position"] = [self.position[0], self.position[1]]
        return d


@dataclass(frozen=True)
class Edge:
    source: str  # node id
    target: str  # node id
    port: int = 0  # the target's input port
    source_port: int = 0  # the source's output port (0 unless the call has several outputs)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"source": self.source, "target": self.target, "port": self.port}
        if self.source_port:
            d["source_port"] = self.source_port
        return d


MAX_PORT = 10_000


def port_ref(node_id: str, port: int = 0) -> str:
    """How a document names output ``port`` of a node: ``"lstm"`` for port 0, else ``"lstm:1"``."""
    return node_id if port == 0 else f"{node_id}:{port}"


def parse_port_ref(ref: str, node_ids: Mapping[str, Any] | set[str]) -> tuple[str, int] | None:
    """``"lstm"`` -> ("lstm", 0), ``"lstm:1"`` -> ("lstm", 1); None when no such node. A node id
    that itself ends in ``:<digits>`` wins over the port reading."""
    if ref in node_ids:
        return ref, 0
    m = _PORT_REF.match(ref)
    if m and m.group(1) in node_ids and int(m.group(2)) <= MAX_PORT:
        return m.group(1), int(m.group(2))
    return None


_PORT_REF = re.compile(r"^(.+):(\d{1,5})$")


@dataclass(frozen=True)
class Graph:
    layers: tuple[Layer, ...] = ()
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    name: str = "model"
    description: str = ""
    training: Mapping[str, Any] | None = None
    # The output port of each of ``outputs`` (parallel to it); empty, or shorter: port 0.
    output_ports: tuple[int, ...] = ()

    # ------------------------------------------------------------------ lookups
    @cached_property
    def layer_by_id(self) -> dict[str, Layer]:
        out: dict[str, Layer] = {}
        for layer in self.layers:
            out.setdefault(layer.id, layer)
        return out

    @cached_property
    def node_by_id(self) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for node in self.nodes:
            out.setdefault(node.id, node)
        return out

    @cached_property
    def in_edges(self) -> dict[str, list[Edge]]:
        """Edges into each node, sorted by port."""
        out: dict[str, list[Edge]] = {n.id: [] for n in self.nodes}
        for e in self.edges:
            out.setdefault(e.target, []).append(e)
        for lst in out.values():
            lst.sort(key=lambda e: e.port)
        return out

    @cached_property
    def out_edges(self) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = {n.id: [] for n in self.nodes}
        for e in self.edges:
            out.setdefault(e.source, []).append(e)
        return out

    @cached_property
    def calls(self) -> dict[str, list[str]]:
        """Layer id -> the ids of the nodes calling it, in document order."""
        out: dict[str, list[str]] = {layer.id: [] for layer in self.layers}
        for n in self.nodes:
            out.setdefault(n.layer, []).append(n.id)
        return out

    def layer_of(self, node_id: str) -> Layer:
        return self.layer_by_id[self.node_by_id[node_id].layer]

    def is_shared(self, layer_id: str) -> bool:
        return len(self.calls.get(layer_id, ())) > 1

    @cached_property
    def _call_index(self) -> dict[str, int]:
        """Node id -> its position among the calls of its layer (0 for the first)."""
        return {nid: k for calls in self.calls.values() for k, nid in enumerate(calls)}

    def node_label(self, node_id: str) -> str:
        """The layer name, with ``#k`` for the k-th call of a shared layer (k from 0)."""
        node = self.node_by_id[node_id]
        layer = self.layer_by_id.get(node.layer)
        if layer is None:
            return node_id
        if len(self.calls.get(layer.id, ())) > 1:
            return f"{layer.name}#{self._call_index[node_id]}"
        return layer.name

    def output_names(self) -> list[str]:
        names = []
        for nid in self.outputs:
            node = self.node_by_id.get(nid)
            layer = self.layer_by_id.get(node.layer) if node else None
            names.append(layer.name if layer else nid)
        return names

    def input_nodes(self, node_id: str) -> list[str]:
        return [e.source for e in self.in_edges.get(node_id, [])]

    def output_port(self, index: int) -> int:
        """The output port of model output ``index`` (0 for a single-output call)."""
        return self.output_ports[index] if index < len(self.output_ports) else 0

    def output_refs(self) -> list[tuple[str, int]]:
        """The model outputs as (node id, output port), in output order."""
        return [(nid, self.output_port(i)) for i, nid in enumerate(self.outputs)]

    # ------------------------------------------------------------------ ids and names
    def new_id(self, prefix: str) -> str:
        taken = set(self.node_by_id) | set(self.layer_by_id)
        base = re.sub(r"[^0-9A-Za-z_]+", "_", prefix).strip("_").lower() or "n"
        if base not in taken:
            return base
        i = 1
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    def new_layer_name(self, type_name: str) -> str:
        """A Keras-style default name: ``dense``, ``dense_1``, ... (snake case of the type)."""
        base = _snake(type_name)
        taken = {layer.name for layer in self.layers}
        if base not in taken:
            return base
        i = 1
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    # ------------------------------------------------------------------ edits
    def add_layer(
        self,
        type_name: str,
        config: Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        layer_id: str | None = None,
    ) -> tuple[Graph, str]:
        name = name or self.new_layer_name(type_name)
        lid = layer_id or self.new_id(name)
        if lid in self.layer_by_id:
            raise GraphEditError(f"a layer with id {lid!r} exists already")
        layer = Layer(id=lid, name=name, type=type_name, config=tuplify(dict(config or {})))
        return replace(self, layers=self.layers + (layer,)), lid

    def add_node(
        self,
        layer_id: str,
        *,
        node_id: str | None = None,
        position: tuple[float, float] | None = None,
        inputs: Iterable[str] = (),
    ) -> tuple[Graph, str]:
        """Call an existing layer once more (a new node). Input layers join ``inputs``."""
        if layer_id not in self.layer_by_id:
            raise GraphEditError(f"no layer with id {layer_id!r}")
        nid = node_id or self.new_id(layer_id if not self.calls.get(layer_id) else f"{layer_id}_call")
        if nid in self.node_by_id:
            raise GraphEditError(f"a node with id {nid!r} exists already")
        g = replace(self, nodes=self.nodes + (Node(nid, layer_id, _pos(position)),))
        if self.layer_by_id[layer_id].type == "Input":
            g = replace(g, inputs=g.inputs + (nid,))
        for port, src in enumerate(inputs):
            g = g.connect(src, nid, port)
        return g, nid

    def add(
        self,
        type_name: str,
        config: Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        inputs: Iterable[str] = (),
        position: tuple[float, float] | None = None,
        node_id: str | None = None,
    ) -> tuple[Graph, str]:
        """Add a new layer and one call of it; returns the new node id."""
        g, lid = self.add_layer(type_name, config, name=name, layer_id=node_id)
        return g.add_node(lid, node_id=node_id or lid, position=position, inputs=inputs)

    def connect(self, source: str, target: str, port: int | None = None, source_port: int = 0) -> Graph:
        """Feed output ``source_port`` of ``source`` into ``target``'s input ``port`` (default:
        the next free port).

        An edge already on that port is replaced. Cycles are allowed here (the validator
        reports them) so that nothing the user draws is ever dropped.
        """
        for nid in (source, target):
            if nid not in self.node_by_id:
                raise GraphEditError(f"no node with id {nid!r}")
        existing = self.in_edges.get(target, [])
        if port is None:
            used = {e.port for e in existing}
            port = 0
            while port in used:
                port += 1
        if port < 0 or source_port < 0:
            raise GraphEditError(f"ports must be >= 0, got port={port}, source_port={source_port}")
        edges = tuple(e for e in self.edges if not (e.target == target and e.port == port))
        return replace(self, edges=edges + (Edge(source, target, port, source_port),))

    def disconnect(self, source: str, target: str, port: int | None = None) -> Graph:
        edges = tuple(
            e
            for e in self.edges
            if not (e.source == source and e.target == target and (port is None or e.port == port))
        )
        return replace(self, edges=edges)

    def set_input_order(self, target: str, sources: list[str]) -> Graph:
        """Re-wire ``target``'s ports to take ``sources`` in this order (ports 0..n-1). A source
        keeps the output port it fed before (its first edge into ``target``)."""
        for s in sources:
            if s not in self.node_by_id:
                raise GraphEditError(f"no node with id {s!r}")
        old = {}
        for e in self.in_edges.get(target, []):
            old.setdefault(e.source, []).append(e.source_port)
        kept = tuple(e for e in self.edges if e.target != target)
        new = tuple(Edge(s, target, i, old[s].pop(0) if old.get(s) else 0) for i, s in enumerate(sources))
        return replace(self, edges=kept + new)

    def remove_node(self, node_id: str) -> Graph:
        """Delete one call; its layer goes too when no other node calls it."""
        node = self.node_by_id.get(node_id)
        if node is None:
            raise GraphEditError(f"no node with id {node_id!r}")
        nodes = tuple(n for n in self.nodes if n.id != node_id)
        layers = self.layers
        if len(self.calls.get(node.layer, [])) <= 1:
            layers = tuple(layer for layer in self.layers if layer.id != node.layer)
        edges = tuple(e for e in self.edges if e.source != node_id and e.target != node_id)
        # Close gaps in the ports of the targets that lost an input, keeping their order.
        return replace(
            self,
            nodes=nodes,
            layers=layers,
            edges=_compact_ports(edges, {e.target for e in self.edges if e.source == node_id}),
            inputs=tuple(i for i in self.inputs if i != node_id),
            outputs=tuple(o for o in self.outputs if o != node_id),
            output_ports=tuple(p for o, p in self.output_refs() if o != node_id) if self.output_ports else (),
        )

    def set_config(self, layer_id: str, config: Mapping[str, Any]) -> Graph:
        layer = self._layer(layer_id)
        new = replace(layer, config=tuplify(dict(config)))
        return replace(self, layers=tuple(new if la.id == layer_id else la for la in self.layers))

    def update_config(self, layer_id: str, **changes: Any) -> Graph:
        layer = self._layer(layer_id)
        config = dict(layer.config)
        for k, v in changes.items():
            if v is _UNSET:
                config.pop(k, None)
            else:
                config[k] = v
        return self.set_config(layer_id, config)

    def rename_layer(self, layer_id: str, name: str) -> Graph:
        layer = self._layer(layer_id)
        new = replace(layer, name=name)
        return replace(self, layers=tuple(new if la.id == layer_id else la for la in self.layers))

    def reuse_layer(self, node_id: str, layer_id: str) -> Graph:
        """Make ``node_id`` a call of ``layer_id`` (weight sharing). Its old layer goes when
        no other node calls it."""
        node = self.node_by_id.get(node_id)
        if node is None:
            raise GraphEditError(f"no node with id {node_id!r}")
        target = self._layer(layer_id)
        old = self.layer_by_id.get(node.layer)
        if old is not None and old.type != target.type:
            raise GraphEditError(
                f"node {node_id!r} calls a {old.type}; it cannot reuse {target.type} layer {target.name!r}"
            )
        if target.type == "Input":
            raise GraphEditError("Input layers cannot be shared")
        nodes = tuple(replace(n, layer=layer_id) if n.id == node_id else n for n in self.nodes)
        layers = self.layers
        if old is not None and old.id != layer_id and len(self.calls.get(old.id, [])) <= 1:
            layers = tuple(la for la in self.layers if la.id != old.id)
        return replace(self, nodes=nodes, layers=layers)

    def unshare(self, node_id: str, *, name: str | None = None) -> Graph:
        """Give ``node_id`` a fresh copy of its layer (same type and config, new weights)."""
        node = self.node_by_id.get(node_id)
        if node is None:
            raise GraphEditError(f"no node with id {node_id!r}")
        layer = self._layer(node.layer)
        g, lid = self.add_layer(layer.type, layer.config, name=name)
        nodes = tuple(replace(n, layer=lid) if n.id == node_id else n for n in g.nodes)
        return replace(g, nodes=nodes)

    def move(self, node_id: str, x: float, y: float) -> Graph:
        if node_id not in self.node_by_id:
            raise GraphEditError(f"no node with id {node_id!r}")
        nodes = tuple(replace(n, position=(float(x), float(y))) if n.id == node_id else n for n in self.nodes)
        return replace(self, nodes=nodes)

    def set_outputs(self, node_ids: Iterable[str], ports: Iterable[int] | None = None) -> Graph:
        """The model outputs, in order; ``ports``: the output port of each (default: all 0)."""
        ids = tuple(node_ids)
        for nid in ids:
            if nid not in self.node_by_id:
                raise GraphEditError(f"no node with id {nid!r}")
        port_list = tuple(ports) if ports is not None else ()
        if port_list and len(port_list) != len(ids):
            raise GraphEditError(f"{len(ids)} outputs but {len(port_list)} output ports")
        if any(p < 0 for p in port_list):
            raise GraphEditError("output ports must be >= 0")
        if len(set(zip(ids, port_list or (0,) * len(ids)))) != len(ids):
            raise GraphEditError("an output is listed twice")
        return replace(self, outputs=ids, output_ports=port_list if any(port_list) else ())

    def set_inputs(self, node_ids: Iterable[str]) -> Graph:
        ids = tuple(node_ids)
        for nid in ids:
            if nid not in self.node_by_id:
                raise GraphEditError(f"no node with id {nid!r}")
        return replace(self, inputs=ids)

    def set_training(self, training: Mapping[str, Any] | None) -> Graph:
        return replace(self, training=None if training is None else tuplify(dict(training)))

    def _layer(self, layer_id: str) -> Layer:
        layer = self.layer_by_id.get(layer_id)
        if layer is None:
            raise GraphEditError(f"no layer with id {layer_id!r}")
        return layer

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "format": FORMAT,
            "version": SCHEMA_VERSION,
            "name": self.name,
        }
        if self.description:
            d["description"] = self.description
        d["layers"] = [layer.to_dict() for layer in self.layers]
        d["nodes"] = [n.to_dict() for n in self.nodes]
        d["edges"] = [e.to_dict() for e in self.edges]
        d["inputs"] = list(self.inputs)
        d["outputs"] = [self._output_ref(nid, port) for nid, port in self.output_refs()]
        if self.training is not None:
            d["training"] = _listify(dict(self.training))
        return d

    def _output_ref(self, nid: str, port: int) -> str | dict[str, Any]:
        ref = port_ref(nid, port)
        if port and ref in self.node_by_id:  # "a:1" is itself a node id: say it unambiguously
            return {"node": nid, "port": port}
        return ref

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


_UNSET = object()
UNSET = _UNSET  # pass as a value to ``update_config`` to drop a key (back to the Keras default)


def _snake(type_name: str) -> str:
    """Keras' own ``to_snake_case``: Dense -> dense, Conv2D -> conv2d, ReLU -> re_lu."""
    if type_name == "Input":
        return "input_layer"
    return to_snake_case(type_name)


def _pos(position: Any) -> tuple[float, float] | None:
    if position is None:
        return None
    return (float(position[0]), float(position[1]))


def _listify(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


def _compact_ports(edges: tuple[Edge, ...], targets: set[str]) -> tuple[Edge, ...]:
    if not targets:
        return edges
    by_target: dict[str, list[Edge]] = {}
    for e in edges:
        if e.target in targets:
            by_target.setdefault(e.target, []).append(e)
    renumber: dict[Edge, Edge] = {}
    for lst in by_target.values():
        for i, e in enumerate(sorted(lst, key=lambda e: e.port)):
            renumber[e] = replace(e, port=i)
    return tuple(renumber.get(e, e) for e in edges)


# ---------------------------------------------------------------------- loading


def loads(text: str | bytes) -> Graph:
    """Parse a graph JSON document. Raises :class:`GraphFormatError` naming the bad field."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GraphFormatError("", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphFormatError("", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise GraphFormatError("", "the JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal longer than Python converts
        raise GraphFormatError("", f"not valid JSON: {exc}") from None
    return from_dict(doc)


def from_dict(doc: Any) -> Graph:
    if not isinstance(doc, dict):
        raise GraphFormatError("", f"a graph document must be a JSON object, got {_jtype(doc)}")
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        raise GraphFormatError("format", f"expected {FORMAT!r}, got {fmt!r}")
    version = doc.get("version")
    if version is None:
        raise GraphFormatError("version", f"missing; this builder reads version {SCHEMA_VERSION}")
    if isinstance(version, bool) or not isinstance(version, int):
        raise GraphFormatError("version", f"expected an integer, got {_jtype(version)}")
    if version != SCHEMA_VERSION:
        raise GraphFormatError(
            "version", f"this builder reads version {SCHEMA_VERSION}, the file has version {version}"
        )
    known = {"format", "version", "name", "description", "layers", "nodes", "edges", "inputs", "outputs", "training"}
    for key in doc:
        if key not in known:
            raise GraphFormatError(str(key), f"unknown field (known: {', '.join(sorted(known))})")
    name = _str(doc.get("name", "model"), "name")
    description = _str(doc.get("description", ""), "description")
    layers_raw = _list(doc.get("layers", []), "layers")
    nodes_raw = _list(doc.get("nodes", []), "nodes")
    edges_raw = _list(doc.get("edges", []), "edges")
    if len(nodes_raw) > MAX_NODES or len(layers_raw) > MAX_NODES or len(edges_raw) > 8 * MAX_NODES:
        raise GraphFormatError("nodes", f"too large: at most {MAX_NODES:,} nodes and layers are supported")
    _check_depth(doc)

    layers: list[Layer] = []
    seen_layers: set[str] = set()
    for i, raw in enumerate(layers_raw):
        where = f"layers[{i}]"
        _obj(raw, where, {"id", "name", "type", "config"})
        lname = _str(raw.get("name"), f"{where}.name", required=True)
        lid = _str(raw.get("id", lname), f"{where}.id", required=True)
        if not lid:
            raise GraphFormatError(f"{where}.id", "must not be empty")
        if lid in seen_layers:
            raise GraphFormatError(f"{where}.id", f"duplicate layer id {lid!r}")
        seen_layers.add(lid)
        ltype = _str(raw.get("type"), f"{where}.type", required=True)
        config = raw.get("config", {})
        if not isinstance(config, dict):
            raise GraphFormatError(f"{where}.config", f"expected an object, got {_jtype(config)}")
        layers.append(Layer(lid, lname, ltype, tuplify(config)))

    nodes: list[Node] = []
    edges: list[Edge] = []
    shorthand: list[tuple[str, str, int]] = []
    seen_nodes: set[str] = set()
    for i, raw in enumerate(nodes_raw):
        where = f"nodes[{i}]"
        _obj(raw, where, {"id", "layer", "position", "inputs"})
        nid = _str(raw.get("id"), f"{where}.id", required=True)
        if not nid:
            raise GraphFormatError(f"{where}.id", "must not be empty")
        if nid in seen_nodes:
            raise GraphFormatError(f"{where}.id", f"duplicate node id {nid!r}")
        seen_nodes.add(nid)
        lid = _str(raw.get("layer", nid), f"{where}.layer", required=True)
        if lid not in seen_layers:
            raise GraphFormatError(f"{where}.layer", f"no layer with id {lid!r}")
        pos = raw.get("position")
        if pos is not None:
            if not isinstance(pos, (list, tuple)) or len(pos) != 2 or not all(_is_num(v) for v in pos):
                raise GraphFormatError(f"{where}.position", "expected [x, y] numbers")
            pos = (float(pos[0]), float(pos[1]))
        nodes.append(Node(nid, lid, pos))
        if "inputs" in raw:  # shorthand: the node's ordered inputs ("src" or "src:1")
            for port, src in enumerate(_list(raw["inputs"], f"{where}.inputs")):
                shorthand.append((_str(src, f"{where}.inputs[{port}]", required=True), nid, port))

    for src, dst, port in shorthand:
        ref = parse_port_ref(src, seen_nodes)
        edges.append(Edge(ref[0], dst, port, ref[1]) if ref else Edge(src, dst, port))
    for i, raw in enumerate(edges_raw):
        where = f"edges[{i}]"
        _obj(raw, where, {"source", "target", "port", "source_port"})
        src = _str(raw.get("source"), f"{where}.source", required=True)
        dst = _str(raw.get("target"), f"{where}.target", required=True)
        port = _port(raw.get("port", 0), f"{where}.port")
        source_port = _port(raw.get("source_port", 0), f"{where}.source_port")
        edges.append(Edge(src, dst, port, source_port))
    seen_ports: set[tuple[str, int]] = set()
    for i, e in enumerate(edges):
        for end, nid in (("source", e.source), ("target", e.target)):
            if nid not in seen_nodes:
                raise GraphFormatError(f"edges[{i}].{end}", f"no node with id {nid!r}")
        if (e.target, e.port) in seen_ports:
            raise GraphFormatError(f"edges[{i}].port", f"node {e.target!r} has two edges on port {e.port}")
        seen_ports.add((e.target, e.port))

    layer_types = {la.id: la.type for la in layers}
    node_layer = {n.id: n.layer for n in nodes}
    if "inputs" in doc:
        inputs = tuple(_str(v, f"inputs[{i}]", required=True) for i, v in enumerate(_list(doc["inputs"], "inputs")))
    else:
        inputs = tuple(n.id for n in nodes if layer_types.get(n.layer) == "Input")
    out_refs = [
        _output_ref(v, f"outputs[{i}]", node_layer) for i, v in enumerate(_list(doc.get("outputs", []), "outputs"))
    ]
    outputs = tuple(nid for nid, _ in out_refs)
    output_ports = tuple(p for _, p in out_refs) if any(p for _, p in out_refs) else ()
    for i, nid in enumerate(inputs):
        if nid not in node_layer:
            raise GraphFormatError(f"inputs[{i}]", f"no node with id {nid!r}")
    if len(set(inputs)) != len(inputs):
        raise GraphFormatError("inputs", "lists a node twice")
    if len(set(out_refs)) != len(out_refs):
        raise GraphFormatError("outputs", "lists a node twice")
    training = doc.get("training")
    if training is not None and not isinstance(training, dict):
        raise GraphFormatError("training", f"expected an object, got {_jtype(training)}")
    return Graph(
        layers=tuple(layers),
        nodes=tuple(nodes),
        edges=tuple(edges),
        inputs=inputs,
        outputs=outputs,
        name=name,
        description=description,
        training=tuplify(training) if training is not None else None,
        output_ports=output_ports,
    )


def _port(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_PORT:
        raise GraphFormatError(where, f"expected an integer from 0 to {MAX_PORT}, got {value!r}")
    return value


def _output_ref(value: Any, where: str, node_ids: Mapping[str, Any]) -> tuple[str, int]:
    """One entry of ``outputs``: ``"node"``, ``"node:1"`` or ``{"node": "node", "port": 1}``."""
    if isinstance(value, dict):
        _obj(value, where, {"node", "port"})
        nid = _str(value.get("node"), f"{where}.node", required=True)
        if nid not in node_ids:
            raise GraphFormatError(f"{where}.node", f"no node with id {nid!r}")
        return nid, _port(value.get("port", 0), f"{where}.port")
    ref = parse_port_ref(_str(value, where, required=True), node_ids)
    if ref is None:
        raise GraphFormatError(where, f"no node with id {value!r}")
    return ref


def _check_depth(doc: Any) -> None:
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise GraphFormatError("", f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _jtype(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if _is_num(value) else type(value).__name__
    )


def _is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _str(value: Any, where: str, required: bool = False) -> str:
    if value is None and required:
        raise GraphFormatError(where, "missing")
    if not isinstance(value, str):
        raise GraphFormatError(where, f"expected a string, got {_jtype(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise GraphFormatError(where, f"expected an array, got {_jtype(value)}")
    return value


def _obj(value: Any, where: str, known: set[str]) -> None:
    if not isinstance(value, dict):
        raise GraphFormatError(where, f"expected an object, got {_jtype(value)}")
    for key in value:
        if key not in known:
            raise GraphFormatError(f"{where}.{key}", f"unknown field (known: {', '.join(sorted(known))})")


def load_graph(source: str | Path) -> Graph:
    """Read a graph JSON file (a path). Raises ``OSError`` or :class:`GraphFormatError`."""
    path = Path(source)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise GraphFormatError("", f"the file is {size:,} bytes; graph files are limited to {MAX_FILE_BYTES:,} bytes")
    return loads(path.read_bytes())
