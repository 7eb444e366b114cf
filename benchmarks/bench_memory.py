"""Will it fit? ``builder.core.cost.training_memory`` against the memory a real CPU fit takes.

Each case runs in its own Python process: import TensorFlow, make the data, run a warm-up fit
of a tiny model with the same optimizer (so TensorFlow's runtime, kernels and thread pools are
loaded), reset the peak RSS (``/proc/self/clear_refs``), then build the case's model from its
graph (``builder.keras_edge.build.build_model``), compile it and fit it for a few steps. The measure is
the peak RSS (``VmHWM``) minus the RSS before the build.

The baseline, measured in the same run: the same procedure on a tiny model (one Dense(1)): what
building, tracing and running a fit costs whatever the model. Each case's model memory is its
growth minus the baseline's; the script prints estimate / measured per case and the range.

    .venv/bin/python benchmarks/bench_memory.py [--cases mlp_adam,conv_sgd] [--steps 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.core.cost import training_memory  # noqa: E402
from builder.core.graph import Graph  # noqa: E402

MiB = 2**20


def _mlp(width: int = 2048, depth: int = 4, features: int = 1024) -> Graph:
    g, x = Graph(name="mlp").add("Input", {"shape": [features]}, name="x")
    for i in range(depth):
        g, x = g.add("Dense", {"units": width, "activation": "relu"}, name=f"d{i}", inputs=[x])
    g, y = g.add("Dense", {"units": 10}, name="y", inputs=[x])
    return g.set_outputs([y])


def _conv() -> Graph:
    g, x = Graph(name="conv").add("Input", {"shape": [96, 96, 3]}, name="x")
    g, x = g.add("Conv2D", {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}, inputs=[x])
    g, x = g.add("Conv2D", {"filters": 32, "kernel_size": 3, "padding": "same", "activation": "relu"}, inputs=[x])
    g, x = g.add("MaxPooling2D", {}, inputs=[x])
    g, x = g.add("Conv2D", {"filters": 64, "kernel_size": 3, "padding": "same", "activation": "relu"}, inputs=[x])
    g, x = g.add("GlobalAveragePooling2D", {}, inputs=[x])
    g, y = g.add("Dense", {"units": 10}, name="y", inputs=[x])
    return g.set_outputs([y])


def _lstm() -> Graph:
    g, x = Graph(name="lstm").add("Input", {"shape": [100, 64]}, name="x")
    g, x = g.add("LSTM", {"units": 256}, inputs=[x])
    g, y = g.add("Dense", {"units": 1}, name="y", inputs=[x])
    return g.set_outputs([y])


def _embedding() -> Graph:
    g, x = Graph(name="emb").add("Input", {"shape": [50], "dtype": "int32"}, name="x")
    g, x = g.add("Embedding", {"input_dim": 100_000, "output_dim": 128}, inputs=[x])
    g, x = g.add("GlobalAveragePooling1D", {}, inputs=[x])
    g, y = g.add("Dense", {"units": 1}, name="y", inputs=[x])
    return g.set_outputs([y])


def _mixed() -> Graph:
    g, x = Graph(name="mixed").add("Input", {"shape": [64, 64, 8]}, name="x")
    g, x = g.add("Conv2D", {"filters": 48, "kernel_size": 3, "padding": "same"}, inputs=[x])
    g, x = g.add("BatchNormalization", {}, inputs=[x])
    g, x = g.add("ReLU", {}, inputs=[x])
    g, x = g.add("Flatten", {}, inputs=[x])
    g, y = g.add("Dense", {"units": 10}, name="y", inputs=[x])
    return g.set_outputs([y])


def _gru() -> Graph:
    g, x = Graph(name="gru").add("Input", {"shape": [80, 32]}, name="x")
    g, x = g.add("GRU", {"units": 384, "return_sequences": True}, inputs=[x])
    g, x = g.add("GlobalAveragePooling1D", {}, inputs=[x])
    g, y = g.add("Dense", {"units": 1}, name="y", inputs=[x])
    return g.set_outputs([y])


def _tiny() -> Graph:
    g, x = Graph(name="tiny").add("Input", {"shape": [4]}, name="x")
    g, y = g.add("Dense", {"units": 1}, name="y", inputs=[x])
    return g.set_outputs([y])


# name -> (graph factory, optimizer, batch size)
CASES = {
    "mlp_adam": (_mlp, "adam", 32),
    "mlp_sgd": (_mlp, "sgd", 32),
    "mlp_rmsprop": (_mlp, "rmsprop", 32),
    "conv_adam": (_conv, "adam", 64),
    "conv_sgd": (_conv, "sgd", 64),
    "lstm_adam": (_lstm, "adam", 128),
    "embedding_adam": (_embedding, "adam", 64),
}
# Not used to calibrate the factors of training_memory: a check out of sample.
HELD_OUT = {
    "mixed_adamw": (_mixed, "adamw", 32),
    "gru_adagrad": (_gru, "adagrad", 64),
    "mlp_nadam": (lambda: _mlp(1536, 6, 512), "nadam", 256),
}
ALL = {**CASES, **HELD_OUT}
BASELINE = (_tiny, "adam", 32)


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{key} not in /proc/self/status")


def child(name: str, steps: int) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import gc

    import keras
    import numpy as np

    from builder.keras_edge.build import build_model

    factory, optimizer, batch = BASELINE if name == "baseline" else ALL[name]
    graph = factory()
    model_inputs = [graph.layer_of(n).config for n in graph.inputs]
    rng = np.random.default_rng(0)
    xs = []
    for cfg in model_inputs:
        shape = (batch * steps, *cfg["shape"])
        if cfg.get("dtype") == "int32":
            xs.append(rng.integers(0, 1000, size=shape, dtype=np.int32))
        else:
            xs.append(rng.standard_normal(shape, dtype=np.float32))
    # Warm-up: TensorFlow's runtime, the fit machinery and this optimizer's kernels.
    warm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    warm.compile(optimizer=optimizer, loss="mse")
    warm.fit(np.zeros((8, 4), np.float32), np.zeros((8, 1), np.float32), batch_size=4, epochs=1, verbose=0)
    del warm
    gc.collect()
    outputs = len(graph.outputs)
    ys = [
        np.zeros((batch * steps, 10 if graph.layer_of(o).config.get("units") == 10 else 1), np.float32)
        for o in graph.outputs
    ]
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _status("VmRSS")
    model = build_model(graph)
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(xs[0] if len(xs) == 1 else xs, ys[0] if outputs == 1 else ys, batch_size=batch, epochs=1, verbose=0)
    peak = _status("VmHWM")
    print(json.dumps({"before": before, "peak": peak, "growth": peak - before}))


def run_child(name: str, steps: int) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, "--steps", str(steps)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(ALL))
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.steps)
        return 0
    base = run_child("baseline", args.steps)
    print(f"baseline (tiny model fit): RSS growth {base['growth'] / MiB:,.1f} MiB (subtracted from every case)")
    print(
        f"{'case':<16}{'estimate MiB':>14}{'measured MiB':>14}{'ratio':>8}   parts (weights/grads/slots/temporaries/activations MiB)"
    )
    ratios, held = [], []
    for name in args.cases.split(","):
        factory, optimizer, batch = ALL[name]
        est = training_memory(factory(), batch, optimizer)
        assert est.total is not None and est.activations is not None
        got = run_child(name, args.steps)
        measured = got["growth"] - base["growth"]
        ratio = est.total / measured if measured > 0 else float("inf")
        (held if name in HELD_OUT else ratios).append(ratio)
        values = (est.weights, est.gradients, est.optimizer_state, est.update_temporaries, est.activations)
        parts = "/".join(f"{v / MiB:.0f}" for v in values)
        mark = "  (held out)" if name in HELD_OUT else ""
        print(f"{name:<16}{est.total / MiB:>14,.1f}{measured / MiB:>14,.1f}{ratio:>8.2f}   {parts}{mark}")
    if ratios:
        print(f"estimate / measured, calibration cases: {min(ratios):.2f} .. {max(ratios):.2f}")
    if held:
        print(f"estimate / measured, held-out cases: {min(held):.2f} .. {max(held):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
