"""Keras model configs (``model.to_json()``, ``.keras`` zips) -> Graph, without Keras.

The config is plain JSON: nothing is deserialized into objects, the weights are never read.
Functional configs map ``layers`` / ``inbound_nodes`` / ``input_layers`` / ``output_layers`` to
layers, nodes and edges; a layer with several inbound nodes becomes several nodes of one layer
(sharing preserved). A reference to output k of a call (``keras_history`` ``[name, node, k]``)
becomes an edge from output port k; an RNN's ``initial_state`` call argument becomes its state
input ports. Both the Keras 3 node format (``{"args": [...], "kwargs": {...}}`` with
``keras_history``) and the Keras 2 one (``[[name, node_index, tensor_index, kwargs], ...]``) are
read. Config keys the catalog does not know (dtype policies, ``trainable``...) are dropped, with a
note when they carry a non-default value; values equal to the catalog's Keras defaults are
omitted so the graph stays readable.
"""

from __future__ import annotations

import heapq
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.catalog import catalog
from ..core.graph import MAX_NODES, MAX_PORT, Edge, Graph, Layer, Node
from ..errors import GraphImportError
from .common import (
    LOSS_CLASSES,
    MAX_CONFIG_BYTES,
    IdAllocator,
    ImportNote,
    ImportResult,
    class_to_type,
    equals_default,
    is_custom_class,
    keras_snake,
    normalize_value,
    parse_json,
    round_float,
    tuplify,
    unsupported_class_message,
)

# Non-catalog config keys: dropped silently when they hold these (Keras default) values.
_SILENT_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "trainable": (True,),
    "ragged": (False, None),
    "optional": (False, None),
    "quantization_config": (None,),
    "lora_rank": (None,),
    "lora_alpha": (None,),
    "renorm": (False,),
    "renorm_clipping": (None,),
    "renorm_momentum": (0.99,),
    "input_length": (None,),
    "implementation": (1, 2),
    "time_major": (False,),
    "fused": (None, True),
    "virtual_batch_size": (None,),
    "adjustment": (None,),
    "return_state": (False,),
    "zero_output_for_mask": (False,),
}
_ALWAYS_DROP = {"name", "dtype", "batch_input_shape", "input_shape", "batch_shape", "build_config"}


def import_keras_file(source: str | Path | bytes, *, name: str | None = None) -> ImportResult:
    try:
        handle: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
        with zipfile.ZipFile(handle) as zf:
            try:
                info = zf.getinfo("config.json")
            except KeyError:
                raise GraphImportError("not a .keras file: the archive has no config.json") from None
            if info.file_size > MAX_CONFIG_BYTES:
                raise GraphImportError(
                    f"config.json is {info.file_size:,} bytes uncompressed; limit {MAX_CONFIG_BYTES:,}"
                )
            with zf.open(info) as fh:
                data = fh.read(MAX_CONFIG_BYTES + 1)
            if len(data) > MAX_CONFIG_BYTES:
                raise GraphImportError(f"config.json is larger than {MAX_CONFIG_BYTES:,} bytes")
    except zipfile.BadZipFile:
        raise GraphImportError(
            "not a .keras file (not a zip archive); Keras 2 HDF5 files are not supported: re-save as .keras"
        ) from None
    except FileNotFoundError:
        raise GraphImportError("no such file") from None
    except OSError as exc:
        raise GraphImportError(f"cannot read the .keras file: {exc.strerror or exc}") from None
    result = import_keras_json(parse_json(data, "config.json", MAX_CONFIG_BYTES), name=name)
    return ImportResult(result.graph, result.notes, "keras-file")


def import_keras_json(source: str | bytes | Mapping[str, Any], *, name: str | None = None) -> ImportResult:
    doc = source if isinstance(source, Mapping) else parse_json(source, "the Keras JSON")
    if not isinstance(doc, Mapping) or "class_name" not in doc or not isinstance(doc.get("config"), Mapping):
        raise GraphImportError(
            "not a Keras model config: expected an object with 'class_name' and 'config' (model.to_json())"
        )
    return _KerasImporter(name).run(doc)


class _KerasImporter:
    def __init__(self, name: str | None) -> None:
        self.default_name = name
        self.notes: list[ImportNote] = []
        self.ids = IdAllocator()
        self.layers: list[Layer] = []
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.layer_id: dict[str, str] = {}  # keras layer name -> layer id
        self.node_of: dict[tuple[str, int], str] = {}  # (keras layer name, node index) -> node id
        self.called: set[str] = set()  # layer ids with a node already (the first node's id is the layer id)
        self.types: dict[str, str] = {}  # keras layer name -> catalog type
        self.output_ports: list[int] = []  # the tensor index of each model output

    def note(self, message: str) -> None:
        self.notes.append(ImportNote(message))

    def run(self, doc: Mapping[str, Any]) -> ImportResult:
        cls = doc["class_name"]
        config = doc["config"]
        if cls == "Sequential":
            inputs, outputs = self.sequential(config)
        elif cls in ("Functional", "Model") or "layers" in config and "input_layers" in config:
            inputs, outputs = self.functional(config)
        else:
            raise GraphImportError(
                f"the config describes a {cls!r}, not a functional or Sequential model "
                "(subclassed models have no graph to import)"
            )
        mname = config.get("name") if isinstance(config.get("name"), str) else None
        graph = Graph(
            layers=tuple(self.layers),
            nodes=tuple(self.nodes),
            edges=tuple(self.edges),
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            output_ports=tuple(self.output_ports) if any(self.output_ports) else (),
            name=self.default_name or mname or "model",
            training=tuplify(self.training(doc.get("compile_config"))),
        )
        return ImportResult(graph, tuple(self.notes), "keras-json")

    # ------------------------------------------------------------------ layers
    def add_layer(self, spec: Any, where: str) -> tuple[str, str]:
        """Create the graph layer for one Keras layer spec; returns (keras name, catalog type)."""
        if not isinstance(spec, Mapping) or not isinstance(spec.get("class_name"), str):
            raise GraphImportError(f"{where}: expected a layer object with a 'class_name'")
        cls = spec["class_name"]
        config = spec.get("config") if isinstance(spec.get("config"), Mapping) else {}
        lname = spec.get("name") if isinstance(spec.get("name"), str) else config.get("name")
        if not isinstance(lname, str) or not lname:
            raise GraphImportError(f"{where}: the {cls} layer has no name")
        if lname in self.layer_id:
            raise GraphImportError(f"{where}: two layers are named {lname!r}")
        registered = spec.get("registered_name")
        module = spec.get("module")
        registered = registered if isinstance(registered, str) else None
        module = module if isinstance(module, str) else None
        ltype = class_to_type(cls)
        if ltype is None or is_custom_class(cls, registered, module):
            # Refused, custom or not yet covered: named, with the reason; nothing is deserialized.
            raise GraphImportError(unsupported_class_message(cls, lname, registered=registered, module=module))
        cfg = self.layer_config(ltype, lname, cls, config)
        lid = self.ids.new(lname)
        self.layers.append(Layer(lid, lname, ltype, cfg))
        self.layer_id[lname] = lid
        return lname, ltype

    def layer_config(self, ltype: str, lname: str, cls: str, config: Mapping[str, Any]) -> dict[str, Any]:
        t = catalog()[ltype]
        if ltype == "Input":
            return self.input_config(lname, config)
        out: dict[str, Any] = {}
        renamed = dict(t.renamed)
        for key, value in config.items():
            if key in renamed and renamed[key] not in config:
                self.note(
                    f"layer '{lname}' ({cls}): the Keras 2 argument `{key}` is `{renamed[key]}` in Keras 3 (renamed)"
                )
                key = renamed[key]
            if key in t.params and t.params[key].kind == "layer" and value is not None:
                out[key] = self.wrapped(lname, key, value, ltype)
            elif key in t.params:
                v = normalize_value(t.params[key].kind, value)
                if not equals_default(t, key, v):
                    out[key] = v
            elif key in _ALWAYS_DROP:
                if key == "dtype":
                    self.check_dtype(lname, value)
            elif value in _SILENT_DEFAULTS.get(key, (None,)):
                continue
            elif key == "trainable":
                self.note(
                    f"layer '{lname}' is frozen (trainable=False); the builder has no trainable flag, so its "
                    "weights are counted as trainable"
                )
            else:
                self.note(f"layer '{lname}' ({cls}): dropped {key}={value!r} (not a parameter the builder knows)")
        if ltype == "Bidirectional" and out.get("backward_layer") is not None:
            # Keras saves the backward copy it made; keep it only when it is not that copy.
            forward = out["layer"]
            made = {**forward["config"], "go_backwards": not forward["config"].get("go_backwards", False)}
            inner_t = catalog()[forward["type"]]
            made = {k: v for k, v in made.items() if not equals_default(inner_t, k, v)}
            if out["backward_layer"] == {"type": forward["type"], "config": made}:
                del out["backward_layer"]
        return out

    def wrapped(self, lname: str, key: str, spec: Any, wrapper: str) -> dict[str, Any]:
        """A wrapper's inner layer: ``{"type", "config"}`` (its own name dropped: the wrapper names it)."""
        if not isinstance(spec, Mapping) or not isinstance(spec.get("class_name"), str):
            raise GraphImportError(f"layer '{lname}': `{key}` is not a layer object")
        cls = spec["class_name"]
        inner_type = class_to_type(cls)
        if inner_type is None or inner_type == "Input":
            raise GraphImportError(unsupported_class_message(cls, f"{lname}.{key}"))
        config = spec.get("config") if isinstance(spec.get("config"), Mapping) else {}
        if wrapper == "Bidirectional":  # Bidirectional sets it to return_sequences itself
            config = {k: v for k, v in config.items() if k != "zero_output_for_mask"}
        return {"type": inner_type, "config": self.layer_config(inner_type, f"{lname}.{key}", cls, config)}

    def check_dtype(self, lname: str, value: Any) -> None:
        policy = value
        if isinstance(value, Mapping):
            inner = value.get("config")
            policy = inner.get("name") if isinstance(inner, Mapping) else None
        if policy not in (None, "float32"):
            self.note(f"layer '{lname}': dropped dtype policy {policy!r} (the builder assumes float32)")

    def input_config(self, lname: str, config: Mapping[str, Any]) -> dict[str, Any]:
        shape = config.get("batch_shape", config.get("batch_input_shape"))
        if isinstance(shape, list) and shape:
            batch, dims = shape[0], shape[1:]
        else:
            shape = config.get("shape", config.get("input_shape"))
            if not isinstance(shape, list):
                raise GraphImportError(f"input '{lname}' has no shape in its config")
            batch, dims = config.get("batch_size"), shape
        out: dict[str, Any] = {"shape": tuple(dims)}
        dtype = config.get("dtype")
        if isinstance(dtype, Mapping):
            inner = dtype.get("config")
            dtype = inner.get("name") if isinstance(inner, Mapping) else None
        if dtype not in (None, "float32"):
            out["dtype"] = dtype
        if batch is not None:
            out["batch_size"] = batch
        if config.get("sparse"):
            out["sparse"] = True
        if config.get("ragged"):
            self.note(f"input '{lname}': ragged=True dropped (not supported)")
        return out

    def add_node(self, lname: str, index: int, sources: list[tuple[str, int]]) -> str:
        """A call of ``lname`` on ``sources`` (node id, output port), in port order."""
        lid = self.layer_id[lname]
        nid = lid if lid not in self.called else self.ids.new(f"{lid}_call")
        self.called.add(lid)
        self.nodes.append(Node(nid, lid))
        self.node_of[(lname, index)] = nid
        self.edges.extend(Edge(src, nid, port, sport) for port, (src, sport) in enumerate(sources))
        return nid

    # ------------------------------------------------------------------ functional
    def functional(self, config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
        specs = config.get("layers")
        if not isinstance(specs, list) or not specs:
            raise GraphImportError("the model config has no layers")
        if len(specs) > MAX_NODES:
            raise GraphImportError(f"the model has more than {MAX_NODES:,} layers")
        pending: list[tuple[str, str, list[Any]]] = []  # (keras name, type, inbound nodes)
        for i, spec in enumerate(specs):
            lname, ltype = self.add_layer(spec, f"layers[{i}]")
            self.types[lname] = ltype
            inbound = spec.get("inbound_nodes") or []
            if not isinstance(inbound, list):
                raise GraphImportError(f"layer '{lname}': inbound_nodes must be a list")
            if ltype == "Input":
                if inbound and any(self.parse_node(lname, n) for n in inbound):
                    raise GraphImportError(f"input '{lname}' has inbound nodes")
                self.add_node(lname, 0, [])
                continue
            pending.append((lname, ltype, inbound))
        # Resolve nodes in dependency order (a shared layer's later calls may use later layers): Kahn's
        # algorithm over (layer, node index) keys, in the config's order wherever the order is free.
        todo = [(lname, k, self.parse_node(lname, n)) for lname, _, nodes in pending for k, n in enumerate(nodes)]
        if len(todo) + len(self.nodes) > MAX_NODES:
            raise GraphImportError(f"the model has more than {MAX_NODES:,} layer calls")
        waiting: dict[tuple[str, int], list[int]] = {}
        missing_count = []
        for i, (_, _, history) in enumerate(todo):
            unresolved = {key[:2] for key in history if key[:2] not in self.node_of}
            missing_count.append(len(unresolved))
            for key in unresolved:
                waiting.setdefault(key, []).append(i)
        ready = [i for i, n in enumerate(missing_count) if n == 0]
        heapq.heapify(ready)
        done = 0
        while ready:
            i = heapq.heappop(ready)
            lname, k, history = todo[i]
            self.add_node(lname, k, [(self.node_of[key[:2]], key[2]) for key in history])
            done += 1
            for j in waiting.pop((lname, k), []):
                missing_count[j] -= 1
                if missing_count[j] == 0:
                    heapq.heappush(ready, j)
        if done < len(todo):
            lname, _, history = next(t for i, t in enumerate(todo) if missing_count[i] > 0)
            missing = [f"{s}[{i}]" for s, i, _ in history if (s, i) not in self.node_of]
            raise GraphImportError(
                f"layer '{lname}' is called on {', '.join(missing)}, which no layer in the config produces "
                "(or the calls form a cycle)"
            )
        inputs = [self.endpoint(e, "input_layers")[0] for e in _endpoints(config.get("input_layers"), "input_layers")]
        refs = [self.endpoint(e, "output_layers") for e in _endpoints(config.get("output_layers"), "output_layers")]
        if len(set(refs)) != len(refs):
            raise GraphImportError("the model lists one output tensor twice; the builder needs distinct outputs")
        self.output_ports = [p for _, p in refs]
        return inputs, [nid for nid, _ in refs]

    def endpoint(self, ref: Any, where: str) -> tuple[str, int]:
        """``[layer_name, node_index, tensor_index]`` -> (node id, output port)."""
        if not (isinstance(ref, list) and len(ref) >= 2 and isinstance(ref[0], str) and isinstance(ref[1], int)):
            raise GraphImportError(f"{where}: expected [layer_name, node_index, tensor_index], got {ref!r}")
        port = ref[2] if len(ref) > 2 and ref[2] is not None else 0
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= MAX_PORT:
            raise GraphImportError(f"{where}: bad tensor index {port!r} of layer '{ref[0]}'")
        nid = self.node_of.get((ref[0], ref[1]))
        if nid is None:
            raise GraphImportError(f"{where}: no node {ref[1]} of a layer named {ref[0]!r}")
        return nid, port

    def parse_node(self, lname: str, node: Any) -> list[tuple[str, int, int]]:
        """The (layer name, node index, tensor index) triples feeding one call, in port order (an
        RNN's ``initial_state`` tensors after its sequence)."""
        type_name = self.types.get(lname)
        ports = catalog()[type_name].call_ports if type_name in catalog() else ()
        if isinstance(node, Mapping) and ports:  # mha(query, value, key=...): tensors by position or name
            args = list(node.get("args") or [])
            kwargs = dict(node.get("kwargs") or {})
            if len(args) > len(ports):
                raise GraphImportError(
                    f"layer '{lname}' is called with {len(args)} tensors; it takes {', '.join(ports)}"
                )
            given = dict(zip(ports, args))
            for port in ports:
                if port in kwargs and kwargs[port] is not None:
                    given[port] = kwargs.pop(port)
            used = [p for p in ports if given.get(p) is not None]
            if list(ports[: len(used)]) != used:
                raise GraphImportError(
                    f"layer '{lname}' is called with {', '.join(used)}; a port before them is missing"
                )
            node = {"args": [[given[p] for p in used]], "kwargs": kwargs}
        if isinstance(node, Mapping):  # Keras 3
            args = node.get("args") or []
            kwargs = dict(node.get("kwargs") or {})
            ltype = catalog()[self.types[lname]]
            states: list[Any] = []
            if ltype.state_inputs and _has_tensor(kwargs.get("initial_state")):
                value = kwargs.pop("initial_state")
                states = list(value) if isinstance(value, list) else [value]
            for key in sorted(ltype.call_params & set(kwargs)):  # e.g. return_attention_scores
                value = normalize_value(ltype.params[key].kind, kwargs.pop(key))
                if not equals_default(ltype, key, value):
                    self.set_call_param(lname, key, value)
            tensors: list[Any] = []
            if args:
                first = args[0]
                tensors = list(first) if isinstance(first, list) else [first]
                if any(_has_tensor(a) for a in args[1:]):
                    raise GraphImportError(f"layer '{lname}' is called with several tensor arguments; not supported")
            if _has_tensor(kwargs):
                keys = [k for k, v in kwargs.items() if _has_tensor(v)]
                raise GraphImportError(
                    f"layer '{lname}' is called with tensor keyword arguments {keys} (masks or initial states); "
                    "not supported"
                )
            for key, value in kwargs.items():
                if value is False and key in ("use_causal_mask", "return_attention_scores"):
                    continue  # their defaults
                if value is not None and key not in ("mask", "training"):
                    self.note(f"layer '{lname}': call argument {key}={value!r} dropped")
            out = []
            for t in tensors + states:
                hist = t.get("config", {}).get("keras_history") if isinstance(t, Mapping) else None
                if not (isinstance(hist, list) and len(hist) == 3):
                    raise GraphImportError(f"layer '{lname}': an input is not a Keras tensor reference: {t!r}"[:300])
                out.append(self.history(lname, hist))
            return out
        if isinstance(node, list):  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
            out = []
            for item in node:
                if not (isinstance(item, list) and len(item) >= 3):
                    raise GraphImportError(f"layer '{lname}': cannot read inbound node {item!r}"[:300])
                if len(item) > 3 and item[3]:
                    self.note(f"layer '{lname}': call arguments {item[3]!r} dropped")
                out.append(self.history(lname, item[:3]))
            return out
        raise GraphImportError(f"layer '{lname}': cannot read inbound node {node!r}"[:300])

    def history(self, lname: str, hist: list[Any]) -> tuple[str, int, int]:
        src, idx, tensor = hist
        tensor = 0 if tensor is None else tensor
        if (
            not isinstance(src, str)
            or not isinstance(idx, int)
            or isinstance(tensor, bool)
            or not isinstance(tensor, int)
            or not 0 <= tensor <= MAX_PORT
        ):
            raise GraphImportError(f"layer '{lname}': bad tensor reference {hist!r}")
        return src, idx, tensor

    def set_call_param(self, lname: str, key: str, value: Any) -> None:
        """A call argument the catalog keeps in the layer's config (one value for all its calls)."""
        lid = self.layer_id[lname]
        for i, layer in enumerate(self.layers):
            if layer.id == lid:
                if key in layer.config and layer.config[key] != value:
                    raise GraphImportError(f"layer '{lname}' is called with two values of `{key}`; not supported")
                self.layers[i] = Layer(layer.id, layer.name, layer.type, {**layer.config, key: tuplify(value)})

    # ------------------------------------------------------------------ sequential
    def sequential(self, config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
        specs = config.get("layers")
        if not isinstance(specs, list) or not specs:
            raise GraphImportError("the Sequential config has no layers")
        specs = list(specs)
        first = specs[0] if isinstance(specs[0], Mapping) else {}
        if first.get("class_name") != "InputLayer":
            fcfg = first.get("config") if isinstance(first.get("config"), Mapping) else {}
            shape = fcfg.get("batch_input_shape") or fcfg.get("batch_shape") or config.get("build_input_shape")
            if not isinstance(shape, list) or not shape:
                raise GraphImportError(
                    "the Sequential model has no input shape (it was never built): add keras.Input(shape=...) "
                    "as its first layer"
                )
            in_name = "input_layer"
            specs.insert(
                0,
                {"class_name": "InputLayer", "config": {"batch_shape": shape, "name": in_name}, "name": in_name},
            )
        prev: str | None = None
        inputs: list[str] = []
        for i, spec in enumerate(specs):
            lname, ltype = self.add_layer(spec, f"layers[{i}]")
            if ltype == "Input":
                if prev is not None:
                    raise GraphImportError(f"layers[{i}]: an InputLayer after the first layer of a Sequential model")
                prev = self.add_node(lname, 0, [])
                inputs.append(prev)
                continue
            assert prev is not None
            prev = self.add_node(lname, 0, [(prev, 0)])
        assert prev is not None
        return inputs, [prev]

    # ------------------------------------------------------------------ training
    def training(self, cc: Any) -> dict[str, Any] | None:
        if not isinstance(cc, Mapping):
            return None
        out: dict[str, Any] = {}
        opt = cc.get("optimizer")
        if isinstance(opt, str):
            out["optimizer"] = opt.lower()
        elif isinstance(opt, Mapping) and isinstance(opt.get("class_name"), str):
            out["optimizer"] = opt["class_name"].lower()
            lr = (opt.get("config") or {}).get("learning_rate")
            if isinstance(lr, float | int) and not isinstance(lr, bool):
                out["learning_rate"] = round_float(float(lr))
        loss = _loss_value(cc.get("loss"))
        if loss is not None:
            out["loss"] = loss
        weights = cc.get("loss_weights")
        if weights is not None:
            out["loss_weights"] = weights
        metrics = cc.get("metrics")
        if isinstance(metrics, list) and all(isinstance(m, str) for m in metrics):
            out["metrics"] = metrics
        return out or None


def _loss_value(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_loss_value(v) for v in value]
    if isinstance(value, Mapping) and "class_name" in value and "config" in value:
        cls = value["class_name"]
        return LOSS_CLASSES.get(cls, keras_snake(cls) if isinstance(cls, str) else repr(cls))
    if isinstance(value, Mapping):
        return {k: _loss_value(v) for k, v in value.items()}
    return repr(value)


def _endpoints(value: Any, where: str) -> list[Any]:
    """``input_layers`` / ``output_layers``: one triple, a list of triples, or a dict of them."""
    if isinstance(value, Mapping):
        value = list(value.values())
    if not isinstance(value, list) or not value:
        raise GraphImportError(f"the model config has no {where}")
    if isinstance(value[0], str):
        return [value]
    return value


def _has_tensor(value: Any) -> bool:
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            return True
        return any(_has_tensor(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_tensor(v) for v in value)
    return False
