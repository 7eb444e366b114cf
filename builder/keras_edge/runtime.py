"""The one place that imports Keras and TensorFlow (lazily) and sets TensorFlow's logging.

Everything in :mod:`builder.keras_edge` gets Keras through :func:`keras_module`; nothing else in
the package imports it. The first call sets ``TF_CPP_MIN_LOG_LEVEL`` (unless the user set it).
"""

from __future__ import annotations

import os
from typing import Any


def _quiet() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def keras_module() -> Any:
    """``import keras``, with TensorFlow's C++ logging quiet."""
    _quiet()
    import keras

    return keras


def tensorflow_module() -> Any:
    """``import tensorflow``, with its C++ logging quiet."""
    _quiet()
    import tensorflow

    return tensorflow
