"""A small picture of a graph: an inline SVG of the layered layout (``builder.core.layout``)."""

from __future__ import annotations

from html import escape

from builder.core.graph import Graph
from builder.core.layout import layered_positions

WIDTH, HEIGHT, PAD = 132, 76, 6
MAX_NODES = 400  # beyond that the picture shows the first ones only (it stays small and fast)


def svg(graph: Graph, width: int = WIDTH, height: int = HEIGHT) -> str:
    """An ``<svg>`` element: inputs green, outputs orange, other calls blue, edges grey."""
    nodes = graph.nodes[:MAX_NODES]
    frame = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(graph.name or "model")}" style="background:#f6f8fa;border-radius:6px">'
    )
    if not nodes:
        return (
            frame
            + f'<text x="{width / 2}" y="{height / 2 + 4}" font-size="10" text-anchor="middle" fill="#888">empty</text></svg>'
        )
    pos = layered_positions(graph)
    xs = [pos[n.id][0] for n in nodes if n.id in pos] or [0.0]
    ys = [pos[n.id][1] for n in nodes if n.id in pos] or [0.0]
    x0, y0 = min(xs), min(ys)
    span_x, span_y = max(max(xs) - x0, 1.0), max(max(ys) - y0, 1.0)
    scale = min((width - 2 * PAD) / span_x, (height - 2 * PAD) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def at(nid: str) -> tuple[float, float]:
        x, y = pos.get(nid, (x0, y0))
        return off_x + (x - x0) * scale, off_y + (y - y0) * scale

    shown = {n.id for n in nodes}
    parts = [frame]
    for e in graph.edges:
        if e.source in shown and e.target in shown:
            (ax, ay), (bx, by) = at(e.source), at(e.target)
            parts.append(
                f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#9aa4af" stroke-width="1"/>'
            )
    inputs, outputs = set(graph.inputs), set(graph.outputs)
    r = 3.5 if len(nodes) < 60 else 2.0
    for n in nodes:
        x, y = at(n.id)
        color = "#2da44e" if n.id in inputs else "#e36209" if n.id in outputs else "#0969da"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)
