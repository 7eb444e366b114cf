"""``kgb train GRAPH ...``: train on synthetic data, an .npz or a .csv file."""

from __future__ import annotations

import argparse
import math
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core import settings as settings_mod
from ..core.training_settings import resolve_settings
from ..errors import CompileError, DataError, SettingsError, TrainingError
from . import record as record_mod
from .common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, CliError, print_issues, read_graph


def _pairs(items: Sequence[str] | None, what: str, convert: Callable[[str], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or ():
        head, sep, value = item.rpartition("=")
        if not sep or not head or not value:
            raise SettingsError(f"--{what} takes HEAD=VALUE; received {item!r}.")
        try:
            out[head] = convert(value)
        except ValueError:
            raise SettingsError(f"--{what} {item!r}: {value!r} is not a valid value.") from None
    return out


def _weight(value: str) -> float:
    w = float(value)
    if not math.isfinite(w):
        raise ValueError(value)
    return w


def cmd_train(args: argparse.Namespace) -> int:
    # numpy, pandas and the Keras edge load only for this command (TensorFlow only once data is checked)
    from ..keras_edge.data import parse_mapping
    from ..keras_edge.monitor import TrainingMonitor, order_columns
    from ..keras_edge.training import TrainResult, train

    graph = read_graph(args.graph)
    names = graph.output_names()
    try:
        overrides: dict[str, Any] = {}
        losses = _pairs(args.loss, "loss", str)
        weights = _pairs(args.loss_weight, "loss-weight", _weight)
        for flag, given in (("loss", losses), ("loss-weight", weights)):
            unknown = [h for h in given if h not in names]
            if unknown:
                raise SettingsError(f"--{flag}: {unknown} name no output; outputs: {names}.")
        bad = [v for v in losses.values() if not settings_mod.is_loss(v)]
        if bad:
            raise SettingsError(settings_mod._unknown_loss(bad[0]))
        if losses:
            overrides["loss"] = losses
        if weights:
            overrides["loss_weights"] = weights
        for key in ("epochs", "batch_size", "validation_split", "optimizer", "learning_rate"):
            value = getattr(args, key)
            if value is not None:
                overrides[key] = value
        if args.early_stopping is not None:
            overrides["early_stopping"] = {"patience": args.early_stopping}
        if args.save and Path(args.save).suffix != ".keras":
            raise SettingsError(f"--save {args.save}: the file name must end in .keras.")
        mapping = parse_mapping(args.map or [])
    except (SettingsError, DataError) as exc:
        raise CliError(str(exc), EXIT_UNREADABLE) from None
    data = args.data
    if data != "synthetic" and not Path(data).is_file():
        raise CliError(f"--data {data}: no such file (use 'synthetic', an .npz or a .csv file).", EXIT_UNREADABLE)
    target = None if args.no_record else record_mod.find_target(args.model, graph, args.graph)

    def show(row: dict[str, Any]) -> None:
        if not args.quiet:
            cols = [c for c in order_columns([row], names) if c != "epoch" and isinstance(row[c], float)]
            print(f"epoch {row['epoch']}: " + "  ".join(f"{c}={row[c]:.4g}" for c in cols), flush=True)

    if not args.quiet:
        try:
            shown = resolve_settings(graph, overrides)
            loss, weights = shown["loss"], shown["loss_weights"]
            if isinstance(loss, Mapping) and isinstance(weights, Mapping):
                heads = ", ".join(f"{h}: {loss.get(h)} x {weights.get(h, 1.0):g}" for h in names)
                print(f"training {graph.name} ({heads})", file=sys.stderr, flush=True)
        except Exception:  # the same problem is reported by train() below
            pass

    monitor = TrainingMonitor(listener=show)
    stop = threading.Event()
    previous = _install_sigint(stop)
    code = EXIT_OK
    result: TrainResult | None = None
    try:
        result = train(
            graph,
            data,
            overrides,
            stop_event=stop,
            strategy=args.strategy,
            monitor=monitor,
            samples=args.samples,
            seed=args.seed,
            mapping=mapping,
            log_dir=args.tensorboard,
        )
    except (SettingsError, DataError) as exc:
        raise CliError(str(exc), EXIT_UNREADABLE) from None
    except CompileError as exc:
        print_issues(graph, exc.issues)
        raise CliError(
            f"{args.graph}: the graph cannot be compiled ({len(exc.issues)} problem(s)).", EXIT_ERRORS
        ) from None
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        result = exc.result
        code = EXIT_ERRORS
    finally:
        _restore_sigint(previous)
    history = result.history if result is not None else monitor.history()
    if args.history:
        try:
            history.to_csv(args.history, index=False)
        except OSError as exc:
            raise CliError(f"--history {args.history}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    if args.save and result is not None and code == EXIT_OK:
        try:
            result.model.save(args.save)
        except Exception as exc:
            raise CliError(f"--save {args.save}: cannot save the model: {exc}", EXIT_ERRORS) from None
    if target is not None:
        if result is not None:
            status = "failed" if code != EXIT_OK else "stopped" if result.stopped else "completed"
            where = record_mod.record(target, graph, result, status=status, saved=args.save)
            if where and not args.quiet:
                print(f"recorded: {where}", file=sys.stderr)
        else:
            target[0].close()
    if code == EXIT_OK and result is not None and not args.quiet:
        final = history.iloc[-1].to_dict() if len(history) else {}
        what = "stopped" if result.stopped else "done"
        print(
            f"{what}: {len(history)} epochs in {result.seconds:.1f} s on {result.dataset.source if result.dataset else data}; "
            f"final loss {final.get('loss', float('nan')):.4g}",
            file=sys.stderr,
        )
    return code


def _install_sigint(stop: threading.Event) -> Any:
    """First Ctrl-C: stop at the end of the batch (history and model are still written)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        print("stopping at the end of this batch (Ctrl-C again to abort)", file=sys.stderr)
        stop.set()

    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:
        return None


def _restore_sigint(previous: Any) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train a graph: exit 0 OK, 1 training failed (NaN, graph errors), 2 bad input",
        description="Compile a graph and train it on synthetic data, an .npz or a .csv file. Per-head losses and "
        "loss weights come from the graph's training settings, then defaults from each head's activation, then "
        "these flags.",
    )
    p.add_argument("graph", help="graph JSON file (or a template name)")
    p.add_argument("--data", default="synthetic", help="synthetic (default), FILE.npz or FILE.csv")
    p.add_argument(
        "--map", action="append", metavar="NAME=COLS", help="CSV columns for an input or head: a,b,c or PREFIX*"
    )
    p.add_argument("--samples", type=int, help="rows of synthetic data (default: 256, fewer for big inputs)")
    p.add_argument("--seed", type=int, help="seed for synthetic data and weight initialisation")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--loss", action="append", metavar="HEAD=LOSS", help="a head's loss (repeat per head)")
    p.add_argument("--loss-weight", action="append", metavar="HEAD=W", help="a head's loss weight (repeat per head)")
    p.add_argument("--optimizer", choices=settings_mod.OPTIMIZERS)
    p.add_argument("--learning-rate", type=float)
    p.add_argument("--validation-split", type=float)
    p.add_argument("--early-stopping", type=int, metavar="PATIENCE", help="stop when the monitored loss stalls")
    p.add_argument("--strategy", choices=("auto", "mirrored", "default"), help="train under a tf.distribute strategy")
    p.add_argument("--history", metavar="OUT.csv", help="write the per-epoch history as CSV")
    p.add_argument("--save", metavar="OUT.keras", help="save the trained model")
    p.add_argument("--tensorboard", metavar="DIR", help="write TensorBoard logs to DIR")
    p.add_argument("--quiet", "-q", action="store_true", help="no per-epoch lines")
    p.add_argument(
        "--model",
        metavar="REF",
        help="the workspace model to record the run under (id or name; default: the graph's name, created when absent)",
    )
    p.add_argument("--no-record", action="store_true", help="do not record the run in the workspace")
    p.set_defaults(func=cmd_train)
