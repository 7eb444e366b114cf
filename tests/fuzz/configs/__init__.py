"""Random configs for the fuzzer, one module per catalog category.

Each module defines ``CONFIGS: dict[str, Callable[[random.Random, Shape], dict]]``: a maker per layer
type that returns a config that mostly fits the input shape ``x`` (batch axis first), with some
values that Keras refuses. ``tests/fuzz/graphs.py`` joins them.
"""
