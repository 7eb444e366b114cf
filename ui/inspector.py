"""The inspector: a form for the selected node generated from the catalog (right widget per
param kind, Keras default shown, range enforced, advanced params folded away), rename, layer
instance (new / reuse: how sharing is made and undone), input order, model output, delete.
With nothing selected it shows the model: name, inputs and outputs in order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from builder.codegen import identifier
from builder.core.catalog import LayerType, Param, catalog, check_param, inner_layer
from builder.core.graph import UNSET, Graph
from builder.core.shapes import fmt
from builder.errors import GraphEditError

from . import params as P
from .canvas import CANVAS_HEIGHT
from .costs import node_cost_line
from .document import Document
from .flow import call_label, call_of
from .quickfix import fix_buttons
from .text import md

NEW_LAYER = "\x00new"


def _apply(doc: Document, fn: Any, label: str) -> None:
    try:
        graph = fn(doc.graph)
    except GraphEditError as exc:
        doc.message = ("error", str(exc))
        return
    doc.apply(graph, label)


def _stale(doc: Document, key: str) -> bool:
    """True when the widget behind ``key`` was drawn before the last Undo/Redo.

    Widget keys end with the document's ``rev``. A value of such a widget can reach the server
    in the same rerun as an Undo/Redo click, whose callback runs first and restores another
    graph; writing the value into that graph would be an edit nobody made, so it is ignored.
    (Two edits of one graph sent together are both applied.)"""
    try:
        rev = int(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return True
    return rev < doc.jumped


# ---------------------------------------------------------------------- callbacks


def _set_param(doc: Document, layer_id: str, param: Param, key: str, wrapper: str | None = None) -> None:
    if _stale(doc, key):
        return
    raw = st.session_state.get(key)
    layer = doc.graph.layer_by_id.get(layer_id)
    if layer is None:
        return
    if param.kind in P.TEXT_KINDS:
        try:
            value = P.parse_value(param, raw or "")
        except P.ParamInputError as exc:
            doc.message = ("error", f"{layer.name}: {exc}. The value was not changed.")
            return
    elif param.kind == "bool" and param.default is None:
        value = {"True": True, "False": False}.get(raw)
    else:
        value = raw
    if isinstance(value, float) and param.kind == "int":
        value = int(value)
    if value is None and param.required:
        doc.message = ("error", f"{layer.name}: `{param.name}` is required. The value was not changed.")
        return
    if value is not None:
        msg = P.check(param, value)
        if msg:
            doc.message = ("error", f"{layer.name}: {msg}. The value was not changed.")
            return
    new = UNSET if value is None or P.same_as_default(param, value) else value
    if wrapper is not None:  # a param of the wrapped layer: a new value of the wrapper's param
        _set_wrapped(doc, layer_id, wrapper, param.name, new)
        return
    _apply(doc, lambda g: g.update_config(layer_id, **{param.name: new}), f"set {layer.name}.{param.name}")


def _set_wrapped(doc: Document, layer_id: str, wrapper: str, name: str, value: Any) -> None:
    layer = doc.graph.layer_by_id[layer_id]
    inner = inner_layer(layer.config.get(wrapper))
    if inner is None:
        return
    config = {k: v for k, v in inner[1].items() if k != name}
    if value is not UNSET:
        config[name] = value
    wrapped = {"type": inner[0], "config": config}
    _apply(doc, lambda g: g.update_config(layer_id, **{wrapper: wrapped}), f"set {layer.name}.{wrapper}.{name}")


def _set_wrapped_type(doc: Document, layer_id: str, wrapper: str, key: str) -> None:
    if _stale(doc, key):
        return
    type_name = st.session_state.get(key)
    layer = doc.graph.layer_by_id.get(layer_id)
    if layer is None:
        return
    if type_name is None:
        _apply(doc, lambda g: g.update_config(layer_id, **{wrapper: UNSET}), f"unwrap {layer.name}.{wrapper}")
        return
    if type_name not in catalog().types:
        return
    # the new type's starter values, then every value of the old wrapped layer the new type takes
    new_type = catalog()[type_name]
    config = new_type.starter
    old = inner_layer(layer.config.get(wrapper))
    for name, value in (old[1] if old else {}).items():
        param = new_type.params.get(name)
        if param is not None and check_param(param, value, catalog().activations) is None:
            config[name] = value
    wrapped = {"type": type_name, "config": config}
    _apply(doc, lambda g: g.update_config(layer_id, **{wrapper: wrapped}), f"wrap {type_name} in {layer.name}")


def _rename(doc: Document, layer_id: str, key: str) -> None:
    if _stale(doc, key):
        return
    name = str(st.session_state.get(key) or "").strip()
    layer = doc.graph.layer_by_id.get(layer_id)
    if layer is None or name == layer.name:
        return
    if not name:
        doc.message = ("error", "A layer name cannot be empty. The name was not changed.")
        return
    _apply(doc, lambda g: g.rename_layer(layer_id, name), f"rename {layer.name} → {name}")


def _set_instance(doc: Document, node_id: str, key: str) -> None:
    if _stale(doc, key):
        return
    choice = st.session_state.get(key)
    g = doc.graph
    if node_id not in g.node_by_id:
        return
    if choice == NEW_LAYER:
        _apply(doc, lambda g: g.unshare(node_id), f"unshare {g.node_label(node_id)}")
    elif choice in g.layer_by_id and choice != g.node_by_id[node_id].layer:
        name = g.layer_by_id[choice].name
        _apply(doc, lambda g: g.reuse_layer(node_id, choice), f"{g.node_label(node_id)} reuses {name}")


def _set_inputs(doc: Document, node_id: str, sources: list[str], label: str) -> None:
    _apply(doc, lambda g: g.set_input_order(node_id, sources), label)


def _add_input(doc: Document, node_id: str, key: str) -> None:
    if _stale(doc, key):
        return
    src = st.session_state.get(key)
    if src and src in doc.graph.node_by_id:
        g = doc.graph
        _apply(doc, lambda g: g.connect(src, node_id), f"connect {g.node_label(src)} → {g.node_label(node_id)}")


def _toggle_output(doc: Document, node_id: str, key: str) -> None:
    if _stale(doc, key):
        return
    on = bool(st.session_state.get(key))
    # other outputs keep their output ports (a state h of an LSTM is output port 1)
    refs = [r for r in doc.graph.output_refs() if r[0] != node_id] + ([(node_id, 0)] if on else [])
    label = ("mark" if on else "unmark") + f" {doc.graph.node_label(node_id)} as output"
    _apply(doc, lambda g: g.set_outputs([n for n, _ in refs], [p for _, p in refs]), label)


def _move_in_list(doc: Document, which: str, index: int, delta: int) -> None:
    ids = list(getattr(doc.graph, which))
    j = index + delta
    if not (0 <= index < len(ids) and 0 <= j < len(ids)):
        return
    ids[index], ids[j] = ids[j], ids[index]
    if which == "outputs":  # each output keeps its output port
        ports = [p for _, p in doc.graph.output_refs()]
        ports[index], ports[j] = ports[j], ports[index]
        doc.apply(doc.graph.set_outputs(ids, ports), "reorder model outputs")
        return
    doc.apply(doc.graph.set_inputs(ids), f"reorder model {which}")


def _delete(doc: Document, node_id: str) -> None:
    if node_id in doc.graph.node_by_id:
        label = doc.graph.node_label(node_id)
        _apply(doc, lambda g: g.remove_node(node_id), f"delete {label}")


def _rename_model(doc: Document, key: str) -> None:
    if _stale(doc, key):
        return
    name = str(st.session_state.get(key) or "").strip()
    if name and name != doc.graph.name:
        doc.apply(replace(doc.graph, name=name), f"rename model → {name}")


# ---------------------------------------------------------------------- widgets


def _help(param: Param) -> str:
    bits = []
    if param.required:
        bits.append("required")
    else:
        bits.append(f"Keras default: {P.format_value(param.default) or 'None'}")
    if param.min is not None or param.max is not None:
        lo = "" if param.min is None else f"{'>' if param.exclusive_min else '≥'} {param.min:g}"
        hi = "" if param.max is None else f"≤ {param.max:,g}"
        bits.append("range: " + ", ".join(b for b in (lo, hi) if b))
    if param.choices:
        bits.append("one of " + ", ".join(map(str, param.choices)))
    return "; ".join(bits)


def _choice_label(param: Param, option: Any) -> str:
    if option is None and param.kind == "activation":
        return "None (linear)"
    if option is None and param.name == "dtype":
        return "float32 (default)"  # Keras' floatx: what an Input without a dtype gets
    return str(option)


def param_widget(doc: Document, layer_id: str, param: Param, value: Any, wrapper: str | None = None) -> None:
    key = f"param:{layer_id}:{wrapper + '.' if wrapper else ''}{param.name}:{doc.rev}"
    label = param.name + (" *" if param.required else "")
    common: dict[str, Any] = {"key": key, "help": _help(param), "on_change": _set_param}
    common["args"] = (doc, layer_id, param, key, wrapper)
    kind = param.kind
    if kind == "layer":
        _wrapped_form(doc, layer_id, param, value)
        return
    if kind == "int":
        v = value if isinstance(value, int) and not isinstance(value, bool) else None
        lo = int(param.min) if param.min is not None else None
        hi = int(param.max) if param.max is not None else None
        in_range = v is None or ((lo is None or v >= lo) and (hi is None or v <= hi))
        st.number_input(
            label,
            value=v,
            min_value=lo if in_range else None,
            max_value=hi if in_range else None,
            step=1,
            placeholder="None" if param.default is None and not param.required else "required",
            **common,
        )
    elif kind == "float":
        v = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        lo = float(param.min) if param.min is not None else None
        hi = float(param.max) if param.max is not None else None
        in_range = v is None or ((lo is None or v >= lo) and (hi is None or v <= hi))
        st.number_input(
            label,
            value=v,
            min_value=lo if in_range else None,
            max_value=hi if in_range else None,
            step=0.01 if (hi or 0) <= 1 else 0.1,
            format="%g",
            placeholder="None",
            **common,
        )
    elif kind == "bool":
        if param.default is None:
            opts = ["(default)", "True", "False"]
            idx = 0 if value is None else (1 if value else 2)
            st.selectbox(label, opts, index=idx, **common)
        else:
            st.toggle(label, value=bool(value), **common)
    elif kind in {"choice", "activation"}:
        opts: list[Any] = list(param.choices) if kind == "choice" else list(catalog().activations)
        if param.default is None or value is None:
            opts = [None] + opts
        if value not in opts:
            opts.append(value)
        st.selectbox(
            label,
            opts,
            index=opts.index(value),
            format_func=lambda o: _choice_label(param, o),
            **common,
        )
    elif param.kind == "str_list":  # a vocabulary: a JSON list in a text area (any token round-trips)
        st.text_area(
            label,
            value="" if value is None else P.format_tokens(value),
            placeholder='["token", ...], one token per line, or a vocabulary file path',
            **common,
        )
    else:
        st.text_input(
            label,
            value=P.format_value(value),
            placeholder="None" if not param.required else "required",
            **common,
        )


def _wrapped_form(doc: Document, layer_id: str, param: Param, value: Any) -> None:
    """A wrapper's layer: its type, then its own params (edited in place, one undo step each)."""
    cat = catalog()
    inner = inner_layer(value)
    choices = list(param.inner) or [t for t in cat.types if not cat[t].is_input and not _is_wrapper(cat[t])]
    current = inner[0] if inner else None
    if current is not None and current not in choices:
        choices.append(current)
    key = f"wrapped:{layer_id}:{param.name}:{doc.rev}"
    options: list[Any] = ([] if param.required else [None]) + choices
    if current is None and param.required:
        options = [None] + options
    with st.container(border=True):
        st.selectbox(
            f"{param.name}: wrapped layer" + (" *" if param.required else ""),
            options,
            index=options.index(current),
            format_func=lambda o: "(none)" if o is None else o,
            key=key,
            on_change=_set_wrapped_type,
            args=(doc, layer_id, param.name, key),
            help=_help(param),
        )
        if inner is None or inner[0] not in cat.types:
            return
        lt = cat[inner[0]]
        for p in lt.params.values():
            if not p.advanced or p.name in inner[1]:
                param_widget(doc, layer_id, p, inner[1].get(p.name, p.default), wrapper=param.name)


def _is_wrapper(lt: LayerType) -> bool:
    return any(p.kind == "layer" for p in lt.params.values())


def _params_form(doc: Document, layer_id: str, lt: LayerType, config: dict[str, Any]) -> None:
    basic = [p for p in lt.params.values() if not p.advanced]
    advanced = [p for p in lt.params.values() if p.advanced]
    for p in basic:
        param_widget(doc, layer_id, p, config.get(p.name, p.default))
    if advanced:
        changed = [p.name for p in advanced if p.name in config]
        label = f"Advanced ({len(advanced)})" + (f": {', '.join(changed)} set" if changed else "")
        box = st.expander(label, key=f"advanced:{layer_id}", on_change="rerun")
        if box.open:  # built only when unfolded: keeps reruns cheap
            with box:
                for p in advanced:
                    param_widget(doc, layer_id, p, config.get(p.name, p.default))
    unknown = [k for k in config if k not in lt.params]
    if unknown:
        st.caption("Other config keys (kept as is): " + ", ".join(unknown))


def _instance_widget(doc: Document, node_id: str) -> None:
    g = doc.graph
    layer = g.layer_of(node_id)
    if layer.type == "Input":
        return
    same = [la for la in g.layers if la.type == layer.type]
    shared = g.is_shared(layer.id)
    alone = len(same) < 2 and not shared  # nothing to choose: the select is drawn anyway, disabled,
    # so that the panel keeps one layout for every node (it does not jump when the choice appears)
    options = [la.id for la in same] + ([NEW_LAYER] if shared else [])

    def label(lid: str) -> str:
        if lid == NEW_LAYER:
            return "new layer: stop sharing (own weights)"
        la = g.layer_by_id[lid]
        n = len(g.calls.get(lid, []))
        if lid == layer.id and alone:
            return f"{la.name} (own weights; no other {la.type} layer to share them with)"
        if lid == layer.id:
            return f"{la.name} (this node's layer" + (f", shared by {n} calls)" if n > 1 else ", own weights)")
        return f"reuse {la.name} ({n} call{'s' if n != 1 else ''})"

    key = f"instance:{node_id}:{doc.rev}"
    st.selectbox(
        "Layer instance (weights)",
        options,
        index=options.index(layer.id),
        format_func=label,
        key=key,
        on_change=_set_instance,
        args=(doc, node_id, key),
        disabled=alone,
        help="Reuse another layer of the same type to share its weights (a Siamese model); "
        "choose 'new layer' to give this call its own weights again.",
    )


def _row(key: str) -> Any:
    """One line of a list with its buttons: the text takes what the buttons leave, so the
    buttons are never pushed past the panel's edge (as fixed column ratios did)."""
    return st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False, key=key)


def _inputs_widget(doc: Document, node_id: str, lt: LayerType | None) -> None:
    g = doc.graph
    edges = g.in_edges.get(node_id, [])
    sources = [e.source for e in edges]
    many = lt is None or lt.takes_list or bool(lt.call_ports) or len(edges) > 1
    if lt is not None and lt.max_inputs == 0:
        return
    st.markdown("**Inputs**" + (" (order matters)" if many else ""))
    if not edges:
        st.caption("Not connected: drag from another node's bottom handle to this node's top handle.")
    for i, e in enumerate(edges):
        row = _row(f"inrow-{node_id}-{i}")
        port = lt.call_ports[e.port] if lt is not None and e.port < len(lt.call_ports) else f"in {e.port}"
        row.markdown(f"`{port}` {md(call_label(g, e.source))}", width="stretch")
        if many:
            up = sources[:]
            if i > 0:
                up[i - 1], up[i] = up[i], up[i - 1]
            row.button(
                "",
                icon=":material/arrow_upward:",
                key=f"up:{node_id}:{i}:{doc.rev}",
                disabled=i == 0,
                on_click=_set_inputs,
                args=(doc, node_id, up, f"reorder inputs of {g.node_label(node_id)}"),
                help="Move this input up",
            )
            down = sources[:]
            if i < len(sources) - 1:
                down[i + 1], down[i] = down[i], down[i + 1]
            row.button(
                "",
                icon=":material/arrow_downward:",
                key=f"down:{node_id}:{i}:{doc.rev}",
                disabled=i == len(sources) - 1,
                on_click=_set_inputs,
                args=(doc, node_id, down, f"reorder inputs of {g.node_label(node_id)}"),
                help="Move this input down",
            )
        rest = sources[:i] + sources[i + 1 :]
        row.button(
            "",
            icon=":material/close:",
            key=f"drop:{node_id}:{i}:{doc.rev}",
            on_click=_set_inputs,
            args=(doc, node_id, rest, f"disconnect {g.node_label(e.source)} → {g.node_label(node_id)}"),
            help="Disconnect this input",
        )
    if many or not edges:
        candidates = [n.id for n in g.nodes if n.id != node_id]
        key = f"addin:{node_id}:{doc.rev}"
        st.selectbox(
            "Add an input from",
            [""] + candidates,
            format_func=lambda nid: "choose a node…" if nid == "" else call_label(g, nid),
            key=key,
            on_change=_add_input,
            args=(doc, node_id, key),
        )


def _node_panel(doc: Document, node_id: str) -> None:
    """Heading, Name and Layer instance first, in rows every node has (a node's panel does not
    jump when it is shared), then what varies: type, shape, issues, output, params, inputs."""
    g = doc.graph
    report = doc.report
    layer = g.layer_of(node_id)
    lt = catalog().types.get(layer.type)
    shape = report.shapes.get(node_id)
    head = _row("nodehead")
    head.markdown(f"### {md(call_label(g, node_id))}", width="stretch")
    head.button(
        "Model",
        icon=":material/account_tree:",
        key="show_model",
        on_click=doc.select,
        args=(None,),
        help="Show the model: its name, inputs and outputs in order (or click the empty canvas, or press Escape)",
        width="content",
    )
    key = f"name:{layer.id}:{doc.rev}"
    call = call_of(g, node_id)
    st.text_input(
        "Name",
        value=layer.name,
        key=key,
        on_change=_rename,
        args=(doc, layer.id, key),
        help="The Keras layer name; on an output node it is also the output's name (loss dict key)."
        + (
            f" This node is call {call[0]} of {call[1]} of the shared layer: the name is the layer's, one for all "
            f"its calls (the generated code calls it `{identifier(layer.name)[:30]}_call_{call[0]}`)."
            if call is not None
            else ""
        ),
    )
    _instance_widget(doc, node_id)
    st.caption(f"**{layer.type}** · {lt.doc if lt else 'unknown layer type'}")
    owner = report.builder_node.get(layer.id)
    lp = report.layer_params.get(layer.id)
    if owner not in (None, node_id):
        params_text = f"shared with {md(call_label(g, owner))}"
    else:
        params_text = f"{lp.total:,}" if lp is not None else "?"
    st.markdown(
        f"Output shape **`{'?' if shape is None else fmt(shape)}`** &nbsp; Params **{params_text}**",
        help="A shared layer's weights are counted once, on the call that builds it.",
    )
    multi = report.port_shapes.get(node_id)
    if multi is not None and lt is not None:  # a call with several outputs (return_state)
        names = lt.output_ports(dict(layer.config))
        ports = " · ".join(
            f"{k} {names[k] if k < len(names) else ''} `{fmt(s)}`".replace("  ", " ") for k, s in enumerate(multi)
        )
        st.caption(
            f"Outputs: {ports}. An edge from this node takes output 0; the graph JSON names output k "
            f"as `{md(node_id)}:k` (edges: `source_port`)."
        )
    cost_line = node_cost_line(doc, node_id)
    if cost_line is not None:
        st.markdown(
            cost_line,
            help="Inference FLOPs per sample, counted as TensorFlow's profiler counts them; the weights this "
            "call owns (float32); its output tensor for one sample (builder/core/cost.py).",
        )
    for issue in report.issues_for(node_id):
        where = f" (port {issue.port})" if issue.port is not None else ""
        text = f"**{issue.code}**{where}: {md(issue.message)}  \n*{md(issue.keras_words)}*"
        (st.error if issue.severity == "error" else st.warning)(text)
        fix_buttons(doc, issue, f"node:{node_id}")
    key = f"output:{node_id}:{doc.rev}"
    outs = list(g.outputs)
    ordered = node_id in outs and len(outs) > 1
    row = _row(f"outputrow-{node_id}")
    row.toggle(
        f"Model output {outs.index(node_id) + 1} of {len(outs)}" if ordered else "Model output",
        value=node_id in g.outputs,
        key=key,
        on_change=_toggle_output,
        args=(doc, node_id, key),
        help=f"The output is named after the layer: {layer.name!r}.",
        width="stretch",
    )
    if ordered:  # the output order, right next to the toggle
        i = outs.index(node_id)
        row.button(
            "",
            icon=":material/arrow_upward:",
            key=f"outup:{node_id}:{doc.rev}",
            disabled=i == 0,
            on_click=_move_in_list,
            args=(doc, "outputs", i, -1),
            help=f"Output {i + 1} of {len(outs)}: move it earlier",
        )
        row.button(
            "",
            icon=":material/arrow_downward:",
            key=f"outdown:{node_id}:{doc.rev}",
            disabled=i == len(outs) - 1,
            on_click=_move_in_list,
            args=(doc, "outputs", i, 1),
            help=f"Output {i + 1} of {len(outs)}: move it later",
        )
    if lt is not None:
        st.markdown("**Parameters**")
        _params_form(doc, layer.id, lt, dict(layer.config))
    _inputs_widget(doc, node_id, lt)
    st.button(
        "Delete node",
        key=f"delete:{node_id}:{doc.rev}",
        icon=":material/delete:",
        on_click=_delete,
        args=(doc, node_id),
        type="secondary",
    )


def _order_list(doc: Document, which: str) -> None:
    g: Graph = doc.graph
    ids = list(getattr(g, which))
    st.markdown(f"**Model {which}** ({len(ids)})")
    if not ids:
        st.caption("none yet" + (": mark a node as a model output in its inspector" if which == "outputs" else ""))
    for i, nid in enumerate(ids):
        row = _row(f"{which}row-{i}")
        shape = doc.report.shapes.get(nid)
        row.markdown(f"{i}\\. **{md(call_label(g, nid))}** {'' if shape is None else md(fmt(shape))}", width="stretch")
        row.button(
            "",
            icon=":material/arrow_upward:",
            key=f"{which}up:{i}:{doc.rev}",
            disabled=i == 0,
            on_click=_move_in_list,
            args=(doc, which, i, -1),
        )
        row.button(
            "",
            icon=":material/arrow_downward:",
            key=f"{which}down:{i}:{doc.rev}",
            disabled=i == len(ids) - 1,
            on_click=_move_in_list,
            args=(doc, which, i, 1),
        )


def _model_panel(doc: Document) -> None:
    g = doc.graph
    st.markdown("### Model")
    st.caption("Select a node on the canvas to edit it; click the empty canvas or press Escape to come back here.")
    key = f"modelname:{doc.rev}"
    st.text_input("Model name", value=g.name, key=key, on_change=_rename_model, args=(doc, key))
    _order_list(doc, "inputs")
    _order_list(doc, "outputs")
    shared = [la.name for la in g.layers if g.is_shared(la.id)]
    if shared:
        st.markdown("**Shared layers:** " + ", ".join(md(s) for s in shared))


def render(doc: Document) -> None:
    with st.container(height=CANVAS_HEIGHT, border=False, key="inspector"):
        if doc.selected is not None and doc.selected in doc.graph.node_by_id:
            _node_panel(doc, doc.selected)
        else:
            _model_panel(doc)
