"""Keras' layer-name rule, the one snake-case function of the builder."""

from __future__ import annotations

import re


def to_snake_case(name: str) -> str:
    """Keras 3's ``keras.src.utils.naming.to_snake_case``: the prefix of its automatic layer
    names (``Dense`` -> ``dense``, ``Conv2D`` -> ``conv2d``, ``ReLU`` -> ``re_lu``) and the
    names of initializers and losses given by class (``GlorotUniform`` -> ``glorot_uniform``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
