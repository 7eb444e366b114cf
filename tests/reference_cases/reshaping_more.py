"""Reference cases: Cropping1D/2D/3D, ZeroPadding1D/3D, UpSampling1D/3D, Permute, RepeatVector."""

from __future__ import annotations

from tests.reference_models import CF, _add, _grid

# --------------------------------------------------------------------------- Cropping1D/2D/3D
_grid("Cropping1D", [{}, {"cropping": 2}, {"cropping": (1, 3)}, {"cropping": 0}], [(None, 10, 3), (None, None, 3)])
_add("Cropping1D", {"cropping": (4, 5)}, (None, 10, 3))
_add("Cropping1D", {"cropping": (5, 5)}, (None, 10, 3), ok=False)
_add("Cropping1D", {}, (None, 10), ok=False)
_add("Cropping1D", {}, (None, 10, 3, 3), ok=False)
_add("Cropping1D", {"cropping": -1}, (None, 10, 3), ok=False)

_grid(
    "Cropping2D",
    [{}, {"cropping": 1}, {"cropping": (1, 2)}, {"cropping": ((1, 2), (3, 0))}],
    [(None, 8, 8, 3), (None, None, 8, 3), (None, 8, None, None)],
)
_add("Cropping2D", {"cropping": ((1, 2), (3, 0)), **CF}, (None, 3, 8, 8))
_add("Cropping2D", {"cropping": ((4, 4), (0, 0))}, (None, 8, 8, 3), ok=False)
_add("Cropping2D", {"cropping": ((0, 0), (4, 4)), **CF}, (None, 3, 9, 8), ok=False)
_add("Cropping2D", {}, (None, 8, 3), ok=False)
_add("Cropping2D", {}, (None, 8, 8, 8, 3), ok=False)
_add("Cropping2D", {"cropping": -1}, (None, 8, 8, 3), ok=False)

_grid(
    "Cropping3D",
    [{}, {"cropping": 0}, {"cropping": (1, 0, 2)}, {"cropping": ((1, 0), (0, 2), (1, 1))}],
    [(None, 6, 6, 6, 2), (None, None, 6, None, 2)],
)
_add("Cropping3D", {"cropping": ((1, 0), (0, 2), (1, 1)), **CF}, (None, 2, 6, 6, 6))
_add("Cropping3D", {}, (None, 6, 2, 6, 2), ok=False)
_add("Cropping3D", {}, (None, 6, 6, 2), ok=False)
_add("Cropping3D", {"cropping": (1, 2)}, (None, 6, 6, 6, 2), ok=False)

# --------------------------------------------------------------------------- ZeroPadding1D/3D
_grid("ZeroPadding1D", [{}, {"padding": 2}, {"padding": (1, 3)}, {"padding": 0}], [(None, 10, 3), (None, None, 3)])
_add("ZeroPadding1D", {"padding": (1, 3), **CF}, (None, 3, 10))
_add("ZeroPadding1D", {}, (None, 10), ok=False)
_add("ZeroPadding1D", {}, (None, 10, 3, 3), ok=False)
_add("ZeroPadding1D", {"padding": -1}, (None, 10, 3), ok=False)

_grid(
    "ZeroPadding3D",
    [{}, {"padding": 2}, {"padding": (1, 2, 0)}, {"padding": ((1, 0), (0, 2), (1, 1))}],
    [(None, 4, 4, 4, 2), (None, None, 4, None, 2)],
)
_add("ZeroPadding3D", {"padding": ((1, 0), (0, 2), (1, 1)), **CF}, (None, 2, 4, 4, 4))
_add("ZeroPadding3D", {}, (None, 4, 4, 2), ok=False)
_add("ZeroPadding3D", {}, (None, 4, 4, 4, 4, 2), ok=False)
_add("ZeroPadding3D", {"padding": (1, 2)}, (None, 4, 4, 4, 2), ok=False)

# --------------------------------------------------------------------------- UpSampling1D/3D
_grid("UpSampling1D", [{}, {"size": 3}, {"size": 1}], [(None, 10, 3), (None, None, 3), (2, 4, None)])
_add("UpSampling1D", {}, (None, 10), ok=False)
_add("UpSampling1D", {}, (None, 10, 3, 3), ok=False)
_add("UpSampling1D", {"size": 0}, (None, 10, 3), ok=False)

_grid("UpSampling3D", [{}, {"size": 3}, {"size": (1, 2, 3)}], [(None, 4, 4, 4, 2), (None, None, 4, None, 2)])
_add("UpSampling3D", {"size": (1, 2, 3), **CF}, (None, 2, 4, 4, 4))
_add("UpSampling3D", {}, (None, 4, 4, 2), ok=False)
_add("UpSampling3D", {}, (None, 4, 4, 4, 4, 2), ok=False)
_add("UpSampling3D", {"size": 0}, (None, 4, 4, 4, 2), ok=False)

# --------------------------------------------------------------------------- Permute, RepeatVector
for dims, shape in [
    ((2, 1), (None, 10, 3)),
    ((2, 1), (None, None, 3)),
    ((1,), (None, 5)),
    ((3, 1, 2), (None, 4, 5, 6)),
    ((1, 3, 2), (2, 4, None, 6)),
]:
    _add("Permute", {"dims": dims}, shape)
_add("Permute", {"dims": (2, 1)}, (None, 10), ok=False)
_add("Permute", {"dims": (2, 1)}, (None, 4, 5, 6), ok=False)
_add("Permute", {"dims": (1, 3)}, (None, 4, 5), ok=False)
_add("Permute", {"dims": (0, 1)}, (None, 4, 5), ok=False)
_add("Permute", {"dims": (1, 1)}, (None, 4, 5), ok=False)

_grid("RepeatVector", [{"n": 3}, {"n": 1}], [(None, 8), (None, None), (4, 8)])
_add("RepeatVector", {"n": 3}, (None, 4, 8), ok=False)
_add("RepeatVector", {"n": 3}, (None,), ok=False)
_add("RepeatVector", {"n": 0}, (None, 8), ok=False)
