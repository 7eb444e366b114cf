"""``kgb layers``: the catalog as the CLI lists it (every type, whatever the catalog holds), one
type's params, and refusals with their reason."""

from __future__ import annotations

import pytest

from builder.cli.layers import outputs_of
from builder.core.catalog import catalog
from builder.core.refused import COVERAGE_DOC, REFUSED
from tests.conftest import HEAVY, CliRunner, heavy_modules_imported


def test_layers_json_lists_every_catalog_type_with_arity_and_category(cli: CliRunner) -> None:
    r = cli("layers", "--json")
    assert r.code == 0, r.err
    doc = r.json
    cat = catalog()
    assert [t["type"] for t in doc["types"]] == list(cat.types)
    assert doc["categories"] == list(cat.categories)
    for item in doc["types"]:
        t = cat[item["type"]]
        assert set(item) >= {"type", "keras_class", "category", "inputs", "outputs", "doc"}
        assert item["keras_class"] == t.keras and item["keras_class"].startswith("keras.")
        assert item["category"] in cat.categories
        assert item["inputs"] == {"min": t.min_inputs, "max": t.max_inputs}
        assert isinstance(item["outputs"], int) and item["outputs"] >= 1
        assert item["doc"]
    by_type = {t["type"]: t for t in doc["types"]}
    assert by_type["Input"]["inputs"] == {"min": 0, "max": 0}
    assert by_type["Dense"]["inputs"] == {"min": 1, "max": 1}
    assert by_type["Concatenate"]["inputs"]["max"] is None  # any number
    assert {x["class"]: x["reason"] for x in doc["refused"]} == REFUSED
    assert doc["coverage"] == COVERAGE_DOC


def test_layers_text_groups_types_by_category_in_catalog_order(cli: CliRunner) -> None:
    r = cli("layers")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    headers = [ln.split(" (")[0] for ln in lines if ln and not ln.startswith(" ") and " (" in ln]
    cat = catalog()
    assert headers == [c for c, types in cat.by_category().items() if types]
    listed = [ln.split()[0] for ln in lines if ln.startswith("  ")]
    assert sorted(listed) == sorted(cat.types)
    conv = lines.index(next(ln for ln in lines if ln.startswith("convolution (")))
    assert lines[conv + 1].split()[0] == cat.by_category()["convolution"][0].type
    assert "refused: Lambda" in r.out


@pytest.mark.parametrize("name", ["Conv2D", "conv2d", "Convolution2D"])
def test_layers_type_shows_params_with_kind_default_and_range(cli: CliRunner, name: str) -> None:
    r = cli("layers", name)
    assert r.code == 0, r.err
    assert r.out.startswith("Conv2D  (keras.layers.Conv2D, convolution)")
    rows = {ln.split()[0]: ln for ln in r.out.splitlines() if ln.startswith("    ")}
    assert set(rows) == set(catalog()["Conv2D"].params)
    assert "required" in rows["filters"] and "1 <= x" in rows["filters"]
    assert "int_or_tuple[2]" in rows["strides"] and "default (1, 1)" in rows["strides"]
    assert "one of 'valid', 'same'" in rows["padding"]


def test_layers_type_json_gives_every_param(cli: CliRunner) -> None:
    r = cli("layers", "Dropout", "--json")
    assert r.code == 0, r.err
    doc = r.json
    assert doc["type"] == "Dropout" and doc["inputs"] == {"min": 1, "max": 1}
    params = {p["name"]: p for p in doc["params"]}
    assert params["rate"]["required"] is True and "default" not in params["rate"]
    assert params["rate"]["range"]["min"] == 0
    assert params["seed"]["default"] is None


def test_layers_refused_and_unknown_names_say_why(cli: CliRunner) -> None:
    r = cli("layers", "Lambda")
    assert r.code == 2 and not r.out
    assert f"Lambda: refused: {REFUSED['Lambda']}" in r.err and COVERAGE_DOC in r.err
    r = cli("layers", "gruCELL")
    assert r.code == 2 and "GRUCell: refused: a recurrent cell" in r.err
    r = cli("layers", "NoSuchLayer")
    assert r.code == 2 and "'NoSuchLayer' is not a layer type of the catalog" in r.err and COVERAGE_DOC in r.err


def test_layers_does_not_import_keras() -> None:
    code = "from builder.cli import main\nmain(['layers', '--json'])\nmain(['layers', 'Dense'])\n"
    assert heavy_modules_imported(code, of=HEAVY) == []


def test_outputs_default_to_one_and_follow_an_outputs_field_when_the_catalog_has_one() -> None:
    dense = catalog()["Dense"]
    assert outputs_of(dense) == 1

    class WithOutputs:  # a catalog entry that gained an `outputs` field
        outputs = 3

    assert outputs_of(WithOutputs()) == 3  # type: ignore[arg-type]
