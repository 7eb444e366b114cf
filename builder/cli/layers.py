"""``kgb layers [--json] [TYPE]``: the layer catalog. Without TYPE, every type with its Keras
class, category, arity and doc (text: grouped by category, in the catalog's order), and the
classes the builder refuses; with TYPE (a type, Keras class or alias), that type's params."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..core.catalog import Catalog, LayerType, Param, catalog
from ..core.refused import COVERAGE_DOC, REFUSED
from .common import EXIT_OK, CliError


def outputs_of(t: LayerType) -> int:
    """How many tensors a call of the type returns: the catalog's ``outputs`` where it has one, else 1."""
    value = getattr(t, "outputs", None)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, dict):
        n = value.get("max", value.get("min"))
        if isinstance(n, int) and not isinstance(n, bool):
            return n
    return 1


def type_info(t: LayerType) -> dict[str, Any]:
    return {
        "type": t.type,
        "keras_class": t.keras,
        "category": t.category,
        "inputs": {"min": t.min_inputs, "max": t.max_inputs},
        "outputs": outputs_of(t),
        "aliases": list(t.aliases),
        "doc": t.doc,
    }


def param_info(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "kind": p.kind, "required": p.required}
    if not p.required:
        out["default"] = p.default
    if p.min is not None or p.max is not None:
        out["range"] = {"min": p.min, "max": p.max, "exclusive_min": p.exclusive_min}
    if p.choices:
        out["choices"] = list(p.choices)
    if p.kind == "int_or_tuple":
        out["rank"] = p.rank
    if p.advanced:
        out["advanced"] = True
    return out


def _range_text(p: Param) -> str:
    if p.choices:
        return "one of " + ", ".join(repr(c) for c in p.choices)
    if p.min is None and p.max is None:
        return ""
    lo = "" if p.min is None else f"{p.min} {'<' if p.exclusive_min else '<='} "
    hi = "" if p.max is None else f" <= {p.max}"
    return f"{lo}x{hi}"


def _inputs_text(t: LayerType) -> str:
    if t.max_inputs is None:
        return f"{t.min_inputs}+ inputs"
    if t.min_inputs == t.max_inputs:
        return f"{t.max_inputs} input{'s' if t.max_inputs != 1 else ''}"
    return f"{t.min_inputs}-{t.max_inputs} inputs"


def resolve(cat: Catalog, name: str) -> LayerType:
    """A catalog type by its name, Keras class or alias (exact, then ignoring case); a refused or
    unknown name is a :class:`CliError` that says why."""
    names = cat.class_names()
    found = names.get(name) or next((v for k, v in names.items() if k.lower() == name.lower()), None)
    if found is not None:
        return cat[found]
    refused = next((k for k in REFUSED if k.lower() == name.lower()), None)
    if refused is not None:
        raise CliError(f"{refused}: refused: {REFUSED[refused]} (see {COVERAGE_DOC})")
    raise CliError(
        f"{name!r} is not a layer type of the catalog (`kgb layers` lists them; {COVERAGE_DOC} lists every "
        "keras.layers class and whether the builder covers it)"
    )


def cmd_layers(args: argparse.Namespace) -> int:
    cat = catalog()
    if args.type:
        t = resolve(cat, args.type)
        if args.json:
            doc = {**type_info(t), "params": [param_info(p) for p in t.params.values()]}
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            _print_type(t)
        return EXIT_OK
    if args.json:
        doc = {
            "types": [type_info(t) for t in cat.types.values()],
            "categories": list(cat.categories),
            "refused": [{"class": k, "reason": v} for k, v in REFUSED.items()],
            "coverage": COVERAGE_DOC,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return EXIT_OK
    w = max((len(t.type) for t in cat.types.values()), default=4)
    k = max((len(t.keras) for t in cat.types.values()), default=4)
    for category, types in cat.by_category().items():
        if not types:
            continue
        print(f"{category} ({len(types)})")
        for t in types:
            print(f"  {t.type:<{w}}  {t.keras:<{k}}  {_inputs_text(t):<9}  {t.doc}")
        print()
    print(f"{len(cat.types)} types; refused: {', '.join(REFUSED)}")
    print(f"`kgb layers TYPE` shows a type's params; {COVERAGE_DOC}: every keras.layers class")
    return EXIT_OK


def _print_type(t: LayerType) -> None:
    print(f"{t.type}  ({t.keras}, {t.category})")
    print(f"  {t.doc}")
    print(f"  inputs: {t.arity_text()}; outputs: {outputs_of(t)}")
    if t.aliases:
        print(f"  aliases: {', '.join(t.aliases)}")
    if not t.params:
        print("  no params")
        return
    rows = [
        (
            p.name,
            p.kind + (f"[{p.rank}]" if p.kind == "int_or_tuple" else ""),
            "required" if p.required else f"default {p.default!r}",
            _range_text(p),
        )
        for p in t.params.values()
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print("  params:")
    for r in rows:
        print(f"    {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("layers", help="list the layer types (or show one type's params)")
    p.add_argument("type", nargs="?", help="a layer type, Keras class or alias: show its params")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_layers)
