"""The editor page: toolbar, palette (sidebar), canvas, inspector and the bottom tabs."""

from __future__ import annotations

import streamlit as st

from builder.core.graph import Graph
from builder.core.layout import auto_layout

from . import canvas, files, inspector, palette, state, training, views, workspace
from .document import Document
from .text import md

TABS = ["Issues", "Summary", "Code", "Train", "Overview"]
TABS_KEY = "kgb_tab"
# The editor is a working area: less of Streamlit's page padding (5rem at the sides, 6rem on
# top), so that the canvas gets the width and the bottom tabs start above the fold at 1440x900;
# the inspector's heading keeps to one line (a long name or "lstm (call 2 of 2)" does not wrap
# and push the fields below it down).
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding: 4.25rem 1.5rem 2rem 1.5rem; }
.st-key-inspector h3 { font-size: 1.3rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.st-key-nodehead > div:first-child { min-width: 0; }
</style>"""


def _undo(doc: Document) -> None:
    label = doc.undo()
    doc.message = ("info", f"Undid: {label}") if label else None


def _redo(doc: Document) -> None:
    label = doc.redo()
    doc.message = ("info", f"Redid: {label}") if label else None


def _layout(doc: Document) -> None:
    doc.apply(auto_layout(doc.graph, force=True), "auto layout")
    doc.fit_view = True


def _new(doc: Document) -> None:
    opened = state.load_graph(doc, Graph(), "new empty canvas")
    opened.message = (
        "info",
        "New empty canvas." + (" The previous model is under Recent documents." if opened is not doc else ""),
    )


def toolbar(doc: Document) -> None:
    report = doc.report
    c = st.columns([3.2, 1, 1, 1.25, 1, 2.6], vertical_alignment="center")
    c[0].markdown(f"#### :material/account_tree: {md(doc.graph.name or 'model')}")
    c[1].button(
        "Undo",
        icon=":material/undo:",
        key="undo",
        disabled=not doc.can_undo,
        on_click=_undo,
        args=(doc,),
        help=f"Undo: {doc.past[-1][1]}" if doc.past else "Nothing to undo",
        width="stretch",
    )
    c[2].button(
        "Redo",
        icon=":material/redo:",
        key="redo",
        disabled=not doc.can_redo,
        on_click=_redo,
        args=(doc,),
        help=f"Redo: {doc.future[-1][1]}" if doc.future else "Nothing to redo",
        width="stretch",
    )
    c[3].button("Layout", icon=":material/account_tree:", key="layout", on_click=_layout, args=(doc,), width="stretch")
    c[4].button("New", icon=":material/note_add:", key="new", on_click=_new, args=(doc,), width="stretch")
    n_err, n_warn = len(report.errors), len(report.warnings)
    status = (
        ":green-badge[:material/check: valid]"
        if n_err == 0
        else f":red-badge[:material/error: {n_err} error{'s' if n_err != 1 else ''}]"
    )
    if n_warn:
        status += f" :orange-badge[{n_warn} warning{'s' if n_warn != 1 else ''}]"
    c[5].markdown(f"**{report.params.total:,}** params · {len(doc.graph.nodes)} nodes &nbsp; {status}")


def _dismiss(doc: Document) -> None:
    doc.message = None


def _show_message(doc: Document) -> None:
    """Errors and warnings stay (with a Dismiss button) until dismissed, replaced by another
    message, or the user's next edit; success/info notes are toasts, shown once."""
    if doc.message is None:
        return
    kind, text = doc.message
    text = md(text)
    if kind in ("error", "warning"):
        c = st.columns([24, 1], vertical_alignment="center")
        if kind == "error":
            c[0].error(text, icon=":material/error:")
        else:
            c[0].warning(text, icon=":material/warning:")
        c[1].button("", icon=":material/close:", key="dismiss_message", on_click=_dismiss, args=(doc,), help="Dismiss")
    elif not doc.toasted:
        doc.toasted = True
        st.toast(text, icon=":material/check_circle:" if kind == "success" else ":material/info:")


def render() -> None:
    doc = state.document()
    sync = state.sync()
    st.html(PAGE_STYLE)
    canvas.consume_answer(doc, sync)
    with st.sidebar:
        palette.render(doc)
        st.divider()
        files.render(doc)
    toolbar(doc)
    workspace.banner(doc)
    _show_message(doc)
    left, right = st.columns([3, 1.15], gap="medium")
    with left:
        canvas.render(doc, sync)
    with right:
        inspector.render(doc)
    tabs = st.tabs(TABS, key=TABS_KEY, on_change="rerun")
    panels = (views.issues_panel, views.summary_panel, views.code_panel, training.training_panel, views.overview_panel)
    for tab, panel in zip(tabs, panels):
        if tab.open is False:
            continue
        with tab:
            panel(doc)
