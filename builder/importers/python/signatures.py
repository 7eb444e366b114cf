"""Per-layer-type (and per-object-type) argument data the Python importer needs.

One home for the tables keyed by Keras class: the positional-argument orders of layer constructors
(``POSITIONAL``) and of initializer / regularizer / constraint objects (``OBJECT_POSITIONAL``), the
functional helpers of ``keras.layers`` and the layer type each builds (``HELPERS``), and the Keras 2
arguments that Keras 3 ignores or removed (``KERAS2_ONLY`` per layer type, ``KERAS2_ONLY_ANY`` for every
layer). Data only: no code here reads the catalog or any source.
"""

from __future__ import annotations

# Keras 3 constructor signatures (the positional prefix whose names the catalog knows); a test
# checks them against ``inspect.signature`` of the real classes.
POSITIONAL: dict[str, tuple[str, ...]] = {
    "Dense": ("units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
              "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"),
    "Embedding": ("input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer",
                  "embeddings_constraint", "mask_zero"),
    "LSTM": ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
             "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
             "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
             "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed", "return_sequences"),
    "GRU": ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
            "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
            "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
            "recurrent_dropout", "seed", "return_sequences"),
    "SimpleRNN": ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
                  "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                  "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                  "return_sequences"),
    "Dropout": ("rate", "noise_shape", "seed"),
    "Flatten": ("data_format",),
    "Reshape": ("target_shape",),
    "Activation": ("activation",),
    "BatchNormalization": ("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                           "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
                           "gamma_regularizer", "beta_constraint", "gamma_constraint"),
    "LayerNormalization": ("axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                           "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"),
    "Concatenate": ("axis",),
    "Add": (), "Multiply": (), "Average": (), "Maximum": (), "Minimum": (), "Subtract": (),
    "Conv1D": ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation",
               "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
               "activity_regularizer", "kernel_constraint", "bias_constraint"),
    "Conv2D": ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation",
               "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
               "activity_regularizer", "kernel_constraint", "bias_constraint"),
    "DepthwiseConv2D": ("kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate",
                        "activation", "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer",
                        "bias_regularizer", "activity_regularizer", "depthwise_constraint", "bias_constraint"),
    "MaxPooling1D": ("pool_size", "strides", "padding", "data_format"),
    "MaxPooling2D": ("pool_size", "strides", "padding", "data_format"),
    "AveragePooling1D": ("pool_size", "strides", "padding", "data_format"),
    "AveragePooling2D": ("pool_size", "strides", "padding", "data_format"),
    "GlobalMaxPooling1D": ("data_format", "keepdims"),
    "GlobalMaxPooling2D": ("data_format", "keepdims"),
    "GlobalAveragePooling1D": ("data_format", "keepdims"),
    "GlobalAveragePooling2D": ("data_format", "keepdims"),
    "ZeroPadding2D": ("padding", "data_format"),
    "UpSampling2D": ("size", "data_format", "interpolation"),
    "ReLU": ("max_value", "negative_slope", "threshold"),
}  # fmt: skip

# Functional helpers of keras.layers -> layer type.
HELPERS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
}
# Keras 2 arguments Keras 3 ignores or removed: dropped with a note.
KERAS2_ONLY: dict[str, set[str]] = {
    "Embedding": {"input_length"},
    "LSTM": {"implementation", "time_major"},
    "GRU": {"implementation", "time_major"},
    "SimpleRNN": {"implementation", "time_major"},
    "BatchNormalization": {"fused", "renorm", "renorm_clipping", "renorm_momentum", "virtual_batch_size", "adjustment"},
}
# Keras 2 arguments of every layer that Keras 3 does not use: dropped with a note.
KERAS2_ONLY_ANY: frozenset[str] = frozenset({"weights", "input_dtype"})

# Positional arguments of keras.initializers / regularizers / constraints classes.
OBJECT_POSITIONAL = {
    "RandomNormal": ("mean", "stddev", "seed"),
    "RandomUniform": ("minval", "maxval", "seed"),
    "TruncatedNormal": ("mean", "stddev", "seed"),
    "Constant": ("value",),
    "Orthogonal": ("gain", "seed"),
    "Identity": ("gain",),
    "VarianceScaling": ("scale", "mode", "distribution", "seed"),
    "L1": ("l1",),
    "L2": ("l2",),
    "L1L2": ("l1", "l2"),
    "MaxNorm": ("max_value", "axis"),
    "MinMaxNorm": ("min_value", "max_value", "rate", "axis"),
    "UnitNorm": ("axis",),
}
