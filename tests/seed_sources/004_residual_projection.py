# Seed 004's residual connection, the book's projection shortcut (Deep Learning with Python 7.1.4):
# the feature maps shrink, so a strided 1x1 convolution projects the input to the same shape.
from keras import layers

x = layers.Input(shape=(32, 32, 128))
y = layers.Conv2D(128, 3, activation='relu', padding='same')(x)
y = layers.Conv2D(128, 3, activation='relu', padding='same')(y)
y = layers.MaxPooling2D(2, strides=2)(y)

residual = layers.Conv2D(128, 1, strides=2, padding='same')(x)

y = layers.add([y, residual])
