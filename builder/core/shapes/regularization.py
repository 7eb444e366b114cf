"""Regularization layers with a rule of their own: the spatial dropouts (a fixed input rank).
Dropout, GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization keep the shape
(``dropout``, in ``core``)."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, require_ndim

_RANK = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}


def spatialdropout(c: Call) -> Result:
    ndim = _RANK[c.type]
    require_ndim(c, ndim)
    return Result(c.x, ndim=ndim)


RULES: dict[str, Callable[[Call], Result]] = {
    "spatialdropout": spatialdropout,
}
