# Seed 003, "layer nodes": one LSTM called on two inputs, as written. The post builds no Model;
# `lstm.output` raises in Keras (several inbound nodes) and Keras 3 has no get_output_at.
from keras.layers import Input, LSTM

a = Input(shape=(280, 256))
b = Input(shape=(280, 256))

lstm = LSTM(32)
encoded_a = lstm(a)
encoded_b = lstm(b)

lstm.output

assert lstm.get_output_at(0) == encoded_a
assert lstm.get_output_at(1) == encoded_b
