"""docs/LAYERS.md is what scripts/layer_coverage.py writes from the installed Keras and the catalog
(so it cannot drift), and it covers every keras.layers class once."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.core.catalog import catalog
from builder.core.refused import COVERAGE_DOC, REFUSED

pytestmark = pytest.mark.keras

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cov():  # type: ignore[no-untyped-def]
    from builder.keras_edge.layer_coverage import coverage

    return coverage()


def test_the_committed_coverage_table_is_up_to_date(cov) -> None:  # type: ignore[no-untyped-def]
    from builder.keras_edge.layer_coverage import render

    committed = (ROOT / COVERAGE_DOC).read_text(encoding="utf-8")
    fresh = render(cov)
    changed = [ln for ln in fresh.splitlines() if ln not in set(committed.splitlines())]
    assert committed == fresh, (
        f"{COVERAGE_DOC} is out of date: run `make layer-coverage` and commit it; new or changed lines: "
        + "; ".join(changed[:12])
    )


def test_every_class_is_listed_once_with_its_aliases_folded(cov) -> None:  # type: ignore[no-untyped-def]
    from builder.keras_edge.runtime import keras_module

    keras = keras_module()
    names = [n for r in cov.rows for n in r.names]
    assert len(names) == len(set(names))
    row = {n: r for r in cov.rows for n in r.names}
    layer_names = {n for n in dir(keras.layers) if isinstance(getattr(keras.layers, n), type)} - {"InputSpec"}
    assert set(row) == layer_names
    assert row["Convolution2D"] is row["Conv2D"] and row["Conv2D"].name == "Conv2D"
    assert row["MaxPool2D"].name == "MaxPooling2D"
    assert [r.name for r in cov.not_layers] == ["InputSpec"]
    assert cov.not_layers[0].detail == REFUSED["InputSpec"]


def test_every_catalog_type_is_in_and_every_refusal_is_a_keras_class(cov) -> None:  # type: ignore[no-untyped-def]
    row = {n: r for r in cov.rows for n in r.names}
    for t in catalog().types.values():
        names = [n for n in (t.class_name, *t.aliases) if n in row]
        if t.keras.startswith("keras.layers."):
            assert names, f"{t.type}: its class {t.keras} is not in keras.layers"
        for n in names:
            assert row[n].status == "in" and row[n].detail == t.type
    known = set(row) | {r.name for r in cov.not_layers}
    assert set(REFUSED) <= known, f"refused classes this Keras lacks: {sorted(set(REFUSED) - known)}"
    for name, reason in REFUSED.items():
        if name in row:
            assert row[name].status == "refused" and row[name].detail == reason
    assert cov.count("in") + cov.count("refused") + cov.count("not yet") == len(cov.rows)
