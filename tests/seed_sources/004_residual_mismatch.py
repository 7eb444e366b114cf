# Seed 004's residual connection with the bug the book warns about: the maps shrink (MaxPooling2D)
# but the input is added back without the projection, so Add sees (16, 16, 128) and (32, 32, 128).
from keras import layers

x = layers.Input(shape=(32, 32, 128))
y = layers.Conv2D(128, 3, activation='relu', padding='same')(x)
y = layers.Conv2D(128, 3, activation='relu', padding='same')(y)
y = layers.MaxPooling2D(2, strides=2)(y)

y = layers.add([y, x])
