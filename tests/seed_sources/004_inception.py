# Seed 004, the Inception module, as written (line breaks restored). The post applies it to an
# `x` it never defines: the Input below is added (a 32x32 map with 256 channels). Bug kept: the
# branches use the default padding='valid', so their maps (16/15/13/14) cannot be concatenated.
from keras import layers

x = layers.Input(shape=(32, 32, 256))

branch_a = layers.Conv2D(128, 1, activation='relu', strides=2)(x)
branch_b = layers.Conv2D(128, 1, activation='relu')(x)
branch_b = layers.Conv2D(128, 3, activation='relu', strides=2)(branch_b)
branch_c = layers.AveragePooling2D(3, strides=2)(x)
branch_c = layers.Conv2D(128, 3, activation='relu')(branch_c)
branch_d = layers.Conv2D(128, 1, activation='relu')(x)
branch_d = layers.Conv2D(128, 3, activation='relu')(branch_d)
branch_d = layers.Conv2D(128, 3, activation='relu', strides=2)(branch_d)
output = layers.concatenate([branch_a, branch_b, branch_c, branch_d], axis=-1)
