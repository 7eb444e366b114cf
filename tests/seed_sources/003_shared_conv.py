# Seed 003, one Conv2D shared by 32x32 and 64x64 images, as written (the post builds no Model).
# Keras 3 import added: the post's snippet uses Input and Conv2D without importing them.
from keras.layers import Input, Conv2D

a = Input(shape=(32, 32, 3))
b = Input(shape=(64, 64, 3))

conv = Conv2D(16, (3, 3), padding='same')
conved_a = conv(a)

# Only one input so far, the following will work:
assert conv.input_shape == (None, 32, 32, 3)

conved_b = conv(b)
# now the `.input_shape` property wouldn't work, but this does:
assert conv.get_input_shape_at(0) == (None, 32, 32, 3)
assert conv.get_input_shape_at(1) == (None, 64, 64, 3)
