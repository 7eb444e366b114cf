"""Random graphs over the whole catalog, and the differential check of our validator against Keras.

``random_graph(rng)`` draws one small graph (at most 12 nodes, dims at most 16) from a
``random.Random``: random layer types, params inside and at the edges of their ranges, fan-in
and fan-out, shared layers (a second call of an existing layer), several inputs and outputs,
``None`` dims. Most graphs are valid; about a quarter are steered towards one error (rank errors,
merge mismatches, windows too large, shared-layer mismatches, bad params). ``graphs()`` wraps it
as a hypothesis strategy (hypothesis drives the ``Random``, so failures shrink and replay).

``compare(graph)`` runs our validator and builds the same graph directly in Keras, layer by layer
(independent of ``builder.keras_edge.build``), and returns an :class:`Outcome`: ``agree``, ``stricter``
(we report an error Keras only hits at fit or predict time, or a documented cap) or a
disagreement category.

This module imports Keras only inside :func:`keras_build` (so the generator is cheap to import).
"""

from __future__ import annotations

import importlib
import json
import math
import os
import pkgutil
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.core.catalog import catalog
from builder.core.graph import Graph, from_dict
from builder.core.order import evaluation_order
from builder.core.validate import Issue, Report, validate

MAX_NODES = 12
MAX_DIM = 16

ACTIVATIONS = catalog().activations
# The rank (batch axis included) each type needs; None: any rank >= 2.
_RANK = {
    "Dense": None,
    "Embedding": None,
    "LSTM": 3,
    "GRU": 3,
    "SimpleRNN": 3,
    "Conv1D": 3,
    "MaxPooling1D": 3,
    "AveragePooling1D": 3,
    "GlobalMaxPooling1D": 3,
    "GlobalAveragePooling1D": 3,
    "Conv2D": 4,
    "DepthwiseConv2D": 4,
    "MaxPooling2D": 4,
    "AveragePooling2D": 4,
    "GlobalMaxPooling2D": 4,
    "GlobalAveragePooling2D": 4,
    "ZeroPadding2D": 4,
    "UpSampling2D": 4,
}
_MERGES = ("Concatenate", "Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract")
# Weights of the non-Input types (how often each is drawn).
_WEIGHTS = {t: 1.0 for t in catalog().types if t != "Input"}
_WEIGHTS.update({"Dense": 3.0, "Concatenate": 2.0, "Add": 2.0, "Conv2D": 2.0, "Conv1D": 2.0, "LSTM": 1.5})


# --------------------------------------------------------------------------- params


def _dim(rng: random.Random, lo: int = 1, hi: int = MAX_DIM) -> int:
    """A size, often at an edge of [lo, hi]."""
    r = rng.random()
    if r < 0.15:
        return lo
    if r < 0.25:
        return hi
    return rng.randint(lo, hi)


def _side_rng(seed: str) -> random.Random:
    """A generator for draws added later, seeded from what was drawn so far (a str seed is hashed
    with SHA-512: the same in every process) without advancing the main one, so that every
    earlier seed still makes the graph it made before (regression cases stay valid)."""
    return random.Random(seed)


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _window(rng: random.Random, size: int | None) -> int:
    """A kernel or pool size: mostly fits ``size``, sometimes exactly ``size``, sometimes one more."""
    if size is None:
        return rng.randint(1, 5)
    r = rng.random()
    if r < 0.1:
        return size
    if r < 0.18:
        return size + 1
    return rng.randint(1, max(1, min(size, 5)))


def _int_or_tuple(rng: random.Random, values: list[int]) -> Any:
    if len(values) == 1:
        return values[0] if _maybe(rng, 0.8) else [values[0]]
    if len(set(values)) == 1 and _maybe(rng, 0.6):
        return values[0]
    return list(values)


def _activation(rng: random.Random) -> str | None:
    return None if _maybe(rng, 0.5) else rng.choice(ACTIVATIONS)


def _factor(rng: random.Random, n: int) -> list[int]:
    """A random factorisation of n into 1 to 3 factors."""
    out = []
    for _ in range(rng.randint(0, 2)):
        divs = [d for d in range(1, n + 1) if n % d == 0]
        d = rng.choice(divs)
        out.append(d)
        n //= d
    out.append(n)
    rng.shuffle(out)
    return out


def _extra_configs() -> dict[str, Callable[[random.Random, tuple[int | None, ...]], dict[str, Any]]]:
    """Config makers of the modules in tests/fuzz/configs/ (one per catalog category): each has
    ``CONFIGS = {type: maker(rng, x) -> config}``, for types that random_config does not know."""
    out: dict[str, Callable[[random.Random, tuple[int | None, ...]], dict[str, Any]]] = {}
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).with_name("configs"))])):
        table = importlib.import_module(f"tests.fuzz.configs.{module.name}").CONFIGS
        clash = set(out) & set(table)
        if clash:
            raise AssertionError(f"fuzz configs defined twice: {sorted(clash)}")
        out.update(table)
    return out


EXTRA_CONFIGS = _extra_configs()


def _extra_tables(name: str) -> list[Any]:
    """The optional ``RANKS`` (type -> input rank) / ``INPUTS`` (types drawn with several inputs)
    of the modules in tests/fuzz/configs/."""
    modules = sorted(pkgutil.iter_modules([str(Path(__file__).with_name("configs"))]), key=lambda m: m.name)
    return [getattr(importlib.import_module(f"tests.fuzz.configs.{m.name}"), name, None) for m in modules]


for _ranks in _extra_tables("RANKS"):
    _RANK.update(_ranks or {})
# Types called on several inputs other than the merges: between the catalog's min and max (3 at most).
_MULTI: tuple[str, ...] = tuple(t for table in _extra_tables("INPUTS") for t in table or ())


def random_config(rng: random.Random, type_name: str, x: tuple[int | None, ...] | None) -> dict[str, Any]:
    """A config for ``type_name`` that mostly fits the input shape ``x`` (batch axis first)."""
    x = x or (None, 8)
    rank = len(x)
    last = x[-1]
    cfg: dict[str, Any] = {}
    t = type_name
    if t == "Dense":
        cfg["units"] = _dim(rng)
        if _maybe(rng, 0.5):
            cfg["activation"] = _activation(rng)
        if _maybe(rng, 0.2):
            cfg["use_bias"] = False
    elif t == "Embedding":
        cfg["input_dim"] = _dim(rng, 1, 50)
        cfg["output_dim"] = _dim(rng)
        if _maybe(rng, 0.2):
            cfg["mask_zero"] = True
    elif t in ("LSTM", "GRU", "SimpleRNN"):
        cfg["units"] = _dim(rng, 1, 8)
        if _maybe(rng, 0.5):
            cfg["return_sequences"] = True
        for key, p in (("go_backwards", 0.15), ("use_bias", 0.15)):
            if _maybe(rng, p):
                cfg[key] = key != "use_bias"
        if _maybe(rng, 0.2):
            cfg["dropout"] = rng.choice([0.0, 0.5, 1.0])
        if _maybe(rng, 0.1):
            cfg["recurrent_dropout"] = rng.choice([0.0, 0.3])
        if t == "GRU" and _maybe(rng, 0.3):
            cfg["reset_after"] = False
        if _maybe(rng, 0.08):
            cfg["unroll"] = True
        if _maybe(rng, 0.04):
            cfg["stateful"] = True
        if _maybe(_side_rng(f"return_state {t} {x} {sorted(cfg.items())}"), 0.15):
            # Several outputs (output, then the states); the generator wires output 0 only.
            cfg["return_state"] = True
        if _maybe(rng, 0.2):
            # None (Keras: linear) is a known disagreement: see KNOWN_BUGS.
            cfg["activation"] = None if _maybe(rng, 0.1) else rng.choice(ACTIVATIONS)
    elif t == "Dropout":
        cfg["rate"] = rng.choice([0.0, 0.1, 0.5, 1.0])
    elif t == "Flatten":
        pass
    elif t == "Reshape":
        rest = x[1:]
        if None in rest or _maybe(rng, 0.1):
            target: list[int] = [rng.randint(1, 8) for _ in range(rng.randint(1, 3))]
        else:
            target = _factor(rng, math.prod(rest))  # type: ignore[arg-type]
        if _maybe(rng, 0.4):
            target[rng.randrange(len(target))] = -1
        cfg["target_shape"] = target
    elif t == "Activation":
        cfg["activation"] = rng.choice(ACTIVATIONS)
    elif t in ("BatchNormalization", "LayerNormalization"):
        if _maybe(rng, 0.4):
            cfg["axis"] = rng.randint(-rank - 1, rank)
        for key in ("center", "scale"):
            if _maybe(rng, 0.2):
                cfg[key] = False
        if t == "BatchNormalization" and _maybe(rng, 0.2):
            cfg["momentum"] = rng.choice([0.0, 0.9, 1.0])
        if t == "LayerNormalization" and _maybe(rng, 0.1):
            cfg["rms_scaling"] = True
        if _maybe(rng, 0.1):
            cfg["epsilon"] = rng.choice([0.0, 1e-5, 1.0])
    elif t == "Concatenate":
        if _maybe(rng, 0.3):
            cfg["axis"] = rng.choice([0, 1, -2, 2, rank - 1, -rank, rank])
    elif t in ("Conv1D", "Conv2D", "DepthwiseConv2D"):
        r = 2 if t.endswith("2D") else 1
        spatial = list(x[1 : 1 + r]) if rank == r + 2 else [None] * r
        padding = rng.choice(["valid", "same", "causal"] if r == 1 else ["valid", "same"])
        if _maybe(rng, 0.03):
            padding = "causal"
        kernel = [_window(rng, s) for s in spatial]
        strides = [1] * r if _maybe(rng, 0.5) else [rng.randint(1, 3) for _ in range(r)]
        dilation = [1] * r if _maybe(rng, 0.7) else [rng.randint(1, 2) for _ in range(r)]
        if t != "DepthwiseConv2D":
            cfg["filters"] = _dim(rng, 1, 8)
        cfg["kernel_size"] = _int_or_tuple(rng, kernel)
        if strides != [1] * r or _maybe(rng, 0.1):
            cfg["strides"] = _int_or_tuple(rng, strides)
        if padding != "valid" or _maybe(rng, 0.2):
            cfg["padding"] = padding
        if dilation != [1] * r:
            cfg["dilation_rate"] = _int_or_tuple(rng, dilation)
        if t == "DepthwiseConv2D":
            if _maybe(rng, 0.4):
                cfg["depth_multiplier"] = rng.randint(1, 3)
        elif _maybe(rng, 0.15) and isinstance(last, int):
            divs = [g for g in range(1, last + 1) if last % g == 0 and cfg["filters"] % g == 0]
            cfg["groups"] = rng.choice(divs) if _maybe(rng, 0.8) else rng.randint(2, 4)
        if _maybe(rng, 0.3):
            cfg["activation"] = _activation(rng)
        if _maybe(rng, 0.15):
            cfg["use_bias"] = False
    elif t in ("MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D"):
        r = 2 if t.endswith("2D") else 1
        spatial = list(x[1 : 1 + r]) if rank == r + 2 else [None] * r
        if t.startswith("Average") or _maybe(rng, 0.6):
            cfg["pool_size"] = _int_or_tuple(rng, [_window(rng, s) for s in spatial])
        if _maybe(rng, 0.4):
            cfg["strides"] = _int_or_tuple(rng, [rng.randint(1, 3) for _ in range(r)])
        if _maybe(rng, 0.4):
            cfg["padding"] = rng.choice(["valid", "same"])
    elif t.startswith("Global"):
        if _maybe(rng, 0.3):
            cfg["keepdims"] = True
    elif t == "ZeroPadding2D":
        form = rng.randrange(4)
        if form == 1:
            cfg["padding"] = rng.randint(0, 3)
        elif form == 2:
            cfg["padding"] = [rng.randint(0, 3), rng.randint(0, 3)]
        elif form == 3:
            cfg["padding"] = [[rng.randint(0, 2), rng.randint(0, 2)], [rng.randint(0, 2), rng.randint(0, 2)]]
    elif t == "UpSampling2D":
        if _maybe(rng, 0.6):
            cfg["size"] = _int_or_tuple(rng, [rng.randint(1, 3), rng.randint(1, 3)])
        if _maybe(rng, 0.2):
            cfg["interpolation"] = rng.choice(["nearest", "bilinear"])
    elif t == "ReLU":
        if _maybe(rng, 0.3):
            cfg["max_value"] = rng.choice([0.0, 1.0, 6.0])
        if _maybe(rng, 0.3):
            cfg["negative_slope"] = rng.choice([0.0, 0.1, 1.0])
        if _maybe(rng, 0.2):
            cfg["threshold"] = rng.choice([0.0, 0.5])
    elif t in EXTRA_CONFIGS:
        cfg = EXTRA_CONFIGS[t](rng, x)
    return cfg


def _break_config(rng: random.Random, type_name: str, cfg: dict[str, Any]) -> dict[str, Any]:
    """Push one numeric param out of its range (zero, negative, non-integer)."""
    params = catalog()[type_name].params
    numeric = [n for n, p in params.items() if p.kind in ("int", "float", "int_or_tuple") and not p.advanced]
    if not numeric:
        return cfg
    name = rng.choice(numeric)
    p = params[name]
    bad = rng.choice([0, -1, 2.5, (p.max or 1) + 1] if p.kind != "float" else [-0.5, 1.5])
    return {**cfg, name: bad}


def _input_config(rng: random.Random) -> dict[str, Any]:
    rank = rng.choice([1, 2, 2, 3, 3])
    hi = MAX_DIM
    if _maybe(rng, 0.12):  # volumes and sequences of images (Conv3D, ConvLSTM2D/3D): small dims
        rank, hi = rng.choice([4, 4, 5]), 6
    shape = [None if _maybe(rng, 0.2) else _dim(rng, 1, hi) for _ in range(rank)]
    cfg: dict[str, Any] = {"shape": shape}
    if _maybe(rng, 0.1):
        cfg["batch_size"] = rng.choice([1, 2, 4])
    if _maybe(rng, 0.08):
        cfg["dtype"] = "int32"
    return cfg


# --------------------------------------------------------------------------- graphs


def _errors_on(report: Report, nid: str) -> list[Issue]:
    return [i for i in report.issues if i.node == nid and i.severity == "error" and i.code != "unused_input"]


def _sinks(g: Graph) -> list[str]:
    return [n.id for n in g.nodes if not g.out_edges.get(n.id)]


def random_graph(rng: random.Random, max_nodes: int = MAX_NODES) -> Graph:
    """One random graph (see the module docstring). Deterministic for a given ``rng`` state."""
    want_error = _maybe(rng, 0.25)
    errors_left = 1 if want_error else 0
    g = Graph(name="fuzz")
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        g, _nid = g.add("Input", _input_config(rng))
    shapes: dict[str, tuple[int | None, ...]] = {}
    report = validate(g.set_outputs(_sinks(g)))
    shapes = {k: v for k, v in report.shapes.items() if v is not None}
    broken: set[str] = set()
    target = rng.randint(len(g.nodes) + 1, max_nodes)
    types = list(_WEIGHTS)
    weights = [_WEIGHTS[t] for t in types]
    attempts = 0
    while len(g.nodes) < target and attempts < 60:
        attempts += 1
        ready = [n for n in shapes if n not in broken]
        if not ready:
            break
        unused = [n for n in ready if not g.out_edges.get(n)]

        def pick(pool: list[str], unused: list[str] = unused) -> str:
            return rng.choice(unused) if unused and _maybe(rng, 0.6) else rng.choice(pool)

        shared = [la.id for la in g.layers if la.type != "Input" and g.calls.get(la.id)]
        if shared and _maybe(rng, 0.3 if errors_left else 0.12):  # a mismatched later call is a likely error
            lid = rng.choice(shared)
            n_in = len(g.in_edges.get(g.calls[lid][0], []))
            srcs = [pick(ready) for _ in range(max(1, n_in))]
            cand, nid = g.add_node(lid, inputs=srcs)
        else:
            t = rng.choices(types, weights)[0]
            if t in _MERGES or t in _MULTI:
                lt = catalog()[t]
                if t in _MULTI:
                    n_in = rng.randint(lt.min_inputs, min(lt.max_inputs or 3, 3))
                else:
                    n_in = 2 if t == "Subtract" else rng.choice([1, 2, 2, 2, 3])
                first = pick(ready)
                same = [n for n in ready if len(shapes[n]) == len(shapes[first])]
                srcs = [first] + [rng.choice(same if _maybe(rng, 0.85) else ready) for _ in range(n_in - 1)]
            else:
                need = _RANK.get(t, 0)
                fits = [n for n in ready if (len(shapes[n]) == need if need else len(shapes[n]) >= 2)]
                if not fits and need and _maybe(rng, 0.85):
                    continue  # no input of the rank it needs (Conv3D, ConvLSTM3D...): mostly draw another type
                srcs = [pick(fits) if fits and _maybe(rng, 0.9) else rng.choice(ready)]
            cfg = random_config(rng, t, shapes[srcs[0]])
            if errors_left and _maybe(rng, 0.15):
                cfg = _break_config(rng, t, cfg)
            cand, nid = g.add(t, cfg, inputs=srcs)
        r = validate(cand.set_outputs(_sinks(cand)))
        if any(i.code == "internal_error" for i in r.issues):
            return cand.set_outputs(_sinks(cand))  # let the property report it
        errs = _errors_on(r, nid)
        if errs:
            if not errors_left or not _maybe(rng, 0.5):
                continue
            errors_left -= 1
            broken.add(nid)
        g = cand
        shapes = {k: v for k, v in r.shapes.items() if v is not None}
    outputs = _sinks(g)
    if _maybe(rng, 0.1):  # an intermediate node as an extra output
        extra = [n.id for n in g.nodes if n.id not in outputs and n.id not in g.inputs]
        if extra:
            outputs.append(rng.choice(extra))
    if len(outputs) > 1 and _maybe(rng, 0.05):  # a sink left out: unreachable / unused_input
        outputs.remove(rng.choice(outputs))
    rng.shuffle(outputs)
    return g.set_outputs(outputs)


def graphs() -> Any:
    """A hypothesis strategy of random graphs (hypothesis drives the Random, so it shrinks)."""
    from hypothesis import strategies as st

    return st.randoms(use_true_random=False).map(random_graph)


# --------------------------------------------------------------------------- Keras


@dataclass
class KerasResult:
    error: str | None  # what Keras raised (type and first line), None when it built the model
    node: str | None = None  # the node whose construction or call failed (None: keras.Model)
    shapes: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    total: int = 0
    trainable: int = 0
    non_trainable: int = 0
    model: Any = None


def _toposort(g: Graph) -> list[str] | None:
    """The order Keras runs the calls in: the order our compiler and exported code write them
    (live nodes first, each after its inputs, else in document order; then the dead ones).
    A shared layer is built by its first call, so the harness must use the same order."""
    indeg = {n.id: len(g.in_edges.get(n.id, [])) for n in g.nodes}
    ready = [n for n, d in indeg.items() if d == 0]
    seen = 0
    while ready:
        nid = ready.pop()
        seen += 1
        for e in g.out_edges.get(nid, []):
            indeg[e.target] -= 1
            if indeg[e.target] == 0:
                ready.append(e.target)
    if seen != len(g.nodes):
        return None
    return evaluation_order(g, set(g.node_by_id))


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


def keras_build(g: Graph) -> KerasResult:
    """Build ``g`` directly in Keras: one Keras layer per graph layer (a shared layer is one
    instance called several times), merge layers called on lists. Never raises."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    order = _toposort(g)
    if order is None:
        return KerasResult("cycle: a functional model cannot be built from a cyclic graph")
    cat = catalog()
    layers: dict[str, Any] = {}
    tensors: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for nid in order:
            layer = g.layer_of(nid)
            cfg = {k: _plain(v) for k, v in layer.config.items()}
            try:
                if layer.type == "Input":
                    shape = cfg.pop("shape")
                    tensors[nid] = keras.Input(shape=tuple(shape), name=layer.name, **cfg)
                    continue
                ltype = cat.types[layer.type]
                if layer.id not in layers:
                    layers[layer.id] = _keras_layer(keras, layer.type, cfg, name=layer.name)
                ins = [tensors[s] for s in g.input_nodes(nid)]
                if not ins:
                    return KerasResult("no input", nid)
                out = layers[layer.id](*ltype.call_arguments(ins))
                tensors[nid] = out[0] if isinstance(out, list | tuple) else out  # return_state: output 0
            except Exception as exc:  # Keras raises ValueError, TypeError, ZeroDivisionError...
                return KerasResult(_short(exc), nid)
        try:
            model = keras.Model([tensors[i] for i in g.inputs], [tensors[o] for o in g.outputs])
            trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
            non_trainable = sum(math.prod(w.shape) for w in model.non_trainable_weights)
            total = model.count_params()
        except Exception as exc:
            return KerasResult(_short(exc))
    return KerasResult(
        None,
        shapes={nid: tuple(t.shape) for nid, t in tensors.items()},
        total=total,
        trainable=trainable,
        non_trainable=non_trainable,
        model=model,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _keras_layer(keras: Any, type_name: str, cfg: dict[str, Any], **kw: Any) -> Any:
    """The Keras layer, written out independently of the builder's compiler: a wrapped layer
    (``{"type", "config"}``) becomes the layer object its wrapper takes."""
    args = {
        k: _keras_layer(keras, v["type"], v.get("config", {})) if isinstance(v, dict) and "type" in v else v
        for k, v in cfg.items()
    }
    return getattr(keras.layers, type_name)(**args, **kw)


# --------------------------------------------------------------------------- the verdict

# Issues we report although Keras builds the model symbolically say so where they are raised:
# ``Issue.keras`` is "runtime" (Keras builds, fit or predict fails on data) or "stricter" (a cap
# or a check we make on purpose); "build" means Keras refuses too. The fuzzer trusts that
# verdict, and the Keras table test (tests/keras_edge/test_shapes_vs_keras.py) checks it case by
# case against the table's ``runtime_error`` / ``stricter`` marks.


def stricter_reason(issue: Issue, g: Graph) -> str | None:
    """Why an error is fine although Keras builds the graph: its own verdict; None for "build"."""
    if issue.keras == "build":
        return None
    return f"{issue.keras}: [{issue.code}]"


# Disagreements found by the fuzzers and reported, not fixed yet (their owners' files): each
# predicate recognises one; the regression cases under tests/cases/fuzz/ replay them (xfail).
KNOWN_BUGS: dict[str, Callable[[Graph, Outcome], bool]] = {
    # none open: "none_activation_refused" and "shared_batchnorm_rank" were fixed
}


@dataclass
class Outcome:
    category: str  # "agree", "stricter" or a disagreement: "internal_error", "false_negative", ...
    detail: str = ""
    ours_ok: bool = False
    keras_ok: bool = False
    known_bug: str | None = None  # a KNOWN_BUGS name when the disagreement is a reported bug

    @property
    def agrees(self) -> bool:
        return self.category in ("agree", "stricter")


def compare(g: Graph) -> Outcome:
    """Our validator against Keras on one graph (see the module docstring)."""
    outcome = _compare(g)
    if not outcome.agrees:
        outcome.known_bug = next((name for name, hit in KNOWN_BUGS.items() if hit(g, outcome)), None)
    return outcome


def _compare(g: Graph) -> Outcome:
    report = validate(g)
    internal = [i for i in report.issues if i.code == "internal_error"]
    if internal:
        return Outcome("internal_error", internal[0].message)
    k = keras_build(g)
    ours = "; ".join(f"[{i.code}] {i.node}: {i.message}" for i in report.errors)
    if report.ok:
        if k.error:
            return Outcome("false_negative", f"Keras refused at {k.node}: {k.error}", True, False)
        for nid, shape in k.shapes.items():
            if report.shapes.get(nid) != shape:
                return Outcome(
                    "shape_mismatch", f"node {nid}: ours {report.shapes.get(nid)}, Keras {shape}", True, True
                )
        p = report.params
        if (p.total, p.trainable, p.non_trainable) != (k.total, k.trainable, k.non_trainable):
            return Outcome(
                "params_mismatch",
                f"ours {(p.total, p.trainable, p.non_trainable)}, Keras {(k.total, k.trainable, k.non_trainable)}",
                True,
                True,
            )
        return Outcome("agree", "", True, True)
    if k.error:
        return Outcome("agree", f"both refuse; ours: {ours}; Keras at {k.node}: {k.error}")
    reasons = [stricter_reason(i, g) for i in report.errors]
    if all(reasons):
        return Outcome("stricter", " | ".join(sorted(set(r for r in reasons if r))), False, True)
    unexplained = [i for i, r in zip(report.errors, reasons) if not r]
    return Outcome(
        "false_positive:" + unexplained[0].code,
        "Keras builds it; ours: " + "; ".join(f"[{i.code}] {i.node}: {i.message}" for i in unexplained),
        False,
        True,
    )


def compare_with_compiler(g: Graph, outcome: Outcome, k: KerasResult | None = None) -> str | None:
    """``builder.keras_edge.build.build_model`` against our own Keras build: None when they agree, else
    what differs."""
    from builder.errors import CompileError
    from builder.keras_edge.build import build_model

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = build_model(g)
    except CompileError as exc:
        if outcome.ours_ok:
            return f"build_model refused a graph the validator accepts: {exc}"
        return None
    except Exception as exc:
        return f"build_model raised {_short(exc)} (not a CompileError)"
    if not outcome.ours_ok:
        return "build_model built a graph the validator refuses"
    k = k or keras_build(g)
    got = [tuple(t.shape) for t in model.outputs]
    want = [k.shapes[o] for o in g.outputs]
    if got != want or model.count_params() != k.total:
        return f"build_model: outputs {got}, {model.count_params()} params; direct build: {want}, {k.total}"
    return None


# --------------------------------------------------------------------------- regression cases


def case_doc(g: Graph, outcome: Outcome, note: str) -> dict[str, Any]:
    """A regression case: the graph document plus the verdict each side must keep giving."""
    report = validate(g)
    return {
        "note": note,
        "expect": {
            "ours_ok": report.ok,
            "codes": sorted({i.code for i in report.errors}),
            "keras_builds": outcome.keras_ok,
            "category": outcome.category,
        },
        "graph": g.to_dict(),
    }


def load_case(text: str) -> tuple[Graph, dict[str, Any], str]:
    doc = json.loads(text)
    return from_dict(doc["graph"]), doc["expect"], doc.get("note", "")
