"""Cost in the editor: FLOPs and memory per node (inspector, summary column, canvas toggle) and
the training-memory check of the Train panel (will it fit this machine, or a chosen accelerator).

The numbers come from ``builder/core/cost.py`` (pure Python); this module formats them, keeps
them per report (computed once per graph), and probes this machine's memory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from builder.core.cost import Cost, TrainingMemory, cost, training_memory

from .document import Document

CACHE = "kgb_cost"
SHOW_FLOPS = "kgb_show_flops"  # the canvas toggle
ACCELERATOR = "kgb_accelerator"  # the Train panel's accelerator size
ACCELERATOR_SIZES: dict[str, int | None] = {"none": None, "16 GB": 16, "24 GB": 24, "40 GB": 40, "80 GB": 80}
GB = 10**9  # accelerators are sold in decimal gigabytes


def model_cost(doc: Document) -> Cost | None:
    """The cost of the current graph (None when the cost model fails: it never should)."""
    report = doc.report
    cached = st.session_state.get(CACHE)
    if cached is not None and cached[0] is report:
        return cached[1]
    try:
        value: Cost | None = cost(doc.graph, report)
    except Exception:  # the cost model must never take the editor down
        value = None
    st.session_state[CACHE] = (report, value)
    return value


def _scaled(n: float, units: tuple[str, ...], step: float) -> str:
    for unit in units[:-1]:
        if abs(n) < step:
            return f"{n:,.0f}{unit}" if unit == units[0] else f"{n:.3g} {unit}"
        n /= step
    return f"{n:,.3g} {units[-1]}"


def human_flops(n: int | None) -> str:
    """``1,234`` / ``5.2 M`` / ``3.1 G`` FLOPs; ``?`` when a dim is undefined."""
    if n is None:
        return "?"
    return _scaled(float(n), ("", "K", "M", "G", "T"), 1000.0)


def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    return _scaled(float(n), (" B", "KB", "MB", "GB", "TB"), 1000.0)


def node_cost_line(doc: Document, node_id: str) -> str | None:
    """The inspector's cost line for one node (markdown), or None."""
    c = model_cost(doc)
    if c is None or node_id not in c.per_node:
        return None
    nc = c.per_node[node_id]
    return (
        f"FLOPs **{human_flops(nc.flops)}** &nbsp; Weights **{human_bytes(nc.weight_bytes)}** &nbsp; "
        f"Activations **{human_bytes(nc.activation_bytes_per_sample)}**/sample"
    )


def flops_by_node(doc: Document) -> dict[str, int | None] | None:
    c = model_cost(doc)
    return None if c is None else {nid: nc.flops for nid, nc in c.per_node.items()}


# ---------------------------------------------------------------------- will it fit?


def machine_memory_bytes(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """This machine's total memory: ``MemTotal`` of /proc/meminfo, else ``os.sysconf``; None when
    neither answers (probed each call; never assumed)."""
    try:
        for line in meminfo.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("MemTotal:"):
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    return int(parts[1]) * 1024  # the file says kB: kibibytes
    except OSError:
        pass
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return pages * size if pages > 0 and size > 0 else None


def memory_verdicts(estimate: TrainingMemory, machine: int | None, accelerator_gb: int | None) -> list[tuple[str, str]]:
    """``(kind, text)`` lines for the Train panel: the estimate, and a warning per limit it exceeds."""
    if estimate.total is None:
        return [("info", "Peak training memory cannot be estimated: a dim is undefined (None) in the model.")]
    parts = (
        f"weights {human_bytes(estimate.weights)}, gradients {human_bytes(estimate.gradients)}, "
        f"optimizer state {human_bytes(estimate.optimizer_state + estimate.update_temporaries)}, "
        f"activations {human_bytes(estimate.activations)}"
    )
    head = (
        f"Estimated peak training memory: **{human_bytes(estimate.total)}** at batch size "
        f"{estimate.batch_size} with {estimate.optimizer} ({parts})."
    )
    out = [("caption", head)]
    if machine is not None and estimate.total > machine:
        out.append(
            (
                "warning",
                f"The estimate ({human_bytes(estimate.total)}) exceeds this machine's memory "
                f"({human_bytes(machine)}): training would swap or be killed. Lower the batch size.",
            )
        )
    if accelerator_gb is not None and estimate.total > accelerator_gb * GB:
        out.append(
            (
                "warning",
                f"The estimate ({human_bytes(estimate.total)}) exceeds a {accelerator_gb} GB accelerator: "
                "lower the batch size or choose a larger accelerator.",
            )
        )
    return out


def memory_check(doc: Document, resolved: Mapping[str, Any]) -> None:
    """The Train panel's block: the accelerator select, the estimate, and its warnings (none while
    the graph has errors: its shapes, hence its activations, are not known)."""
    if not doc.report.ok:
        return
    c = st.columns([1, 4], vertical_alignment="bottom")
    choice = c[0].selectbox(
        "Accelerator memory",
        list(ACCELERATOR_SIZES),
        key=ACCELERATOR,
        help="Warn when the training-memory estimate exceeds this accelerator's memory (none: only this machine's).",
    )
    batch = resolved.get("batch_size") or 32
    optimizer = resolved.get("optimizer") or "rmsprop"
    try:
        estimate = training_memory(doc.graph, int(batch), optimizer, report=doc.report)
    except (ValueError, TypeError, KeyError):
        return  # an unknown optimizer or a bad batch size: the settings checks already say so
    with c[1]:
        for kind, text in memory_verdicts(estimate, machine_memory_bytes(), ACCELERATOR_SIZES.get(choice)):
            if kind == "warning":
                st.warning(text, icon=":material/memory:")
            elif kind == "info":
                st.info(text)
            else:
                st.caption(text)
