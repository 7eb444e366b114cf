"""Per-layer-type (and per-object-type) argument data the Python importer needs.

One home for the tables keyed by Keras class: the positional-argument orders of layer constructors
(``POSITIONAL``) and of initializer / regularizer / constraint objects (``OBJECT_POSITIONAL``), the
functional helpers of ``keras.layers`` and the layer type each builds (``HELPERS``), and the Keras 2
arguments that Keras 3 ignores or removed (``KERAS2_ONLY`` per layer type, ``KERAS2_ONLY_ANY`` for every
layer). The per-layer-type tables come from the catalog, their one home; the rest is data.
"""

from __future__ import annotations

from ...core.catalog import catalog

# Keras 3 constructor signatures (the positional prefix whose names the catalog knows), from the
# catalog; tests/core/test_catalog_vs_keras.py checks them against ``inspect.signature``.
POSITIONAL: dict[str, tuple[str, ...]] = catalog().positional_table()

# Functional helpers of keras.layers -> layer type (the catalog's ``helper``).
HELPERS: dict[str, str] = catalog().helpers()
# Keras 2 arguments Keras 3 ignores or removed: dropped with a note (the catalog's ``keras2``).
KERAS2_ONLY: dict[str, set[str]] = catalog().keras2_table()
# Keras 2 argument names Keras 3 renamed: renamed with a note (the catalog's ``renamed``).
KERAS2_RENAMED: dict[str, dict[str, str]] = catalog().renamed_table()
# Keras 2 arguments of every layer that Keras 3 does not use: dropped with a note.
KERAS2_ONLY_ANY: frozenset[str] = frozenset({"weights", "input_dtype"})

# Positional arguments of keras.initializers / regularizers / constraints classes.
OBJECT_POSITIONAL = {
    "RandomNormal": ("mean", "stddev", "seed"),
    "RandomUniform": ("minval", "maxval", "seed"),
    "TruncatedNormal": ("mean", "stddev", "seed"),
    "Constant": ("value",),
    "Orthogonal": ("gain", "seed"),
    "Identity": ("gain",),
    "VarianceScaling": ("scale", "mode", "distribution", "seed"),
    "L1": ("l1",),
    "L2": ("l2",),
    "L1L2": ("l1", "l2"),
    "MaxNorm": ("max_value", "axis"),
    "MinMaxNorm": ("min_value", "max_value", "rate", "axis"),
    "UnitNorm": ("axis",),
}
