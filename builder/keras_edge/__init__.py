"""The Keras edge: the only code that imports Keras/TensorFlow (lazily, through
:mod:`builder.keras_edge.runtime`): build, save, data, training (an import contract in pyproject.toml)."""
