"""The Models page: every model of the workspace with its picture; open, rename, duplicate,
delete (undoable), search; named versions, a diff against another version, model or template,
read-only share links, and the training runs of a model compared head by head."""

from __future__ import annotations

import json
import time
from typing import Any

import pandas as pd
import streamlit as st

from builder.core.diff import diff, is_equal
from builder.core.graph import Graph
from builder.core.templates import get_template, list_templates
from builder.core.validate import validate
from builder.store import ModelInfo, RunInfo, StoreError, Workspace

from . import diff_canvas, thumbnail
from . import workspace as wsmod
from .text import md

EDITOR_PAGE = "ui/pages/editor.py"
PAGE_SIZE = 20
SELECTED = "models_selected"  # the model whose details are shown
UNDO_DELETE = "models_undo_delete"  # (id, name) of the last deleted model
FLASH = "models_flash"  # (kind, text) shown once
SEARCH = "models_search"
PAGE = "models_page"
_SVG_CACHE: dict[tuple[str, int], str] = {}
_SVG_CACHE_MAX = 2000


def _flash(kind: str, text: str) -> None:
    st.session_state[FLASH] = (kind, text)


def _ago(t: float) -> str:
    s = max(0.0, time.time() - t)
    if s < 60:
        return "just now"
    for unit, n in (("day", 86400), ("h", 3600), ("min", 60)):
        if s >= n:
            k = int(s // n)
            return f"{k} {unit}{'s' if unit == 'day' and k != 1 else ''} ago"
    return ""


def _thumbs(ws: Workspace, infos: list[ModelInfo]) -> dict[str, str]:
    missing = [m.id for m in infos if (m.id, m.revision) not in _SVG_CACHE]
    if missing:
        graphs = ws.get_graphs(missing)
        if len(_SVG_CACHE) > _SVG_CACHE_MAX:
            _SVG_CACHE.clear()
        revs = {m.id: m.revision for m in infos}
        for mid, g in graphs.items():
            _SVG_CACHE[(mid, revs[mid])] = thumbnail.svg(g)
    return {m.id: _SVG_CACHE.get((m.id, m.revision), "") for m in infos}


# ---------------------------------------------------------------------- actions (callbacks)


def open_in_editor(model_id: str, graph: Graph | None = None, label: str | None = None) -> None:
    """Open the model in the editor; with ``graph``, apply it as one undoable step (a version)."""
    try:
        doc = wsmod.set_document(wsmod.open_model(model_id))
    except StoreError as exc:
        _flash("error", str(exc))
        return
    if graph is not None:
        from .state import load_graph

        load_graph(doc, graph, label or "open a version", in_place=True)
        doc.message = ("success", f"Opened: {label}")


def _duplicate(ws: Workspace, model_id: str) -> None:
    try:
        new = ws.duplicate(model_id)
        st.session_state[SELECTED] = new
        _flash("success", "Duplicated.")
    except StoreError as exc:
        _flash("error", str(exc))


def _delete(ws: Workspace, model_id: str, name: str) -> None:
    try:
        ws.delete(model_id)
        st.session_state[UNDO_DELETE] = (model_id, name)
        if st.session_state.get(SELECTED) == model_id:
            st.session_state.pop(SELECTED, None)
    except StoreError as exc:
        _flash("error", str(exc))


def _undelete(ws: Workspace, model_id: str) -> None:
    try:
        ws.undelete(model_id)
        st.session_state.pop(UNDO_DELETE, None)
        _flash("success", "Restored.")
    except StoreError as exc:
        _flash("error", str(exc))


def _rename(ws: Workspace, model_id: str) -> None:
    name = st.session_state.get(f"rename_{model_id}", "")
    try:
        ws.rename(model_id, name)
        _flash("success", f"Renamed to “{' '.join(name.split())}”.")
    except StoreError as exc:
        _flash("error", str(exc))


def _new_version(ws: Workspace, model_id: str) -> None:
    name = (st.session_state.get(f"version_name_{model_id}") or "").strip()
    try:
        v = ws.create_version(model_id, name or None)
        _flash("success", f"Saved version {v.number}" + (f" “{v.name}”." if v.name else "."))
    except StoreError as exc:
        _flash("error", str(exc))


def _share(ws: Workspace, model_id: str, version: int | None) -> None:
    try:
        st.session_state[f"share_token_{model_id}"] = ws.share(model_id, version)
    except StoreError as exc:
        _flash("error", str(exc))


# ---------------------------------------------------------------------- the list


def _row(ws: Workspace, m: ModelInfo, svg: str) -> None:
    with st.container(border=True, key=f"model_row_{m.id}"):
        c = st.columns([1.1, 4, 2.6], vertical_alignment="center")
        if svg:
            c[0].markdown(svg, unsafe_allow_html=True)
        status = ":green-badge[valid]" if m.ok else ":red-badge[errors]"
        c[1].markdown(f"**{md(m.name)}** {status}")
        if m.problem:
            c[1].error(md(m.problem), icon=":material/error:")
        ins = ", ".join(m.inputs) or "—"
        outs = ", ".join(m.outputs) or "—"
        c[1].caption(
            f"{m.params:,} params · {m.n_nodes} nodes · in: {md(ins)} · out: {md(outs)} · edited {_ago(m.updated_at)}"
        )
        b = c[2].columns(4)
        if b[0].button("Open", key=f"open_{m.id}", icon=":material/open_in_new:", help="Open in the editor"):
            open_in_editor(m.id)
            st.switch_page(EDITOR_PAGE, query_params={"doc": m.id})
        b[1].button(
            "Details",
            key=f"details_{m.id}",
            icon=":material/info:",
            help="Rename, versions, diff, share, runs",
            on_click=lambda: st.session_state.__setitem__(SELECTED, m.id),
        )
        b[2].button(
            "Copy",
            key=f"dup_{m.id}",
            icon=":material/content_copy:",
            help="Duplicate",
            on_click=_duplicate,
            args=(ws, m.id),
        )
        b[3].button(
            "Delete",
            key=f"del_{m.id}",
            icon=":material/delete:",
            help="Delete (undoable)",
            on_click=_delete,
            args=(ws, m.id, m.name),
        )


def render() -> None:
    st.session_state["kgb_page"] = "models"
    st.markdown("## Models")
    try:
        ws = wsmod.workspace()
    except StoreError as exc:
        st.error(f"The workspace cannot be opened: {md(str(exc))}", icon=":material/error:")
        return
    flash = st.session_state.pop(FLASH, None)
    if flash:
        (st.error if flash[0] == "error" else st.success)(md(flash[1]))
    undo = st.session_state.get(UNDO_DELETE)
    if undo:
        c = st.columns([4, 1], vertical_alignment="center")
        c[0].info(f"Deleted “{md(undo[1])}”.", icon=":material/delete:")
        c[1].button("Undo delete", key="undo_delete", icon=":material/undo:", on_click=_undelete, args=(ws, undo[0]))
    search = st.text_input("Search", key=SEARCH, placeholder="part of a name", label_visibility="collapsed")
    total = ws.count_models(search or None)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(int(st.session_state.get(PAGE, 1)), pages)
    infos = ws.list_models(search or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    st.caption(f"{total:,} model{'s' if total != 1 else ''}" + (f" matching “{md(search)}”" if search else ""))
    selected = st.session_state.get(SELECTED)
    if selected:
        details(ws, selected)
    if not infos:
        st.info("No models yet: open a template or edit the empty canvas; every edit is saved here.")
    thumbs = _thumbs(ws, infos)
    for m in infos:
        _row(ws, m, thumbs.get(m.id, ""))
    if pages > 1:
        st.number_input("Page", min_value=1, max_value=pages, step=1, key=PAGE)
    deleted = ws.list_models(deleted=True, limit=50)
    if deleted:
        with st.expander(f"Deleted models ({ws.count_models(deleted=True)})"):
            for d in deleted:
                c = st.columns([4, 1], vertical_alignment="center")
                c[0].markdown(f"{md(d.name)} · {d.params:,} params")
                c[1].button("Restore", key=f"restore_{d.id}", on_click=_undelete, args=(ws, d.id))


# ---------------------------------------------------------------------- details of one model


def details(ws: Workspace, model_id: str) -> None:
    try:
        m = ws.get_model(model_id)
    except StoreError as exc:
        st.error(md(str(exc)), icon=":material/error:")
        return
    with st.container(border=True, key="model_details"):
        c = st.columns([4, 1], vertical_alignment="center")
        c[0].markdown(f"### {md(m.name)}")
        c[1].button("Close", key="details_close", on_click=lambda: st.session_state.pop(SELECTED, None))
        past, future = m.history.past, m.history.future
        hist = f"Undo history: {len(past)} step{'s' if len(past) != 1 else ''}"
        if past:
            hist += (
                " (" + ", ".join(md(label) for _, label in reversed(past[-5:])) + (", …" if len(past) > 5 else "") + ")"
            )
        if future:
            hist += f"; {len(future)} to redo"
        st.caption(hist)
        tabs = st.tabs(["Versions", "Diff", "Runs", "Rename", "Share"])
        with tabs[0]:
            _versions(ws, m.id)
        with tabs[1]:
            _diff(ws, m.id, m.graph)
        with tabs[2]:
            runs_view(ws, m.id)
        with tabs[3]:
            st.text_input("New name", value=m.name, key=f"rename_{m.id}")
            st.button("Rename", key=f"do_rename_{m.id}", on_click=_rename, args=(ws, m.id))
        with tabs[4]:
            _share_tab(ws, m.id)


def _versions(ws: Workspace, model_id: str) -> None:
    c = st.columns([3, 1], vertical_alignment="bottom")
    c[0].text_input("Version name", key=f"version_name_{model_id}", placeholder="e.g. before dropout")
    c[1].button(
        "Save version",
        key=f"new_version_{model_id}",
        icon=":material/bookmark_add:",
        on_click=_new_version,
        args=(ws, model_id),
    )
    versions = ws.list_versions(model_id, limit=50)
    n = ws.count_versions(model_id)
    if not versions:
        st.caption("No versions yet. Each training run keeps one automatically.")
        return
    st.caption(f"{n:,} version{'s' if n != 1 else ''}" + (" (the newest 50)" if n > 50 else ""))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "version": v.number,
                    "name": v.name or "",
                    "kind": v.kind,
                    "note": v.label or "",
                    "params": v.params,
                    "saved": time.strftime("%Y-%m-%d %H:%M", time.localtime(v.created_at)),
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
        key=f"versions_table_{model_id}",
    )
    c = st.columns([2, 1], vertical_alignment="bottom")
    number = c[0].selectbox("Version", [v.number for v in versions], key=f"open_version_pick_{model_id}")
    if c[1].button("Open this version", key=f"open_version_{model_id}", icon=":material/history:"):
        try:
            v = ws.get_version(model_id, int(number))
        except StoreError as exc:
            st.error(md(str(exc)))
            return
        open_in_editor(model_id, v.graph, f"open version {v.number}")
        st.switch_page(EDITOR_PAGE, query_params={"doc": model_id})


# ---------------------------------------------------------------------- diff


def _diff_sources(ws: Workspace, model_id: str) -> dict[str, tuple[str, Any]]:
    """Label -> (kind, ref): this model's versions, other models, templates."""
    out: dict[str, tuple[str, Any]] = {"this model (current)": ("current", model_id)}
    for v in ws.list_versions(model_id, limit=50):
        out[f"version {v.number}" + (f" “{v.name}”" if v.name else f" ({v.kind})")] = ("version", (model_id, v.number))
    for other in ws.list_models(limit=200):
        if other.id != model_id:
            out[f"model “{other.name}” ({other.id[:6]})"] = ("current", other.id)
    for t in list_templates():
        out[f"template {t.name}"] = ("template", t.name)
    return out


def _load_source(ws: Workspace, kind: str, ref: Any) -> Graph:
    if kind == "current":
        return ws.get_model(ref).graph
    if kind == "version":
        return ws.get_version(*ref).graph
    return get_template(ref).load()


def diff_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """The diff as table rows: change, what, field, before, after."""

    def what(item: dict[str, Any]) -> str:
        if item["kind"] == "edge":
            return f"{item['source']} → {item['target']} (port {item['port']})"
        if item["kind"] == "layer":
            return f"{item['layer']} ({item['type']})"
        return item["layer"]

    def show(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    rows = [
        {"change": "added", "what": what(i), "field": i["kind"], "before": "", "after": ""} for i in result["added"]
    ]
    rows += [
        {"change": "removed", "what": what(i), "field": i["kind"], "before": "", "after": ""} for i in result["removed"]
    ]
    rows += [
        {
            "change": "changed",
            "what": c["layer"] or "(model)",
            "field": c["field"],
            "before": show(c["before"]),
            "after": show(c["after"]),
        }
        for c in result["changed"]
    ]
    return rows


def _diff(ws: Workspace, model_id: str, current: Graph) -> None:
    sources = _diff_sources(ws, model_id)
    labels = list(sources)
    c = st.columns(2)
    a = c[0].selectbox("From", labels, index=0, key=f"diff_a_{model_id}")
    default_b = 1 if len(labels) > 1 else 0
    b = c[1].selectbox("To", labels, index=default_b, key=f"diff_b_{model_id}")
    try:
        ga = current if sources[a] == ("current", model_id) else _load_source(ws, *sources[a])
        gb = current if sources[b] == ("current", model_id) else _load_source(ws, *sources[b])
    except (StoreError, KeyError) as exc:
        st.error(md(str(exc)))
        return
    ra, rb = validate(ga), validate(gb)
    result = diff(ga, gb, ra, rb)
    p = result["params"]
    delta = p["after"] - p["before"]
    st.markdown(f"Params: **{p['before']:,}** → **{p['after']:,}** ({delta:+,})")
    if is_equal(result):
        st.success("The two graphs are the same.", icon=":material/check:")
        return
    n_add, n_rm, n_ch = len(result["added"]), len(result["removed"]), len(result["changed"])
    st.markdown(f":green-badge[{n_add} added] :red-badge[{n_rm} removed] :orange-badge[{n_ch} changed]")
    rows = diff_rows(result)
    frame = pd.DataFrame(rows, columns=["change", "what", "field", "before", "after"])
    colors = {
        "added": "background-color: #dafbe1",
        "removed": "background-color: #ffebe9",
        "changed": "background-color: #fff8c5",
    }
    st.dataframe(
        frame.style.apply(lambda r: [colors.get(r["change"], "")] * len(r), axis=1),
        hide_index=True,
        width="stretch",
        key=f"diff_table_{model_id}",
    )
    diff_canvas.render(ga, gb, result, ra, rb, key=f"diff_canvas_{model_id}")


# ---------------------------------------------------------------------- share


def _share_tab(ws: Workspace, model_id: str) -> None:
    versions = ws.list_versions(model_id, limit=50)
    options: list[int | None] = [None, *[v.number for v in versions]]
    pick = st.selectbox(
        "Version to share",
        options,
        format_func=lambda n: "the current graph (kept as a new version)" if n is None else f"version {n}",
        key=f"share_pick_{model_id}",
    )
    st.button(
        "Create a read-only link",
        key=f"share_{model_id}",
        icon=":material/share:",
        on_click=_share,
        args=(ws, model_id, pick),
    )
    token = st.session_state.get(f"share_token_{model_id}")
    if token:
        st.markdown("Anyone with this link can see the version and copy it into their own workspace, never edit yours:")
        st.code(f"?share={token}", language=None)


# ---------------------------------------------------------------------- runs


def _run_label(r: RunInfo) -> str:
    when = time.strftime("%b %d %Hh%M.%S", time.localtime(r.created_at))  # no colon: chart column names
    return f"{r.id[:6]} · v{r.version_number} · {when}"


def head_columns(runs: list[RunInfo]) -> dict[str, str]:
    """Chart title -> history column: the total loss, then one per head (``<head>_loss``; a
    single-output model's head loss is the total)."""
    heads: list[str] = []
    for r in runs:
        for h in r.losses:
            if h not in heads:
                heads.append(h)
    out = {"total loss": "loss"}
    for h in heads:
        col = f"{h}_loss"
        if any(col in r.history for r in runs):
            out[f"{h} loss"] = col
    return out


def curves(runs: list[RunInfo], column: str) -> pd.DataFrame:
    """Epoch-indexed frame, one column per run (train values of ``column``)."""
    data: dict[str, pd.Series] = {}
    for r in runs:
        values = r.history.get(column)
        if not values:
            continue
        epochs = r.history.get("epoch") or list(range(1, len(values) + 1))
        data[_run_label(r)] = pd.Series(values, index=epochs)
    return pd.DataFrame(data)


def _reopen(ws: Workspace, model_id: str, run_id: str) -> None:
    try:
        r = ws.get_run(run_id)
        v = ws.get_version(model_id, r.version_number)
    except StoreError as exc:
        _flash("error", str(exc))
        return
    open_in_editor(model_id, v.graph, f"open version {v.number} (trained by run {r.id[:6]})")


def runs_view(ws: Workspace, model_id: str) -> None:
    try:
        runs = ws.list_runs(model_id)
    except StoreError as exc:
        st.error(md(str(exc)))
        return
    if not runs:
        st.caption("No training runs yet (Train tab, or `kgb train`).")
        return
    table = pd.DataFrame(
        [
            {
                "run": _run_label(r),
                "status": r.status,
                "epochs": len(r.history.get("loss", [])),
                "final loss": (r.history.get("loss") or [None])[-1],
                "seconds": round(r.duration, 2),
                "losses": ", ".join(f"{h}: {loss} ×{r.loss_weights.get(h, 1)}" for h, loss in r.losses.items()),
                ".keras": "yes" if r.has_keras else "",
            }
            for r in runs
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key=f"runs_table_{model_id}")
    labels = {_run_label(r): r for r in runs}
    picked = st.multiselect("Compare runs", list(labels), default=list(labels)[:3], key=f"runs_pick_{model_id}")
    chosen = [labels[p] for p in picked]
    if chosen:
        cols = head_columns(chosen)
        grid = st.columns(min(3, len(cols)))
        for i, (title, column) in enumerate(cols.items()):
            frame = curves(chosen, column)
            with grid[i % len(grid)]:
                st.markdown(f"**{md(title)}**")
                if frame.empty:
                    st.caption("not recorded")
                else:
                    st.line_chart(frame, x_label="epoch", y_label=column, height=220)
    c = st.columns([3, 1], vertical_alignment="bottom")
    which = c[0].selectbox("Run", list(labels), key=f"reopen_pick_{model_id}")
    if c[1].button("Open the version it trained", key=f"reopen_{model_id}", icon=":material/history:"):
        _reopen(ws, model_id, labels[which].id)
        st.switch_page(EDITOR_PAGE, query_params={"doc": model_id})
    r = labels[which]
    if r.has_keras:
        c[0].download_button(
            "Trained model (.keras)",
            data=lambda: ws.run_keras(r.id),
            file_name=f"run_{r.id[:8]}.keras",
            mime="application/octet-stream",
            key=f"run_keras_{model_id}",
            icon=":material/download:",
        )
