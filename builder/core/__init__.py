"""The pure core: the graph document, catalog, shapes, validator, settings, summary, layout and
templates. Pure Python: no numpy, Keras, TensorFlow or Streamlit (an import contract in
pyproject.toml)."""
