# Seed 004 describes a residual connection without code; this is the code of the book it follows
# (Deep Learning with Python, 7.1.4), identity shortcut, on a 32x32x128 input.
from keras import layers

x = layers.Input(shape=(32, 32, 128))
y = layers.Conv2D(128, 3, activation='relu', padding='same')(x)
y = layers.Conv2D(128, 3, activation='relu', padding='same')(y)
y = layers.Conv2D(128, 3, activation='relu', padding='same')(y)

y = layers.add([y, x])
