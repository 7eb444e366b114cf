"""The visual diff's marks: which nodes and edges of the two graphs are added, removed or changed
(ui/diff_canvas.py, from builder.core.diff's result), and the read-only canvas view made of them."""

from __future__ import annotations

from builder.core.diff import diff
from builder.core.templates import get_template
from builder.core.validate import validate
from ui import diff_canvas as D


def _edited() -> tuple:
    a = get_template("mlp").load()
    b = a.update_config("dense", units=7)  # changed: dense (units, params, shape)
    b, extra = b.add("Dense", {"units": 3}, name="extra", inputs=["dense_2"])  # added layer and edge
    b = b.remove_node("dense_1")  # removed layer and its two edges
    b = b.connect("dense", "dense_2")  # added edge; dense_2 now has 7 inputs: its params change
    return a, b, extra


def test_marks_place_every_change_on_a_node_or_an_edge() -> None:
    a, b, extra = _edited()
    m = D.marks(a, b, diff(a, b))
    assert m.nodes == {"dense": D.CHANGED, "dense_2": D.CHANGED, extra: D.ADDED}
    assert any(c.startswith("config.units: 32 → 7") for c in m.changes["dense"])
    assert m.changes["dense_2"] == ["params: 330 → 80"]
    assert m.removed_nodes == ["dense_1"]
    assert m.edges == {"dense_2->" + extra + "#0": D.ADDED, "dense->dense_2#0": D.ADDED}
    assert sorted(m.removed_edges) == [("dense", "dense_1", 0), ("dense_1", "dense_2", 0)]


def test_equal_graphs_mark_nothing() -> None:
    a = get_template("news").load()
    m = D.marks(a, a, diff(a, a))
    assert (m.nodes, m.removed_nodes, m.edges, m.removed_edges) == ({}, [], {}, [])


def test_the_view_draws_after_with_classes_and_the_removed_from_before() -> None:
    a, b, extra = _edited()
    nodes, edges = D.view(a, b, diff(a, b), validate(a), validate(b))
    by_id = {n["id"]: n for n in nodes}
    assert set(by_id) == {"input_layer", "dense", "dense_2", extra, "removed:dense_1"}
    assert "kgb-diff-changed" in by_id["dense"]["className"]
    assert "kgb-diff-added" in by_id[extra]["className"]
    assert "kgb-diff-removed" in by_id["removed:dense_1"]["className"]
    assert "kgb-diff-same" in by_id["input_layer"]["className"]
    assert "changed: config.units: 32 → 7" in by_id["dense"]["data"]["content"]
    assert all(n["draggable"] is False and n["deletable"] is False for n in nodes)  # read-only
    # a removed node is drawn where it was (nothing else is there), with its old look
    assert by_id["removed:dense_1"]["position"] == {"x": 440, "y": 0}
    assert "dense_1" in by_id["removed:dense_1"]["data"]["content"]
    styled = {e["id"]: e.get("className") for e in edges}
    assert styled["dense->dense_2#0"] == "kgb-diff-added"
    removed = [e for e in edges if e.get("className") == "kgb-diff-removed"]
    # the removed edges join the removed node to the nodes still there
    assert sorted((e["source"], e["target"]) for e in removed) == [
        ("dense", "removed:dense_1"),
        ("removed:dense_1", "dense_2"),
    ]
    assert all(e["source"] in by_id and e["target"] in by_id for e in edges)


def test_a_removed_node_never_covers_a_node_drawn_in_its_place() -> None:
    a = get_template("mlp").load()
    b = a.remove_node("dense_1")
    b, new = b.add("Dense", {"units": 5}, name="other", inputs=["dense"])
    b = b.move(new, 440, 0)  # where dense_1 was
    nodes, _ = D.view(a, b, diff(a, b), validate(a), validate(b))
    pos = {n["id"]: (n["position"]["x"], n["position"]["y"]) for n in nodes}
    assert pos[new] == (440, 0) and pos["removed:dense_1"][0] == 440 and pos["removed:dense_1"][1] > 0


def test_a_new_call_of_a_shared_layer_is_added_and_a_changed_shared_layer_marks_every_call() -> None:
    a = get_template("siamese_tweets").load()
    b, third = a.add_node("lstm", inputs=["input_layer"], position=(0, 400))
    m = D.marks(a, b, diff(a, b))
    assert m.nodes[third] == D.ADDED and "encoded_a" not in m.nodes and "encoded_b" not in m.nodes
    units = a.layer_by_id["lstm"].config.get("units", 64)
    c = a.update_config("lstm", units=units + 1)
    m = D.marks(a, c, diff(a, c))
    assert m.nodes["encoded_a"] == m.nodes["encoded_b"] == D.CHANGED  # both calls of the one layer
    assert m.nodes["concatenate"] == D.CHANGED  # its shape follows
