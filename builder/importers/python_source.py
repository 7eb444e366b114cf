"""Python model code -> Graph. The code is parsed with :mod:`ast` and never executed.

A small abstract interpreter walks the syntax tree and models only what builds a Keras model:
imports from ``keras`` / ``tensorflow.keras`` (old ``keras.layers.*`` and ``keras.models`` paths
too), layer constructors (``layers.Dense``, ``keras.layers.Dense`` or bare ``Dense``), layer calls
(a layer object called several times is one shared layer), ``Input``, the functional helpers
(``concatenate``, ``add``...), ``Model`` and ``Sequential`` (with ``.add``), constants and simple
arithmetic, ``if`` / ``for`` over constants, and user functions (``def build_model(): ...``),
which are interpreted in place, never run. ``compile(...)`` and ``fit(...)`` are read into the
graph's training settings. Anything else is an opaque value: harmless until the model needs it,
then a :class:`GraphImportError` with the line number. ``eval``, ``exec``, ``__import__``,
``getattr`` and dunder attributes (``().__class__.__bases__``) are refused outright; calls into
other modules (``os.system``) are skipped with a note. Nothing is imported, nothing is run.

Unnamed layers get the names Keras 3 would give them (``dense``, ``dense_1``, ...; inputs
``input_layer``, ``input_layer_1``...), counted in construction order as Keras does.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.catalog import catalog
from ..core.graph import MAX_NODES as _MAX_NODES
from ..core.graph import Edge, Graph, Layer, Node
from ..errors import GraphImportError
from .common import (
    LOSS_CLASSES,
    IdAllocator,
    ImportNote,
    ImportResult,
    class_to_type,
    decode_text,
    keras_snake,
    simplify_object,
    tuplify,
    unsupported_class_message,
)

MAX_STEPS = 200_000  # statements and loop iterations interpreted
MAX_CALL_DEPTH = 40  # nested calls of user functions
MAX_LEN = 100_000  # length of strings, lists, ranges built from constants
MAX_INT = 2**63

# Keras 3 constructor signatures (the positional prefix whose names the catalog knows), from the
# catalog; tests/core/test_catalog_vs_keras.py checks them against ``inspect.signature``.
POSITIONAL: dict[str, tuple[str, ...]] = catalog().positional_table()

# Functional helpers of keras.layers -> layer type (the catalog's ``helper``).
HELPERS: dict[str, str] = catalog().helpers()
# Keras 2 arguments Keras 3 ignores or removed: dropped with a note (the catalog's ``keras2``).
KERAS2_ONLY: dict[str, set[str]] = catalog().keras2_table()
# Keras 2 sub-modules of keras.layers / keras.engine that only re-export.
LAYER_SUBMODULES = {
    "core", "convolutional", "recurrent", "merge", "merging", "embeddings", "pooling", "normalization",
    "advanced_activations", "activation", "noise", "local", "wrappers", "cudnn_recurrent", "reshaping",
    "regularization", "rnn", "attention", "normalization_v2", "serialization", "layers",
}  # fmt: skip
ENGINE_SUBMODULES = {"input_layer", "training", "functional", "sequential", "base_layer", "topology", "keras_tensor"}
DTYPES = {"float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool", "string"}
ALLOWED_DUNDER_ATTRS = {"__version__", "__name__", "__doc__"}
REFUSED_NAMES = {
    "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "breakpoint", "__builtins__", "__loader__", "__spec__",
}  # fmt: skip
ALLOWED_DUNDER_NAMES = {"__name__", "__file__", "__doc__"}
# Calls on models that do not build anything.
MODEL_METHODS_SKIPPED = {
    "summary", "save", "save_weights", "load_weights", "predict", "evaluate", "to_json", "get_config",
    "count_params", "plot_model", "predict_on_batch", "test_on_batch", "export", "build", "get_layer",
    "get_output_at", "get_input_at", "get_input_shape_at", "get_output_shape_at",
}  # fmt: skip
OBJECT_POSITIONAL = {
    "RandomNormal": ("mean", "stddev", "seed"),
    "RandomUniform": ("minval", "maxval", "seed"),
    "TruncatedNormal": ("mean", "stddev", "seed"),
    "Constant": ("value",),
    "Orthogonal": ("gain", "seed"),
    "Identity": ("gain",),
    "VarianceScaling": ("scale", "mode", "distribution", "seed"),
    "L1": ("l1",),
    "L2": ("l2",),
    "L1L2": ("l1", "l2"),
    "MaxNorm": ("max_value", "axis"),
    "MinMaxNorm": ("min_value", "max_value", "rate", "axis"),
    "UnitNorm": ("axis",),
}
OBJECT_MODULES = {"initializers", "regularizers", "constraints"}
FORMAT_SPEC = re.compile(r"(.?[<>^=])?[+\- ]?#?0?\d{0,3}[,_]?(\.\d{1,3})?[bcdeEfFgGnosxX%]?")


# --------------------------------------------------------------------------- values


@dataclass(eq=False)
class _Opaque:
    """Something the importer does not model (the result of np.load(...), an undefined name...)."""

    label: str  # code-like: "numpy.load(...)", "x", "lambda"
    line: int
    skipped_call: bool = False
    why: str = "which the importer does not model"

    @property
    def what(self) -> str:
        return f"`{self.label}` (line {self.line}), {self.why}"


@dataclass(eq=False)
class _LayerObj:
    type: str
    name: str
    explicit: bool
    config: dict[str, Any]
    line: int
    input_spec: dict[str, Any] | None = None  # input_shape= & co. (used by Sequential)
    called: bool = False


@dataclass(eq=False)
class _NodeRec:
    layer: _LayerObj
    inputs: list[_NodeRec]
    line: int
    id: str = ""


@dataclass(eq=False)
class _Tensor:
    node: _NodeRec


@dataclass(frozen=True)
class _Ref:
    """A name in the Keras namespace, e.g. ("layers", "Dense"); () is ``keras`` itself."""

    path: tuple[str, ...]

    def attr(self, name: str) -> _Ref:
        p = self.path
        if name == "src" and p == ():
            return self
        if p == ("layers",) and name in LAYER_SUBMODULES:
            return self
        if p == () and name == "engine":
            return _Ref(("engine",))
        if p == ("engine",) and name in ENGINE_SUBMODULES:
            return self
        return _Ref(p + (name,))

    @property
    def canon(self) -> tuple[str, ...]:
        p = self.path
        if len(p) == 2 and p[0] in ("engine", "models"):
            return (p[1],)
        if p == ("layers", "Input"):
            return ("Input",)
        return p

    def dotted(self) -> str:
        return ".".join(("keras",) + self.path)


@dataclass(frozen=True)
class _Module:
    """A module outside Keras (numpy, os, tensorflow itself...) or one of its attributes."""

    path: str

    def attr(self, name: str) -> _Ref | _Module:
        if self.path == "tensorflow" and name == "keras":
            return _Ref(())
        return _Module(f"{self.path}.{name}")


@dataclass(eq=False)
class _KerasObj:
    """An instance of a Keras optimizer / loss / metric / initializer / regularizer / constraint."""

    module: str
    cls: str
    args: list[Any]
    kwargs: dict[str, Any]


@dataclass(eq=False)
class _UserFunc:
    node: ast.FunctionDef
    scope: _Scope
    defaults: list[Any]
    kw_defaults: list[Any]


@dataclass(eq=False)
class _Bound:
    obj: Any
    name: str


@dataclass(frozen=True)
class _Builtin:
    name: str


@dataclass(eq=False)
class _ModelBase:
    line: int
    name: str | None
    compiles: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    at_fit: tuple[int, dict[str, Any] | None] | None = None  # (fit line, compile in effect)
    fit_settings: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class _Model(_ModelBase):
    inputs: list[_Tensor] = field(default_factory=list)
    outputs: list[_Tensor] = field(default_factory=list)
    output_keys: list[str | None] = field(default_factory=list)


@dataclass(eq=False)
class _Sequential(_ModelBase):
    items: list[_LayerObj] = field(default_factory=list)
    input_node: _NodeRec | None = None
    input_layer: _LayerObj | None = None
    built: _Model | None = None


_NO_DEFAULT = object()  # a keyword-only parameter without a default


class _Scope:
    def __init__(self, parent: _Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return True, scope.vars[name]
            scope = scope.parent
        return False, None


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# --------------------------------------------------------------------------- entry point


def import_python(source: str | bytes, *, name: str | None = None) -> ImportResult:
    text = decode_text(source, "the Python file")
    try:
        tree = ast.parse(text, type_comments=False)
    except SyntaxError as exc:
        raise GraphImportError(f"invalid Python: {exc.msg}", exc.lineno) from None
    except (RecursionError, MemoryError):
        raise GraphImportError("the code is nested too deeply to parse") from None
    except ValueError as exc:  # e.g. null bytes
        raise GraphImportError(f"cannot parse the Python file: {exc}"[:300]) from None
    try:
        _refuse_hostile(tree)
        interp = _Interpreter(name)
        interp.description = _description(tree, text)
        return interp.run(tree)
    except RecursionError:
        raise GraphImportError("the code is nested too deeply to import") from None


def _refuse_hostile(tree: ast.AST) -> None:
    """Refuse code that reaches for dynamic evaluation or Python internals (never needed by a model)."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("__")
            and node.attr.endswith("__")
            and node.attr not in ALLOWED_DUNDER_ATTRS
        ):
            raise GraphImportError(
                f"refusing to import: the code accesses the attribute `{node.attr}`; dunder attributes are how "
                "code escapes a sandbox, and model code never needs them. The file was not run.",
                line,
            )
        if isinstance(node, ast.Name) and (
            node.id in REFUSED_NAMES
            or (node.id.startswith("__") and node.id.endswith("__") and node.id not in ALLOWED_DUNDER_NAMES)
        ):
            raise GraphImportError(
                f"refusing to import: the code uses `{node.id}`, which evaluates or reaches arbitrary code. "
                "The builder never runs uploaded code; write the model with plain Keras calls.",
                line,
            )
        if isinstance(node, ast.ImportFrom) and any(a.name in REFUSED_NAMES for a in node.names):
            raise GraphImportError(f"refusing to import: the code imports `{node.names[0].name}`", line)


# --------------------------------------------------------------------------- the interpreter


class _Interpreter:
    def __init__(self, default_name: str | None) -> None:
        self.default_name = default_name
        self.notes: list[ImportNote] = []
        self.steps = 0
        self.depth = 0
        self.line = 0
        self.counters: dict[str, int] = {}
        self.nodes: list[_NodeRec] = []
        self.models: list[_ModelBase] = []
        self.star_layers = False
        self.implicit_noted: set[str] = set()
        self.called_funcs: set[int] = set()
        self.subclassed: list[tuple[str, int]] = []
        self.description = ""
        self.globals = _Scope()
        self.globals.vars["__name__"] = "__main__"

    # ------------------------------------------------------------------ helpers
    def note(self, message: str, line: int | None = -1) -> None:
        """Record a warning at ``line`` (default: the current line; None: about the whole file)."""
        self.notes.append(ImportNote(message, self.line if line == -1 else line))

    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        return GraphImportError(message, self.line if line is None else line)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise self.fail(f"the code runs more than {MAX_STEPS:,} steps (a loop too long to import)")

    def auto_name(self, class_name: str) -> str:
        prefix = "input_layer" if class_name == "Input" else keras_snake(class_name)
        n = self.counters.get(prefix, 0)
        self.counters[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    # ------------------------------------------------------------------ run
    def run(self, tree: ast.Module) -> ImportResult:
        try:
            self.exec_block(tree.body, self.globals)
        except _Return:
            raise self.fail("`return` outside a function") from None
        except (_Break, _Continue):
            raise self.fail("`break` / `continue` outside a loop") from None
        if not self.models:
            self.run_uncalled_builders(tree)
        model = self.pick_model()
        graph = self.to_graph(model)
        return ImportResult(graph, tuple(dict.fromkeys(self.notes)), "python")

    def run_uncalled_builders(self, tree: ast.Module) -> None:
        """No model at module level: interpret the functions that build one (e.g. seed 004's ``def run():``)."""
        for stmt in tree.body:
            if not isinstance(stmt, ast.FunctionDef) or id(stmt) in self.called_funcs:
                continue
            if not _builds_model(stmt):
                continue
            func = self.globals.vars.get(stmt.name)
            if not isinstance(func, _UserFunc) or func.node is not stmt:
                continue
            a = stmt.args
            if len(a.posonlyargs) + len(a.args) > len(a.defaults) or any(d is None for d in a.kw_defaults):
                self.note(f"function {stmt.name}() builds a model but needs arguments; skipped", stmt.lineno)
                continue
            before = len(self.models)
            self.invoke(func, [], {}, stmt.lineno)
            if len(self.models) > before:
                self.note(
                    f"the model is built in {stmt.name}(), which the file never calls: its body was interpreted "
                    "(not run)",
                    stmt.lineno,
                )

    def pick_model(self) -> _Model:
        models = self.models
        if not models:
            if self.subclassed:
                cname, line = self.subclassed[0]
                raise self.fail(
                    f"class {cname} subclasses a Keras Model/Layer: subclassed models have no static graph to "
                    "import; write the model with the functional API",
                    line,
                )
            if any(n.layer.type != "Input" for n in self.nodes):
                return self.fallback_model()
            raise GraphImportError(
                "no model found: the code never calls keras.Model(...) or Sequential(...) on layers it builds"
            )
        compiled = [m for m in models if m.compiles]
        chosen = compiled[-1] if compiled else models[-1]
        if len(models) > 1:
            lines = ", ".join(str(m.line) for m in models)
            self.note(
                f"the code builds {len(models)} models (lines {lines}); imported the one at line {chosen.line}"
                + (" (the compiled one)" if compiled else " (the last one)"),
                chosen.line,
            )
        if isinstance(chosen, _Sequential):
            built = self.build_sequential(chosen)
            return replace(built, compiles=chosen.compiles, at_fit=chosen.at_fit, fit_settings=chosen.fit_settings)  # type: ignore[return-value]
        assert isinstance(chosen, _Model)
        return chosen

    def fallback_model(self) -> _Model:
        used = {id(src) for n in self.nodes for src in n.inputs}
        inputs = [_Tensor(n) for n in self.nodes if n.layer.type == "Input"]
        outputs = [_Tensor(n) for n in self.nodes if id(n) not in used and n.layer.type != "Input"]
        self.note(
            "the code never calls keras.Model(...): the import uses every Input as a model input and every "
            "result no layer consumes as a model output",
            None,
        )
        return _Model(line=0, name=None, inputs=inputs, outputs=outputs, output_keys=[None] * len(outputs))

    # ------------------------------------------------------------------ graph
    def to_graph(self, model: _Model) -> Graph:
        in_nodes = [t.node for t in model.inputs]
        out_nodes = [t.node for t in model.outputs]
        if not out_nodes:
            raise self.fail("the model has no outputs", model.line)
        keep: set[int] = set()
        stack = list(out_nodes)
        while stack:
            n = stack.pop()
            if id(n) in keep:
                continue
            keep.add(id(n))
            stack.extend(n.inputs)
        listed = {id(n) for n in in_nodes}
        for n in self.nodes:
            if id(n) in keep and n.layer.type == "Input" and id(n) not in listed:
                raise self.fail(
                    f"Graph disconnected: the outputs depend on the input '{n.layer.name}' (line {n.line}), which "
                    "is not one of the model's inputs",
                    model.line,
                )
        keep |= listed
        kept = [n for n in self.nodes if id(n) in keep]
        # Results computed from the model's tensors but never used: Keras leaves them out; say so.
        for n in self.nodes:
            if id(n) not in keep and n.inputs and all(id(s) in keep for s in n.inputs):
                self.note(
                    f"the result of layer '{n.layer.name}' is not used by the model's outputs; Keras leaves it "
                    "out, and so does the import",
                    n.line,
                )
        # Output dict keys name the heads: give auto-named head layers the key as their name.
        names_in_use = {n.layer.name for n in kept}
        for t, key in zip(model.outputs, model.output_keys):
            layer = t.node.layer
            if key is None or key == layer.name:
                continue
            if not layer.explicit and key not in names_in_use:
                self.note(f"output '{key}': its layer '{layer.name}' is named '{key}' after the dict key", model.line)
                names_in_use.discard(layer.name)
                layer.name = key
                names_in_use.add(key)
            else:
                self.note(
                    f"output dict key '{key}' differs from its layer's name '{layer.name}'; "
                    "the builder names outputs after their layers",
                    model.line,
                )
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
            edges.extend(Edge(src.id, n.id, port) for port, src in enumerate(n.inputs))
        outputs = [n.id for n in out_nodes]
        if len(set(outputs)) != len(outputs):
            raise self.fail("the model lists one output tensor twice", model.line)
        if len(set(id(n) for n in in_nodes)) != len(in_nodes):
            raise self.fail("the model lists one input twice", model.line)
        return Graph(
            layers=tuple(layers),
            nodes=tuple(nodes),
            edges=tuple(edges),
            inputs=tuple(n.id for n in in_nodes),
            outputs=tuple(outputs),
            name=model.name or self.default_name or "model",
            description=self.description,
            training=tuplify(self.training(model)),
        )

    def training(self, model: _ModelBase) -> dict[str, Any] | None:
        settings: dict[str, Any] | None = None
        if model.at_fit is not None:
            fit_line, settings = model.at_fit
            for line, other in model.compiles:
                if other is not settings:
                    self.note(
                        f"this compile(...) is ignored: the one in effect at the first fit (line {fit_line}) is "
                        "imported",
                        line,
                    )
        elif model.compiles:
            settings = model.compiles[-1][1]
            for line, _other in model.compiles[:-1]:
                self.note("this compile(...) is replaced by a later one", line)
        out = dict(settings or {})
        out.update(model.fit_settings)
        return out or None

    # ------------------------------------------------------------------ statements
    def loop_body(self, body: list[ast.stmt], scope: _Scope) -> bool:
        """Run one iteration of a loop body; False when it ``break``s (``continue`` ends it early)."""
        try:
            self.exec_block(body, scope)
        except _Break:
            return False
        except _Continue:
            pass
        return True

    def exec_block(self, stmts: Iterable[ast.stmt], scope: _Scope) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: ast.stmt, scope: _Scope) -> None:
        self.tick()
        self.line = stmt.lineno
        try:
            self._exec_stmt(stmt, scope)
        except (GraphImportError, _Return, _Break, _Continue, RecursionError):
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError) as exc:
            raise self.fail(f"cannot evaluate this statement: {type(exc).__name__}: {exc}"[:400], stmt.lineno) from None

    def _exec_stmt(self, stmt: ast.stmt, scope: _Scope) -> None:
        if isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Call):
                value = self.ev(stmt.value, scope)
                if isinstance(value, _Opaque) and value.skipped_call:
                    self.note(f"skipped {value.label}: not model code (never run)", stmt.lineno)
            return  # docstrings, bare attribute reads (`lstm.output`)...
        if isinstance(stmt, ast.Assign):
            value = self.ev(stmt.value, scope)
            for target in stmt.targets:
                self.assign(target, value, scope)
            return
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.ev(stmt.value, scope), scope)
            return
        if isinstance(stmt, ast.AugAssign):
            load = _as_load(stmt.target)
            value = self.binop(stmt.op, self.ev(load, scope), self.ev(stmt.value, scope), stmt)
            self.assign(stmt.target, value, scope)
            return
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            self.do_import(stmt, scope)
            return
        if isinstance(stmt, ast.FunctionDef):
            defaults = [self.ev(d, scope) for d in stmt.args.defaults]
            kw_defaults = [_NO_DEFAULT if d is None else self.ev(d, scope) for d in stmt.args.kw_defaults]
            scope.vars[stmt.name] = _UserFunc(stmt, scope, defaults, kw_defaults)
            return
        if isinstance(stmt, ast.AsyncFunctionDef):
            scope.vars[stmt.name] = _Opaque(f"the async function {stmt.name}", stmt.lineno)
            return
        if isinstance(stmt, ast.ClassDef):
            for base in stmt.bases:
                b = self.ev(base, scope)
                if isinstance(b, _Ref) and b.canon[-1:] in (("Model",), ("Layer",), ("Sequential",)):
                    self.subclassed.append((stmt.name, stmt.lineno))
            scope.vars[stmt.name] = _Opaque(f"the class {stmt.name}", stmt.lineno)
            return
        if isinstance(stmt, ast.If):
            branch = stmt.body if self.truth(self.ev(stmt.test, scope), stmt.test) else stmt.orelse
            self.exec_block(branch, scope)
            return
        if isinstance(stmt, ast.For):
            items = self.iterate(self.ev(stmt.iter, scope), stmt.iter)
            for item in items:
                self.tick()
                self.assign(stmt.target, item, scope)
                if not self.loop_body(stmt.body, scope):
                    return
            self.exec_block(stmt.orelse, scope)
            return
        if isinstance(stmt, ast.While):
            while self.truth(self.ev(stmt.test, scope), stmt.test):
                self.tick()
                if not self.loop_body(stmt.body, scope):
                    return
            self.exec_block(stmt.orelse, scope)
            return
        if isinstance(stmt, ast.Return):
            raise _Return(None if stmt.value is None else self.ev(stmt.value, scope))
        if isinstance(stmt, ast.Break):
            raise _Break()
        if isinstance(stmt, ast.Continue):
            raise _Continue()
        if isinstance(stmt, ast.Pass | ast.Assert | ast.Global | ast.Nonlocal):
            return
        if isinstance(stmt, ast.Delete):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    scope.vars.pop(t.id, None)
            return
        if isinstance(stmt, ast.With):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, _Opaque("a `with` context", stmt.lineno), scope)
            self.exec_block(stmt.body, scope)
            return
        if isinstance(stmt, ast.Try):
            self.exec_block(stmt.body, scope)
            self.exec_block(stmt.orelse, scope)
            self.exec_block(stmt.finalbody, scope)
            return
        if isinstance(stmt, ast.Raise):
            raise self.fail("the code raises an exception here (`raise`), so it builds no model along this path")
        raise self.fail(f"`{type(stmt).__name__}` statements are not supported by the importer")

    def assign(self, target: ast.expr, value: Any, scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.vars[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, _Tensor):
                raise self.fail(
                    f"the layer '{value.node.layer.name}' returns one tensor; it cannot be unpacked into "
                    f"{len(target.elts)} names (layers with several outputs, such as return_state=True, are not "
                    "supported)"
                )
            items = self.iterate(value, target)
            starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if starred:
                i = starred[0]
                after = len(target.elts) - i - 1
                if len(items) < len(target.elts) - 1:
                    raise self.fail(f"not enough values to unpack (expected at least {len(target.elts) - 1})")
                parts = items[:i] + [list(items[i : len(items) - after])] + items[len(items) - after :]
                for elt, v in zip(target.elts, parts):
                    self.assign(elt.value if isinstance(elt, ast.Starred) else elt, v, scope)
                return
            if len(items) != len(target.elts):
                raise self.fail(f"cannot unpack {len(items)} values into {len(target.elts)} names")
            for elt, v in zip(target.elts, items):
                self.assign(elt, v, scope)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value, scope)
            key = self.ev(target.slice, scope)
            if isinstance(container, dict) and _hashable(key):
                container[key] = value
            elif isinstance(container, list) and isinstance(key, int) and not isinstance(key, bool):
                container[key] = value
            # other item assignments (numpy arrays...) do not build the model
        elif isinstance(target, ast.Attribute):
            if target.attr == "trainable":
                self.note("setting `trainable` is not imported (the builder has no trainable flag)")
            # other attribute assignments (self.x = ...) build nothing
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, scope)
        else:
            raise self.fail(f"cannot assign to a {type(target).__name__}")

    def do_import(self, stmt: ast.Import | ast.ImportFrom, scope: _Scope) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    scope.vars[alias.asname] = _module_value(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    scope.vars[top] = _module_value(top)
            return
        module = stmt.module or ""
        if stmt.level:
            for alias in stmt.names:
                scope.vars[alias.asname or alias.name] = _Opaque(f"the relative import {alias.name}", stmt.lineno)
            return
        base = _module_value(module)
        for alias in stmt.names:
            if alias.name == "*":
                if isinstance(base, _Ref) and base.path in ((), ("layers",)):
                    self.star_layers = True
                continue
            scope.vars[alias.asname or alias.name] = base.attr(alias.name)

    # ------------------------------------------------------------------ expressions
    def ev(self, node: ast.expr, scope: _Scope) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id, scope, node)
        if isinstance(node, ast.Attribute):
            return self.get_attr(self.ev(node.value, scope), node.attr, node)
        if isinstance(node, ast.Call):
            return self.ev_call(node, scope)
        if isinstance(node, ast.List | ast.Tuple):
            items: list[Any] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    items.extend(self.iterate(self.ev(elt.value, scope), elt))
                else:
                    items.append(self.ev(elt, scope))
            self.check_len(len(items))
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    extra = self.ev(v, scope)
                    if isinstance(extra, dict):
                        out.update(extra)
                    else:
                        raise self.fail("`**` on something that is not a dict")
                    continue
                key = self.ev(k, scope)
                if not _hashable(key):
                    raise self.fail("dict keys must be constants")
                out[key] = self.ev(v, scope)
            return out
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, self.ev(node.left, scope), self.ev(node.right, scope), node)
        if isinstance(node, ast.UnaryOp):
            return self.unaryop(node, self.ev(node.operand, scope))
        if isinstance(node, ast.BoolOp):
            value: Any = None
            for v in node.values:
                value = self.ev(v, scope)
                t = self.truth(value, v)
                if isinstance(node.op, ast.And) and not t:
                    return value
                if isinstance(node.op, ast.Or) and t:
                    return value
            return value
        if isinstance(node, ast.Compare):
            return self.compare(node, scope)
        if isinstance(node, ast.Subscript):
            return self.subscript(self.ev(node.value, scope), self.ev(node.slice, scope), node)
        if isinstance(node, ast.Slice):
            parts = [None if p is None else self.ev(p, scope) for p in (node.lower, node.upper, node.step)]
            if not all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                return _Opaque("a slice", node.lineno)
            return slice(*parts)
        if isinstance(node, ast.IfExp):
            return self.ev(node.body if self.truth(self.ev(node.test, scope), node.test) else node.orelse, scope)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node, scope)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.comprehension(node, scope)
        if isinstance(node, ast.DictComp):
            return dict(self.comprehension(node, scope))
        if isinstance(node, ast.NamedExpr):
            value = self.ev(node.value, scope)
            self.assign(node.target, value, scope)
            return value
        if isinstance(node, ast.Lambda):
            return _Opaque("a lambda", node.lineno)
        if isinstance(node, ast.Set):
            return _Opaque("a set", node.lineno)
        raise self.fail(f"`{type(node).__name__}` expressions are not supported by the importer", node.lineno)

    def lookup(self, name: str, scope: _Scope, node: ast.expr) -> Any:
        found, value = scope.lookup(name)
        if found:
            return value
        if name in _BUILTINS:
            return _Builtin(name)
        if name == "print":
            return _Builtin("print")
        if name in _PY_BUILTINS:
            return _Opaque(name, node.lineno, why="a Python builtin the importer does not run")
        # Names the post uses without importing them (blog snippets often omit imports).
        implicit: Any = None
        if name in HELPERS or class_to_type(name) or name in ("InputLayer",):
            implicit = _Ref(("layers", name))
        elif name in ("Input", "Model", "Sequential"):
            implicit = _Ref((name,))
        elif name == "layers":
            implicit = _Ref(("layers",))
        elif name == "keras":
            implicit = _Ref(())
        elif name == "tf":
            implicit = _Module("tensorflow")
        elif self.star_layers and name[:1].isupper():
            implicit = _Ref(("layers", name))
        if implicit is not None:
            if not self.star_layers and name not in self.implicit_noted:
                self.implicit_noted.add(name)
                where = implicit.dotted() if isinstance(implicit, _Ref) else implicit.path
                self.note(f"`{name}` is not imported; assuming {where}", node.lineno)
            return implicit
        return _Opaque(name, node.lineno, why="which is not defined in this file")

    def get_attr(self, obj: Any, attr: str, node: ast.expr) -> Any:
        if isinstance(obj, _Ref | _Module):
            return obj.attr(attr)
        if isinstance(obj, _ModelBase):
            if attr in ("input", "inputs", "output", "outputs"):
                model = self.build_sequential(obj) if isinstance(obj, _Sequential) else obj
                assert isinstance(model, _Model)
                tensors = model.inputs if attr.startswith("input") else model.outputs
                if attr in ("input", "output") and len(tensors) == 1:
                    return tensors[0]
                return list(tensors)
            if attr == "layers":
                model = self.build_sequential(obj) if isinstance(obj, _Sequential) else obj
                assert isinstance(model, _Model)
                return self.model_layers(model)
            return _Bound(obj, attr)
        if isinstance(obj, _LayerObj):
            if attr == "output":
                calls = [n for n in self.nodes if n.layer is obj]
                if len(calls) == 1:
                    return _Tensor(calls[0])
                raise self.fail(
                    f"layer '{obj.name}' has {len(calls)} calls, hence the notion of 'layer output' is ill-defined",
                    node.lineno,
                )
            if attr == "name":
                return obj.name
            return _Opaque(f"{obj.name}.{attr}", node.lineno)
        if isinstance(obj, list | dict | str):
            return _Bound(obj, attr)
        if isinstance(obj, _Tensor):
            return _Opaque(
                f"tensor.{attr}", node.lineno, why="tensor attributes (shapes) are not known while importing"
            )
        if isinstance(obj, _Opaque):
            return _Opaque(f"{obj.label}.{attr}", node.lineno, why=obj.why)
        return _Opaque(f".{attr}", node.lineno)

    def model_layers(self, model: _Model) -> list[_LayerObj]:
        """The layers of a model, in the order their first calls were made (as model.layers lists them)."""
        keep: set[int] = set()
        stack = [t.node for t in model.outputs] + [t.node for t in model.inputs]
        while stack:
            n = stack.pop()
            if id(n) not in keep:
                keep.add(id(n))
                stack.extend(n.inputs)
        out: list[_LayerObj] = []
        for n in self.nodes:
            if id(n) in keep and all(la is not n.layer for la in out):
                out.append(n.layer)
        return out

    def ev_call(self, node: ast.Call, scope: _Scope) -> Any:
        func = self.ev(node.func, scope)
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                args.extend(self.iterate(self.ev(a.value, scope), a))
            else:
                args.append(self.ev(a, scope))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                extra = self.ev(kw.value, scope)
                if not isinstance(extra, dict) or not all(isinstance(k, str) for k in extra):
                    if isinstance(func, _Opaque | _Module):
                        return _Opaque(f"{_describe_callee(func)}(...)", node.lineno, True, "not model code")
                    raise self.fail("`**` on something that is not a dict of keyword arguments", node.lineno)
                kwargs.update(extra)
            else:
                kwargs[kw.arg] = self.ev(kw.value, scope)
        self.line = node.lineno
        return self.call(func, args, kwargs, node.lineno)

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if isinstance(func, _Ref):
            return self.keras_call(func, args, kwargs, line)
        if isinstance(func, _LayerObj):
            return self.call_layer(func, args, kwargs, line)
        if isinstance(func, _Sequential):
            tensor = self.single_arg(args, kwargs, f"the Sequential model at line {func.line}", line)
            self.note(f"a Sequential model (line {func.line}) is called as a layer: its layers are inlined", line)
            self.seq_input_check(func, line)
            for layer in func.items:
                tensor = self.call_layer(layer, [tensor], {}, line, in_sequential=True)
            return tensor
        if isinstance(func, _Model):
            raise self.fail(
                f"a functional Model (line {func.line}) is called as a layer: nested models are not supported; "
                "build one flat model",
                line,
            )
        if isinstance(func, _UserFunc):
            self.called_funcs.add(id(func.node))
            return self.invoke(func, args, kwargs, line)
        if isinstance(func, _Bound):
            return self.method(func, args, kwargs, line)
        if isinstance(func, _Builtin):
            return self.builtin(func.name, args, kwargs, line)
        if isinstance(func, _Module | _Opaque):
            return _Opaque(f"{_describe_callee(func)}(...)", line, True, "not model code")
        if isinstance(func, _KerasObj):
            return _Opaque(f"a call of keras.{func.module}.{func.cls}", line)
        raise self.fail(f"{_describe(func)} is not callable", line)

    # ------------------------------------------------------------------ Keras API
    def keras_call(self, ref: _Ref, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        canon = ref.canon
        head = canon[0] if canon else ""
        if canon == ("Input",):
            return self.make_input(args, kwargs, line)
        if canon in (("layers", "InputLayer"), ("InputLayer",)):
            return self.make_input_layer(args, kwargs, line)
        if canon in (("Model",), ("Functional",)):
            return self.make_model(args, kwargs, line)
        if canon == ("Sequential",):
            return self.make_sequential(args, kwargs, line)
        if head == "layers" and len(canon) >= 2:
            name = canon[-1]
            if name in HELPERS and len(canon) == 2:
                return self.helper(name, args, kwargs, line)
            ltype = class_to_type(name)
            if ltype is None or ltype == "Input":
                raise self.fail(f"keras.layers.{unsupported_class_message(name)}", line)
            return self.make_layer(name, ltype, args, kwargs, line)
        if head in ("optimizers", "losses", "metrics") and len(canon) == 2:
            return _KerasObj(head, canon[1], args, kwargs)
        if head in OBJECT_MODULES and len(canon) == 2:
            return _KerasObj(head, canon[1], args, kwargs)
        if head == "applications" and canon[-1][:1].isupper():
            raise self.fail(
                f"{ref.dotted()}(...) builds a model in Keras itself; the importer does not run Keras. Save it with "
                "model.save('model.keras') and import the .keras file",
                line,
            )
        if canon[-1:] == ("load_model",) or canon[-1:] == ("model_from_json",):
            raise self.fail(f"{ref.dotted()}(...) reads a model at run time; import that file instead", line)
        return _Opaque(f"{ref.dotted()}(...)", line, True)

    def make_layer(self, cls: str, ltype: str, args: list[Any], kwargs: dict[str, Any], line: int) -> _LayerObj:
        t = catalog()[ltype]
        order = POSITIONAL.get(ltype) or tuple(n for n, p in t.params.items() if p.required)
        if len(args) > len(order):
            raise self.fail(
                f"{cls}() takes at most {len(order)} positional argument(s) here ({', '.join(order) or 'none'}); "
                f"received {len(args)}. Pass the others by keyword",
                line,
            )
        raw: dict[str, Any] = dict(zip(order, args))
        for k, v in kwargs.items():
            if k in raw:
                raise self.fail(f"{cls}() got multiple values for argument '{k}'", line)
            raw[k] = v
        name = raw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail(f"the name of a {cls} layer must be a string; got {_describe(name)}", line)
        spec: dict[str, Any] = {}
        for key in ("input_shape", "batch_input_shape", "batch_size", "batch_shape"):
            if key in raw:
                spec[key] = self.config_value(raw.pop(key), f"{cls} argument `{key}`", line)
        if "input_dim" in raw and ltype != "Embedding":
            spec["input_shape"] = (self.config_value(raw.pop("input_dim"), f"{cls} argument `input_dim`", line),)
        trainable = raw.pop("trainable", True)
        if trainable is not True:
            self.note(
                f"{cls} layer: trainable={trainable!r} dropped (the builder has no trainable flag; its weights are "
                "counted as trainable)",
                line,
            )
        if "dtype" in raw:
            dtype = self.config_value(raw.pop("dtype"), f"{cls} argument `dtype`", line)
            if dtype not in (None, "float32"):
                self.note(f"{cls} layer: dtype={dtype!r} dropped (the builder assumes float32)", line)
        if ltype == "Embedding" and raw.get("input_length") is not None and not spec:
            # Keras 2 built a Sequential model from the first Embedding's input_length.
            spec["input_shape"] = (self.config_value(raw["input_length"], f"{cls} argument `input_length`", line),)
        for key in sorted(KERAS2_ONLY.get(ltype, set()) | {"weights", "input_dtype"}):
            if key in raw:
                raw.pop(key)
                self.note(f"{cls}: the Keras 2 argument `{key}` was dropped (Keras 3 does not use it)", line)
        config: dict[str, Any] = {}
        for key, value in raw.items():
            config[key] = self.config_value(value, f"{cls} argument `{key}`", line)
        explicit = name is not None
        layer_name = name if explicit else self.auto_name(catalog()[ltype].keras.rsplit(".", 1)[-1])
        return _LayerObj(ltype, layer_name, explicit, config, line, spec or None)

    def make_input(self, args: list[Any], kwargs: dict[str, Any], line: int) -> _Tensor:
        layer = self.input_layer_obj(args, kwargs, line, "Input")
        return _Tensor(self.new_node(layer, [], line))

    def make_input_layer(self, args: list[Any], kwargs: dict[str, Any], line: int) -> _LayerObj:
        return self.input_layer_obj(args, kwargs, line, "InputLayer")

    def input_layer_obj(self, args: list[Any], kwargs: dict[str, Any], line: int, what: str) -> _LayerObj:
        if len(args) > 1:
            raise self.fail(f"{what}() takes the shape as its only positional argument; pass the others by keyword")
        kw = dict(kwargs)
        if args:
            if "shape" in kw:
                raise self.fail(f"{what}() got multiple values for argument 'shape'", line)
            kw["shape"] = args[0]
        if "tensor" in kw and kw["tensor"] is not None:
            raise self.fail(f"{what}(tensor=...) is not supported: give it a shape", line)
        shape = kw.pop("shape", None)
        if shape is None:
            shape = kw.pop("input_shape", None)
        batch_size = kw.pop("batch_size", None)
        batch_shape = kw.pop("batch_shape", None)
        if batch_shape is None:
            batch_shape = kw.pop("batch_input_shape", None)
        if batch_shape is not None:
            bs = self.config_value(batch_shape, f"{what} argument `batch_shape`", line)
            if not isinstance(bs, tuple) or not bs:
                raise self.fail(f"{what}: batch_shape must be a tuple such as (None, 32); got {bs!r}", line)
            batch_size, shape = bs[0], bs[1:]
        if shape is None:
            raise self.fail(f"{what}() needs a shape, e.g. shape=(32,)", line)
        shape = self.config_value(shape, f"{what} argument `shape`", line)
        if isinstance(shape, int) and not isinstance(shape, bool):
            raise self.fail(f"Cannot convert '{shape}' to a shape: write shape=({shape},)", line)
        if not isinstance(shape, tuple) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape
        ):
            raise self.fail(f"{what}: shape must be a tuple of integers or None; got {shape!r}", line)
        config: dict[str, Any] = {"shape": shape}
        dtype = self.config_value(kw.pop("dtype", None), f"{what} argument `dtype`", line)
        if dtype is not None:
            config["dtype"] = dtype
        if batch_size is not None:
            config["batch_size"] = self.config_value(batch_size, f"{what} argument `batch_size`", line)
        sparse = kw.pop("sparse", None)
        if sparse:
            config["sparse"] = True
        name = kw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail(f"the name of an Input must be a string; got {_describe(name)}", line)
        for key in ("ragged", "optional", "tensor"):
            if kw.pop(key, None):
                self.note(f"{what}: `{key}` dropped (not supported)", line)
        if kw:
            raise self.fail(f"{what}() got unexpected arguments: {', '.join(sorted(kw))}", line)
        return _LayerObj("Input", name or self.auto_name("Input"), name is not None, config, line)

    def helper(self, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> _Tensor:
        ltype = HELPERS[name]
        kw = dict(kwargs)
        inputs = kw.pop("inputs", None)
        rest = list(args)
        if inputs is None:
            if not rest:
                raise self.fail(f"layers.{name}() needs a list of tensors", line)
            inputs = rest.pop(0)
        if ltype == "Concatenate" and rest:
            if "axis" in kw:
                raise self.fail("concatenate() got multiple values for argument 'axis'", line)
            kw["axis"] = rest.pop(0)
        if rest:
            raise self.fail(f"layers.{name}() takes the list of tensors (and for concatenate the axis); got more", line)
        cls = catalog()[ltype].keras.rsplit(".", 1)[-1]
        layer = self.make_layer(cls, ltype, [], kw, line)
        return self.call_layer(layer, [inputs], {}, line)

    def call_layer(
        self, layer: _LayerObj, args: list[Any], kwargs: dict[str, Any], line: int, in_sequential: bool = False
    ) -> _Tensor:
        if layer.type == "Input":
            raise self.fail(f"the InputLayer '{layer.name}' cannot be called; use keras.Input(shape=...)", line)
        if layer.input_spec and not in_sequential and not layer.called:
            self.note(
                f"input_shape= on layer '{layer.name}' is ignored outside a Sequential model (as in Keras 3)", line
            )
        x = self.single_arg(args, kwargs, f"{layer.type} layer '{layer.name}'", line)
        sources = self.tensors(x, f"the input of {layer.type} layer '{layer.name}'", line)
        return _Tensor(self.new_node(layer, sources, line))

    def single_arg(self, args: list[Any], kwargs: dict[str, Any], who: str, line: int) -> Any:
        kw = dict(kwargs)
        if not args and "inputs" in kw:
            args = [kw.pop("inputs")]
        for key, value in kw.items():
            if key == "training":
                self.note(f"{who}: the call argument training={value!r} was dropped", line)
            elif key == "mask" and value is None:
                continue
            else:
                raise self.fail(f"calling {who} with `{key}=` is not supported", line)
        if len(args) != 1:
            raise self.fail(
                f"{who} is called with {len(args)} arguments; expected one tensor or a list of tensors", line
            )
        return args[0]

    def tensors(self, value: Any, what: str, line: int) -> list[_NodeRec]:
        if isinstance(value, _Tensor):
            return [value.node]
        if isinstance(value, list | tuple):
            out = []
            for v in value:
                if not isinstance(v, _Tensor):
                    raise self.fail(
                        f"{what} must be a tensor or a flat list of tensors; one item is {_describe(v)}", line
                    )
                out.append(v.node)
            if not out:
                raise self.fail(f"{what} is an empty list", line)
            return out
        raise self.fail(
            f"{what} must be a tensor (the result of Input(...) or of a layer call); got {_describe(value)}", line
        )

    def new_node(self, layer: _LayerObj, sources: list[_NodeRec], line: int) -> _NodeRec:
        if len(self.nodes) >= _MAX_NODES:
            raise self.fail(f"the model has more than {_MAX_NODES:,} layer calls", line)
        node = _NodeRec(layer, sources, line)
        layer.called = True
        self.nodes.append(node)
        return node

    def make_model(self, args: list[Any], kwargs: dict[str, Any], line: int) -> _Model:
        kw = dict(kwargs)
        if len(args) > 2:
            raise self.fail("Model() takes inputs and outputs as its positional arguments", line)
        inputs = args[0] if args else kw.pop("inputs", None)
        outputs = args[1] if len(args) > 1 else kw.pop("outputs", None)
        if inputs is None or outputs is None:
            raise self.fail("Model() needs inputs= and outputs= (subclassed models cannot be imported)", line)
        name = kw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail("the model name must be a string", line)
        ins, _ = self.structure(inputs, "inputs", line)
        outs, keys = self.structure(outputs, "outputs", line)
        for t in ins:
            if t.node.layer.type != "Input":
                raise self.fail(
                    f"model inputs must come from keras.Input(...); one is the output of layer '{t.node.layer.name}'",
                    line,
                )
        model = _Model(line=line, name=name, inputs=ins, outputs=outs, output_keys=keys)
        self.models.append(model)
        return model

    def structure(self, value: Any, what: str, line: int) -> tuple[list[_Tensor], list[str | None]]:
        if isinstance(value, _Tensor):
            return [value], [None]
        if isinstance(value, dict):
            items = list(value.items())
            for _, v in items:
                if not isinstance(v, _Tensor):
                    raise self.fail(f"model {what}: every value must be a tensor; one is {_describe(v)}", line)
            return [v for _, v in items], [str(k) for k, _ in items]
        if isinstance(value, list | tuple):
            for v in value:
                if not isinstance(v, _Tensor):
                    raise self.fail(f"model {what}: every item must be a tensor; one is {_describe(v)}", line)
            if not value:
                raise self.fail(f"model {what} is an empty list", line)
            return list(value), [None] * len(value)
        raise self.fail(f"model {what} must be a tensor, a list or a dict of tensors; got {_describe(value)}", line)

    def make_sequential(self, args: list[Any], kwargs: dict[str, Any], line: int) -> _Sequential:
        kw = dict(kwargs)
        items = args[0] if args else kw.pop("layers", None)
        name = kw.pop("name", None)
        seq = _Sequential(line=line, name=name if isinstance(name, str) else None)
        if items is not None:
            for item in self.iterate(items, None):
                self.seq_add(seq, item, line)
        self.models.append(seq)
        return seq

    def seq_add(self, seq: _Sequential, item: Any, line: int) -> None:
        if seq.built is not None:
            raise self.fail("layers added to a Sequential model after it was used are not supported", line)
        if isinstance(item, _Tensor) and item.node.layer.type == "Input" and not item.node.inputs:
            if seq.items or seq.input_node or seq.input_layer:
                raise self.fail("keras.Input(...) must be the first item of a Sequential model", line)
            seq.input_node = item.node
            return
        if isinstance(item, _LayerObj) and item.type == "Input":
            if seq.items or seq.input_node or seq.input_layer:
                raise self.fail("an InputLayer must be the first item of a Sequential model", line)
            seq.input_layer = item
            return
        if isinstance(item, _LayerObj):
            if not seq.items and seq.input_node is None and seq.input_layer is None and item.input_spec:
                spec = item.input_spec
                shape = spec.get("input_shape")
                batch = spec.get("batch_input_shape") or spec.get("batch_shape")
                kw: dict[str, Any] = {"batch_shape": batch} if batch else {"shape": shape}
                if spec.get("batch_size") is not None and not batch:
                    kw["batch_size"] = spec["batch_size"]
                seq.input_layer = self.input_layer_obj([], kw, line, "input_shape")
                if item.type == "Embedding" and "input_length" not in item.config and "input_shape" in spec:
                    self.note(
                        f"the input shape {spec['input_shape']} of the Sequential model comes from the Embedding's "
                        "input_length (Keras 2 behaviour; Keras 3 needs keras.Input(shape=...))",
                        line,
                    )
            seq.items.append(item)
            return
        if isinstance(item, _Sequential):
            self.note(f"a Sequential model (line {item.line}) inside a Sequential: its layers are inlined", line)
            for layer in item.items:
                self.seq_add(seq, layer, line)
            return
        raise self.fail(f"Sequential models take layers; got {_describe(item)}", line)

    def seq_input_check(self, seq: _Sequential, line: int) -> None:
        if not seq.items:
            raise self.fail(f"the Sequential model at line {seq.line} has no layers", line)

    def build_sequential(self, seq: _Sequential) -> _Model:
        if seq.built is not None:
            return seq.built
        self.seq_input_check(seq, seq.line)
        if seq.input_node is not None:
            node = seq.input_node
        elif seq.input_layer is not None:
            node = self.new_node(seq.input_layer, [], seq.input_layer.line)
        else:
            raise self.fail(
                "the Sequential model has no input shape: add input_shape=... to its first layer or start it with "
                "keras.Input(shape=...)",
                seq.line,
            )
        tensor = _Tensor(node)
        for layer in seq.items:
            tensor = self.call_layer(layer, [tensor], {}, layer.line, in_sequential=True)
        seq.built = _Model(line=seq.line, name=seq.name, inputs=[_Tensor(node)], outputs=[tensor], output_keys=[None])
        return seq.built

    # ------------------------------------------------------------------ methods
    def method(self, bound: _Bound, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        obj, name = bound.obj, bound.name
        if isinstance(obj, _ModelBase):
            if name == "compile":
                settings = self.compile_settings(args, kwargs, line)
                obj.compiles.append((line, settings))
                return None
            if name in ("fit", "fit_generator", "train_on_batch"):
                if obj.at_fit is None:
                    current = obj.compiles[-1][1] if obj.compiles else None
                    obj.at_fit = (line, current)
                    obj.fit_settings = self.fit_settings(args, kwargs)
                return _Opaque("the training history", line)
            if name == "add" and isinstance(obj, _Sequential):
                if len(args) != 1:
                    raise self.fail("Sequential.add() takes one layer", line)
                self.seq_add(obj, args[0], line)
                return None
            if name == "pop" and isinstance(obj, _Sequential):
                if obj.items:
                    obj.items.pop()
                return None
            if name in MODEL_METHODS_SKIPPED:
                return _Opaque(f"model.{name}(...)", line)
            return _Opaque(f"model.{name}(...)", line, True)
        if isinstance(obj, list):
            if name == "append" and len(args) == 1:
                self.check_len(len(obj) + 1)
                obj.append(args[0])
                return None
            if name == "extend" and len(args) == 1:
                items = self.iterate(args[0], None)
                self.check_len(len(obj) + len(items))
                obj.extend(items)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.insert(args[0], args[1])
                return None
            if name == "pop" and len(args) <= 1:
                return obj.pop(*args)
            if name in ("index", "count") and len(args) == 1:
                return getattr(obj, name)(args[0])
        if isinstance(obj, dict):
            if name in ("keys", "values", "items") and not args:
                return list(getattr(obj, name)())
            if name == "get" and 1 <= len(args) <= 2 and _hashable(args[0]):
                return obj.get(*args)
            if name == "update" and len(args) <= 1:
                obj.update(*args, **kwargs)
                return None
        if isinstance(obj, str) and _all_const(args) and not kwargs:
            if name in ("format",):
                return _Opaque("str.format(...)", line)
            if name in ("upper", "lower", "strip", "replace", "join", "split", "startswith", "endswith"):
                if name == "join":
                    items = self.iterate(args[0], None) if args else []
                    if not all(isinstance(i, str) for i in items):
                        return _Opaque("str.join(...)", line)
                    result = obj.join(items)
                else:
                    result = getattr(obj, name)(*args)
                if isinstance(result, str):
                    self.check_len(len(result))
                return result
        return _Opaque(f"the method .{name}(...)", line)

    def compile_settings(self, args: list[Any], kwargs: dict[str, Any], line: int) -> dict[str, Any]:
        bound = dict(zip(("optimizer", "loss", "loss_weights", "metrics"), args))
        bound.update(kwargs)
        out: dict[str, Any] = {}
        opt = bound.get("optimizer", "rmsprop")
        if isinstance(opt, str):
            out["optimizer"] = opt.lower()
        elif isinstance(opt, _KerasObj) and opt.module == "optimizers":
            out["optimizer"] = opt.cls.lower()
            lr = opt.kwargs.get("learning_rate", opt.kwargs.get("lr", opt.args[0] if opt.args else None))
            if isinstance(lr, int | float) and not isinstance(lr, bool):
                out["learning_rate"] = lr
            extra = sorted(k for k in opt.kwargs if k not in ("learning_rate", "lr"))
            if extra:
                self.note(
                    f"optimizer settings {extra} dropped (the builder keeps the optimizer and learning rate)", line
                )
        else:
            self.note(f"compile: the optimizer {_describe(opt)} cannot be read; dropped", line)
        if "loss" in bound and bound["loss"] is not None:
            loss = self.loss_value(bound["loss"], line)
            if loss is not None:
                out["loss"] = loss
        weights = bound.get("loss_weights")
        if weights is not None:
            if _all_const([weights]):
                out["loss_weights"] = _listify(weights)
            else:
                self.note("compile: loss_weights are not constants; dropped", line)
        metrics = bound.get("metrics")
        if metrics is not None:
            names = self.metric_names(metrics)
            if names is not None:
                out["metrics"] = names
            else:
                self.note("compile: metrics cannot be read; dropped", line)
        for key in bound:
            if key not in ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                           "steps_per_execution", "jit_compile", "auto_scale_loss"):  # fmt: skip
                self.note(f"compile: argument `{key}` dropped", line)
        return out

    def loss_value(self, value: Any, line: int) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, list | tuple):
            items = [self.loss_value(v, line) for v in value]
            return None if any(i is None for i in items) else items
        if isinstance(value, dict):
            items2 = {str(k): self.loss_value(v, line) for k, v in value.items()}
            return None if any(i is None for i in items2.values()) else items2
        if isinstance(value, _KerasObj) and value.module == "losses":
            if value.args or value.kwargs:
                self.note(f"compile: the arguments of losses.{value.cls}(...) were dropped", line)
            return LOSS_CLASSES.get(value.cls, keras_snake(value.cls))
        if isinstance(value, _Ref) and value.canon[:1] == ("losses",) and len(value.canon) == 2:
            return LOSS_CLASSES.get(value.canon[1], value.canon[1])
        self.note(f"compile: the loss {_describe(value)} cannot be read; dropped", line)
        return None

    def metric_names(self, value: Any) -> list[Any] | dict[str, Any] | None:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):  # per head: {"age": ["mae"], ...}
            out_d: dict[str, Any] = {}
            for k, v in value.items():
                item = self.metric_names(v)
                if item is None or isinstance(item, dict):
                    return None
                out_d[str(k)] = item
            return out_d
        if isinstance(value, list | tuple):
            out = []
            for v in value:
                if isinstance(v, str):
                    out.append(v)
                elif isinstance(v, _KerasObj) and v.module == "metrics":
                    out.append(keras_snake(v.cls))
                elif isinstance(v, _Ref) and len(v.canon) == 2 and v.canon[0] in ("metrics", "losses"):
                    out.append(v.canon[1])
                else:
                    return None
            return out
        return None

    def fit_settings(self, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        bound = dict(zip(("x", "y", "batch_size", "epochs"), args))
        bound.update(kwargs)
        out = {}
        for key in ("epochs", "batch_size"):
            v = bound.get(key)
            if isinstance(v, int) and not isinstance(v, bool):
                out[key] = v
        v = bound.get("validation_split")
        if isinstance(v, int | float) and not isinstance(v, bool) and v:
            out["validation_split"] = v
        return out

    # ------------------------------------------------------------------ user functions
    def invoke(self, func: _UserFunc, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        fn = func.node
        if self.depth >= MAX_CALL_DEPTH:
            raise self.fail(f"functions call each other more than {MAX_CALL_DEPTH} levels deep", line)
        a = fn.args
        local = _Scope(func.scope)
        positional = [p.arg for p in a.posonlyargs + a.args]
        n_required = len(positional) - len(func.defaults)
        kw = dict(kwargs)
        for i, pname in enumerate(positional):
            if i < len(args):
                if pname in kw:
                    raise self.fail(f"{fn.name}() got multiple values for argument '{pname}'", line)
                local.vars[pname] = args[i]
            elif pname in kw:
                local.vars[pname] = kw.pop(pname)
            elif i >= n_required:
                local.vars[pname] = func.defaults[i - n_required]
            else:
                raise self.fail(f"{fn.name}() missing required argument '{pname}'", line)
        extra = args[len(positional) :]
        if a.vararg is not None:
            local.vars[a.vararg.arg] = tuple(extra)
        elif extra:
            raise self.fail(
                f"{fn.name}() takes {len(positional)} positional arguments but {len(args)} were given", line
            )
        for p, default in zip(a.kwonlyargs, func.kw_defaults):
            if p.arg in kw:
                local.vars[p.arg] = kw.pop(p.arg)
            elif default is not _NO_DEFAULT:
                local.vars[p.arg] = default
            else:
                raise self.fail(f"{fn.name}() missing keyword argument '{p.arg}'", line)
        if a.kwarg is not None:
            local.vars[a.kwarg.arg] = kw
        elif kw:
            raise self.fail(f"{fn.name}() got unexpected keyword arguments: {', '.join(sorted(kw))}", line)
        self.depth += 1
        saved = self.line
        try:
            self.exec_block(fn.body, local)
        except _Return as ret:
            return ret.value
        finally:
            self.depth -= 1
            self.line = saved
        return None

    # ------------------------------------------------------------------ constants
    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if name == "print":
            return None
        if kwargs and name not in ("sorted", "round", "int", "max", "min", "enumerate", "zip"):
            return _Opaque(f"{name}(...)", line)
        if name == "range":
            if not args or not all(isinstance(a, int) and not isinstance(a, bool) for a in args) or len(args) > 3:
                return _Opaque("range(...)", line)
            r = range(*args)
            self.check_len(len(r))
            return list(r)
        if name in ("list", "tuple"):
            items = self.iterate(args[0], None) if args else []
            return list(items) if name == "list" else tuple(items)
        if name == "len":
            if len(args) == 1 and isinstance(args[0], list | tuple | dict | str):
                return len(args[0])
            return _Opaque("len(...)", line)
        if name == "enumerate":
            start = kwargs.get("start", args[1] if len(args) > 1 else 0)
            return [(i + start, v) for i, v in enumerate(self.iterate(args[0], None))]
        if name == "zip":
            lists = [self.iterate(a, None) for a in args]
            return [tuple(t) for t in zip(*lists)]
        if name == "reversed":
            return list(reversed(self.iterate(args[0], None)))
        if name == "dict":
            if not args:
                return dict(kwargs)
            return _Opaque("dict(...)", line)
        if not _all_const(args) or not _all_const(list(kwargs.values())):
            return _Opaque(f"{name}(...)", line)
        if name == "str" and not all(isinstance(a, int | float | str | bool) or a is None for a in args):
            return _Opaque("str(...)", line)
        try:
            result = _BUILTINS[name](*args, **kwargs)
        except (TypeError, ValueError, OverflowError) as exc:
            raise self.fail(f"{name}(...): {exc}", line) from None
        self.check_value(result)
        return result

    def binop(self, op: ast.operator, a: Any, b: Any, node: ast.AST) -> Any:
        line = getattr(node, "lineno", self.line)
        if isinstance(a, _Tensor) or isinstance(b, _Tensor):
            raise self.fail(
                "arithmetic on tensors (such as x + y) is not supported: use layers.Add(), layers.Subtract() or "
                "layers.Multiply()",
                line,
            )
        seqs = (str, list, tuple)
        if isinstance(op, ast.Add) and isinstance(a, list | tuple) and type(a) is type(b):
            self.check_len(len(a) + len(b))
            return a + b  # lists of tensors too: inputs = [x1, x2] + extra
        if isinstance(op, ast.Mult) and (isinstance(a, seqs) or isinstance(b, seqs)):
            n, seq = (b, a) if isinstance(a, seqs) else (a, b)
            if not isinstance(n, int) or isinstance(n, bool):
                return _Opaque("an expression", line)
            self.check_len(len(seq) * max(n, 0))
            return seq * n
        if not _all_const([a, b]):
            return _first_opaque(a, b) or _Opaque("an expression", line)
        if isinstance(op, ast.Pow) and (
            isinstance(b, int | float) and abs(b) > 64 or isinstance(a, int | float) and abs(a) > MAX_INT
        ):
            raise self.fail("a number too large to import", line)
        if isinstance(op, ast.Mod) and isinstance(a, str) and re.search(r"%[^a-zA-Z%]*\d{4,}", a):
            raise self.fail("a format width too large to import", line)
        fn = _BINOPS.get(type(op))
        if fn is None:
            return _Opaque("an expression", line)
        try:
            result = fn(a, b)
        except ZeroDivisionError:
            raise self.fail("division by zero", line) from None
        self.check_value(result)
        return result

    def unaryop(self, node: ast.UnaryOp, v: Any) -> Any:
        if isinstance(node.op, ast.Not):
            return not self.truth(v, node.operand)
        if isinstance(v, _Tensor):
            raise self.fail("arithmetic on tensors is not supported", node.lineno)
        if isinstance(v, int | float) and not isinstance(v, bool) or isinstance(v, bool):
            if isinstance(node.op, ast.USub):
                return -v
            if isinstance(node.op, ast.UAdd):
                return +v
            if isinstance(node.op, ast.Invert) and isinstance(v, int):
                return ~v
        return _Opaque("an expression", node.lineno)

    def compare(self, node: ast.Compare, scope: _Scope) -> Any:
        left = self.ev(node.left, scope)
        for op, comp in zip(node.ops, node.comparators):
            right = self.ev(comp, scope)
            if isinstance(op, ast.Is | ast.IsNot):
                if not (left is None or right is None or isinstance(left, bool) or isinstance(right, bool)):
                    if not _all_const([left, right]):
                        return _first_opaque(left, right) or _Opaque("a comparison", node.lineno)
                result = (left is right) if isinstance(op, ast.Is) else (left is not right)
            else:
                if not _all_const([left, right]):
                    return _first_opaque(left, right) or _Opaque("a comparison", node.lineno)
                fn = _CMPOPS[type(op)]
                try:
                    result = fn(left, right)
                except TypeError as exc:
                    raise self.fail(f"cannot compare: {exc}", node.lineno) from None
            if not result:
                return False
            left = right
        return True

    def subscript(self, container: Any, key: Any, node: ast.Subscript) -> Any:
        if isinstance(container, _Tensor):
            raise self.fail(
                "indexing or slicing a tensor (x[...]) is not supported: use layers such as Reshape or Cropping",
                node.lineno,
            )
        if isinstance(container, list | tuple | str) and (
            isinstance(key, int) and not isinstance(key, bool) or isinstance(key, slice)
        ):
            try:
                return container[key]
            except IndexError:
                raise self.fail("index out of range", node.lineno) from None
        if isinstance(container, dict) and _hashable(key):
            if key not in container:
                raise self.fail(f"key {key!r} not found", node.lineno)
            return container[key]
        return _first_opaque(container, key) or _Opaque("an item of a container", node.lineno)

    def fstring(self, node: ast.JoinedStr, scope: _Scope) -> Any:
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
                continue
            assert isinstance(v, ast.FormattedValue)
            value = self.ev(v.value, scope)
            if isinstance(value, _LayerObj):
                value = value.name
            if not (value is None or isinstance(value, int | float | str | bool)):
                return _Opaque("an f-string", node.lineno)
            spec = ""
            if v.format_spec is not None:
                s = self.fstring(v.format_spec, scope)
                if not isinstance(s, str) or not FORMAT_SPEC.fullmatch(s):
                    raise self.fail("an f-string format spec the importer does not support", node.lineno)
                spec = s
            if v.conversion == ord("r"):
                value = repr(value)
            elif v.conversion in (ord("s"), ord("a")):
                value = str(value) if v.conversion == ord("s") else ascii(value)
            parts.append(format(value, spec))
        result = "".join(parts)
        self.check_len(len(result))
        return result

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp, scope: _Scope) -> Any:
        local = _Scope(scope)
        out: list[Any] = []

        def loop(i: int) -> None:
            if i == len(node.generators):
                self.tick()
                if isinstance(node, ast.DictComp):
                    out.append((self.ev(node.key, local), self.ev(node.value, local)))
                else:
                    out.append(self.ev(node.elt, local))
                self.check_len(len(out))
                return
            gen = node.generators[i]
            for item in self.iterate(self.ev(gen.iter, local), gen.iter):
                self.assign(gen.target, item, local)
                if all(self.truth(self.ev(c, local), c) for c in gen.ifs):
                    loop(i + 1)

        loop(0)
        return out

    def truth(self, value: Any, node: ast.AST) -> bool:
        if value is None or isinstance(value, bool | int | float | str | list | tuple | dict):
            return bool(value)
        if isinstance(value, _Tensor):
            raise self.fail("a tensor cannot be used as a boolean", getattr(node, "lineno", None))
        opaque = _first_opaque(value)
        if opaque is not None:
            raise self.fail(
                f"this condition depends on `{opaque.label}`, which the importer cannot evaluate without running "
                "the code",
                getattr(node, "lineno", None),
            )
        return True

    def iterate(self, value: Any, node: ast.AST | None) -> list[Any]:
        if isinstance(value, list | tuple):
            return list(value)
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, str):
            return list(value)
        line = getattr(node, "lineno", None) if node is not None else None
        opaque = _first_opaque(value)
        if opaque is not None:
            raise self.fail(f"cannot loop over `{opaque.label}` without running the code", line)
        raise self.fail(f"cannot iterate over {_describe(value)}", line)

    def check_len(self, n: int) -> None:
        if n > MAX_LEN:
            raise self.fail(f"a sequence longer than {MAX_LEN:,} items")

    def check_value(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise self.fail("a number too large to import")
        if isinstance(value, str | list | tuple):
            self.check_len(len(value))

    # ------------------------------------------------------------------ config values
    def config_value(self, value: Any, what: str, line: int) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list | tuple):
            return tuple(self.config_value(v, what, line) for v in value)
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise self.fail(f"{what}: dict keys must be strings", line)
            return {k: self.config_value(v, what, line) for k, v in value.items()}
        if isinstance(value, _Ref):
            canon = value.canon
            if len(canon) == 2 and canon[0] in ("activations", "losses", "metrics"):
                return canon[1]
            if len(canon) == 2 and canon[0] in OBJECT_MODULES:
                return keras_snake(canon[1]) if canon[1][:1].isupper() else canon[1]
            if len(canon) == 2 and canon[0] in ("ops", "backend") and canon[1] in DTYPES:
                return canon[1]
        if isinstance(value, _Module):
            parts = value.path.split(".")
            if parts[-1] in DTYPES and parts[0] in ("tensorflow", "numpy", "np"):
                return parts[-1]
            if parts[:2] == ["tensorflow", "nn"] and len(parts) == 3:
                return parts[2]
        if isinstance(value, _KerasObj) and value.module in OBJECT_MODULES:
            return self.serialize_object(value, what, line)
        if isinstance(value, _LayerObj):
            raise self.fail(f"{what}: a layer object as an argument is not supported", line)
        raise self.fail(f"{what} must be a literal value; got {_describe(value)}", line)

    def serialize_object(self, obj: _KerasObj, what: str, line: int) -> Any:
        cls = obj.cls
        if not cls[:1].isupper():  # function style: l2(0.01), he_normal(), max_norm(3)
            cls = {"l1": "L1", "l2": "L2", "l1_l2": "L1L2"}.get(cls) or "".join(p.title() for p in cls.split("_"))
        order = OBJECT_POSITIONAL.get(cls, ("seed",) if obj.module == "initializers" else ())
        if len(obj.args) > len(order):
            raise self.fail(f"{what}: pass the arguments of {obj.cls}(...) by keyword", line)
        config: dict[str, Any] = dict(zip(order, obj.args))
        for k, v in obj.kwargs.items():
            if k == "l" and cls in ("L1", "L2"):
                k = cls.lower()
            config[k] = self.config_value(v, what, line)
        config = {k: self.config_value(v, what, line) for k, v in config.items()}
        return simplify_object(
            {"module": f"keras.{obj.module}", "class_name": cls, "config": config, "registered_name": None}
        )


# --------------------------------------------------------------------------- small helpers


def _module_value(dotted: str) -> _Ref | _Module:
    """The value an import binds: a Keras namespace reference, or an opaque module."""
    parts = dotted.split(".")
    if parts[:2] == ["tensorflow", "python"]:
        parts = parts[2:]
    elif parts[0] == "tensorflow":
        parts = parts[1:]
        if not parts:
            return _Module("tensorflow")
    if not parts or parts[0] not in ("keras", "tf_keras"):
        return _Module(dotted)
    ref = _Ref(())
    for p in parts[1:]:
        ref = ref.attr(p)
    return ref


def _description(tree: ast.Module, text: str) -> str:
    """The module docstring, or the comment block under the header our code export writes."""
    doc = ast.get_docstring(tree)
    if doc:
        return doc.strip()[:2000]
    lines = text.splitlines()
    if lines and lines[0].strip() == "# Generated by Keras Graph Builder.":
        block = []
        for line in lines[1:]:
            if not line.startswith("#"):
                break
            block.append(line[1:].strip())
        return " ".join(block).strip()[:2000]
    return ""


def _builds_model(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in ("Model", "Sequential", "Functional"):
                return True
    return False


def _as_load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    if isinstance(target, ast.Subscript):
        return ast.copy_location(ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load()), target)
    if isinstance(target, ast.Attribute):
        return ast.copy_location(ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()), target)
    return target


def _first_opaque(*values: Any) -> _Opaque | None:
    """The opaque operand an expression depends on (so errors name the root cause)."""
    for v in values:
        if isinstance(v, _Opaque):
            return v
        if isinstance(v, _Module):
            return _Opaque(v.path, 0, why="not model code")
    return None


def _hashable(v: Any) -> bool:
    return (
        v is None or isinstance(v, bool | int | float | str) or (isinstance(v, tuple) and all(_hashable(x) for x in v))
    )


def _all_const(values: list[Any]) -> bool:
    for v in values:
        if v is None or isinstance(v, bool | int | float | str):
            continue
        if isinstance(v, list | tuple):
            if not _all_const(list(v)):
                return False
            continue
        if isinstance(v, dict):
            if not _all_const(list(v.keys())) or not _all_const(list(v.values())):
                return False
            continue
        return False
    return True


def _listify(v: Any) -> Any:
    if isinstance(v, tuple | list):
        return [_listify(x) for x in v]
    if isinstance(v, dict):
        return {k: _listify(x) for k, x in v.items()}
    return v


def _describe(v: Any) -> str:
    if isinstance(v, _Opaque):
        return v.what
    if isinstance(v, _LayerObj):
        return f"the layer object '{v.name}' (a layer, not a tensor: call it on a tensor first)"
    if isinstance(v, _Tensor):
        return f"a tensor (the output of '{v.node.layer.name}')"
    if isinstance(v, _Ref):
        return v.dotted()
    if isinstance(v, _Module):
        return v.path
    if isinstance(v, _ModelBase):
        return f"the model built at line {v.line}"
    if isinstance(v, _UserFunc):
        return f"the function {v.node.name}"
    if isinstance(v, _KerasObj):
        return f"keras.{v.module}.{v.cls}(...)"
    if isinstance(v, _Builtin):
        return f"the builtin {v.name}"
    if isinstance(v, _Bound):
        return f"the method `.{v.name}` of {_describe(v.obj)}"
    if isinstance(v, _Scope | _NodeRec):
        return type(v).__name__.strip("_").lower()
    r = repr(v)
    return r if len(r) < 60 else r[:57] + "..."


def _describe_callee(v: Any) -> str:
    if isinstance(v, _Module):
        return v.path
    if isinstance(v, _Opaque):
        return v.label.removesuffix("(...)")
    return _describe(v)


_BUILTINS: dict[str, Callable[..., Any]] = {
    "range": range,
    "len": len,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "abs": abs,
    "round": round,
    "min": min,
    "max": max,
    "sum": sum,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "sorted": sorted,
    "reversed": reversed,
    "enumerate": enumerate,
    "zip": zip,
}

_PY_BUILTINS = set(dir(builtins))

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}

_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
