"""The Python-source importer: model code is parsed with :mod:`ast` and evaluated, never run.

:mod:`.importer` (entry point) runs :mod:`.guard`, then the generic :mod:`.evaluator` of a Python
subset, which hands Keras values to :mod:`.keras_api` (:mod:`.layers`, :mod:`.models`,
:mod:`.compile_fit`); :mod:`.assemble` turns the layer calls into a graph. Per-layer-type argument
tables are in :mod:`.signatures`.
"""

from .importer import import_python

__all__ = ["import_python"]
