"""Synthetic graphs of a given size for the benchmarks: residual MLP blocks with branches,
merges and shared layers (a realistic mix, not a plain chain)."""

from __future__ import annotations

import random

from builder.core.graph import Graph


def make_graph(n_nodes: int, seed: int = 0, width: int = 32) -> Graph:
    rng = random.Random(seed)
    g, a = Graph().add("Input", {"shape": [width]}, name="input_a")
    g, b = g.add("Input", {"shape": [width]}, name="input_b")
    heads = [a, b]
    shared = None
    while len(g.nodes) < n_nodes - 2:
        kind = rng.random()
        x = rng.choice(heads[-4:])
        if kind < 0.45:
            g, y = g.add("Dense", {"units": width, "activation": "relu"}, inputs=[x])
        elif kind < 0.55:
            g, y = g.add("Dropout", {"rate": 0.1}, inputs=[x])
        elif kind < 0.65:
            g, y = g.add("BatchNormalization", {}, inputs=[x])
        elif kind < 0.8:
            other = rng.choice(heads[-6:])
            g, y = g.add("Add", {}, inputs=[x, other])
        elif kind < 0.9:
            other = rng.choice(heads[-6:])
            g, c = g.add("Concatenate", {}, inputs=[x, other])
            g, y = g.add("Dense", {"units": width}, inputs=[c])
        else:
            if shared is None:
                g, y = g.add("Dense", {"units": width, "activation": "tanh"}, name="shared_dense", inputs=[x])
                shared = y
            else:
                g, y = g.add_node(g.node_by_id[shared].layer, inputs=[x])
        heads.append(y)
    g, out1 = g.add("Dense", {"units": 1, "activation": "sigmoid"}, name="out_main", inputs=[heads[-1]])
    g, out2 = g.add("Dense", {"units": 3, "activation": "softmax"}, name="out_aux", inputs=[heads[-2]])
    return g.set_outputs([out1, out2])


def build_keras(graph: Graph):
    """Build the graph in Keras directly (layer by layer, symbolically) as a baseline."""
    import keras

    from builder.core.validate import validate

    order = validate(graph).order
    layers: dict[str, object] = {}
    tensors: dict[str, object] = {}
    for nid in order:
        layer = graph.layer_of(nid)
        cfg = dict(layer.config)
        if layer.type == "Input":
            tensors[nid] = keras.Input(shape=tuple(cfg["shape"]), name=layer.name)
            continue
        if layer.id not in layers:
            layers[layer.id] = getattr(keras.layers, layer.type)(**cfg, name=layer.name)
        ins = [tensors[s] for s in graph.input_nodes(nid)]
        tensors[nid] = layers[layer.id](ins if len(ins) > 1 or layer.type in ("Add", "Concatenate") else ins[0])
    return keras.Model([tensors[i] for i in graph.inputs], [tensors[o] for o in graph.outputs])
