"""Training data for a graph: synthetic, NPZ or CSV, checked against the model before training.

A :class:`Dataset` holds one array per model input (keyed by the Input layer's name) and one
label array per output head (in output order; a head is named after its layer, as Keras 3
names outputs). Every way in goes through :func:`check_data`, which raises :class:`DataError`
with a message that names the array or column, what was expected and what was received, before
TensorFlow is even imported:

* :func:`synthetic_data` makes data that fits the model: integer token ids below the
  ``input_dim`` of every Embedding an input feeds, float data otherwise, variable (None) dims
  filled with the smallest size from :data:`FILL_SIZES` the model accepts, and labels that fit
  each head's loss (one-hot for categorical, class ids for sparse, 0/1 for binary, floats for
  regression). A fixed seed makes it reproducible.
* :func:`load_npz` reads arrays named after the inputs and outputs (``allow_pickle=False``).
* :func:`load_csv` maps columns to inputs and heads: a column named exactly like the input or
  head, columns ``NAME_0 .. NAME_k`` (reshaped in C order to the input shape), or an explicit
  ``mapping`` of name to a list of columns or to a ``PREFIX*`` pattern.

NumPy is the only dependency here (pandas only for CSV parsing, imported lazily).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..core import losses as loss_table
from ..core.catalog import catalog
from ..core.graph import Graph
from ..core.validate import Report, validate
from ..errors import DataError

FILL_SIZES = (16, 32, 64, 128, 256, 512, 1024, 2048)
DATA_BUDGET_BYTES = 64 * 2**20  # default synthetic set size is capped to about this much memory
DEFAULT_SAMPLES = 256
MIN_DEFAULT_SAMPLES = 16
MAX_FLOAT_INT_VALUE = 2**31 - 1

ONE_HOT_LOSSES = loss_table.with_labels(loss_table.ONE_HOT)
SPARSE_LOSSES = loss_table.with_labels(loss_table.SPARSE)
BINARY_LOSSES = loss_table.with_labels(loss_table.BINARY)
SIGN_LOSSES = loss_table.with_labels(loss_table.SIGN)  # labels -1/1 (Keras also maps 0/1 to -1/1)
POSITIVE_LOSSES = loss_table.with_labels(loss_table.POSITIVE)

# Layers that pass integer token ids through unchanged on their way to an Embedding.
_ID_PASSTHROUGH = frozenset({"Reshape", "Flatten", "Concatenate"})
_STRING_LAYERS = frozenset({"StringLookup", "TextVectorization", "Hashing"})
# Words for a string Input whose lookup has no vocabulary (Hashing, or a lookup still to adapt()).
_DEFAULT_WORDS = ("the", "cat", "sat", "on", "a", "mat", "dog", "ran")


canonical_loss = loss_table.canonical  # ``mse`` -> ``mean_squared_error``; other names unchanged


# --------------------------------------------------------------------------- what the model takes


@dataclass(frozen=True)
class InputSpec:
    node: str
    name: str
    shape: tuple[int | None, ...]  # without the batch axis; None: any size
    dtype: str  # the Input's dtype ("float32" when not set)
    vocab: int | None = None  # token ids must be below this (the smallest Embedding input_dim it feeds)
    mask_zero: bool = False  # an Embedding it feeds treats 0 as padding
    # dtype "string": the vocabulary of the StringLookup / TextVectorization it feeds (None: none
    # known) and whether it is text (TextVectorization splits each string into words)
    tokens: tuple[str, ...] | None = None
    text: bool = False

    @property
    def is_integer(self) -> bool:
        return self.vocab is not None or self.dtype.startswith(("int", "uint"))


@dataclass(frozen=True)
class HeadSpec:
    node: str
    name: str
    shape: tuple[int | None, ...]  # the head's output shape, without the batch axis
    loss: str  # canonical loss name

    @property
    def classes(self) -> int | None:
        return self.shape[-1] if self.shape else None

    def label_shape(self) -> tuple[int | None, ...]:
        """The shape of one label: the output shape, without the class axis for sparse losses."""
        if self.loss in SPARSE_LOSSES:
            return self.shape[:-1]
        return self.shape


def input_specs(graph: Graph, report: Report | None = None) -> list[InputSpec]:
    """The model's inputs, in model order, with the token range of those that feed an Embedding."""
    cat = catalog()
    specs = []
    for nid in graph.inputs:
        if nid not in graph.node_by_id:
            continue
        layer = graph.layer_of(nid)
        shape = tuple(layer.config.get("shape") or ())
        dtype = layer.config.get("dtype") or "float32"
        vocab, mask = None, False
        tokens: tuple[str, ...] | None = None
        text = False
        seen: set[str] = set()
        stack = [e.target for e in graph.out_edges.get(nid, [])]
        while stack:
            target = stack.pop()
            if target in seen or target not in graph.node_by_id:
                continue
            seen.add(target)
            tlayer = graph.layer_of(target)
            if tlayer.type == "Embedding":
                ltype = cat.types.get("Embedding")
                cfg = ltype.resolved(dict(tlayer.config)) if ltype else dict(tlayer.config)
                dim = cfg.get("input_dim")
                if isinstance(dim, int) and not isinstance(dim, bool) and dim > 0:
                    vocab = dim if vocab is None else min(vocab, dim)
                mask = mask or bool(cfg.get("mask_zero"))
            elif tlayer.type in _STRING_LAYERS and dtype == "string":
                words = tlayer.config.get("vocabulary")
                if isinstance(words, list | tuple) and words and tokens is None:
                    tokens = tuple(str(w) for w in words)
                text = text or tlayer.type == "TextVectorization"
            elif tlayer.type in _ID_PASSTHROUGH:
                stack.extend(e.target for e in graph.out_edges.get(target, []))
        specs.append(InputSpec(nid, layer.name, shape, str(dtype), vocab, mask, tokens, text))
    return specs


def head_specs(graph: Graph, losses: Mapping[str, Any] | Sequence[Any], report: Report | None = None) -> list[HeadSpec]:
    """The output heads in model order with their shapes and (canonical) losses.

    ``losses`` is a dict keyed by output name or a list in output order (as in the settings)."""
    report = report or validate(graph)
    names = graph.output_names()
    out = []
    out_shapes = report.output_shapes()  # each output's port (an LSTM's state h is output 1)
    for i, (nid, name) in enumerate(zip(graph.outputs, names)):
        shape = out_shapes[i] if i < len(out_shapes) else report.shapes.get(nid)
        if isinstance(losses, Mapping):
            loss = losses.get(name)
        else:
            loss = losses[i] if i < len(losses) else None
        if shape is None:
            raise DataError(f"Output '{name}' has no known shape: fix the graph's errors first.")
        out.append(HeadSpec(nid, name, tuple(shape[1:]), canonical_loss(loss or "mean_squared_error")))
    return out


def concrete_graph(graph: Graph) -> tuple[Graph, Report, int | None]:
    """The graph with every None dim of its Inputs filled with the smallest size of
    :data:`FILL_SIZES` that the model accepts; returns (graph, its report, the size used)."""
    variable = [s for s in input_specs(graph) if any(d is None for d in s.shape)]
    if not variable:
        return graph, validate(graph), None
    base = validate(graph)
    if not base.ok:
        first = base.errors[0].message
        raise DataError(f"The graph has errors, so no data can be made for it. The first: {first}")
    last: Report | None = None
    for size in FILL_SIZES:
        g = graph
        for spec in variable:
            layer_id = g.node_by_id[spec.node].layer
            g = g.update_config(layer_id, shape=tuple(size if d is None else d for d in spec.shape))
        report = validate(g)
        if report.ok:
            return g, report, size
        last = report
    msg = last.errors[0].message if last and last.errors else "unknown"
    raise DataError(
        f"No size up to {FILL_SIZES[-1]} fits the variable (None) input dims of "
        f"{', '.join(s.name for s in variable)}. The last try failed with: {msg}"
    )


# --------------------------------------------------------------------------- the data set


@dataclass(frozen=True)
class Dataset:
    """Arrays for ``model.fit``: ``x`` by input name (model order), ``y`` in output order."""

    x: dict[str, np.ndarray]
    y: tuple[np.ndarray, ...]
    output_names: tuple[str, ...]
    source: str = "arrays"
    notes: tuple[str, ...] = field(default=())

    @property
    def n(self) -> int:
        for arr in list(self.x.values()) + list(self.y):
            return int(arr.shape[0])
        return 0

    @property
    def nbytes(self) -> int:
        return int(sum(a.nbytes for a in self.x.values()) + sum(a.nbytes for a in self.y))

    def fit_x(self) -> np.ndarray | list[np.ndarray]:
        """As the compiled model takes them: one array for one input, else a list in model order.
        String arrays become ``tf.string`` tensors (Keras' NumPy adapter refuses string arrays)."""
        xs = [_keras_strings(a) if a.dtype.kind in "USO" else a for a in self.x.values()]
        return xs[0] if len(xs) == 1 else xs

    def fit_y(self) -> np.ndarray | dict[str, np.ndarray] | list[np.ndarray]:
        """One array for one output; else a dict by output name (a list in output order when two
        outputs share a name)."""
        if len(self.y) == 1:
            return self.y[0]
        if len(set(self.output_names)) == len(self.output_names):
            return dict(zip(self.output_names, self.y))
        return list(self.y)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array by name (inputs, then outputs), as :func:`load_npz` reads them."""
        out = dict(self.x)
        for name, arr in zip(self.output_names, self.y):
            out.setdefault(name, arr)
        return out

    def to_npz(self, target: str | Path | IO[bytes]) -> None:
        np.savez(target, **self.arrays())  # type: ignore[arg-type]


def default_samples(graph: Graph) -> int:
    """:data:`DEFAULT_SAMPLES`, fewer when one sample is big (keeps a synthetic set near
    :data:`DATA_BUDGET_BYTES`)."""
    try:
        g, _, _ = concrete_graph(graph)
    except DataError:
        return DEFAULT_SAMPLES
    per_sample = 0
    for spec in input_specs(g):
        per_sample += 4 * math.prod(d or 1 for d in spec.shape)
    if per_sample <= 0:
        return DEFAULT_SAMPLES
    return int(max(MIN_DEFAULT_SAMPLES, min(DEFAULT_SAMPLES, DATA_BUDGET_BYTES // per_sample)))


def synthetic_data(
    graph: Graph,
    n: int | None = None,
    seed: int = 0,
    settings: Mapping[str, Any] | None = None,
) -> Dataset:
    """Random data that fits the model and its losses (same seed, same data).

    ``settings`` are training settings (by default the graph's, resolved over the defaults)."""
    if settings is None:
        from ..core.training_settings import resolve_settings

        settings = resolve_settings(graph)
    if n is None:
        n = default_samples(graph)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DataError(f"The number of samples must be a positive integer. Received: {n!r}")
    g, report, fill = concrete_graph(graph)
    rng = np.random.default_rng(seed)
    x: dict[str, np.ndarray] = {}
    for spec in input_specs(g):
        shape = (n, *(int(d) for d in spec.shape))
        if spec.dtype == "string":
            x[spec.name] = _synthetic_strings(spec, shape, rng)
        elif spec.vocab is not None:
            low = 1 if spec.mask_zero and spec.vocab > 1 else 0
            x[spec.name] = rng.integers(low, spec.vocab, size=shape, dtype=np.int64).astype(_np_dtype(spec.dtype))
        elif spec.is_integer:
            x[spec.name] = rng.integers(0, 10, size=shape).astype(_np_dtype(spec.dtype))
        elif spec.dtype == "bool":
            x[spec.name] = rng.integers(0, 2, size=shape).astype(bool)
        else:
            x[spec.name] = rng.standard_normal(shape).astype(_np_dtype(spec.dtype))
    heads = head_specs(g, settings.get("loss") or {}, report)
    y = tuple(_synthetic_labels(h, n, rng) for h in heads)
    notes = (f"variable input dims filled with {fill}",) if fill else ()
    return Dataset(x, y, tuple(h.name for h in heads), source=f"synthetic (n={n}, seed={seed})", notes=notes)


def _keras_strings(arr: np.ndarray) -> Any:
    from .runtime import tensorflow_module

    return tensorflow_module().constant(arr.astype(str))


def _synthetic_strings(spec: InputSpec, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Strings for a string Input: tokens of the vocabulary it feeds (one in ten unknown, to exercise
    the OOV index), or short sentences of them for a TextVectorization."""
    words = np.array([*(spec.tokens or _DEFAULT_WORDS), "[unseen]"])
    p = np.full(len(words), 0.9 / (len(words) - 1))
    p[-1] = 0.1
    if not spec.text:
        return rng.choice(words, size=shape, p=p).astype(object)  # Keras' adapters refuse numpy "<U" arrays
    lengths = rng.integers(1, 6, size=shape)
    flat = [" ".join(rng.choice(words, size=int(k), p=p)) for k in lengths.reshape(-1)]
    return np.array(flat, dtype=object).reshape(shape)


def _strings(source: str, name: str, value: Any) -> np.ndarray:
    """The array for a string Input: strings (unicode or bytes), never numbers."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "USO" or (
        arr.dtype.kind == "O" and not all(isinstance(v, str | bytes) for v in arr.reshape(-1))
    ):
        raise DataError(
            f"{source}: '{name}' is a string Input (dtype='string'), so its data must be strings; it holds "
            f"{arr.dtype} values (e.g. {_first(arr)!r})."
        )
    if arr.ndim == 0:
        raise DataError(f"{source}: '{name}' is a single value; expected one row per sample.")
    return arr.astype(object) if arr.dtype.kind == "U" else arr  # Keras' adapters refuse numpy "<U" arrays


def _synthetic_labels(head: HeadSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    shape = (n, *(int(d or 1) for d in head.shape))
    classes = int(shape[-1]) if len(shape) > 1 else 1
    if head.loss in ONE_HOT_LOSSES:
        ids = rng.integers(0, classes, size=shape[:-1])
        return np.eye(classes, dtype=np.float32)[ids]
    if head.loss in SPARSE_LOSSES:
        return rng.integers(0, classes, size=shape[:-1]).astype(np.int32)
    if head.loss in BINARY_LOSSES or head.loss in SIGN_LOSSES:
        return rng.integers(0, 2, size=shape).astype(np.float32)
    if head.loss in POSITIVE_LOSSES:
        return rng.uniform(0.5, 1.5, size=shape).astype(np.float32)
    return rng.uniform(0.0, 1.0, size=shape).astype(np.float32)


def _np_dtype(dtype: str) -> Any:
    if dtype == "bfloat16":
        return np.float32
    try:
        return np.dtype(dtype)
    except TypeError:
        return np.float32


# --------------------------------------------------------------------------- checks


def check_data(
    graph: Graph,
    arrays: Mapping[str, Any] | Dataset,
    settings: Mapping[str, Any],
    *,
    source: str = "arrays",
    reshape_flat: bool = False,
) -> Dataset:
    """Check (and lightly convert) arrays for the model: one per input name and one per output
    name. Class ids for a categorical head become one-hot; a missing trailing axis of size 1 is
    added. ``reshape_flat`` reshapes 2-D (rows, columns) arrays to the expected shape (CSV).

    Raises :class:`DataError` naming the array and what it expected."""
    report = validate(graph.set_training(None))
    if not report.ok:
        raise DataError(f"The graph has errors; fix them before training. The first: {report.errors[0].message}")
    names = graph.output_names()
    ins = input_specs(graph, report)
    heads = head_specs(graph, settings.get("loss") or {}, report)
    if isinstance(arrays, Dataset):  # labels by position (two outputs may share a name)
        source = arrays.source
        if len(arrays.y) != len(heads):
            raise DataError(f"{source}: {len(arrays.y)} label arrays for {len(heads)} outputs {names}.")
        labels = list(arrays.y)
        arrays = arrays.x
    else:
        if len(set(names)) != len(names):
            raise DataError(
                f"Two outputs share the name(s) {sorted({n for n in names if names.count(n) > 1})}: data for "
                f"them cannot be told apart by name. Give each output its own layer."
            )
        labels = [arrays.get(h.name) for h in heads]
    wanted = [s.name for s in ins] + [h.name for h in heads]
    missing = [s.name for s in ins if s.name not in arrays] + [h.name for h, v in zip(heads, labels) if v is None]
    if missing:
        found = sorted(arrays)
        raise DataError(
            f"{source}: no data for {', '.join(repr(m) for m in missing)}. Expected one array per model input "
            f"{[s.name for s in ins]} and per output {[h.name for h in heads]}; found {found[:20]}"
            f"{' ...' if len(found) > 20 else ''}."
        )
    notes: list[str] = []
    x: dict[str, np.ndarray] = {}
    rows: dict[str, int] = {}
    for spec in ins:
        if spec.dtype == "string":
            arr = _fit_shape(source, spec.name, _strings(source, spec.name, arrays[spec.name]), spec.shape, "input")
            x[spec.name] = arr
            rows[spec.name] = arr.shape[0]
            continue
        arr = _numeric(source, spec.name, arrays[spec.name])
        if reshape_flat:
            arr = _reshape_flat(source, spec.name, arr, spec.shape)
        arr = _fit_shape(source, spec.name, arr, spec.shape, "input")
        _finite(source, spec.name, arr)
        if spec.is_integer:
            arr = _integers(source, spec.name, arr, _np_dtype(spec.dtype))
            if spec.vocab is not None:
                lo, hi = int(arr.min(initial=0)), int(arr.max(initial=0))
                if lo < 0 or hi >= spec.vocab:
                    raise DataError(
                        f"{source}: '{spec.name}' feeds an Embedding with input_dim={spec.vocab:,}, so its token "
                        f"ids must be from 0 to {spec.vocab - 1:,}. Received ids from {lo:,} to {hi:,}."
                    )
        elif spec.dtype != "bool":
            arr = arr.astype(_np_dtype(spec.dtype), copy=False)
        x[spec.name] = arr
        rows[spec.name] = arr.shape[0]
    y: list[np.ndarray] = []
    for head, value in zip(heads, labels):
        arr, note = _labels(source, head, _numeric(source, head.name, value), reshape_flat)
        if note:
            notes.append(note)
        y.append(arr)
        rows[head.name] = arr.shape[0]
    counts = set(rows.values())
    if len(counts) > 1:
        detail = ", ".join(f"{k}: {v:,}" for k, v in rows.items())
        raise DataError(f"{source}: the arrays have different numbers of rows ({detail}); they must all match.")
    if not counts or counts == {0}:
        raise DataError(f"{source}: the data has no rows.")
    extra = sorted(set(arrays) - set(wanted))
    if extra:
        notes.append(f"ignored {', '.join(extra[:10])}{' ...' if len(extra) > 10 else ''}")
    return Dataset(x, tuple(y), tuple(names), source=source, notes=tuple(notes))


def _numeric(source: str, name: str, value: Any) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except Exception as exc:
        raise DataError(f"{source}: '{name}' is not an array ({type(exc).__name__}: {exc}).") from None
    if arr.dtype.kind not in "biuf":
        raise DataError(
            f"{source}: '{name}' must hold numbers; it holds {arr.dtype} values "
            f"(e.g. {_first(arr)!r}). Encode text as token ids or numbers first."
        )
    if arr.ndim == 0:
        raise DataError(f"{source}: '{name}' is a single value; expected one row per sample.")
    return arr


def _first(arr: np.ndarray) -> Any:
    flat = arr.reshape(-1)
    return flat[0].item() if flat.size else None


def _finite(source: str, name: str, arr: np.ndarray) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        row = int(np.argwhere(bad)[0][0])
        kind = "NaN" if np.isnan(arr).any() else "infinite"
        raise DataError(
            f"{source}: '{name}' has {int(bad.sum()):,} {kind} value(s) (the first in row {row}); "
            f"remove or fill them before training."
        )


def _integers(source: str, name: str, arr: np.ndarray, dtype: Any) -> np.ndarray:
    if arr.dtype.kind == "f":
        if not np.all(np.floor(arr) == arr):
            raise DataError(
                f"{source}: '{name}' must hold whole numbers (token or class ids); received {_first(arr)!r}."
            )
        if arr.size and np.abs(arr).max() > MAX_FLOAT_INT_VALUE:
            raise DataError(f"{source}: '{name}' has ids too large for int32.")
    return arr.astype(dtype, copy=False)


def _fmt(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _fit_shape(source: str, name: str, arr: np.ndarray, shape: tuple[int | None, ...], what: str) -> np.ndarray:
    expected = (None, *shape)
    if arr.ndim == len(expected) - 1 and shape and shape[-1] == 1:
        arr = arr.reshape(*arr.shape, 1)  # (n,) for (n, 1)
    elif arr.ndim == len(expected) + 1 and arr.shape[-1] == 1:
        arr = arr.reshape(arr.shape[:-1])  # (n, 1) for (n,)
    ok = arr.ndim == len(expected) and all(e is None or e == a for e, a in zip(expected[1:], arr.shape[1:]))
    if not ok:
        raise DataError(
            f"{source}: '{name}' does not fit the model's {what}: expected shape {_fmt(expected)}, "
            f"received {_fmt(arr.shape)}."
        )
    return arr


def _reshape_flat(source: str, name: str, arr: np.ndarray, shape: tuple[int | None, ...]) -> np.ndarray:
    """A (rows, columns) table to (rows, *shape), in C order; one None dim is inferred."""
    if arr.ndim != 2:
        return arr
    cols = arr.shape[1]
    known = math.prod(d for d in shape if d is not None)
    free = [i for i, d in enumerate(shape) if d is None]
    if not free:
        if known != cols:
            raise DataError(
                f"{source}: '{name}' has shape {_fmt((None, *shape))}, which needs {known:,} columns per row; "
                f"found {cols:,}."
            )
        return arr.reshape(arr.shape[0], *shape)  # type: ignore[arg-type]
    if len(free) > 1:
        raise DataError(
            f"{source}: '{name}' has shape {_fmt((None, *shape))} with {len(free)} variable dims; a CSV row "
            f"cannot say how to split {cols:,} columns. Use an NPZ file for this input."
        )
    if known == 0 or cols % known:
        raise DataError(
            f"{source}: '{name}' has shape {_fmt((None, *shape))}: the number of columns must be a multiple of "
            f"{known:,}; found {cols:,}."
        )
    filled = tuple(cols // known if d is None else d for d in shape)
    return arr.reshape(arr.shape[0], *filled)


def _labels(source: str, head: HeadSpec, arr: np.ndarray, reshape_flat: bool) -> tuple[np.ndarray, str | None]:
    name, loss, classes = head.name, head.loss, head.classes
    _finite(source, name, arr)
    note = None
    if loss in ONE_HOT_LOSSES and classes and classes > 1:
        ids_shape = head.shape[:-1]
        is_ids = arr.ndim == len(ids_shape) + 1 or (arr.ndim == len(ids_shape) + 2 and arr.shape[-1] == 1)
        if is_ids and not (reshape_flat and arr.ndim == 2 and arr.shape[-1] == classes):
            arr = _fit_shape(source, name, arr, ids_shape, "class ids")
            ids = _class_ids(source, name, arr, classes, loss)
            note = f"'{name}': class ids turned into one-hot vectors of {classes}"
            return np.eye(classes, dtype=np.float32)[ids], note
    if reshape_flat:
        arr = _reshape_flat(source, name, arr, head.label_shape())
    if loss in SPARSE_LOSSES:
        arr = _fit_shape(source, name, arr, head.label_shape(), f"head (class ids for {loss})")
        return _class_ids(source, name, arr, classes or 1, loss), None
    arr = _fit_shape(source, name, arr, head.shape, f"head ({loss})").astype(np.float32, copy=False)
    if loss in BINARY_LOSSES and arr.size and (arr.min() < 0 or arr.max() > 1):
        raise DataError(
            f"{source}: '{name}' is trained with {loss}, so its labels must be from 0 to 1. "
            f"Received values from {arr.min():g} to {arr.max():g}."
        )
    if loss in ONE_HOT_LOSSES and arr.size and (arr.min() < 0 or arr.max() > 1):
        raise DataError(
            f"{source}: '{name}' is trained with {loss}, so its labels must be one-hot (or probabilities) "
            f"over {classes} classes. Received values from {arr.min():g} to {arr.max():g}."
        )
    return arr, note


def _class_ids(source: str, name: str, arr: np.ndarray, classes: int, loss: str) -> np.ndarray:
    ids = _integers(source, name, arr, np.int32).reshape(arr.shape)
    if ids.size and (ids.min() < 0 or ids.max() >= classes):
        raise DataError(
            f"{source}: '{name}' is trained with {loss} over {classes} classes, so its class ids must be from 0 to "
            f"{classes - 1}. Received ids from {int(ids.min())} to {int(ids.max())}."
        )
    return ids


# --------------------------------------------------------------------------- files


Source = str | Path | bytes | IO[bytes]


def _open(data: Source) -> tuple[Any, str]:
    if isinstance(data, bytes):
        return io.BytesIO(data), "upload"
    if isinstance(data, (str, Path)):
        return Path(data), Path(data).name
    return data, getattr(data, "name", "upload")


def load_npz(data: Source, graph: Graph, settings: Mapping[str, Any]) -> Dataset:
    """Arrays named after the model's inputs and outputs, from an ``.npz`` file (never unpickled)."""
    handle, label = _open(data)
    try:
        with np.load(handle, allow_pickle=False) as npz:
            if not hasattr(npz, "files"):
                raise DataError(f"{label}: a single .npy array; expected an .npz archive of named arrays.")
            arrays = {}
            for key in npz.files:
                try:
                    arrays[key] = npz[key]
                except ValueError as exc:
                    raise DataError(f"{label}: array '{key}' cannot be read safely ({exc}).") from None
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"{label}: no such file.") from None
    except Exception as exc:  # a zip or format error of any kind
        raise DataError(f"{label}: not a readable .npz file ({type(exc).__name__}: {exc}).") from None
    return check_data(graph, arrays, settings, source=label)


def parse_mapping(items: Sequence[str]) -> dict[str, list[str] | str]:
    """CLI ``NAME=col_a,col_b`` or ``NAME=prefix*`` strings -> a CSV column mapping."""
    out: dict[str, list[str] | str] = {}
    for item in items:
        name, sep, cols = item.partition("=")
        if not sep or not name or not cols:
            raise DataError(f"A column mapping is NAME=COL1,COL2 or NAME=PREFIX*; received {item!r}.")
        out[name] = cols if cols.endswith("*") and "," not in cols else [c for c in cols.split(",") if c]
    return out


def _natural_key(col: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", col)]


def _columns_for(name: str, columns: Sequence[str], rule: list[str] | str | None) -> list[str] | None:
    if isinstance(rule, str):
        if not rule.endswith("*"):
            return [rule]
        prefix = rule[:-1]
        found = [c for c in columns if c.startswith(prefix)]
        return sorted(found, key=_natural_key) or None
    if rule is not None:
        return list(rule)
    if name in columns:
        return [name]
    pattern = re.compile(re.escape(name) + r"_(\d+)$")
    found = [c for c in columns if pattern.match(c)]
    return sorted(found, key=lambda c: int(pattern.match(c).group(1))) or None  # type: ignore[union-attr]


def load_csv(
    data: Source,
    graph: Graph,
    settings: Mapping[str, Any],
    mapping: Mapping[str, list[str] | str] | None = None,
) -> Dataset:
    """A CSV table with a header row. Each input and head takes the column named after it, or
    the columns ``NAME_0 .. NAME_k`` (reshaped in C order to its shape), or what ``mapping``
    gives it (a list of columns, or ``PREFIX*``)."""
    import pandas as pd

    handle, label = _open(data)
    try:
        frame = pd.read_csv(handle, low_memory=False)
    except FileNotFoundError:
        raise DataError(f"{label}: no such file.") from None
    except Exception as exc:  # pandas raises many kinds for malformed text
        raise DataError(f"{label}: not a readable CSV file ({type(exc).__name__}: {exc}).") from None
    columns = [str(c) for c in frame.columns]
    frame.columns = columns
    if frame.empty:
        raise DataError(f"{label}: the CSV has no data rows.")
    mapping = dict(mapping or {})
    ins = [s.name for s in input_specs(graph)]
    outs = graph.output_names()
    unknown = [k for k in mapping if k not in ins and k not in outs]
    if unknown:
        raise DataError(
            f"{label}: the column mapping names {unknown}, which are not model inputs {ins} or outputs {outs}."
        )
    arrays: dict[str, np.ndarray] = {}
    problems = []
    for name in ins + outs:
        cols = _columns_for(name, columns, mapping.get(name))
        if cols is None:
            problems.append(f"'{name}' (a column '{name}' or columns '{name}_0', '{name}_1', ...)")
            continue
        absent = [c for c in cols if c not in frame.columns]
        if absent:
            raise DataError(f"{label}: the mapping for '{name}' names missing column(s) {absent[:10]}.")
        block = frame[cols]
        bad = [c for c in cols if not pd.api.types.is_numeric_dtype(block[c])]
        if bad:
            col = bad[0]
            numeric = pd.to_numeric(block[col], errors="coerce")
            row = int(numeric.isna().to_numpy().argmax())
            raise DataError(
                f"{label}: column '{col}' (for '{name}') is not numeric: row {row + 1} holds {block[col].iloc[row]!r}."
            )
        values = block.to_numpy()
        if values.dtype.kind == "f" and np.isnan(values).any():
            r, c = np.argwhere(np.isnan(values))[0]
            raise DataError(
                f"{label}: column '{cols[int(c)]}' (for '{name}') has an empty or NaN value in row {r + 1}."
            )
        arrays[name] = values
    if problems:
        shown = ", ".join(columns[:12]) + (" ..." if len(columns) > 12 else "")
        raise DataError(f"{label}: no columns for {'; '.join(problems)}. The CSV has columns: {shown}.")
    return check_data(graph, arrays, settings, source=label, reshape_flat=True)


def load_data(
    data: Any,
    graph: Graph,
    settings: Mapping[str, Any],
    *,
    samples: int | None = None,
    seed: int = 0,
    mapping: Mapping[str, list[str] | str] | None = None,
) -> Dataset:
    """Any supported data: ``"synthetic"``, an ``.npz`` / ``.csv`` path, a :class:`Dataset` or a dict
    of arrays by input and output name."""
    if isinstance(data, Dataset):
        return check_data(graph, data, settings)
    if data is None or (isinstance(data, str) and data == "synthetic"):
        return synthetic_data(graph, samples, seed, settings)
    if isinstance(data, Mapping):
        return check_data(graph, data, settings)
    if isinstance(data, (str, Path)):
        suffix = Path(data).suffix.lower()
        if suffix == ".npz":
            return load_npz(data, graph, settings)
        if suffix == ".csv":
            return load_csv(data, graph, settings, mapping)
        raise DataError(f"{Path(data).name}: unknown data file type {suffix!r}; use 'synthetic', an .npz or a .csv.")
    raise DataError(
        f"Unsupported data: {type(data).__name__}; use 'synthetic', an .npz or .csv path, or a dict of arrays."
    )
