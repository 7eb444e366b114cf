"""Wrappers: Bidirectional, TimeDistributed, SpectralNormalization (the wrapped layer's rule composed)."""

from __future__ import annotations

from typing import Any

from tests.reference_models import N, _add


def _layer(type_name: str, **config: Any) -> dict[str, Any]:
    return {"type": type_name, "config": config}


# Bidirectional: forward + backward copies (twice the weights), merged.
for rnn in ("LSTM", "GRU", "SimpleRNN"):
    for seq in (True, False):
        _add("Bidirectional", {"layer": _layer(rnn, units=6, return_sequences=seq)}, (N, 7, 4))
for mode in ("sum", "mul", "ave"):
    _add("Bidirectional", {"layer": _layer("LSTM", units=5, return_sequences=True), "merge_mode": mode}, (N, N, 3))
_add(
    "Bidirectional",
    {"layer": _layer("GRU", units=4), "backward_layer": _layer("GRU", units=4, go_backwards=True)},
    (N, 9, 2),
    tag="own_backward",
)
_add(
    "Bidirectional",
    {"layer": _layer("LSTM", units=4), "backward_layer": _layer("LSTM", units=4)},
    (N, 9, 2),
    ok=False,
    tag="same_direction",
)
_add(
    "Bidirectional",
    {
        "layer": _layer("LSTM", units=4),
        "backward_layer": _layer("LSTM", units=4, go_backwards=True, return_sequences=True),
    },
    (N, 9, 2),
    ok=False,
    tag="seq_differs",
)
_add("Bidirectional", {"layer": _layer("LSTM", units=4, go_backwards=True)}, (N, 9, 2), ok=False)  # both backwards
_add("Bidirectional", {"layer": _layer("LSTM", units=4)}, (N, 8), ok=False)  # an RNN needs (batch, steps, features)
_add("Bidirectional", {"layer": _layer("LSTM", units=4)}, (N, 5, N), ok=False)  # undefined features
_add("Bidirectional", {"layer": _layer("Dense", units=4)}, (N, 5, 3), ok=False)  # not a recurrent layer
_add("Bidirectional", {"layer": _layer("LSTM", units=0)}, (N, 5, 3), ok=False)  # the wrapped layer's own check
_add(
    "Bidirectional",
    {"layer": _layer("LSTM", units=4), "merge_mode": None},
    (N, 5, 3),
    stricter=True,
    note="merge_mode=None returns [forward, backward]: two outputs of one call, which the builder does not draw",
)

# TimeDistributed: the inner layer on (batch, *rest), once per step.
_add("TimeDistributed", {"layer": _layer("Dense", units=5)}, (N, 10, 8))
_add("TimeDistributed", {"layer": _layer("Dense", units=5, use_bias=False)}, (N, N, 8))
_add("TimeDistributed", {"layer": _layer("Conv2D", filters=4, kernel_size=3)}, (N, 6, 16, 16, 3))
_add("TimeDistributed", {"layer": _layer("MaxPooling2D", pool_size=2)}, (N, 6, 16, 16, 3))
_add("TimeDistributed", {"layer": _layer("Flatten")}, (N, 6, 4, 4, 3))
_add("TimeDistributed", {"layer": _layer("Dropout", rate=0.5)}, (N, 6, 4))
_add("TimeDistributed", {"layer": _layer("Dense", units=5)}, (N, 8), ok=False)  # needs a steps axis
_add("TimeDistributed", {"layer": _layer("Dense", units=5)}, (N, 4, N), ok=False)  # undefined features
_add("TimeDistributed", {"layer": _layer("Conv2D", filters=4, kernel_size=3)}, (N, 6, 16, 3), ok=False)
_add("TimeDistributed", {"layer": _layer("Conv2D", filters=4, kernel_size=7)}, (N, 6, 4, 4, 3), ok=False)

# SpectralNormalization: the inner layer plus a non-trainable vector_u (1, kernel.shape[-1]).
_add("SpectralNormalization", {"layer": _layer("Dense", units=10)}, (N, 8))
_add("SpectralNormalization", {"layer": _layer("Dense", units=10), "power_iterations": 3}, (N, 4, 8))
_add("SpectralNormalization", {"layer": _layer("Conv2D", filters=6, kernel_size=3)}, (N, 12, 12, 3))
_add("SpectralNormalization", {"layer": _layer("Embedding", input_dim=20, output_dim=7)}, (N, 5), dtype="int32")
_add("SpectralNormalization", {"layer": _layer("Dense", units=10), "power_iterations": 0}, (N, 8), ok=False)
_add("SpectralNormalization", {"layer": _layer("Dense", units=10)}, (N, N), ok=False)
_add(
    "SpectralNormalization",
    {"layer": _layer("Dense", units=10), "power_iterations": 1.5},
    (N, 8),
    stricter=True,
    note="Keras only checks power_iterations > 0; predict runs, training fails in range(power_iterations)",
)
