"""Probes of what this machine's TensorFlow can run, recorded in :mod:`builder.core.platform`.

:func:`channels_first_conv` builds a 1-filter ``channels_first`` Conv2D and runs it once on
zeros (about 50 ms after TensorFlow is imported); the answer is cached for the process. The
validator then warns on ``channels_first`` convolutions when the answer is "no".
"""

from __future__ import annotations

from ..core import platform
from .runtime import keras_module


def channels_first_conv() -> bool:
    """Whether a ``channels_first`` convolution runs here (probed once per process)."""
    known = platform.capabilities().channels_first_conv
    if known is not None:
        return known
    keras = keras_module()
    import numpy as np

    try:
        layer = keras.layers.Conv2D(1, 1, data_format="channels_first")
        inp = keras.Input(shape=(1, 2, 2))
        model = keras.Model(inp, layer(inp))
        model.predict(np.zeros((1, 1, 2, 2), dtype="float32"), verbose=0)
        ok = True
    except Exception:  # TF raises several types here (UnimplementedError, InvalidArgumentError, ...)
        ok = False
    platform.record(channels_first_conv=ok)
    return ok
