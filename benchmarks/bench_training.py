"""Training through the builder vs plain ``model.fit`` on the same model and data.

Each repeat builds a fresh model for both sides and alternates which side goes first; both
use the same arrays, batch size and epochs, ``verbose=0``. Measured in this run:

* fit:        the time inside ``model.fit`` (the builder adds its history / stop / NaN
              callback, which reads the logs of every batch, and Keras' TerminateOnNaN);
* end to end: ``train()`` as a whole (settings, data checks, build, compile, fit) vs
              ``build_model`` + ``model.fit``;
* CPU time:   process CPU time (all threads) of the end-to-end runs;
* callback:   the time spent inside the builder's per-batch callback, as a share of its fit
              time (a direct measure of the overhead that does not depend on other load).

For each measure it prints the median of the per-repeat ratios (builder / plain, paired so that
slow phases of a busy machine hit both sides) and the ratio of the best runs. These machines are
noisy: compare ratios, not absolute times. Goal: at most +5 %.

    .venv/bin/python benchmarks/bench_training.py [--graph news] [--samples 256] [--epochs 2]
        [--batch-size 32] [--repeats 9] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from builder import load_graph  # noqa: E402
from builder.core.templates import get_template  # noqa: E402
from builder.core.training_settings import resolve_settings
from builder.keras_edge.data import synthetic_data  # noqa: E402
from builder.keras_edge.training import train  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--graph", default="news", help="template name or graph JSON file (default: news)")
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--threads", type=int, help="TensorFlow intra/inter-op threads (default: TensorFlow's)")
    args = ap.parse_args()

    path = Path(args.graph)
    graph = load_graph(path) if path.exists() else get_template(args.graph).load()
    overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "validation_split": 0.0}
    resolved = resolve_settings(graph, overrides)
    graph = graph.set_training(resolved)
    data = synthetic_data(graph, args.samples, 0, resolved)

    import keras
    import tensorflow as tf

    from builder.keras_edge.build import build_model

    tf.get_logger().setLevel("ERROR")
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    def plain() -> tuple[float, float, float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        model = build_model(graph, training=True)
        t1 = time.perf_counter()
        model.fit(data.fit_x(), data.fit_y(), epochs=args.epochs, batch_size=args.batch_size, verbose=0)
        t2 = time.perf_counter()
        return t2 - t1, t2 - t0, time.process_time() - c0, 0.0

    def builder() -> tuple[float, float, float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        result = train(graph, data, overrides)
        return result.fit_seconds, time.perf_counter() - t0, time.process_time() - c0, result.callback_seconds

    steps = -(-args.samples // args.batch_size) * args.epochs
    print(
        f"{graph.name}: {args.samples} samples, batch {args.batch_size}, {args.epochs} epochs ({steps} steps), "
        f"{args.repeats} repeats; keras {keras.__version__}, tensorflow {tf.__version__}, {os.cpu_count()} CPUs, "
        f"threads {args.threads or 'default'}",
        flush=True,
    )
    plain()  # warm up both paths (first tracing, imports)
    builder()
    times: dict[str, list[tuple[float, float, float, float]]] = {"plain": [], "builder": []}
    for i in range(args.repeats):
        order = [("plain", plain), ("builder", builder)]
        if i % 2:
            order.reverse()
        for name, fn in order:
            keras.backend.clear_session()
            times[name].append(fn())
        p, b = times["plain"][-1], times["builder"][-1]
        print(
            f"  repeat {i + 1}: fit {p[0]:.3f}s / {b[0]:.3f}s | end to end {p[1]:.3f}s / {b[1]:.3f}s | "
            f"CPU {p[2]:.3f}s / {b[2]:.3f}s (plain / builder) | callback {1000 * b[3]:.1f} ms",
            flush=True,
        )
    for idx, label in ((0, "fit"), (1, "end to end"), (2, "CPU time")):
        ps = [t[idx] for t in times["plain"]]
        bs = [t[idx] for t in times["builder"]]
        paired = statistics.median(b / p for p, b in zip(ps, bs))
        best = min(bs) / min(ps)
        print(
            f"{label:>10}: median plain {statistics.median(ps):.3f}s builder {statistics.median(bs):.3f}s | "
            f"overhead: paired median {100 * (paired - 1):+.1f}%, best runs {100 * (best - 1):+.1f}% (goal <= +5%)"
        )
    share = statistics.median(t[3] / t[0] for t in times["builder"])
    per_step = statistics.median(t[3] for t in times["builder"]) / steps
    print(f"  callback: {1e6 * per_step:.0f} us per batch, {100 * share:.3f}% of the builder's fit time")

    # The callback machinery alone, per batch, with the logs a train step returns (tensors): plain
    # fit (History only, dispatched on Keras' callback thread) vs the builder's callbacks.
    model = build_model(graph, training=True)
    model.fit(data.fit_x(), data.fit_y(), epochs=1, batch_size=args.batch_size, verbose=0, steps_per_epoch=1)
    logs = {k: tf.constant(1.0) for k in model.get_metrics_result()}
    cost = {}
    for name in ("plain", "builder"):
        samples = []
        for _ in range(5):
            cbs = []
            if name == "builder":
                from builder.keras_edge.callback import stream_callback
                from builder.keras_edge.monitor import TrainingMonitor

                cbs = [stream_callback(TrainingMonitor(), None), keras.callbacks.TerminateOnNaN()]
            cbl = keras.callbacks.CallbackList(cbs, add_history=True, model=model, epochs=1, steps=2000, verbose=0)
            cbl.on_train_begin()
            c0 = time.process_time()
            for i in range(2000):
                cbl.on_train_batch_begin(i)
                cbl.on_train_batch_end(i, logs)
            cbl.on_train_end()
            samples.append((time.process_time() - c0) / 2000)
        cost[name] = statistics.median(samples)
    step = statistics.median(t[0] for t in times["plain"]) / steps
    extra = cost["builder"] - cost["plain"]
    print(
        f"  dispatch: {1e6 * cost['plain']:.0f} us CPU per batch for plain fit, {1e6 * cost['builder']:.0f} us for "
        f"the builder ({len(logs)} logged values): {1e6 * extra:+.0f} us per batch = {100 * extra / step:+.3f}% "
        f"of a {1000 * step:.1f} ms step"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
