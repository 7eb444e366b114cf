"""TensorFlow's own FLOP count of a Keras model: the reference the cost model is checked against.

``profiler_flops(model)`` traces ``model`` at batch 1 (``tf.function(...).get_concrete_function``
on one ``TensorSpec`` per input), freezes the variables into constants
(``convert_variables_to_constants_v2``), imports the graph_def into a fresh ``tf.Graph`` and runs
``tf.compat.v1.profiler.profile`` with ``ProfileOptionBuilder.float_operation()``. Imports
TensorFlow when called.
"""

from __future__ import annotations

from typing import Any


def profiler_flops(model: Any) -> int:
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    specs = [tf.TensorSpec((1, *tuple(t.shape[1:])), t.dtype) for t in model.inputs]

    def call(*xs: Any) -> Any:
        return model(list(xs) if len(xs) > 1 else xs[0], training=False)

    concrete = tf.function(call).get_concrete_function(*specs)
    frozen = convert_variables_to_constants_v2(concrete)
    graph = tf.Graph()
    with graph.as_default():
        tf.graph_util.import_graph_def(frozen.graph.as_graph_def(), name="")
        opts = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
        opts["output"] = "none"
        prof = tf.compat.v1.profiler.profile(graph=graph, run_meta=tf.compat.v1.RunMetadata(), cmd="op", options=opts)
    return int(prof.total_float_ops)
