"""The app on a graph with multi-output calls (the seq2seq template): it opens, the canvas names
source ports on edges and every output port's shape on a node, and selecting the encoder does
not fail; a disconnect keeps the other edges' source ports."""

from __future__ import annotations

from tests.ui.test_app import Canvas, _state_dir, doc_of, new_app, sync_of  # noqa: F401 - the fixture
from ui.flow import view_edges


def test_seq2seq_template_opens_and_shows_its_ports() -> None:
    at = new_app("seq2seq_lstm")
    doc = doc_of(at)
    assert doc.report.ok and doc.report.params.total == 718_173
    labels = {(e["source"], e["target"]): e.get("label", "") for e in sync_of(at).edges}
    assert labels[("encoder", "decoder_lstm")] in ("out 1 (h) → in 1", "out 2 (c) → in 2")
    assert sorted(e.get("label", "") for e in view_edges(doc.graph) if e["source"] == "encoder") == [
        "out 1 (h) → in 1",
        "out 2 (c) → in 2",
    ]
    canvas = Canvas(at)
    html = canvas.content("encoder")
    assert "1 h: (None, 256)" in html and "2 c: (None, 256)" in html
    canvas.click("encoder")  # the inspector on a multi-output node lists its outputs
    assert not at.exception
    assert any("Outputs: 0 output `(None, 256)` · 1 h `(None, 256)` · 2 c" in c.value for c in at.caption)
    assert doc_of(at).graph == doc.graph
    assert any("**718,173** params" in m.value for m in at.markdown)


def test_disconnecting_the_decoder_input_keeps_the_state_ports() -> None:
    at = new_app("seq2seq_lstm")
    canvas = Canvas(at)
    canvas.delete_edge("decoder_inputs", "decoder_lstm")
    g = doc_of(at).graph
    assert [(e.source, e.port, e.source_port) for e in g.in_edges["decoder_lstm"]] == [
        ("encoder", 0, 1),
        ("encoder", 1, 2),
    ]
    assert not at.exception
