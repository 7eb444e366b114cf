"""Reference cases: LeakyReLU, PReLU, ELU, Softmax (activations)."""

from __future__ import annotations

from tests.reference_models import N, _add, _grid

_grid("LeakyReLU", [{}, {"negative_slope": 0.1}, {"negative_slope": 0.0}], [(N, 8), (N, N, 3), (N,)])
_add("LeakyReLU", {"negative_slope": -0.2}, (N, 8), ok=False)
_add("LeakyReLU", {"negative_slope": None}, (N, 8), ok=False)

_grid("PReLU", [{}], [(N, 8), (N, 5, 3), (4, 2, 2, 3)])
_grid("PReLU", [{"shared_axes": (1, 2)}], [(N, 8, 8, 3), (N, N, N, 3)])
_add("PReLU", {"shared_axes": 1}, (N, N, 4))
_add("PReLU", {"shared_axes": (1,)}, (N, 10, 4))
_add("PReLU", {}, (N, N, 4), ok=False)
_add("PReLU", {"shared_axes": (1,)}, (N, 10, N), ok=False)
_add("PReLU", {"shared_axes": (3,)}, (N, 10, 4), ok=False)

_grid("ELU", [{}, {"alpha": 0.5}], [(N, 8), (N, N, 3)])
_add("ELU", {"units": 4}, (N, 8), ok=False, tag="unknown-param")
_add(
    "ELU",
    {"alpha": "big"},
    (N, 8),
    stricter=True,
    runtime_error=True,
    note="Keras keeps any alpha and builds the layer; a string alpha fails when it runs on data.",
)

_grid("Softmax", [{}, {"axis": 1}, {"axis": (1, 2)}], [(N, 4, 8), (N, N, 3)])
_add("Softmax", {}, (N, 8))
_add("Softmax", {"axis": -2}, (N, 8, 3))
_add("Softmax", {}, (N, 4, 8), (N, 4, 8), tag="mask")
_add("Softmax", {}, (N, 4, 8), (N, 1, 8), tag="mask")
_add("Softmax", {}, (N, 4, 8), (N, 4, 8), (N, 4, 8), ok=False, tag="three-inputs")
_add(
    "Softmax",
    {"axis": "last"},
    (N, 8),
    stricter=True,
    runtime_error=True,
    note="Keras keeps any axis and builds the layer; axis='last' fails when it runs on data.",
)
_add(
    "Softmax",
    {"axis": 3},
    (N, 4, 8),
    stricter=True,
    runtime_error=True,
    note="Keras builds a Softmax whose axis is out of range (the output shape is the input's); the softmax fails on data.",
)
_add(
    "Softmax",
    {"axis": 0},
    (N, 8),
    stricter=True,
    note="Keras takes the softmax across the batch axis: each sample's output depends on the other samples.",
)
_add(
    "Softmax",
    {},
    (N, 4, 8),
    (N, 4, 3),
    stricter=True,
    runtime_error=True,
    tag="mask",
    note="Keras builds a Softmax whose mask does not broadcast to the input; it fails on data.",
)
