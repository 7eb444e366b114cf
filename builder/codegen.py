"""Graph -> Python source in the style of the Keras functional API guide.

``to_python(graph)`` writes a module a person would have written::

    import keras
    from keras import layers


    def build_model():
        main_input = keras.Input(shape=(100,), dtype="int32", name="main_input")
        embedding = layers.Embedding(10000, 512, name="embedding")(main_input)
        ...
        model = keras.Model(
            inputs=[main_input, aux_input],
            outputs=[main_output, aux_output],
            name="news",
        )
        model.compile(optimizer="rmsprop", loss={...}, loss_weights={...})  # with training settings
        return model


    if __name__ == "__main__":
        build_model().summary()

A call with several outputs is unpacked (``enc_out, enc_h, enc_c = layers.LSTM(64,
return_state=True, name="enc")(x)``) and its states feed a later call as
``initial_state=[enc_h, enc_c]``. One statement per call; a shared layer is defined once (``shared_lstm = layers.LSTM(64,
name="shared_lstm")``) and then called (``shared_lstm_call_1 = shared_lstm(x)``); variable names come from layer names (valid, unique
identifiers, never keywords or builtins); every string is written as a quoted literal with its
characters escaped, so no layer name can inject code; params equal to the Keras default (read
from the catalog) are left out; the required leading params are positional, as the guide writes
them (``layers.Dense(64, activation="relu")``). The text is ``ruff format`` / black clean at the
default line length: a statement longer than 88 columns is split with magic trailing commas,
which the formatters keep at any line length.

No TensorFlow here: this module only reads the graph and the catalog.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .core.catalog import Catalog, LayerType, catalog, inner_layer, is_default
from .core.compile_spec import CompileSpec, compile_spec
from .core.graph import Graph
from .core.naming import to_snake_case
from .core.order import build_order
from .core.validate import validate
from .errors import CodegenError

LINE = 88  # black / ruff default; exploded statements carry magic trailing commas
INDENT = "    "

_RESERVED = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {"keras", "layers", "build_model", "model", "self", "np", "tf"}
)


# --------------------------------------------------------------------------- literals


def literal(value: Any) -> str:
    """Python source for a plain value (None, bool, int, float, str, tuple, list, dict).

    Strings get double quotes unless that needs more escapes (black's rule), and every
    character that is a quote, a backslash or not printable is escaped: the result is always
    one inert literal on one line."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write a non-finite number ({value!r})")
        return repr(value)
    if isinstance(value, str):
        return _str_literal(value)
    if isinstance(value, tuple):
        if len(value) == 1:
            return f"({literal(value[0])},)"
        return "(" + ", ".join(literal(v) for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"cannot write a value of type {type(value).__name__} as Python")


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _str_literal(s: str) -> str:
    quote = "'" if s.count('"') > s.count("'") else '"'
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Seq:
    """A bracketed sequence of items (already source text or nested _Seq / _Arg)."""

    open: str
    close: str
    items: tuple[Any, ...]
    one_tuple: bool = False  # a 1-tuple needs its comma when flat


@dataclass(frozen=True)
class _Arg:
    prefix: str  # "" or "name=" or '"key": '
    value: Any  # str or _Seq


def _flat(x: Any) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, _Arg):
        return x.prefix + _flat(x.value)
    inner = ", ".join(_flat(i) for i in x.items)
    if x.one_tuple:
        inner += ","
    return x.open + inner + x.close


def _exploded(x: _Seq, indent: str) -> list[str]:
    """``open`` on the current line, one item per line (trailing commas), ``close`` alone."""
    inner = indent + INDENT
    lines = [x.open]
    for item in x.items:
        text = _item_lines(item, inner)
        text[-1] += ","
        lines.extend(text)
    lines.append(indent + x.close)
    return lines


def _item_lines(item: Any, indent: str) -> list[str]:
    """One item of an exploded sequence (its trailing comma counts against the line)."""
    flat = indent + _flat(item)
    if len(flat) + 1 <= LINE:
        return [flat]
    prefix, value = (item.prefix, item.value) if isinstance(item, _Arg) else ("", item)
    if isinstance(value, _Seq) and value.items:
        lines = _exploded(value, indent)
        lines[0] = indent + prefix + lines[0]
        return lines
    return [flat]


def _value(v: Any) -> Any:
    """A config value as layout: sequences and dicts can be split, the rest is one literal."""
    if isinstance(v, tuple):
        return _Seq("(", ")", tuple(_value(i) for i in v), one_tuple=len(v) == 1)
    if isinstance(v, list):
        return _Seq("[", "]", tuple(_value(i) for i in v))
    if isinstance(v, Mapping):
        return _Seq("{", "}", tuple(_Arg(literal(k) + ": ", _value(i)) for k, i in v.items()))
    return literal(v)


def _call_arg(ltype: LayerType, sources: list[str]) -> Any:
    """What a layer call passes: a list (``Add()([a, b])``), the tensors themselves for a layer
    with ``call_ports`` (``mha(query, value)``: a ``_Seq`` opened by ``(``), or the one tensor."""
    if ltype.call_ports:
        return _Seq("(", ")", tuple(sources))  # the call's own parentheses
    if ltype.takes_list:
        return _Seq("[", "]", tuple(sources))
    return sources[0]


def _parens(tail: Any) -> str:
    """``tail`` as the argument text of a call, parentheses included."""
    if isinstance(tail, _Seq) and tail.open == "(":
        return _flat(tail)
    return "(" + _flat(tail) + ")"


def _call_stmt(head: str, args: _Seq, indent: str, tail: Any = None) -> list[str]:
    """``head(args)`` or ``head(args)(tail)``, split the way ruff keeps it."""
    tail_flat = None if tail is None else _parens(tail)
    flat = indent + head + _flat(args) + (tail_flat or "")
    if len(flat) <= LINE:
        return [flat]
    if tail is None:
        lines = _exploded(args, indent)
        lines[0] = indent + head + lines[0]
        return lines
    # A chain f(args)(tail).
    first = indent + head + _flat(args)
    if isinstance(tail, _Seq) and len(first) + 1 <= LINE:
        # f(args)(\n    [\n        a,\n    ]\n)
        return [first + "(", *_exploded_list_arg(tail, indent)]
    if args.items:
        lines = _exploded(args, indent)
        lines[0] = indent + head + lines[0]
    else:
        lines = [indent + head + "()"]
    last = lines[-1] + tail_flat
    if len(last) <= LINE or not isinstance(tail, _Seq):
        lines[-1] = last
        return lines
    lines[-1] += "("
    return lines + _exploded_list_arg(tail, indent)


def _exploded_list_arg(tail: _Seq, indent: str) -> list[str]:
    if tail.open == "(":  # the call's own arguments, one per line
        return [indent + INDENT + _flat(i) + "," for i in tail.items] + [indent + ")"]
    if not tail.open:  # call arguments (``x, initial_state=[h, c]``): one per line
        return [*_with_commas(tail.items, indent + INDENT), indent + ")"]
    body = _exploded(tail, indent + INDENT)
    body[0] = indent + INDENT + body[0]
    return [*body, indent + ")"]


def _with_commas(items: tuple[Any, ...], indent: str) -> list[str]:
    """Trailing commas after each item of exploded call arguments (an item may span lines)."""
    out: list[str] = []
    for item in items:
        part = _item_lines(item, indent)
        part[-1] += ","
        out.extend(part)
    return out


def _single_arg_call(head: str, arg: Any, indent: str) -> list[str]:
    """``head(arg)`` for a call of a shared layer or a model's call."""
    flat = indent + head + _parens(arg)
    if len(flat) <= LINE:
        return [flat]
    if isinstance(arg, _Seq):
        return [indent + head + "(", *_exploded_list_arg(arg, indent)]
    return [indent + head + "(", indent + INDENT + _flat(arg) + ",", indent + ")"]


# --------------------------------------------------------------------------- names


def identifier(text: str, fallback: str = "x") -> str:
    """A readable Python identifier from a layer name: ASCII letters, digits and underscores,
    lower case, never a keyword, a builtin or a name the generated module uses."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")  # ü -> u
    s = re.sub(r"[^0-9A-Za-z]+", "_", ascii_text).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s:
        s = fallback
    if s[0].isdigit():
        s = f"{fallback}_{s}"
    s = s[:40].rstrip("_") or fallback
    if s in _RESERVED or keyword.iskeyword(s):
        s += "_"
    return s


class _Names:
    def __init__(self) -> None:
        self.used: set[str] = set(_RESERVED)

    def take(self, text: str, fallback: str) -> str:
        base = identifier(text, fallback)
        name = base
        i = 2
        while name in self.used:
            name = f"{base}_{i}"
            i += 1
        self.used.add(name)
        return name


# --------------------------------------------------------------------------- params


def positional_params(ltype: LayerType) -> list[str]:
    """The params written positionally: the leading required ones (as in ``Dense(64)``,
    ``Conv2D(64, 3)``, ``Embedding(10000, 512)``), or those the catalog's ``code_positional``
    names (a leading ``pool_size``)."""
    return list(ltype.code_positional)


def _param_value(param: Any, value: Any) -> Any:
    """A config value as layout; a wrapped layer (kind ``layer``) as its constructor call."""
    if param is not None and param.kind == "layer":
        inner = inner_layer(value)
        if inner is not None and inner[0] in catalog().types:
            inner_type = catalog()[inner[0]]
            args = layer_args(inner_type, inner[1], None)
            return _Seq(_callee(inner_type) + "(", ")", args.items)
    return _value(value)


# Long vocabularies, bin boundaries, means...: written once as a module constant above
# build_model (one item per line), so that the layer call stays one readable statement.
_HOIST_KINDS = frozenset({"str_list", "numbers"})
HOIST_OVER = 8  # items


class _Constants:
    """Module-level constants of the generated file, in order (name -> value)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def take(self, stem: str, value: Any) -> str:
        base = re.sub(r"[^0-9A-Za-z]+", "_", stem).strip("_").upper() or "VALUES"
        if base[0].isdigit():
            base = "_" + base
        name, i = base, 1
        while name in self.values:
            i += 1
            name = f"{base}_{i}"
        self.values[name] = value
        return name

    def lines(self) -> list[str]:
        out: list[str] = []
        for name, value in self.values.items():
            out += _exploded(_Seq("[", "]", tuple(_value(v) for v in value)), "")
            out[-len(value) - 2] = f"{name} = " + out[-len(value) - 2]
        return out


def _hoisted(param: Any, value: Any) -> bool:
    return (
        param is not None and param.kind in _HOIST_KINDS and isinstance(value, list | tuple) and len(value) > HOIST_OVER
    )


def layer_args(
    ltype: LayerType, config: Mapping[str, Any], name: str | None, constants: _Constants | None = None
) -> _Seq:
    """The constructor arguments: positional leading params, then keywords (catalog order),
    defaults left out, ``name=`` last (none for a wrapped layer: its wrapper names it). With
    ``constants``, long vocabularies and other long lists become module constants
    (``vocabulary=TITLE_LOOKUP_VOCABULARY``)."""
    items: list[Any] = []
    positional = positional_params(ltype)
    rest = list(config)
    for pname in positional:
        if pname not in config:
            break
        if not ltype.params[pname].required and is_default(ltype.params[pname], config[pname]):
            break
        items.append(_param_value(ltype.params[pname], config[pname]))
        rest.remove(pname)
    ordered = [p for p in ltype.params if p in rest] + [p for p in rest if p not in ltype.params]
    for pname in ordered:
        param = ltype.params.get(pname)
        if param is not None and is_default(param, config[pname]):
            continue
        if constants is not None and _hoisted(param, config[pname]):
            items.append(_Arg(f"{pname}=", constants.take(f"{name or ltype.type}_{pname}", config[pname])))
            continue
        items.append(_Arg(f"{pname}=", _param_value(param, config[pname])))
    if name is not None:
        items.append(_Arg("name=", literal(name)))
    return _Seq("(", ")", tuple(items))


def _callee(ltype: LayerType) -> str:
    path = ltype.keras
    if path.startswith("keras.layers."):
        return "layers." + path[len("keras.layers.") :]
    if path.startswith("keras."):
        return path
    return f"layers.{ltype.type}"


def _tensor_list(names: list[str]) -> Any:
    return names[0] if len(names) == 1 else _Seq("[", "]", tuple(names))


def _compile_args(spec: CompileSpec) -> _Seq:
    if spec.learning_rate is None:
        optimizer: Any = literal(spec.optimizer)
    else:
        optimizer = f"keras.optimizers.{spec.optimizer_class()}(learning_rate={literal(spec.learning_rate)})"
    items: list[Any] = [_Arg("optimizer=", optimizer)]
    items.append(_Arg("loss=", _value(spec.loss)))
    items.append(_Arg("loss_weights=", _value(spec.loss_weights)))
    if spec.metrics is not None:
        items.append(_Arg("metrics=", _value(spec.metrics)))
    return _Seq("(", ")", tuple(items))


def _comment(text: str) -> list[str]:
    out = []
    for para in text.splitlines():
        clean = "".join(ch if ch.isprintable() else " " for ch in para).strip()
        if not clean:
            continue
        out.extend("# " + line for line in textwrap.wrap(clean, LINE - 2, break_long_words=False))
    return out


# --------------------------------------------------------------------------- the module


def to_python(graph: Graph, cat: Catalog | None = None) -> str:
    """The graph as a Python module that rebuilds the same ``keras.Model``.

    Raises :class:`CodegenError` when the graph has errors (the validator's issues)."""
    cat = cat or catalog()
    report = validate(graph, cat)
    if not report.ok:
        raise CodegenError(report.errors)
    spec = compile_spec(graph) if graph.training and graph.training.get("loss") is not None else None
    order = build_order(graph)

    names = _Names()
    layer_var: dict[str, str] = {}
    tensor_var: dict[str, str] = {}
    # Shared layers get their variable first (named after the layer, as the inspector's Name
    # field); the k-th call of one is ``<layer>_call_<k>``, k counted as the inspector's heading
    # "lstm (call k of n)" counts (from 1, in the order of ``graph.calls``).
    live = set(order)
    for layer in graph.layers:
        if sum(1 for n in graph.calls.get(layer.id, ()) if n in live) > 1:
            layer_var[layer.id] = names.take(layer.name, _fallback(layer.type))
    for nid in order:
        layer = graph.layer_of(nid)
        if layer.id in layer_var:
            k = graph.calls[layer.id].index(nid) + 1
            call_name = f"{layer_var[layer.id][:30]}_call_{k}"
            tensor_var[nid] = names.take(call_name, call_name)
        else:
            tensor_var[nid] = names.take(layer.name, _fallback(layer.type))
    # Calls with several outputs: one variable per output port, named after the port.
    port_var: dict[tuple[str, int], str] = {}
    for nid in order:
        layer = graph.layer_of(nid)
        ports = cat[layer.type].output_ports(dict(layer.config))
        for k, pname in enumerate(ports[1:], start=1):
            port_var[(nid, k)] = names.take(f"{tensor_var[nid]}_{pname}", f"{tensor_var[nid]}_{k}")

    def var_of(nid: str, port: int) -> str:
        return tensor_var[nid] if port == 0 else port_var[(nid, port)]

    body: list[str] = []
    constants = _Constants()
    defined: set[str] = set()
    for nid in order:
        layer = graph.layer_of(nid)
        ltype = cat[layer.type]
        config = dict(layer.config)
        n_ports = len(ltype.output_ports(config))
        target = ", ".join(var_of(nid, k) for k in range(n_ports)) + " = "
        if ltype.is_input:
            items: list[Any] = [_Arg("shape=", _value(tuple(config.pop("shape"))))]
            for pname, param in ltype.params.items():
                if pname in config and not is_default(param, config[pname]):
                    items.append(_Arg(f"{pname}=", _value(config[pname])))
            items.append(_Arg("name=", literal(layer.name)))
            body += _call_stmt(target + "keras.Input", _Seq("(", ")", tuple(items)), INDENT)
            continue
        ctor, call_kwargs = ltype.split_config(config)
        args = layer_args(ltype, ctor, layer.name, constants)
        sources = [var_of(e.source, e.source_port) for e in graph.in_edges.get(nid, [])]
        main, states = ltype.split_inputs(sources)
        extra = [_Arg(f"{k}=", _value(v)) for k, v in call_kwargs.items()]
        if states:
            extra.insert(0, _Arg("initial_state=", _Seq("[", "]", tuple(states))))
        arg: Any = _call_arg(ltype, main)
        if extra:  # the call takes keywords too: ``lstm(x, initial_state=[h, c])``
            head = tuple(main) if ltype.call_ports else (arg,)
            arg = _Seq("", "", (*head, *extra))
        if layer.id in layer_var:
            var = layer_var[layer.id]
            if layer.id not in defined:
                defined.add(layer.id)
                body += _call_stmt(f"{var} = {_callee(ltype)}", args, INDENT)
            body += _single_arg_call(target + var, arg, INDENT)
        else:
            body += _call_stmt(target + _callee(ltype), args, INDENT, tail=arg)

    model_args = _Seq(
        "(",
        ")",
        (
            _Arg("inputs=", _tensor_list([tensor_var[i] for i in graph.inputs])),
            _Arg("outputs=", _tensor_list([var_of(o, p) for o, p in graph.output_refs()])),
            _Arg("name=", literal(graph.name)),
        ),
    )
    body += _call_stmt("model = keras.Model", model_args, INDENT)
    if spec is not None:
        body += _call_stmt("model.compile", _compile_args(spec), INDENT)
    body.append(INDENT + "return model")

    header = ["# Generated by Keras Graph Builder."]
    if graph.description:
        header += _comment(graph.description)
    imports = ["import keras"]
    if any(_callee(cat[graph.layer_of(n).type]).startswith("layers.") for n in order):
        imports.append("from keras import layers")
    lines = [
        *header,
        *imports,
        "",
        *([*constants.lines(), "", ""] if constants.values else [""]),
        "def build_model():",
        *body,
        "",
        "",
        'if __name__ == "__main__":',
        INDENT + "build_model().summary()",
    ]
    return "\n".join(lines) + "\n"


def _fallback(type_name: str) -> str:
    return "input_layer" if type_name == "Input" else to_snake_case(type_name)
