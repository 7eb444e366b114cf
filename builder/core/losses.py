"""The one table of Keras losses the builder knows: name, Keras class, short aliases and the
labels each one expects.

Everyone reads it: the settings checks (``core/settings.py``: ``LOSSES``, ``LOSS_ALIASES``), the
importers (``losses.MeanSquaredError()`` -> ``mean_squared_error``), synthetic and uploaded data
(``keras_edge/data.py``: which labels a head gets) and the Train panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What the labels of a head trained with the loss look like.
ONE_HOT = "one_hot"  # one row per class, values in [0, 1]
SPARSE = "sparse"  # integer class ids
BINARY = "binary"  # 0/1
SIGN = "sign"  # -1/1 (Keras also maps 0/1 to -1/1)
POSITIVE = "positive"  # non-negative numbers
REAL = "real"  # any numbers


@dataclass(frozen=True)
class Loss:
    name: str  # the Keras function name: what compile(loss=...) gets and the graph stores
    keras_class: str  # keras.losses.<keras_class>
    labels: str
    aliases: tuple[str, ...] = ()  # short names keras.losses.get() also accepts


TABLE: tuple[Loss, ...] = (
    Loss("binary_crossentropy", "BinaryCrossentropy", BINARY),
    Loss("categorical_crossentropy", "CategoricalCrossentropy", ONE_HOT),
    Loss("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", SPARSE),
    Loss("binary_focal_crossentropy", "BinaryFocalCrossentropy", BINARY),
    Loss("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", ONE_HOT),
    Loss("mean_squared_error", "MeanSquaredError", REAL, ("mse",)),
    Loss("mean_absolute_error", "MeanAbsoluteError", REAL, ("mae",)),
    Loss("mean_absolute_percentage_error", "MeanAbsolutePercentageError", POSITIVE, ("mape",)),
    Loss("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", POSITIVE, ("msle",)),
    Loss("huber", "Huber", REAL, ("huber_loss",)),
    Loss("log_cosh", "LogCosh", REAL, ("logcosh",)),
    Loss("kl_divergence", "KLDivergence", ONE_HOT, ("kld",)),
    Loss("poisson", "Poisson", POSITIVE),
    Loss("hinge", "Hinge", SIGN),
    Loss("squared_hinge", "SquaredHinge", SIGN),
    Loss("categorical_hinge", "CategoricalHinge", ONE_HOT),
    Loss("cosine_similarity", "CosineSimilarity", REAL),
)

BY_NAME: dict[str, Loss] = {loss.name: loss for loss in TABLE}
NAMES: tuple[str, ...] = tuple(loss.name for loss in TABLE)
ALIASES: dict[str, str] = {a: loss.name for loss in TABLE for a in loss.aliases}  # short -> full
CLASSES: dict[str, str] = {loss.keras_class: loss.name for loss in TABLE}  # class -> full


def canonical(name: Any) -> str:
    """``mse`` -> ``mean_squared_error``; other names unchanged (non-strings as text)."""
    if isinstance(name, str):
        return ALIASES.get(name, name)
    return str(name)


def is_loss(name: Any) -> bool:
    return isinstance(name, str) and (name in BY_NAME or name in ALIASES)


def with_labels(kind: str) -> frozenset[str]:
    """The loss names whose heads take labels of ``kind`` (``ONE_HOT``, ``SPARSE``...)."""
    return frozenset(loss.name for loss in TABLE if loss.labels == kind)
