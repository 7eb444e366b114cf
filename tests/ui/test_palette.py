"""The palette among 100+ types: a search box (type names, aliases, doc words) and one folding
section per catalog category, in order. Generic: whatever the catalog holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builder.core.catalog import catalog
from ui.palette import SEARCH_KEY
from ui.palette_search import names_text, search

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGB_STATE_DIR", str(tmp_path / "state"))


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def palette_buttons(at: AppTest) -> list[str]:
    return [b.key.removeprefix("palette:") for b in at.button if b.key and b.key.startswith("palette:")]


# ---------------------------------------------------------------------- the search (pure)


def test_every_type_is_found_first_by_its_own_name_and_by_each_alias() -> None:
    types = list(catalog().types.values())
    for t in types:
        found = search(types, t.type)
        assert t in found.by_name, t.type
        assert found.by_name[0] is t or t.type.lower() in names_text(found.by_name[0]), t.type
        for alias in t.aliases:
            assert t in search(types, alias).by_name, f"{t.type}: alias {alias}"


def test_search_conv_finds_the_conv_types_by_name_then_doc_mentions() -> None:
    types = list(catalog().types.values())
    found = search(types, "Conv")
    assert [t.type for t in found.by_name] == [t.type for t in types if "conv" in names_text(t)]
    assert "Conv2D" in {t.type for t in found.by_name}
    assert "Dense" not in {t.type for t in found.all}
    for t in found.by_doc:  # the rest: only their doc (or category) has a word starting with "conv"
        assert "conv" not in names_text(t)
        assert any(w.startswith("conv") for w in f"{t.doc} {t.category}".lower().replace("(", " ").split())


def test_search_words_must_all_match_and_empty_shows_everything() -> None:
    types = list(catalog().types.values())
    found = search(types, "global  POOL 2d")
    assert found.by_name and all(
        "global" in names_text(t) and "pool" in names_text(t) and "2d" in names_text(t) for t in found.by_name
    )
    assert {"GlobalMaxPooling2D", "GlobalAveragePooling2D"} <= {t.type for t in found.by_name}
    assert search(types, "zzzqqq").all == ()
    assert search(types, "  ").all == tuple(types)


# ---------------------------------------------------------------------- the palette (AppTest)


def test_palette_shows_one_folding_section_per_category_in_catalog_order() -> None:
    at = new_app()
    groups = [(c, len(ts)) for c, ts in catalog().by_category().items() if ts]
    labels = [e.label for e in at.expander if e.key and e.key.startswith("palette_cat_")]
    assert labels == [f"{c.capitalize()} ({n})" for c, n in groups]
    shown = set(palette_buttons(at))  # only the open sections (core, merge) have buttons
    for cat, types in catalog().by_category().items():
        names = {t.type for t in types}
        assert names <= shown if cat in ("core", "merge") else not names & shown


def test_palette_search_conv_shows_only_conv_types_and_adding_one_adds_a_node() -> None:
    at = new_app()
    at.text_input(key=SEARCH_KEY).set_value("conv").run()
    assert not at.exception, at.exception
    found = search(catalog().types.values(), "conv")
    assert sorted(palette_buttons(at)) == sorted(t.type for t in found.all)  # two columns: column order
    assert "Dense" not in palette_buttons(at) and "Conv2D" in palette_buttons(at)
    assert not [e for e in at.expander if e.key and e.key.startswith("palette_cat_")]  # sections hidden
    at.button(key="palette:Conv2D").click().run()
    assert not at.exception, at.exception
    doc = at.session_state["kgb_doc"]
    assert [doc.graph.layer_of(n.id).type for n in doc.graph.nodes] == ["Conv2D"]
    assert doc.selected == doc.graph.nodes[0].id


def test_palette_search_without_a_match_says_so_and_clearing_it_brings_the_sections_back() -> None:
    at = new_app()
    at.text_input(key=SEARCH_KEY).set_value("zzzqqq").run()
    assert palette_buttons(at) == []
    assert any("No layer type matches" in c.value for c in at.caption)
    at.text_input(key=SEARCH_KEY).set_value("").run()
    assert "Input" in palette_buttons(at)
