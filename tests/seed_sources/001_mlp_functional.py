# Seed 001, section 1.1: the same MLP with the functional API, as written.
from keras.models import Sequential, Model
from keras import layers, Input

input_tensor = Input(shape=(64,))
h1 = layers.Dense(32, activation='relu')(input_tensor)
h2 = layers.Dense(32, activation='relu')(h1)
output_tensor = layers.Dense(10, activation='softmax')(h2)

model = Model(input_tensor, output_tensor)

model.summary()
