"""The ``keras.layers`` classes the builder refuses on purpose, and why: the one table that the
importers (their error messages), ``kgb layers`` and the coverage table (``docs/LAYERS.md``,
written by ``scripts/layer_coverage.py``) read.

A class missing from both this table and the catalog is "not yet" covered, or a custom layer: a
custom layer is Python code, and nothing from an imported file is ever run.
"""

from __future__ import annotations

COVERAGE_DOC = "docs/LAYERS.md"  # the generated coverage table, relative to the repository root

_CODE = "code the builder would have to run, and nothing from a file is ever run"
_CELL = (
    "a recurrent cell: the step an RNN layer runs, not a layer called on tensors in a functional model; "
    "use LSTM, GRU or SimpleRNN"
)

# Keras class name -> why the builder refuses it (the same text everywhere).
REFUSED: dict[str, str] = {
    "Lambda": f"wraps a Python function: {_CODE}; replace it with built-in layers",
    "TFSMLayer": f"loads and runs a TensorFlow SavedModel from disk: {_CODE}",
    "JaxLayer": f"wraps a JAX function: {_CODE}",
    "FlaxLayer": f"wraps a Flax module: {_CODE}",
    "TorchModuleWrapper": f"wraps a PyTorch module: {_CODE}",
    "Layer": "the base class of every layer: a subclass is a custom layer, which is Python code the builder never runs",
    "Wrapper": "an abstract base class (of Bidirectional, TimeDistributed, ...); not used on its own",
    "RNN": "the generic recurrent layer runs a cell object (a built-in cell or custom code); use LSTM, GRU or SimpleRNN",
    "GRUCell": _CELL,
    "LSTMCell": _CELL,
    "SimpleRNNCell": _CELL,
    "StackedRNNCells": _CELL,
    "InputSpec": "not a layer: it describes the inputs a layer accepts",
    "Pipeline": "applies a list of layer objects in sequence (for tf.data pipelines); add those layers themselves",
}


def refusal(class_name: str) -> str | None:
    """Why the builder refuses the Keras class ``class_name``, or None when it does not refuse it."""
    return REFUSED.get(class_name)
