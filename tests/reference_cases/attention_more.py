"""Reference cases: Attention, AdditiveAttention, MultiHeadAttention, GroupQueryAttention (attention)."""

from __future__ import annotations

from tests.reference_models import N, _add

SELF = ((N, 10, 16), (N, 10, 16))
CROSS = ((N, 10, 16), (N, 12, 16))
QVK = ((N, 10, 16), (N, 12, 8), (N, 12, 16))

# --------------------------------------------------------------------------- Attention, AdditiveAttention
for att in ("Attention", "AdditiveAttention"):
    for inputs in (SELF, CROSS, QVK, ((N, N, 16), (N, N, 16)), ((2, 5, 4), (2, 7, 4))):
        _add(att, {}, *inputs)
        _add(att, {"use_scale": att == "Attention"}, *inputs)
    _add(att, {"dropout": 0.1}, (N, 4, 3, 8), (N, 4, 5, 8))
    _add(att, {}, (N, 10, 16), ok=False, tag="one-input")
    _add(att, {}, (N, 10, 16), (N, 10, 16), (N, 10, 16), (N, 10, 16), ok=False, tag="four-inputs")
    _add(
        att,
        {},
        (N, 10, 16),
        (N, 12, 8),
        stricter=True,
        runtime_error=True,
        note="Keras builds attention whose query and key (here the value) differ in features; scoring fails on data.",
    )
    _add(
        att,
        {},
        (N, 10, 16),
        (N, 12, 8),
        (N, 11, 16),
        stricter=True,
        runtime_error=True,
        note="Keras builds attention whose value and key differ in steps; it fails on data.",
    )
    _add(
        att,
        {},
        (N, 10, 16),
        (N, 3, 12, 16),
        stricter=True,
        runtime_error=True,
        note="Keras builds attention of a rank-3 query and a rank-4 value; it fails on data.",
    )
_add("Attention", {"score_mode": "concat"}, *CROSS)
_add("Attention", {"score_mode": "concat", "use_scale": True}, *QVK)
_add("Attention", {"score_mode": "general"}, *SELF, ok=False)
_add("AdditiveAttention", {}, (N, 10, N), (N, 12, N), ok=False, tag="undefined-features")
_add("AdditiveAttention", {"use_scale": False}, (N, 10, N), (N, 12, N), tag="undefined-features")
_add(
    "Attention",
    {},
    (N, 16),
    (N, 16),
    stricter=True,
    note="Keras builds attention over rank-2 inputs: each sample attends to the other samples of its batch.",
)

# --------------------------------------------------------------------------- MultiHeadAttention
MHA = {"num_heads": 2, "key_dim": 8}
for inputs in (SELF, CROSS, QVK, ((N, N, 16), (N, N, 16)), ((4, 5, 6), (4, 7, 3))):
    _add("MultiHeadAttention", MHA, *inputs)
_add("MultiHeadAttention", {"num_heads": 4, "key_dim": 32, "value_dim": 16}, *CROSS)
_add("MultiHeadAttention", {**MHA, "use_bias": False}, *QVK)
_add("MultiHeadAttention", {**MHA, "output_shape": 32}, *SELF)
_add("MultiHeadAttention", {**MHA, "output_shape": (4, 5)}, *CROSS)
_add("MultiHeadAttention", {**MHA, "dropout": 0.1}, *SELF)
_add("MultiHeadAttention", {**MHA, "use_gate": True}, *QVK)
_add("MultiHeadAttention", {**MHA, "use_gate": True, "use_bias": False, "value_dim": 4}, *CROSS)
_add("MultiHeadAttention", MHA, (N, 5, 6, 16), (N, 7, 3, 16))
_add("MultiHeadAttention", {**MHA, "attention_axes": (2,)}, (N, 5, 6, 16), (N, 5, 3, 16))
_add("MultiHeadAttention", {**MHA, "attention_axes": 1}, (N, 5, 6, 16), (N, 7, 6, 16))
_add("MultiHeadAttention", {**MHA, "attention_axes": (1, 2)}, (N, 5, 6, 16), (N, 7, 3, 16))
_add("MultiHeadAttention", {**MHA, "attention_axes": -2}, (N, 5, 6, 16), (N, 5, 3, 16))
_add("MultiHeadAttention", {**MHA, "sliding_window": 3}, *SELF)
_add("MultiHeadAttention", MHA, (N, 10, 16), ok=False, tag="one-input")
_add("MultiHeadAttention", MHA, (N, 10, N), (N, 10, 16), ok=False, tag="undefined-query-features")
_add("MultiHeadAttention", MHA, (N, 10, 16), (N, 10, N), ok=False, tag="undefined-value-features")
_add("MultiHeadAttention", MHA, (N, 10, 16), (N, 12, 8), (N, 11, 16), ok=False)
_add("MultiHeadAttention", MHA, (N, 10, 16), (N, 12, 8), (N, 3, 12, 16), ok=False)
_add("MultiHeadAttention", {"num_heads": 0, "key_dim": 8}, *SELF, ok=False)
_add("MultiHeadAttention", {"num_heads": 2, "key_dim": 0}, *SELF, ok=False)
_add("MultiHeadAttention", {"num_heads": 2}, *SELF, ok=False, tag="no-key-dim")
_add("MultiHeadAttention", {**MHA, "value_dim": -1}, *SELF, ok=False)
_add("MultiHeadAttention", {**MHA, "output_shape": (None, 4)}, *SELF, ok=False)
_add("MultiHeadAttention", {**MHA, "sliding_window": 0}, *SELF, ok=False)
_add(
    "MultiHeadAttention",
    MHA,
    (N, 10, 16),
    (N, 3, 12, 16),
    stricter=True,
    runtime_error=True,
    note="Keras builds attention of a rank-3 query and a rank-4 value; the attention einsum fails on data.",
)
_add(
    "MultiHeadAttention",
    {**MHA, "attention_axes": (2,)},
    (N, 5, 6, 16),
    (N, 7, 3, 16),
    stricter=True,
    runtime_error=True,
    note="Axis 1 is not an attention axis, so query and key must agree on it; Keras builds the layer, then "
    "fails on data.",
)

# --------------------------------------------------------------------------- GroupQueryAttention
GQA = {"head_dim": 8, "num_query_heads": 4, "num_key_value_heads": 2}
for inputs in (SELF, CROSS, ((N, 10, 16), (N, 12, 16), (N, 12, 8)), ((N, N, 16), (N, N, 16)), ((3, 5, 4), (3, 7, 4))):
    _add("GroupQueryAttention", GQA, *inputs)
_add("GroupQueryAttention", {**GQA, "use_bias": False}, *CROSS)
_add("GroupQueryAttention", {**GQA, "use_gate": True}, *CROSS)
_add("GroupQueryAttention", {**GQA, "num_key_value_heads": 4, "dropout": 0.1}, *SELF)
_add("GroupQueryAttention", {**GQA, "num_key_value_heads": 3}, *SELF, ok=False)
_add("GroupQueryAttention", GQA, (N, 10, 16), (N, 12, 8), ok=False)
_add("GroupQueryAttention", GQA, (N, 10, 16), (N, 12, 16), (N, 11, 16), ok=False)
_add("GroupQueryAttention", GQA, (N, 16), (N, 16), ok=False)
_add("GroupQueryAttention", GQA, (N, 10, 16), ok=False, tag="one-input")
_add("GroupQueryAttention", GQA, (N, 10, N), (N, 10, N), ok=False, tag="undefined-features")
_add(
    "GroupQueryAttention",
    GQA,
    (N, 5, 6, 16),
    (N, 5, 6, 16),
    stricter=True,
    runtime_error=True,
    note="The projections ('bqm,muh->bquh') name three axes; Keras builds the layer on rank-4 inputs, then the "
    "einsum fails on data.",
)
