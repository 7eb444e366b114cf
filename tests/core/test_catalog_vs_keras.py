"""The catalog against the installed Keras (``inspect.signature`` of every class): names,
defaults under the one ``is_default`` rule, positional order, aliases, Keras-2 names, category.
A drift fails with the type and the param it concerns."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from builder.core.catalog import Catalog, load_document

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.keras


def _doc() -> dict[str, Any]:
    return load_document()


def _entry(doc: dict[str, Any], type_name: str) -> dict[str, Any]:
    return next(e for e in doc["layers"] if e["type"] == type_name)


def test_every_catalog_entry_matches_the_installed_keras() -> None:
    from builder.keras_edge.catalog_check import check

    result = check()
    assert not result.drift, "catalog drift from the installed Keras:\n" + "\n".join(map(str, result.drift))
    assert result.types == len(_doc()["layers"])
    assert result.params > 190 and result.defaults > 170  # it compared something


def test_drift_is_found_and_names_the_type_and_param() -> None:
    from builder.keras_edge.catalog_check import check

    doc = copy.deepcopy(_doc())
    _entry(doc, "Dense")["params"]["use_bias"]["default"] = False
    conv = _entry(doc, "Conv2D")
    conv["positional"][:2] = [conv["positional"][1], conv["positional"][0]]
    _entry(doc, "Dropout")["params"]["frobnicate"] = {"kind": "int", "default": 3}
    _entry(doc, "LSTM")["category"] = "core"
    _entry(doc, "Embedding")["keras2"] = ["mask_zero"]
    _entry(doc, "Reshape")["aliases"] = ["Flatten"]
    _entry(doc, "GRU")["params"]["units"] = {"kind": "int", "default": 8}
    pool = _entry(doc, "MaxPooling2D")
    pool["code_positional"] = ["strides"]
    names = ["Dense", "Conv2D", "Dropout", "LSTM", "Embedding", "Reshape", "GRU", "MaxPooling2D", "Add"]
    drift = [str(d) for d in check(Catalog(doc), names).drift]
    expected = [
        "Dense.use_bias: catalog default False, Keras default True",
        "Conv2D: positional order ['kernel_size', 'filters'",
        "Conv2D: code_positional ['filters', 'kernel_size'] is not the start of positional",
        "Dropout.frobnicate: not a parameter of keras.layers.Dropout",
        "LSTM: category 'core'; Keras keeps it in keras.src.layers.rnn.lstm ('recurrent')",
        "Embedding.mask_zero: listed as Keras-2-only",
        "Reshape: alias Flatten is keras.layers.Flatten, a different class",
        "GRU.units: Keras requires it; the catalog gives a default 8",
        "MaxPooling2D: code_positional ['strides'] is not the start of positional",
    ]
    for text in expected:
        assert any(d.startswith(text) for d in drift), (text, drift)
    assert len(drift) == len(expected), drift  # Add, untouched, has none


def test_a_positional_param_the_catalog_knows_must_be_listed() -> None:
    from builder.keras_edge.catalog_check import check

    doc = copy.deepcopy(_doc())
    _entry(doc, "Dense")["positional"] = ["units"]
    drift = [str(d) for d in check(Catalog(doc), ["Dense"]).drift]
    assert drift == ["Dense.activation: positional in Keras after units; add it to `positional`"]


def test_params_keras_pops_from_kwargs_are_checked_through_get_config() -> None:
    from builder.keras_edge.catalog_check import check

    doc = copy.deepcopy(_doc())
    _entry(doc, "LayerNormalization")["params"]["rms_scaling"]["default"] = True
    _entry(doc, "Embedding")["params"]["activity_regularizer"]["default"] = "l2"
    drift = [str(d) for d in check(Catalog(doc), ["LayerNormalization", "Embedding"]).drift]
    assert drift == [
        "LayerNormalization.rms_scaling: catalog default True, Keras default False (get_config)",
        "Embedding.activity_regularizer: catalog default 'l2', Keras default None (keras.layers.Layer)",
    ]


def test_the_script_reports_and_exits_by_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("check_catalog", ROOT / "scripts" / "check_catalog.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["Dense", "LSTM"]) == 0
    out = capsys.readouterr().out
    assert "catalog (2 types, 34 params, 32 defaults) matches Keras" in out
    assert script.main(["--json", "Conv2D"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["types"] == 1 and report["drift"] == []
