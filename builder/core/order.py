"""Evaluation order of a graph's nodes, shared by the validator, the compiler and codegen.

Keras builds a shared layer's weights on its first call, so every part of the builder must
agree on which call comes first: the order in which a person would write the calls, i.e.
each node after its inputs, otherwise in document order.
"""

from __future__ import annotations

from collections.abc import Iterable

from .graph import Graph


def live_nodes(graph: Graph) -> set[str]:
    """The nodes whose results reach a model output (Keras drops the others)."""
    live: set[str] = set()
    stack = [o for o in graph.outputs if o in graph.node_by_id]
    while stack:
        nid = stack.pop()
        if nid in live:
            continue
        live.add(nid)
        stack.extend(graph.input_nodes(nid))
    return live


def dfs_order(graph: Graph, nodes: Iterable[str], done: set[str] | None = None) -> list[str]:
    """``nodes`` (a set closed under inputs, acyclic), each after its inputs, otherwise in
    document order. Nodes already in ``done`` are taken as emitted."""
    wanted = set(nodes)
    done = set() if done is None else done
    order: list[str] = []
    for start in (n.id for n in graph.nodes):
        if start not in wanted or start in done:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        on_stack = {start}
        while stack:
            nid, i = stack.pop()
            sources = graph.input_nodes(nid)
            while i < len(sources) and (sources[i] in done or sources[i] not in wanted):
                i += 1
            if i < len(sources):
                src = sources[i]
                if src in on_stack:
                    raise ValueError(f"the graph has a cycle through {src!r}")
                stack.append((nid, i + 1))
                stack.append((src, 0))
                on_stack.add(src)
                continue
            on_stack.discard(nid)
            if nid not in done:
                done.add(nid)
                order.append(nid)
    return order


def build_order(graph: Graph) -> list[str]:
    """The live nodes in the order the compiler and codegen build them. Must be acyclic."""
    return dfs_order(graph, live_nodes(graph))


def evaluation_order(graph: Graph, acyclic: set[str]) -> list[str]:
    """Every node of ``acyclic``: the live ones first, in :func:`build_order`'s order, then
    the others (which Keras drops), so that a shared layer is built by the same call here as
    in the compiled model."""
    live = live_nodes(graph) & acyclic
    live = {n for n in live if all(s in acyclic for s in graph.input_nodes(n))}
    done: set[str] = set()
    first = dfs_order(graph, live, done)
    return first + dfs_order(graph, acyclic, done)
