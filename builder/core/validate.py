"""The validator: every reason Keras would refuse the graph, and what it would build.

``validate(graph)`` never raises. It collects *all* issues (node, port, severity, a stable
code, a Keras-style message), infers every node's output shape and counts the parameters
(a shared layer once), without importing TensorFlow.

Issue codes (stable; tools match on them):

=========================  ========  ===================================================
code                       severity  meaning
=========================  ========  ===================================================
unknown_type               error     the layer type is not in the catalog
invalid_name               error     empty name, or a name Keras refuses (``/``)
duplicate_name             error     two layers share one name
unknown_param              error     a config key the layer does not take
missing_param              error     a required param is not set
bad_param                  error     a param of the wrong type or out of range
missing_input              error     an input port is not connected (or a gap in ports)
too_many_inputs            error     more inputs than the layer takes
cycle                      error     the graph has a cycle; the message lists the path
input_not_listed           error     an Input node missing from ``graph.inputs`` (or the
                                     reverse: a listed node that is not an Input)
no_inputs / no_outputs     error     the model has no input / no output
unused_input               error     a model input that reaches no output
unreachable                warning   a node whose result reaches no output
rank_mismatch              error     a layer got an input of a rank it cannot take
shape_mismatch             error     inputs whose shapes do not agree (merge, reshape...)
window_too_large           error     a kernel or pool window larger than its input
undefined_dim              error     a weight-defining axis is None
bad_axis                   error     an axis out of bounds for the input
shared_layer_mismatch      error     a shared layer called on a shape its weights do not fit
state_mismatch             error     an RNN's initial_state tensors do not fit its units or count
                                     (Keras builds it; fit / predict fail: keras="runtime")
no_such_output             error     an edge or a model output names an output port the call
                                     does not have (e.g. port 1 of an LSTM without return_state)
too_large                  error     the model is absurdly large (refused before allocating)
embedding_swapped          warning   Embedding(output_dim >> input_dim): swapped arguments?
duplicate_output_name      warning   two outputs with one name (a shared layer's calls)
unused_layer               warning   a layer that no node calls
loss_* / unknown_loss      error     training settings Keras would refuse at fit
metrics_mismatch           error     ``metrics`` not one entry per output (Keras 3 fit)
dtype_mismatch             error     a call that cannot run on its input's dtype (strings into
                                     Dense, ints into StringLookup): Keras builds it, data fails
needs_adapt                warning   a preprocessing layer without its vocabulary / statistics:
                                     call adapt() (or set them) before training
channels_first_cpu         warning   a channels_first convolution this machine's TensorFlow
                                     cannot run (probed by the Keras edge; never an error)
=========================  ========  ===================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from . import adapt, dtypes, platform, settings
from .catalog import Catalog, LayerType, catalog, check_param, inner_layer, keras_verdict
from .graph import Graph
from .order import evaluation_order, live_nodes
from .shapes import Call, Result, Shape, ShapeError, fmt, infer

MAX_PARAMS = 2_000_000_000
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# What Keras itself would do with what an issue reports (Issue.keras):
KERAS_BUILD = "build"  # Keras refuses to build the model
KERAS_RUNTIME = "runtime"  # Keras builds it; fit or predict fails as soon as data flows
KERAS_STRICTER = "stricter"  # Keras accepts it; we refuse or warn on purpose
KERAS_VERDICTS = (KERAS_BUILD, KERAS_RUNTIME, KERAS_STRICTER)
KERAS_WORDS = {
    KERAS_BUILD: "Keras refuses to build this model.",
    KERAS_RUNTIME: "Keras builds this, but it fails as soon as data flows (fit or predict).",
    KERAS_STRICTER: "Keras accepts this; the builder flags it on purpose.",
}


@dataclass(frozen=True)
class Issue:
    node: str | None
    port: int | None
    severity: str
    code: str
    message: str
    keras: str = KERAS_BUILD  # one of KERAS_VERDICTS, set where the issue is raised

    def __post_init__(self) -> None:
        if self.keras not in KERAS_VERDICTS:
            raise ValueError(f"Issue.keras must be one of {KERAS_VERDICTS}, not {self.keras!r}")

    @property
    def keras_words(self) -> str:
        """What Keras would do, in words for a person."""
        return KERAS_WORDS[self.keras]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "port": self.port,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "keras": self.keras,
        }


@dataclass(frozen=True)
class Params:
    total: int = 0
    trainable: int = 0
    non_trainable: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"total": self.total, "trainable": self.trainable, "non_trainable": self.non_trainable}


@dataclass
class Report:
    issues: list[Issue]
    shapes: dict[str, Shape | None]
    params: Params
    outputs: list[str]
    order: list[str] = field(default_factory=list)  # topological order (acyclic part)
    layer_params: dict[str, Params] = field(default_factory=dict)  # layer id -> its weights
    builder_node: dict[str, str] = field(default_factory=dict)  # layer id -> node that built it
    output_nodes: list[str] = field(default_factory=list)  # the output node ids, in output order
    # --- multi-output calls (ports11) ---
    # Node -> the shape of each output port, for calls with several outputs (an LSTM with
    # return_state). ``shapes[node]`` stays port 0's shape.
    port_shapes: dict[str, tuple[Shape, ...]] = field(default_factory=dict)
    output_ports: list[int] = field(default_factory=list)  # the output port of each output node

    def shape_of(self, node_id: str, port: int = 0) -> Shape | None:
        """The shape of output ``port`` of a node (None: unknown, or no such port)."""
        multi = self.port_shapes.get(node_id)
        if multi is not None:
            return multi[port] if port < len(multi) else None
        return self.shapes.get(node_id) if port == 0 else None

    def output_shapes(self) -> list[Shape | None]:
        """The shape of every model output, in output order."""
        ports = self.output_ports or [0] * len(self.output_nodes)
        return [self.shape_of(n, p) for n, p in zip(self.output_nodes, ports)]

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def issues_for(self, node_id: str) -> list[Issue]:
        return [i for i in self.issues if i.node == node_id]

    def node_params(self, node_id: str) -> int:
        """Parameters a node owns: its layer's, on the call that built it; 0 on re-uses."""
        owned = self.__dict__.get("_owned")
        if owned is None:
            owned = {nid: self.layer_params[lid].total for lid, nid in self.builder_node.items()}
            self.__dict__["_owned"] = owned
        return owned.get(node_id, 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "issues": [i.to_dict() for i in self.issues],
            "shapes": {k: None if v is None else list(v) for k, v in self.shapes.items()},
            "params": self.params.to_dict(),
            "outputs": list(self.outputs),
            # Unambiguous: two outputs that are calls of one shared layer share a name (Keras names
            # outputs after layers), so the ids and shapes in output order say which is which.
            "output_nodes": list(self.output_nodes),
            "output_shapes": [None if s is None else list(s) for s in self.output_shapes()],
            # Multi-output calls: every output port's shape; the output port of each output.
            "port_shapes": {k: [list(s) for s in v] for k, v in self.port_shapes.items()},
            "output_ports": list(self.output_ports or [0] * len(self.output_nodes)),
        }


_BAD_NAME = re.compile(r"/")
_SHAPE_PRESERVING = {"batchnormalization", "layernormalization", "groupnormalization", "prelu", "normalization_pre"}
# Problems that a layer without input_spec (catalog ``input_spec: false``) only finds when it
# builds: on a later call of the shared layer Keras does not look, and the model fails on data
# (TimeDistributed: any problem of its wrapped layer, which it only builds once).
_UNCHECKED_ON_LATER_CALLS = {"shape_mismatch", "bad_axis", "undefined_dim"}


def validate(graph: Graph, cat: Catalog | None = None) -> Report:
    """Check ``graph`` and infer shapes and parameter counts. Never raises."""
    try:
        return _Validator(graph, cat or catalog()).run()
    except Exception as exc:  # a bug of ours must not take the editor down with it
        return Report(
            issues=[Issue(None, None, "error", "internal_error", f"The validator failed: {type(exc).__name__}: {exc}")],
            shapes={n.id: None for n in graph.nodes},
            params=Params(),
            outputs=graph.output_names(),
            output_nodes=list(graph.outputs),
        )


class _Validator:
    def __init__(self, graph: Graph, cat: Catalog) -> None:
        self.g = graph
        self.cat = cat
        self.issues: list[Issue] = []
        self.broken_layers: set[str] = set()  # layer ids whose config cannot be used
        self.resolved: dict[str, dict[str, Any]] = {}
        self.live: set[str] | None = None  # nodes that reach an output (None: no outputs yet)
        self.port_shapes: dict[str, tuple[Shape, ...]] = {}  # multi-output calls (ports11)

    def add(
        self, node: str | None, port: int | None, severity: str, code: str, message: str, keras: str = KERAS_BUILD
    ) -> None:
        self.issues.append(Issue(node, port, severity, code, message, keras))

    def first_call(self, layer_id: str) -> str | None:
        calls = self.g.calls.get(layer_id) or []
        return calls[0] if calls else None

    # ------------------------------------------------------------------ run
    def run(self) -> Report:
        g = self.g
        self.check_layers()
        self.check_nodes()
        ports_ok = self.check_arity()
        order, _cyclic = self.toposort()
        self.check_io()
        shapes, layer_params, builder = self.infer_shapes(order, ports_ok)
        for p in [
            *dtypes.problems(g, self.cat, [n for n in order if shapes[n] is not None], self.resolved),
            *adapt.problems(g, self.cat, self.resolved, self.live),
        ]:
            self.add(*p)
        outputs = g.output_names()
        self.check_outputs(outputs)
        self.check_output_ports(shapes)
        self.check_platform()
        for p in settings.check(g.training, outputs):
            node = None
            if p.output is not None and p.output in outputs:
                node = g.outputs[outputs.index(p.output)]
            self.add(node, None, p.severity, p.code, p.message, p.keras)
        # Keras drops what reaches no output: count the layers with at least one live call.
        counted = [
            p
            for lid, p in layer_params.items()
            if self.live is None or any(n in self.live for n in g.calls.get(lid, []))
        ]
        trainable = sum(p.trainable for p in counted)
        non_trainable = sum(p.non_trainable for p in counted)
        total = trainable + non_trainable
        if total > MAX_PARAMS:
            self.add(
                None,
                None,
                "error",
                "too_large",
                f"The model would have {total:,} parameters (about {total * 4 / 2**30:,.0f} GiB of float32 "
                f"weights); the builder refuses models over {MAX_PARAMS:,} parameters.",
                KERAS_STRICTER,
            )
        position = {nid: i for i, nid in enumerate(order)}
        self.issues.sort(
            key=lambda i: (_SEVERITY_ORDER.get(i.severity, 3), position.get(i.node or "", -1), i.port or 0)
        )
        return Report(
            issues=self.issues,
            shapes=shapes,
            params=Params(total, trainable, non_trainable),
            outputs=outputs,
            order=order,
            layer_params=layer_params,
            builder_node=builder,
            output_nodes=list(self.g.outputs),
            port_shapes=self.port_shapes,
            output_ports=[p for _, p in g.output_refs()] if g.output_ports else [],
        )

    def check_platform(self) -> None:
        """Warn about what this machine cannot run (only what the Keras edge probed: never guess)."""
        if platform.capabilities().channels_first_conv is not False:
            return
        for node in self.g.nodes:
            layer = self.g.layer_by_id.get(node.layer)
            if (
                layer is None
                or not layer.type.startswith("Conv")
                or layer.config.get("data_format") != "channels_first"
            ):
                continue
            self.add(
                node.id,
                None,
                "warning",
                "channels_first_cpu",
                f"{layer.type} '{layer.name}' uses data_format='channels_first', which this machine's TensorFlow "
                "cannot run (its CPU kernels refused it in a probe; this depends on the CPU and oneDNN). Keras "
                "builds it, but predict and fit fail here: use channels_last, or train on a GPU.",
                KERAS_RUNTIME,
            )

    # ------------------------------------------------------------------ layers and params
    def check_layers(self) -> None:
        g = self.g
        if not isinstance(g.name, str) or not g.name.strip() or _BAD_NAME.search(g.name):
            self.add(
                None,
                None,
                "error",
                "invalid_name",
                f"The model name must be a non-empty string without `/`. Received: name={g.name!r}",
            )
        names: dict[str, str] = {}
        for layer in g.layers:
            where = self.first_call(layer.id)
            if where is None:
                self.add(
                    None,
                    None,
                    "warning",
                    "unused_layer",
                    f"Layer '{layer.name}' is not called by any node.",
                    KERAS_STRICTER,
                )
            if not isinstance(layer.name, str) or not layer.name.strip():
                self.add(where, None, "error", "invalid_name", f"Layer {layer.id!r} has an empty name.")
            elif _BAD_NAME.search(layer.name):
                self.add(
                    where,
                    None,
                    "error",
                    "invalid_name",
                    f"Argument `name` must be a string and cannot contain character `/`. Received: name={layer.name}",
                )
            elif layer.name in names:
                self.add(
                    where,
                    None,
                    "error",
                    "duplicate_name",
                    f"The name '{layer.name}' is used by 2 layers; all layer names should be unique.",
                )
            else:
                names[layer.name] = layer.id
            ltype = self.cat.types.get(layer.type)
            if ltype is None:
                self.broken_layers.add(layer.id)
                self.add(
                    where,
                    None,
                    "error",
                    "unknown_type",
                    f"Layer '{layer.name}' has type {layer.type!r}, which is not in the catalog.",
                )
                continue
            self.check_params(layer.id, layer.name, ltype, layer.config, where)

    def check_params(self, layer_id: str, name: str, ltype: LayerType, config: Any, where: str | None) -> None:
        bad = self.param_issues(f"{ltype.type} layer '{name}'", ltype, config, where)
        resolved = ltype.resolved(dict(config))
        if ltype.type == "Embedding" and not bad:
            i, o = resolved["input_dim"], resolved["output_dim"]
            if o > 8 * i and o >= 1000:
                self.add(
                    where,
                    None,
                    "warning",
                    "embedding_swapped",
                    f"Embedding layer '{name}' maps {i:,} token ids to vectors of {o:,} dims: "
                    f"output_dim is {o / i:,.0f}x input_dim. The arguments are probably swapped "
                    f"(Embedding(input_dim, output_dim)); Keras only fails at fit time, when a token id "
                    f">= {i:,} arrives.",
                    KERAS_RUNTIME,
                )
        if bad:
            self.broken_layers.add(layer_id)
        self.resolved[layer_id] = resolved

    def param_issues(self, what: str, ltype: LayerType, config: Any, where: str | None) -> bool:
        """Report unknown, missing and refused params of ``config`` (a wrapped layer's too); True if any."""
        bad = False
        for key in config:
            if key not in ltype.params:
                bad = True
                self.add(
                    where,
                    None,
                    "error",
                    "unknown_param",
                    f"Unrecognized keyword argument passed to {what}: {{'{key}'}}. It takes: {', '.join(ltype.params)}.",
                )
        for pname, param in ltype.params.items():
            if param.required and config.get(pname) is None:
                bad = True
                self.add(
                    where, None, "error", "missing_param", f"{what}: `{pname}` is required.", param.verdict("missing")
                )
                continue
            if pname not in config:
                continue
            value = config[pname]
            msg = check_param(param, value, self.cat.activations)
            if msg:
                bad = True
                verdict = keras_verdict(param, value, self.cat.activations) or KERAS_BUILD
                refused = self.cat.refused_activations.get(value) if isinstance(value, str) else None
                if refused:
                    verdict, why = refused
                    msg = f"{msg}. {why}"
                self.add(where, None, "error", "bad_param", f"{what}: {msg}", verdict)
            elif param.kind == "layer" and value is not None:
                bad = self.wrapped_issues(what, pname, value, where) or bad
        return bad

    def wrapped_issues(self, what: str, pname: str, value: Any, where: str | None) -> bool:
        """The wrapped layer of a wrapper's ``pname``, checked against its own catalog entry."""
        inner = inner_layer(value)
        assert inner is not None  # check_param refused anything else
        type_name, config = inner
        ltype = self.cat.types.get(type_name)
        if ltype is None or ltype.is_input:
            self.add(
                where,
                None,
                "error",
                "unknown_type",
                f"{what}: `{pname}` has type {type_name!r}, which is not a catalog layer type.",
            )
            return True
        return self.param_issues(f"{what}, its wrapped {type_name}", ltype, config, where)

    def check_nodes(self) -> None:
        for node in self.g.nodes:
            if node.layer not in self.g.layer_by_id:
                self.broken_layers.add(node.layer)
                self.add(
                    node.id,
                    None,
                    "error",
                    "unknown_type",
                    f"Node {node.id!r} calls a layer id {node.layer!r} that does not exist.",
                )

    # ------------------------------------------------------------------ structure
    def ltype(self, node_id: str) -> LayerType | None:
        node = self.g.node_by_id[node_id]
        layer = self.g.layer_by_id.get(node.layer)
        return self.cat.types.get(layer.type) if layer else None

    def check_arity(self) -> set[str]:
        """Arity and port checks; returns the nodes whose inputs are complete."""
        g = self.g
        ok: set[str] = set()
        for node in g.nodes:
            t = self.ltype(node.id)
            edges = g.in_edges.get(node.id, [])
            if t is None:
                continue
            label = g.node_label(node.id)
            ports = [e.port for e in edges]
            complete = True
            if t.max_inputs == 0:
                if edges:
                    self.add(
                        node.id,
                        edges[0].port,
                        "error",
                        "too_many_inputs",
                        f"Input '{label}' is a model input: it cannot take inputs (received {len(edges)}).",
                    )
                ok.add(node.id)
                continue
            n = (max(ports) + 1) if ports else 0
            for missing in sorted(set(range(n)) - set(ports)):
                complete = False
                self.add(
                    node.id,
                    missing,
                    "error",
                    "missing_input",
                    f"{t.type} layer '{label}': input port {missing} is not connected.",
                )
            if n < t.min_inputs:
                complete = False
                got = "nothing" if n == 0 else f"{n} input{'s' if n != 1 else ''}"
                self.add(
                    node.id,
                    n,
                    "error",
                    "missing_input",
                    f"{t.type} layer '{label}' needs {t.arity_text()}; it receives {got}.",
                )
            # ports11: ports after the main inputs are initial_state tensors (checked by the rule)
            most = None if t.max_inputs is None else t.max_inputs + len(t.state_inputs)
            if most is not None and n > most:
                complete = False
                states = f" and an initial_state of {len(t.state_inputs)}" if t.state_inputs else ""
                self.add(
                    node.id,
                    most,
                    "error",
                    "too_many_inputs",
                    f"{t.type} layer '{label}' takes {t.arity_text()}{states}; it receives {n}.",
                )
            if complete:
                ok.add(node.id)
        return ok

    def toposort(self) -> tuple[list[str], set[str]]:
        """Kahn's algorithm. Returns (order of the acyclic part, nodes on or after a cycle)."""
        g = self.g
        indeg = {n.id: 0 for n in g.nodes}
        for e in g.edges:
            if e.target in indeg and e.source in indeg:
                indeg[e.target] += 1
        ready = [n.id for n in g.nodes if indeg[n.id] == 0]
        order: list[str] = []
        i = 0
        while i < len(ready):
            nid = ready[i]
            i += 1
            order.append(nid)
            for e in g.out_edges.get(nid, []):
                if e.target in indeg:
                    indeg[e.target] -= 1
                    if indeg[e.target] == 0:
                        ready.append(e.target)
        if len(order) == len(g.nodes):
            return evaluation_order(g, set(order)), set()
        rest = {nid for nid, d in indeg.items() if d > 0}
        reported: set[str] = set()
        for start in [n.id for n in g.nodes if n.id in rest]:
            if start in reported:
                continue
            cycle = self.find_cycle(start, rest)
            if cycle is None or reported.intersection(cycle):
                continue
            reported.update(cycle)
            path = " -> ".join(g.node_label(n) for n in cycle + [cycle[0]])
            self.add(
                cycle[0],
                None,
                "error",
                "cycle",
                f"Cycle: {path}. A functional model must be a directed acyclic graph; remove one of these edges.",
            )
        return evaluation_order(g, set(order)), rest

    def find_cycle(self, start: str, within: set[str]) -> list[str] | None:
        """A cycle through the nodes of ``within`` reachable from ``start`` (iterative DFS)."""
        g = self.g
        state: dict[str, int] = {}  # 1: on the stack, 2: done
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            nid, i = stack.pop()
            if i == 0:
                state[nid] = 1
                path.append(nid)
            succ = [e.target for e in g.out_edges.get(nid, []) if e.target in within]
            if i < len(succ):
                stack.append((nid, i + 1))
                nxt = succ[i]
                if state.get(nxt) == 1:
                    return path[path.index(nxt) :]
                if nxt not in state:
                    stack.append((nxt, 0))
            else:
                state[nid] = 2
                path.pop()
        return None

    def check_io(self) -> None:
        g = self.g
        listed = set(g.inputs)
        for node in g.nodes:
            t = self.ltype(node.id)
            if t is not None and t.is_input and node.id not in listed:
                self.add(
                    node.id,
                    None,
                    "error",
                    "input_not_listed",
                    f"Input '{g.node_label(node.id)}' is not one of the model's inputs.",
                )
        for nid in g.inputs:
            t = self.ltype(nid) if nid in g.node_by_id else None
            if t is not None and not t.is_input:
                self.add(
                    nid,
                    None,
                    "error",
                    "input_not_listed",
                    f"'{g.node_label(nid)}' is listed as a model input but is a {t.type} layer call, not an Input.",
                )
        if not g.inputs:
            self.add(None, None, "error", "no_inputs", "The model has no inputs: add an Input node.")
        if not g.outputs:
            self.add(
                None, None, "error", "no_outputs", "The model has no outputs: mark at least one node as an output."
            )
            return
        live = self.live = live_nodes(g)
        for node in g.nodes:
            if node.id in live:
                continue
            t = self.ltype(node.id)
            label = g.node_label(node.id)
            if t is not None and t.is_input:
                self.add(
                    node.id,
                    None,
                    "error",
                    "unused_input",
                    f"Input '{label}' is not connected to any output. Keras builds such a model but still "
                    f"requires data for '{label}' at fit and predict time; connect it or delete it.",
                    KERAS_STRICTER,
                )
            else:
                self.add(
                    node.id,
                    None,
                    "warning",
                    "unreachable",
                    f"'{label}' does not reach any model output; Keras drops it from the model.",
                    KERAS_STRICTER,
                )

    def check_outputs(self, outputs: list[str]) -> None:
        seen: dict[str, int] = {}
        for i, name in enumerate(outputs):
            if name in seen:
                self.add(
                    self.g.outputs[i],
                    None,
                    "warning",
                    "duplicate_output_name",
                    f"Outputs {seen[name]} and {i} are both named '{name}' (two calls of one shared layer): "
                    f"losses and data for them can only be given as lists, by position.",
                    KERAS_STRICTER,
                )
            else:
                seen[name] = i

    # ------------------------------------------------------------------ shapes
    def infer_shapes(
        self, order: list[str], ports_ok: set[str]
    ) -> tuple[dict[str, Shape | None], dict[str, Params], dict[str, str]]:
        g = self.g
        shapes: dict[str, Shape | None] = {n.id: None for n in g.nodes}
        built: dict[str, tuple[str, Result]] = {}  # layer id -> (node, result of the building call)
        for nid in order:
            node = g.node_by_id[nid]
            if nid not in ports_ok or node.layer in self.broken_layers:
                continue
            layer = g.layer_by_id[node.layer]
            t = self.cat.types[layer.type]
            in_shapes = [self.source_shape(shapes, e) for e in g.in_edges.get(nid, [])]
            if any(s is None for s in in_shapes):
                continue  # an upstream problem, reported there (or a missing output port)
            first = built.get(layer.id)
            given = in_shapes[0] if in_shapes else None
            if first is not None and given is not None and first[1].spec and not t.type.startswith("DepthwiseConv"):
                # A built layer takes an undefined dim where its weights fix one (Keras'
                # input_spec lets None pass): infer as if the built value were there. Not
                # DepthwiseConv1D/2D: its output channels are computed from the input's, and
                # Keras fails on None there.
                in_shapes = [_fill_spec(given, first[1].spec)] + in_shapes[1:]
            call = Call(g.node_label(nid), t.type, self.resolved[layer.id], in_shapes)  # type: ignore[arg-type]
            try:
                result = infer(t.rule, call)
                if t.rule in _SHAPE_PRESERVING and given is not None and in_shapes[0] != given:
                    result = replace(result, shape=given)  # the output is the input: keep its None
            except ShapeError as exc:
                verdict = exc.keras
                if (
                    first is not None
                    and not t.input_spec
                    and (exc.code in _UNCHECKED_ON_LATER_CALLS or t.rule == "time_distributed")
                ):
                    verdict = KERAS_RUNTIME  # Keras checked this layer's inputs only on its first call
                self.add(nid, exc.port, "error", exc.code, exc.message, verdict)
                continue
            except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError) as exc:
                self.add(nid, None, "error", "bad_param", f"{t.type} layer '{layer.name}' cannot be applied: {exc}")
                continue
            if first is None:
                built[layer.id] = (nid, result)
            elif first[1].ndim is not None and len(in_shapes[0]) != first[1].ndim:
                self.add(
                    nid,
                    0,
                    "error",
                    "shared_layer_mismatch",
                    f"Input 0 of layer '{layer.name}' is incompatible with the layer: expected "
                    f"ndim={first[1].ndim}, found ndim={len(in_shapes[0])}. Full shape received: "
                    f"{fmt(given or ())}. The layer is shared: it was built by its call "
                    f"'{g.node_label(first[0])}'.",
                )
                continue
            elif first[1].weights != result.weights or _spec_differs(first[1], result):
                self.add(
                    nid,
                    0,
                    "error",
                    "shared_layer_mismatch",
                    self.shared_message(layer.name, first, result, given or ()),
                    KERAS_BUILD if t.input_spec else KERAS_RUNTIME,  # without input_spec: fails on data
                )
                continue
            shapes[nid] = result.shape
            if len(result.shapes) > 1:
                self.port_shapes[nid] = result.shapes
        layer_params = {
            lid: Params(r.trainable + r.non_trainable, r.trainable, r.non_trainable) for lid, (_, r) in built.items()
        }
        return shapes, layer_params, {lid: nid for lid, (nid, _) in built.items()}

    # ------------------------------------------------------------------ output ports (ports11)
    def source_shape(self, shapes: dict[str, Shape | None], e: Any) -> Shape | None:
        """The shape an edge carries: output ``e.source_port`` of its source. A port the source
        does not have is reported on the edge's target."""
        if e.source_port == 0 and e.source not in self.port_shapes:
            return shapes.get(e.source)
        if shapes.get(e.source) is None:
            return None
        multi = self.port_shapes.get(e.source, (shapes[e.source],))
        if e.source_port < len(multi):
            return multi[e.source_port]
        self.add(e.target, e.port, "error", "no_such_output", self.no_port_message(e.source, e.source_port))
        return None

    def check_output_ports(self, shapes: dict[str, Shape | None]) -> None:
        for nid, port in self.g.output_refs():
            if port == 0 or shapes.get(nid) is None:
                continue
            if port >= len(self.port_shapes.get(nid, (None,))):
                self.add(nid, None, "error", "no_such_output", "Model output: " + self.no_port_message(nid, port))

    def no_port_message(self, nid: str, port: int) -> str:
        t = self.ltype(nid)
        layer = self.g.layer_of(nid)
        names = t.output_ports(dict(layer.config)) if t else ("output",)
        have = f"{len(names)} output{'s' if len(names) != 1 else ''} ({', '.join(names)})"
        hint = ""
        if t is not None and t.multi_output_when and len(names) == 1:
            hint = f"; set {t.multi_output_when}=True to get {', '.join(t.multi_output_ports)}"
        return f"{t.type if t else layer.type} layer '{self.g.node_label(nid)}' has {have}: there is no output {port}{hint}."

    def shared_message(self, name: str, first: tuple[str, Result], result: Result, shape: Shape) -> str:
        for axis, value in {**first[1].spec, **first[1].fixed}.items():
            got = {**result.spec, **result.fixed}.get(axis)
            if got is not None and got != value:
                return (
                    f"Input 0 of layer '{name}' is incompatible with the layer: expected axis {axis} of input "
                    f"shape to have value {value}, but received input with shape {fmt(shape)}. The layer is "
                    f"shared: its weights were built by its call '{self.g.node_label(first[0])}'."
                )
        w1 = ", ".join(f"{w.name}{fmt(w.shape)}" for w in first[1].weights)
        w2 = ", ".join(f"{w.name}{fmt(w.shape)}" for w in result.weights)
        return (
            f"Input 0 of layer '{name}' is incompatible with the layer: this call would need weights "
            f"[{w2}] but the shared layer was built as [{w1}] by its call '{self.g.node_label(first[0])}'. "
            f"Received input with shape {fmt(shape)}."
        )


def _spec_differs(built: Result, call: Result) -> bool:
    """A later call whose known dims differ from those the building call fixed (``Result.spec``: the
    dims weights depend on; ``Result.fixed``: others, such as ConvLSTM's frame size)."""
    want, got = {**built.spec, **built.fixed}, {**call.spec, **call.fixed}
    return any(axis in got and got[axis] != value for axis, value in want.items())


def _fill_spec(shape: Shape, spec: dict[int, int]) -> Shape:
    out = list(shape)
    for axis, value in spec.items():
        if -len(out) <= axis < len(out) and out[axis] is None:
            out[axis] = value
    return tuple(out)
