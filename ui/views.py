"""The bottom tabs: issues, summary table, exported code, read-only overview."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import pandas as pd
import streamlit as st

from builder.core import summary
from builder.core.catalog import catalog
from builder.core.shapes import fmt

from .costs import flops_by_node, human_flops, model_cost
from .document import Document
from .files import file_stem
from .flow import CATEGORY_COLORS, shared_colors
from .quickfix import fix_buttons
from .text import md

MAX_ISSUES_SHOWN = 12
ICONS = {"error": "⛔", "warning": "⚠️", "info": "ℹ️"}


def sorted_issues(doc: Document) -> list[Any]:
    order = {"error": 0, "warning": 1}
    return sorted(doc.report.issues, key=lambda i: order.get(i.severity, 2))


def _select(doc: Document, node_id: str) -> None:
    doc.select(node_id)


def issues_panel(doc: Document) -> None:
    issues = sorted_issues(doc)
    if not issues:
        st.success("No issues: Keras will build this model.", icon=":material/check_circle:")
        return
    errors = sum(1 for i in issues if i.severity == "error")
    st.caption(f"{errors} error(s), {len(issues) - errors} warning(s), errors first. Choose one to select its node.")
    g = doc.graph
    for n, issue in enumerate(issues[:MAX_ISSUES_SHOWN]):
        where = g.node_label(issue.node) if issue.node in g.node_by_id else "model"
        if issue.port is not None:
            where += f" (port {issue.port})"
        text = (
            f"{ICONS.get(issue.severity, '')} **{md(where)}** · `{issue.code}` {md(issue.message)} "
            f"*{md(issue.keras_words)}*"
        )
        if issue.node in g.node_by_id:
            st.button(
                text,
                key=f"issue:{n}:{doc.rev}",
                on_click=_select,
                args=(doc, issue.node),
                width="stretch",
                type="tertiary",
                help=f"Select {where} on the canvas",
            )
        else:
            st.markdown(text)
        fix_buttons(doc, issue, f"issues:{n}")
    if len(issues) > MAX_ISSUES_SHOWN:
        rest = issues[MAX_ISSUES_SHOWN:]
        st.caption(f"{len(rest)} more:")
        st.dataframe(
            pd.DataFrame(
                {
                    "severity": [i.severity for i in rest],
                    "node": [g.node_label(i.node) if i.node in g.node_by_id else "model" for i in rest],
                    "code": [i.code for i in rest],
                    "message": [i.message for i in rest],
                    "keras": [i.keras for i in rest],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def summary_frame(doc: Document) -> pd.DataFrame:
    rows = summary.rows(doc.graph, doc.report)
    flops = flops_by_node(doc) or {}
    return pd.DataFrame(
        {
            "Layer (type)": [f"{r.name} ({r.type})" for r in rows],
            "Output shape": [r.output_shape for r in rows],
            "Param #": [r.params for r in rows],
            # inference FLOPs per sample (TensorFlow profiler's count); None: an undefined dim
            "FLOPs": pd.array([flops.get(r.node) for r in rows], dtype="Int64"),
            "Connected to": [", ".join(r.connected_to) for r in rows],
            "Shared": [f"yes ({r.calls} calls)" if r.shared else "" for r in rows],
        }
    )


def summary_panel(doc: Document) -> None:
    p = doc.report.params
    c0, c1, c2, c3 = st.columns(4)
    c0.metric("Total params", f"{p.total:,}")
    c1.metric("Trainable", f"{p.trainable:,}")
    c2.metric("Non-trainable", f"{p.non_trainable:,}")
    total = model_cost(doc)
    c3.metric(
        "FLOPs / sample",
        human_flops(total.flops if total is not None else None),
        help="Inference FLOPs per sample, counted as TensorFlow's profiler counts them (shared layers once).",
    )
    st.dataframe(summary_frame(doc), hide_index=True, width="stretch")
    if doc.report.outputs:
        st.caption("Outputs: " + ", ".join(f"`{o}`" for o in doc.report.outputs))


def _codegen() -> Any:
    if importlib.util.find_spec("builder.codegen") is None:
        return None
    return importlib.import_module("builder.codegen")


def code_panel(doc: Document) -> None:
    mod = _codegen()
    if mod is None or not hasattr(mod, "to_python"):
        st.info("Python export is not available in this build (builder.codegen is missing).")
        return
    if not doc.report.ok:
        st.warning("The graph has errors: the exported code will fail where Keras meets them.")
    try:
        source = mod.to_python(doc.graph)
    except Exception as exc:  # codegen refuses some graphs (e.g. cycles); say why
        st.error(f"Cannot export this graph as Python: {exc}")
        return
    c0, c1, c2 = st.columns([1, 1, 1], vertical_alignment="center")
    c0.download_button(
        "Download model.py",
        data=source,
        file_name=f"{file_stem(doc.graph.name)}.py",
        mime="text/x-python",
        icon=":material/download:",
        key="download_py",
        width="stretch",
    )
    with c1:
        _keras_export(doc, "keras", "Build .keras", "application/octet-stream")
    with c2:
        _keras_export(doc, "png", "Render PNG (plot_model)", "image/png")
    png = _exported(doc, "png")
    if isinstance(png, bytes):
        st.image(png, caption="keras.utils.plot_model(model, show_shapes=True)")
    st.code(source, language="python", line_numbers=True)


EXPORTS = "kgb_exports"


def _exported(doc: Document, fmt: str) -> bytes | str | None:
    """The export made for the current graph (bytes), its error (str), or None."""
    made = st.session_state.get(EXPORTS, {}).get(fmt)
    if made is None or made[0] is not doc.graph:
        return None
    return made[1]


def _make_export(doc: Document, fmt: str) -> None:
    from builder import exports  # imports Keras only now, when asked
    from builder.errors import CompileError

    try:
        with st.spinner("Building the Keras model (the first time imports TensorFlow)…"):
            data: bytes | str = exports.export_bytes(doc.graph, fmt)
    except CompileError as exc:
        data = f"Keras refused the graph: {exc}"
    except exports.ExportError as exc:
        data = str(exc)
    except Exception as exc:  # never a traceback in the page
        data = f"{type(exc).__name__}: {exc}"
    st.session_state.setdefault(EXPORTS, {})[fmt] = (doc.graph, data)


def _keras_export(doc: Document, fmt: str, label: str, mime: str) -> None:
    made = _exported(doc, fmt)
    if isinstance(made, bytes):
        st.download_button(
            f"Download model.{fmt}",
            data=made,
            file_name=f"{file_stem(doc.graph.name)}.{fmt}",
            mime=mime,
            icon=":material/download:",
            key=f"download_{fmt}",
            width="stretch",
        )
        return
    st.button(
        label,
        key=f"export_{fmt}",
        on_click=_make_export,
        args=(doc, fmt),
        disabled=not doc.report.ok,
        help="Compiles the graph with Keras (imports TensorFlow)" if doc.report.ok else "Fix the errors first",
        width="stretch",
    )
    if isinstance(made, str):
        st.error(made)


def overview_panel(doc: Document) -> None:
    from streamlit_agraph import Config, Edge, Node, agraph

    g = doc.graph
    if not g.nodes:
        st.info("Nothing to draw yet.")
        return
    if len(g.nodes) > 400:
        st.info(f"The overview draws graphs up to 400 nodes; this one has {len(g.nodes)}.")
        return
    colors = shared_colors(g)
    cat = catalog()
    nodes = []
    for n in g.nodes:
        layer = g.layer_by_id.get(n.layer)
        lt = cat.types.get(layer.type) if layer else None
        shape = doc.report.shapes.get(n.id)
        shared = n.layer in colors
        nodes.append(
            Node(
                id=n.id,
                label=f"{g.node_label(n.id)}\n{'?' if shape is None else fmt(shape)}",
                title=f"{layer.type if layer else '?'}" + (" (shared layer)" if shared else ""),
                shape="box",
                color=colors[n.layer] if shared else CATEGORY_COLORS.get(lt.category if lt else "", "#94a3b8"),
                font={"color": "#ffffff", "face": "monospace"},
                borderWidth=4 if shared else 1,
            )
        )
    edges = [
        Edge(
            source=e.source,
            target=e.target,
            label=str(e.port) if len(g.in_edges[e.target]) > 1 else "",
            color="#94a3b8",
        )
        for e in g.edges
    ]
    config = Config(
        width="100%",
        height=520,
        directed=True,
        physics=False,
        hierarchical=True,
        layout={
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 230,
                "nodeSpacing": 90,
            }
        },
    )
    if colors:
        st.caption("Shared layers: " + ", ".join(md(g.layer_by_id[lid].name) for lid in colors) + " (same colour)")
    agraph(nodes=nodes, edges=edges, config=config)
