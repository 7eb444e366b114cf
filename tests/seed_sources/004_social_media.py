# Seed 004 (multi-output user profiling), the post's run() as written: the blog flattened it onto
# one line; the line breaks and indentation are restored. Keras 3 imports added (the post shows
# none). Bugs kept: Embedding(256, vocabulary_size) swaps input_dim and output_dim, and the loss
# dict is keyed by 'age' / 'income' / 'gender', names the unnamed heads never get.
from keras import layers, Input
from keras.models import Model


def run():
    vocabulary_size = 50000
    num_income_groups = 10
    posts_input = Input(shape=(None,), dtype='int32',)
    embedded_posts = layers.Embedding(256, vocabulary_size)(posts_input)
    x = layers.Conv1D(128, 5, activation='relu')(embedded_posts)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(256, 5, activation='relu')(x)
    x = layers.Conv1D(256, 5, activation='relu')(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(256, 5, activation='relu')(x)
    x = layers.Conv1D(256, 5, activation='relu')(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation='relu')(x)
    age_prediction = layers.Dense(1,)(x)
    income_prediction = layers.Dense(num_income_groups, activation='softmax',)(x)
    gender_prediction = layers.Dense(1, activation='sigmoid',)(x)
    model = Model(posts_input, [age_prediction, income_prediction, gender_prediction])
    model.summary()
    # 关键在这里
    model.compile(optimizer='rmsprop', loss={'age': 'mse', 'income': 'categorical_crossentropy', 'gender': 'binary_crossentropy'}, loss_weights={'age': 0.25, 'income': 1., 'gender': 10.})
    # model.fit(posts, [age_targets, income_targets, gender_targets], epochs=10, batch_size=64)
