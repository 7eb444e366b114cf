"""Reference cases: EinsumDense, Identity, Masking (core)."""

from __future__ import annotations

from tests.reference_models import N, _add, _grid

# --------------------------------------------------------------------------- EinsumDense
_add("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 64}, (N, 32))
_add("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 64, "bias_axes": "c"}, (N, 32))
_add("EinsumDense", {"equation": "ab,bc->ac", "output_shape": (16,), "activation": "relu"}, (4, 8))
_add("EinsumDense", {"equation": "abc,cd->abd", "output_shape": (None, 64), "bias_axes": "d"}, (N, 10, 32))
_add("EinsumDense", {"equation": "abc,cd->abd", "output_shape": (None, 64)}, (N, N, 32))
_add("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (None, 4, 8), "bias_axes": "de"}, (N, 10, 32))
_add("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (None, 4, 8), "bias_axes": "e"}, (N, 10, 32))
_add("EinsumDense", {"equation": "...b,bc->...c", "output_shape": 16, "bias_axes": "c"}, (N, 5, 8))
_add("EinsumDense", {"equation": "...b,bc->...c", "output_shape": 16}, (N, 5, 5, 8))
_add(
    "EinsumDense",
    {"equation": "...b,bc->...c", "output_shape": 16, "bias_axes": "c"},
    (N, 5, 7, 8),
    stricter=True,
    runtime_error=True,
    note="With three axes under '...', Keras 3.15 infers the elided axes in reverse order, (None, 7, 5, 16); the "
    "layer outputs (None, 5, 7, 16) on data.",
)
_add("EinsumDense", {"equation": "...b,bc->...c", "output_shape": 16}, (N, 8))
_add("EinsumDense", {"equation": "abcd,cde->abe", "output_shape": (None, 6), "bias_axes": "e"}, (N, 3, 4, 5))
_add("EinsumDense", {"equation": "ab...,bc->ac...", "output_shape": 6}, (N, 4, 3))
_add("EinsumDense", {"equation": "not an equation", "output_shape": 4}, (N, 8), ok=False)
_add("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4}, (N, N), ok=False)
_add("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"}, (N, 8), ok=False)
_add("EinsumDense", {"equation": "ab,bc->acd", "output_shape": (4, 5)}, (N, 8), ok=False)
_add("EinsumDense", {"equation": "ab,bcz->ac", "output_shape": 4}, (N, 8), ok=False)
_add("EinsumDense", {"equation": "abc,cd->abd", "output_shape": (5, 64)}, (N, 10, 32), ok=False)
_add("EinsumDense", {"equation": "abc,cd->abd", "output_shape": (None, 64)}, (N, 32), ok=False)
_add("EinsumDense", {"equation": "abc,cd->abd", "output_shape": (None, None)}, (N, 10, 32), ok=False)
_add(
    "EinsumDense",
    {"equation": "ab,bc->ac", "output_shape": 4},
    (N, 5, 8),
    stricter=True,
    runtime_error=True,
    note="Without '...' the equation names two input axes; Keras builds the layer on a rank-3 input "
    "(appending the extra axis to the output shape), then the einsum fails on data.",
)

# --------------------------------------------------------------------------- Identity, Masking
_grid("Identity", [{}], [(N, 8), (N, N, 3), (4, 2, 2, 2), (N,)])
_grid("Masking", [{}, {"mask_value": -1.0}], [(N, 10, 8), (N, N, 3)])
_add("Masking", {"mask_value": 0.5}, (N, 8))
_add(
    "Masking",
    {"mask_value": "zero"},
    (N, 8),
    stricter=True,
    note="Keras compares the inputs with the string only when the layer runs; the catalog asks for a number.",
    runtime_error=True,
)
_add("Identity", {"units": 4}, (N, 8), ok=False, tag="unknown-param")
_add("Masking", {"units": 4}, (N, 8), ok=False, tag="unknown-param")
