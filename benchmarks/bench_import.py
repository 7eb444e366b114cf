"""Import of keras.applications.ResNet50 (weights=None): from a .keras file and from Python.

Our importers never execute or deserialise user code: ``.keras`` is read as a zip + JSON and
Python is parsed with ``ast``. The baselines, measured in the same run, are what Keras itself
does with the same files: ``keras.saving.load_model`` on the ``.keras`` file, and executing the
Python file (which builds the model). Prints times and ratios (Keras / ours).

    .venv/bin/python benchmarks/bench_import.py [--repeat 5] [--app ResNet50]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from benchmarks.timing import median_time  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--app", default="ResNet50")
    args = ap.parse_args()

    import keras

    from builder.codegen import to_python
    from builder.core.validate import validate
    from builder.importers import import_keras_file, import_python

    tmp = Path(tempfile.mkdtemp())
    model = getattr(keras.applications, args.app)(weights=None)
    path = tmp / f"{args.app}.keras"
    model.save(path)
    graph = import_keras_file(path).graph
    report = validate(graph)
    assert report.ok and report.params.total == model.count_params()
    source = to_python(graph)
    print(
        f"{args.app}: {len(graph.nodes)} nodes, {report.params.total:,} params; .keras {path.stat().st_size / 2**20:.0f} MiB, Python {len(source.splitlines())} lines"
    )

    ours_keras = median_time(lambda: validate(import_keras_file(path).graph), args.repeat)
    ours_py = median_time(lambda: validate(import_python(source).graph), args.repeat)

    def keras_load() -> None:
        keras.backend.clear_session()
        keras.saving.load_model(path)

    def keras_exec() -> None:
        keras.backend.clear_session()
        ns: dict = {}
        exec(compile(source, "<generated>", "exec"), ns)  # our own generated code, as the baseline
        ns["build_model"]()

    theirs_keras = median_time(keras_load, max(1, args.repeat // 2))
    theirs_py = median_time(keras_exec, max(1, args.repeat // 2))
    print(f"{'source':<8} {'ours: import+validate (ms)':>28} {'keras (ms)':>12} {'ratio':>8}")
    print(
        f"{'.keras':<8} {ours_keras * 1e3:>28.1f} {theirs_keras * 1e3:>12.1f} {theirs_keras / ours_keras:>7.1f}x   (keras: load_model)"
    )
    print(
        f"{'python':<8} {ours_py * 1e3:>28.1f} {theirs_py * 1e3:>12.1f} {theirs_py / ours_py:>7.1f}x   (keras: exec the file)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
