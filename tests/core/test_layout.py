"""Automatic layout: long strips of layers are wrapped so they stay readable when fitted."""

from __future__ import annotations

from builder.core.layout import X_GAP, Y_GAP, readable, too_wide
from builder.core.templates import get_template


def aspect(graph) -> float:
    xs = [n.position[0] for n in graph.nodes]
    ys = [n.position[1] for n in graph.nodes]
    return (max(xs) - min(xs) + X_GAP) / (max(ys) - min(ys) + Y_GAP)


def test_long_templates_are_wrapped_and_compact_ones_kept():
    social = get_template("social_media_multi_output").load()
    assert too_wide(social) and aspect(social) > 4
    wrapped = readable(social)
    assert not too_wide(wrapped) and aspect(wrapped) <= 4
    assert [n.id for n in wrapped.nodes] == [n.id for n in social.nodes]
    assert len({n.position for n in wrapped.nodes}) == len(wrapped.nodes)  # no two nodes on one spot
    siamese = get_template("siamese_tweets").load()
    assert not too_wide(siamese) and readable(siamese) == siamese  # positions kept as drawn
