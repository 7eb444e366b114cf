"""The per-axis (before, after) param kinds: ``padding2d`` (ZeroPadding2D, Cropping2D) and ``padding3d``
(ZeroPadding3D, Cropping3D): the catalog check, the one is_default rule, the importers' normal form and
the inspector's text form (ui/params.py is pure Python)."""

from __future__ import annotations

import pytest

from builder.core.catalog import catalog, check_param, is_default, pad_pairs
from builder.importers.common import normalize_value
from ui.params import ParamInputError, format_value, parse_value


def _param(type_name: str, name: str):  # type: ignore[no-untyped-def]
    return catalog()[type_name].params[name]


@pytest.mark.parametrize(
    ("value", "rank", "pairs"),
    [
        (2, 3, ((2, 2), (2, 2), (2, 2))),
        ((1, 2, 3), 3, ((1, 1), (2, 2), (3, 3))),
        (((1, 0), (0, 2), (3, 4)), 3, ((1, 0), (0, 2), (3, 4))),
        ([[1, 2], [3, 4]], 2, ((1, 2), (3, 4))),
        ((1, 2), 3, None),
        (((1, 2), (3, 4)), 3, None),
        (((1, 2, 3), (3, 4), (1, 1)), 3, None),
        (True, 3, None),
        ("1", 2, None),
    ],
)
def test_pad_pairs_normalises_as_keras(value, rank, pairs) -> None:  # type: ignore[no-untyped-def]
    assert pad_pairs(value, rank) == pairs


def test_padding3d_is_checked_and_its_default_recognised() -> None:
    acts = catalog().activations
    pad = _param("ZeroPadding3D", "padding")
    assert pad.kind == "padding3d"
    assert check_param(pad, ((1, 0), (0, 2), (1, 1)), acts) is None
    assert check_param(pad, 1, acts) is None
    assert "tuple of 3 ints" in (check_param(pad, (1, 2), acts) or "")
    assert "at least 0" in (check_param(pad, (1, -1, 0), acts) or "")
    assert is_default(pad, 1) and is_default(pad, (1, 1, 1)) and is_default(pad, [[1, 1], [1, 1], [1, 1]])
    assert not is_default(pad, 2) and not is_default(pad, ((1, 0), (1, 1), (1, 1)))
    crop = _param("Cropping2D", "cropping")
    assert crop.kind == "padding2d" and is_default(crop, 0) and not is_default(crop, 1)


def test_the_importers_write_the_shortest_form() -> None:
    assert normalize_value("padding3d", [[2, 2], [2, 2], [2, 2]]) == 2
    assert normalize_value("padding3d", [[1, 1], [2, 2], [3, 3]]) == (1, 2, 3)
    assert normalize_value("padding3d", [[1, 0], [2, 2], [3, 3]]) == ((1, 0), (2, 2), (3, 3))
    assert normalize_value("padding2d", [[1, 1], [2, 2]]) == (1, 2)


def test_the_inspector_parses_and_formats_padding3d() -> None:
    pad = _param("Cropping3D", "cropping")
    assert parse_value(pad, "2") == 2
    assert parse_value(pad, "1, 2, 3") == (1, 2, 3)
    value = ((1, 0), (0, 2), (3, 4))
    assert parse_value(pad, format_value(value)) == value
    with pytest.raises(ParamInputError, match="before, after"):
        parse_value(pad, "1, 2")
    with pytest.raises(ParamInputError):
        parse_value(pad, "((1, 2), (3, 4))")
