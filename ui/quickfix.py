"""Quick fixes in the editor: buttons under an issue (Issues tab) and under the selected node's
issues (inspector). Pressing one applies the fix as one undoable step labelled with the fix.

The fixes of a graph are computed once per graph (each is checked by validating its result, see
``builder/core/fixes.py``) and kept in the session next to the report they belong to.
"""

from __future__ import annotations

import streamlit as st

from builder.core.fixes import Fix, fixes_for
from builder.core.validate import Issue
from builder.errors import GraphEditError

from .document import Document

CACHE = "kgb_fixes"


def fixes_by_issue(doc: Document) -> dict[int, list[Fix]]:
    """``id(issue)`` (an issue of ``doc.report``) -> its fixes, for the current graph."""
    report = doc.report  # computed once per graph; the cache follows it (issue ids are its issues')
    cached = st.session_state.get(CACHE)
    if cached is not None and cached[0] is report:
        return cached[1]
    by_index = fixes_for(doc.graph, report)
    out = {id(issue): by_index[i] for i, issue in enumerate(report.issues) if i in by_index}
    st.session_state[CACHE] = (report, out)
    return out


def apply_fix(doc: Document, fix: Fix) -> None:
    try:
        graph = fix.apply(doc.graph)
    except GraphEditError as exc:
        doc.message = ("error", f"The fix could not apply: {exc}")
        return
    if doc.apply(graph, fix.label):
        doc.message = ("success", f"Fixed: {fix.label}. Undo brings the issue back.")


def fix_buttons(doc: Document, issue: Issue, where: str) -> None:
    """One button per fix of ``issue`` (``where`` keeps the keys of two lists apart)."""
    fixes = fixes_by_issue(doc).get(id(issue), [])
    for fix in fixes:
        st.button(
            fix.label,
            key=f"fix:{where}:{fix.id}:{doc.rev}",
            on_click=apply_fix,
            args=(doc, fix),
            icon=":material/build:",
            help=f"Quick fix `{fix.id}` (one step: Undo reverts it)",
        )
