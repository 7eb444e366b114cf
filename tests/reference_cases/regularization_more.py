"""Reference cases: SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout,
ActivityRegularization (regularization)."""

from __future__ import annotations

from tests.reference_models import CF, N, _add, _grid

_grid("SpatialDropout1D", [{"rate": 0.2}, {"rate": 0.0}], [(N, 10, 8), (N, N, 3)])
_grid("SpatialDropout1D", [{"rate": 0.2}], [(N, 8), (N, 4, 4, 3)], ok=False)
_add("SpatialDropout1D", {"rate": 1.5}, (N, 10, 8), ok=False)
_grid("SpatialDropout2D", [{"rate": 0.2}, {"rate": 0.3, **CF}], [(N, 8, 8, 3), (N, N, N, 3)])
_grid("SpatialDropout2D", [{"rate": 0.2}], [(N, 8, 3), (N, 2, 8, 8, 3)], ok=False)
_add("SpatialDropout2D", {"rate": -0.1}, (N, 8, 8, 3), ok=False)
_grid("SpatialDropout3D", [{"rate": 0.2}, {"rate": 0.3, **CF}], [(N, 4, 8, 8, 3), (N, N, N, N, 3)])
_grid("SpatialDropout3D", [{"rate": 0.2}], [(N, 8, 8, 3)], ok=False)

_grid("GaussianNoise", [{"stddev": 0.1}, {"stddev": 0.0}, {"stddev": 1.0}], [(N, 8), (N, N, 3)])
_add("GaussianNoise", {"stddev": 1.5}, (N, 8), ok=False)
_add("GaussianNoise", {"stddev": -0.5}, (N, 8), ok=False)
_grid("GaussianDropout", [{"rate": 0.3}, {"rate": 0.0}], [(N, 8), (N, N, 3)])
_add("GaussianDropout", {"rate": 1.2}, (N, 8), ok=False)
_grid("AlphaDropout", [{"rate": 0.1}, {"rate": 0.0}], [(N, 8), (N, N, 3)])
_add("AlphaDropout", {"rate": 2.0}, (N, 8), ok=False)
_grid("ActivityRegularization", [{}, {"l1": 0.01}, {"l2": 0.01, "l1": 0.001}], [(N, 8), (N, N, 3)])
_add("ActivityRegularization", {"l1": "x"}, (N, 8), ok=False)
