"""What a read-only share link (``?share=TOKEN``) shows: the shared version's picture, summary
and layers, and a button that copies it into the viewer's own workspace as a new model. The
link never gives the model's id, so nothing here can write to the shared model."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from builder.core.validate import validate
from builder.store import StoreError

from . import thumbnail
from . import workspace as wsmod
from .text import md

TOKEN_MAX = 64


def _copy(token: str) -> None:
    try:
        ws = wsmod.workspace()
        mid = ws.copy_share(token)
        doc = wsmod.set_document(wsmod.open_model(mid))
        doc.message = ("success", "Copied into your workspace: this is your own model now.")
        doc.fit_view = True
    except StoreError as exc:
        st.session_state["share_problem"] = str(exc)
        return
    if "share" in st.query_params:
        del st.query_params["share"]
    st.query_params["doc"] = mid


def render(token: str) -> None:
    st.markdown("## Shared model")
    if not isinstance(token, str) or len(token) > TOKEN_MAX:
        st.error("This share link is not valid.", icon=":material/link_off:")
        return
    try:
        shared = wsmod.workspace().open_share(token)
    except StoreError as exc:
        st.error(md(str(exc)), icon=":material/link_off:")
        return
    problem = st.session_state.pop("share_problem", None)
    if problem:
        st.error(md(problem))
    graph = shared.graph
    report = validate(graph)
    c = st.columns([1, 3], vertical_alignment="center")
    c[0].markdown(thumbnail.svg(graph, 220, 128), unsafe_allow_html=True)
    title = f"**{md(shared.model_name)}**, version {shared.version_number}"
    if shared.version_name:
        title += f" “{md(shared.version_name)}”"
    c[1].markdown(title)
    c[1].caption(
        f"{report.params.total:,} params · {len(graph.nodes)} nodes · shared "
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(shared.created_at))} · read-only"
    )
    c[1].button(
        "Copy into my workspace",
        key="share_copy",
        type="primary",
        icon=":material/content_copy:",
        on_click=_copy,
        args=(token,),
    )
    rows = []
    for node in graph.nodes:
        layer = graph.layer_of(node.id)
        shape = report.shapes.get(node.id)
        p = report.layer_params.get(layer.id)
        rows.append(
            {
                "layer": graph.node_label(node.id),
                "type": layer.type,
                "output shape": "?"
                if shape is None
                else "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")",
                "params": p.total if p else 0,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="share_layers")
