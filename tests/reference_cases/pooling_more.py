"""Reference cases: MaxPooling3D, AveragePooling3D, GlobalMax/AveragePooling3D, AdaptiveAverage/MaxPooling1D/2D/3D."""

from __future__ import annotations

from tests.reference_models import CF, CPU_NCHW, _add, _grid

for pool in ("MaxPooling3D", "AveragePooling3D"):
    _grid(
        pool,
        [
            {"pool_size": 2},
            {"pool_size": 3, "strides": 2},
            {"pool_size": (2, 3, 1), "strides": (1, 2, 1), "padding": "same"},
        ],
        [(None, 8, 8, 8, 3), (None, None, None, None, 3), (2, 5, 6, 7, None)],
    )
    _add(pool, {"pool_size": (4, 4, 4)}, (None, 4, 4, 4, 2), tag="pool-eq-input")
    _add(pool, {"pool_size": 2, **CF}, (None, 3, 8, 8, 8), runtime_error=True, cpu_only=True, note=CPU_NCHW)
    _add(pool, {"pool_size": (2, 2, 9)}, (None, 8, 8, 8, 3), ok=False)
    _add(pool, {"pool_size": 2}, (None, 8, 8, 3), ok=False)
    _add(pool, {"pool_size": 2}, (None, 8, 8, 8, 8, 3), ok=False)
    _add(pool, {"pool_size": 0}, (None, 8, 8, 8, 3), ok=False)
_add("MaxPooling3D", {}, (None, 8, 8, 8, 3), tag="default")

for gp in ("GlobalMaxPooling3D", "GlobalAveragePooling3D"):
    _grid(gp, [{}, {"keepdims": True}, CF, {"keepdims": True, **CF}], [(None, 4, 5, 6, 8), (None, None, None, None, 8)])
    _grid(gp, [{}], [(None, 7, 7, 8), (None, 2, 2, 7, 7, 8)], ok=False)

_ADAPTIVE_RUNTIME = (
    "Keras' adaptive pooling layers compute the output shape from output_size alone; the TensorFlow op "
    "needs the input's rank and static spatial sizes: predict fails."
)
for op in ("Average", "Max"):
    for rank, shapes in (
        (1, [(None, 10, 3), (2, 7, 4)]),
        (2, [(None, 8, 8, 3), (2, 9, 7, 1)]),
        (3, [(None, 6, 6, 6, 2)]),
    ):
        t = f"Adaptive{op}Pooling{rank}D"
        _grid(t, [{"output_size": 1}, {"output_size": 3}, {"output_size": (2,) * rank}], shapes)
        x = shapes[0]
        _add(t, {"output_size": x[1]}, x, tag="same-size")
        _add(t, {"output_size": 2, **CF}, (None, x[-1], *x[1:-1]))
        _add(t, {"output_size": 2}, (*x[:-2], None, x[-1]), stricter=True, runtime_error=True, note=_ADAPTIVE_RUNTIME)
        _add(t, {"output_size": x[1] + 1}, x, tag="larger")
        _add(t, {"output_size": 2}, (*x, 2), stricter=True, runtime_error=True, note=_ADAPTIVE_RUNTIME, tag="rank")
        _add(
            t,
            {"output_size": 0},
            x,
            stricter=True,
            runtime_error=True,
            note="Keras builds an empty output for output_size=0, then the op divides by zero on data.",
        )
        _add(t, {"output_size": (2,) * (rank + 1)}, x, ok=False)
