"""Reference cases: GroupNormalization, UnitNormalization, RMSNormalization (normalization)."""

from __future__ import annotations

from tests.reference_models import N, _add, _grid

_grid("GroupNormalization", [{"groups": 4}, {"groups": 1}, {"groups": -1}], [(N, 8, 8, 16), (N, N, 8), (N, 32)])
_add("GroupNormalization", {}, (N, 8, 8, 64))
_add("GroupNormalization", {"groups": 2, "center": False}, (N, 6, 4))
_add("GroupNormalization", {"groups": 2, "scale": False, "center": False}, (N, 6, 4))
_add("GroupNormalization", {"groups": 2, "axis": 1}, (N, 4, 6))
_add("GroupNormalization", {}, (N, 8, 8, 16), ok=False, tag="default-32-groups")
_add("GroupNormalization", {"groups": 3}, (N, 8), ok=False)
_add("GroupNormalization", {"groups": 4}, (N, 8, N), ok=False)
_add("GroupNormalization", {"groups": 0}, (N, 8), ok=False)
_add("GroupNormalization", {"groups": 2, "axis": 3}, (N, 8, 4), ok=False)

_grid("UnitNormalization", [{}, {"axis": 1}, {"axis": (1, 2)}], [(N, 4, 8), (N, N, N)])
_add("UnitNormalization", {}, (N, 8))
_add("UnitNormalization", {"axis": 2}, (N, 8), ok=False)
_add("UnitNormalization", {"axis": (1, 3)}, (N, 4, 8), ok=False)

_grid("RMSNormalization", [{}, {"epsilon": 1e-5}], [(N, 8), (N, N, 16)])
_add("RMSNormalization", {"axis": (1, 2)}, (N, 4, 8))
_add("RMSNormalization", {"axis": (2, 1)}, (N, 4, 8))
_add("RMSNormalization", {"axis": 2}, (N, 4, 8))
_add(
    "RMSNormalization",
    {"axis": 1},
    (N, 4, 8),
    stricter=True,
    runtime_error=True,
    note="The scale has the size of axis 1, (4,), which does not broadcast against (..., 4, 8); Keras builds the "
    "layer, then the multiplication fails on data.",
)
_add("RMSNormalization", {}, (N, 4, N), ok=False)
_add("RMSNormalization", {"axis": 3}, (N, 4, 8), ok=False)
_add("RMSNormalization", {"axis": 0}, (N, 8), ok=False)
