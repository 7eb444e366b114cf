"""The templates gallery: every template with its title, summary, parameter count (from the
validator), a small diagram and its document; one click opens it in the editor."""

from __future__ import annotations

import html

import streamlit as st

from builder.core.graph import Graph
from builder.core.layout import auto_layout
from builder.core.templates import Template, list_templates
from builder.core.validate import validate

from . import state
from .flow import CATEGORY_COLORS, shared_colors

EDITOR_PAGE = "ui/pages/editor.py"


def thumbnail_svg(graph: Graph, width: int = 320, height: int = 150) -> str:
    """A small SVG of the graph as the canvas shows it: boxes coloured by category (shared
    layers in their own colour), edges from right to left sides."""
    from builder.core.catalog import catalog

    laid = auto_layout(graph)
    pos = {n.id: n.position for n in laid.nodes if n.position is not None}
    if not pos:
        return f'<svg width="{width}" height="{height}"></svg>'
    bw, bh = 190.0, 64.0
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = max(xs) - min(xs) + bw + 40
    span_y = max(ys) - min(ys) + bh + 40
    scale = min(width / span_x, height / span_y, 0.35)
    ox = (width - span_x * scale) / 2 - (min(xs) - 20) * scale
    oy = (height - span_y * scale) / 2 - (min(ys) - 20) * scale

    def tx(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * scale + ox, p[1] * scale + oy)

    colors = shared_colors(graph)
    cat = catalog()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for e in graph.edges:
        if e.source in pos and e.target in pos:
            x1, y1 = tx(pos[e.source])
            x2, y2 = tx(pos[e.target])
            parts.append(
                f'<line x1="{x1 + bw * scale:.1f}" y1="{y1 + bh * scale / 2:.1f}" x2="{x2:.1f}" '
                f'y2="{y2 + bh * scale / 2:.1f}" stroke="#94a3b8" stroke-width="1.5"/>'
            )
    for n in graph.nodes:
        x, y = tx(pos[n.id])
        layer = graph.layer_by_id.get(n.layer)
        lt = cat.types.get(layer.type) if layer else None
        fill = colors.get(n.layer) or CATEGORY_COLORS.get(lt.category if lt else "", "#94a3b8")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * scale:.1f}" height="{bh * scale:.1f}" '
            f'rx="3" fill="{fill}"><title>{html.escape(graph.node_label(n.id))}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _card(t: Template) -> None:
    try:
        graph = t.load()
    except Exception as exc:  # a broken template file is reported, the gallery still shows
        st.error(f"{t.name}: cannot be read ({exc})")
        return
    report = validate(graph)
    with st.container(border=True):
        st.markdown(f"##### {t.title}")
        st.markdown(thumbnail_svg(graph), unsafe_allow_html=True)
        shared = sum(1 for la in graph.layers if graph.is_shared(la.id))
        status = ":green-badge[valid]" if report.ok else f":red-badge[{len(report.errors)} errors]"
        st.markdown(
            f"**{report.params.total:,}** params · {len(graph.nodes)} nodes · "
            f"{len(graph.inputs)} in / {len(graph.outputs)} out"
            + (f" · {shared} shared layer{'s' if shared != 1 else ''}" if shared else "")
            + f" {status}"
        )
        st.caption(t.summary or graph.description or "")
        if t.doc:
            with st.expander("Read the notes"):
                st.markdown(t.doc)
        if st.button("Open in editor", key=f"open_{t.name}", icon=":material/open_in_new:", type="primary"):
            state.load_template(state.document(), t.name)
            st.switch_page(EDITOR_PAGE)
        st.caption(f"Link: `?template={t.name}`")


def render() -> None:
    st.session_state["kgb_page"] = "templates"
    state.document()
    st.markdown("## Templates")
    st.caption("Start from a documented model; open it, then edit anything on the canvas.")
    templates = list_templates()
    if not templates:
        st.info("No templates found in builder/templates/.")
        return
    cols = st.columns(3)
    for i, t in enumerate(templates):
        with cols[i % 3]:
            _card(t)
