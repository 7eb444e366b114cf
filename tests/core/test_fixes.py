"""Quick fixes (builder/core/fixes.py): each seed bug has a fix that gives back its template.

``TEMPLATE_OF`` maps every buggy seed program (``tests/seed_sources/``) and every seed case
(``tests/cases/``) to the template it is a broken copy of; applying the first offered fix of the
first fixable issue, until none is left, must give that template: the same layers (types and
configs), output names, parameter count and loss keys, and no issue at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from builder import load_graph, validate
from builder.core.fixes import Fix, UnknownFix, find_fix, fixes_for, issues_with_fixes
from builder.core.graph import Graph
from builder.core.templates import get_template
from builder.importers import import_file

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "seed_sources"
CASES = ROOT / "tests" / "cases"

# seed program or case -> (its template, the fixes that turn it into the template, in order)
TEMPLATE_OF: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "000_news.py": ("news", ("loss_per_head", "connect_input:aux_input:concatenate:1")),
    "002_multitask_case1.py": ("multitask_shared_lstm_concat", ("metrics_per_head",)),
    "002_multitask_case2.py": ("multitask_shared_lstm_separate", ("metrics_per_head",)),
    "004_social_media.py": (
        "social_media_multi_output",
        (
            "rename_head:dense_1:age",
            "rename_head:dense_2:income",
            "rename_head:dense_3:gender",
            "swap_embedding:embedding",
        ),
    ),
    "004_inception.py": ("inception_module", ("padding_same:concatenate",)),
    "004_residual_mismatch.py": ("residual_projection", ("project_conv:add:1",)),
    "seed000_aux_input_unconnected.json": ("news", ("connect_input:aux_input:concatenate:1",)),
    "seed000_single_loss_two_weights.json": ("news", ("loss_per_head",)),
    "seed004_embedding_swapped.json": ("social_media_multi_output", ("swap_embedding:embedding",)),
    "seed004_unnamed_heads_loss_dict.json": (
        "social_media_multi_output",
        ("rename_head:dense_1:age", "rename_head:dense_2:income", "rename_head:dense_3:gender"),
    ),
    "inception_valid_padding.json": ("inception_module", ("padding_same:concatenate",)),
    "residual_add_mismatch.json": ("residual_projection", ("project_conv:add:1",)),
    "seed003_shared_dense_64_then_32.json": (None, ("unshare:dense_b",)),  # no template: it must validate
}
# Seed programs whose only issues are warnings about a demo (two outputs of one shared layer).
NOT_BUGGY = {"003_layer_nodes.py", "003_shared_conv.py"}


def _load(name: str) -> Graph:
    if name.endswith(".py"):
        return import_file(SEEDS / name).graph
    return load_graph(CASES / name)


def _apply_first_fixes(graph: Graph) -> tuple[Graph, list[str]]:
    steps: list[str] = []
    for _ in range(12):
        fixes = fixes_for(graph)
        if not fixes:
            break
        fix = fixes[min(fixes)][0]
        steps.append(fix.id)
        graph = fix.apply(graph)
    return graph, steps


def _layers(g: Graph) -> list[tuple[str, str]]:
    return sorted((la.type, repr(sorted(la.config.items()))) for la in g.layers)


def test_every_buggy_seed_program_and_case_is_in_the_table() -> None:
    buggy = {p.name for p in SEEDS.glob("*.py") if validate(import_file(p).graph).issues} - NOT_BUGGY
    cases = {p.name for p in CASES.glob("seed*.json")}
    assert buggy | cases <= set(TEMPLATE_OF)
    assert {n for n in TEMPLATE_OF if n.endswith(".py")} == buggy


@pytest.mark.parametrize("name", sorted(TEMPLATE_OF))
def test_the_fixes_turn_the_seed_into_its_template(name: str) -> None:
    template, expected_steps = TEMPLATE_OF[name]
    graph = _load(name)
    before = validate(graph)
    assert before.issues
    fixed, steps = _apply_first_fixes(graph)
    assert steps == list(expected_steps)
    report = validate(fixed)
    assert not report.issues, [i.message for i in report.issues]
    if template is None:
        return
    want = get_template(template).load()
    expected = validate(want)
    assert report.params == expected.params  # the same parameter count (and split)
    assert report.outputs == expected.outputs
    assert _layers(fixed) == _layers(want)
    for key in ("loss", "loss_weights", "metrics"):
        got, exp = (fixed.training or {}).get(key), (want.training or {}).get(key)
        if isinstance(got, Mapping) and isinstance(exp, Mapping):
            assert got == exp, key


def test_seed_000_fix_is_exactly_the_templates_training() -> None:
    fixed = find_fix(_load("seed000_single_loss_two_weights.json"), "loss_per_head").apply(
        _load("seed000_single_loss_two_weights.json")
    )
    assert fixed.training == get_template("news").load().training


def test_fixes_are_listed_per_issue_with_id_and_label() -> None:
    graph = _load("seed000_aux_input_unconnected.json")
    [issue] = issues_with_fixes(graph)
    assert issue["code"] == "unused_input" and "keras" in issue and "message" in issue  # every field kept
    assert [f["id"] for f in issue["fixes"]] == [
        "connect_input:aux_input:concatenate:1",
        "connect_input:aux_input:concatenate:0",
        "remove_input:aux_input",
    ]
    assert issue["fixes"][0]["label"] == "Feed 'aux_input' into 'concatenate' (input 1) in place of 'aux_output'"
    removed = find_fix(graph, "remove_input:aux_input").apply(graph)
    assert "aux_input" not in removed.node_by_id and removed.inputs == ("main_input",)
    assert validate(removed).ok


def test_unknown_fix_lists_the_graphs_fixes() -> None:
    graph = _load("residual_add_mismatch.json")
    with pytest.raises(UnknownFix, match=r"no fix 'nope' for this graph; its fixes: project_conv:add:1"):
        find_fix(graph, "nope")
    with pytest.raises(UnknownFix, match="none: no issue of this graph has a quick fix"):
        find_fix(get_template("news").load(), "remove_input:aux_input")


def _vector_and(shape: tuple[int, ...]) -> Graph:
    g = Graph(name="m")
    g, seq = g.add("Input", {"shape": shape}, name="seq")
    g, vec = g.add("Input", {"shape": (8,)}, name="vec")
    g, m = g.add("Concatenate", {}, inputs=[vec, seq])
    g, d = g.add("Dense", {"units": 1}, inputs=[m])
    return g.set_outputs([d])


# (Add and the other element-wise merges broadcast a vector over a sequence, as Keras does: only
# Concatenate refuses inputs of different ranks.)
@pytest.mark.parametrize(
    ("shape", "pooling", "flat"), [((7, 8), "GlobalAveragePooling1D", 64), ((4, 4, 3), "GlobalAveragePooling2D", 56)]
)
def test_a_vector_concatenated_with_a_sequence_or_image_gets_flatten_or_pooling(
    shape: tuple[int, ...], pooling: str, flat: int
) -> None:
    g = _vector_and(shape)
    [issue] = validate(g).issues
    assert issue.code == "shape_mismatch" and issue.node == "concatenate"
    ids = [f.id for fs in fixes_for(g).values() for f in fs]
    assert ids == ["insert_flatten:concatenate:1", "insert_gap:concatenate:1"]
    pooled = find_fix(g, "insert_gap:concatenate:1").apply(g)
    report = validate(pooled)
    assert report.ok and not report.issues
    gap = next(la for la in pooled.layers if la.type == pooling)
    assert pooled.input_nodes("concatenate") == ["vec", gap.id] and pooled.input_nodes(gap.id) == ["seq"]
    assert report.shapes["concatenate"] == (None, 8 + shape[-1])
    flattened = find_fix(g, "insert_flatten:concatenate:1").apply(g)
    assert validate(flattened).shapes["concatenate"] == (None, flat)


def test_concatenate_on_the_axis_the_shapes_allow() -> None:
    g = Graph(name="c")
    g, a = g.add("Input", {"shape": (4, 8)}, name="a")
    g, b = g.add("Input", {"shape": (6, 8)}, name="b")
    g, c = g.add("Concatenate", {"axis": -1}, inputs=[a, b])
    g = g.set_outputs([c])
    [issue] = validate(g).issues
    [[fix]] = fixes_for(g).values()
    assert (fix.id, fix.label) == (
        "concat_axis:concatenate:1",
        "Concatenate 'concatenate' on axis 1 (the inputs agree on every other axis)",
    )
    assert validate(fix.apply(g)).shapes[c] == (None, 10, 8)
    assert issue.code == "shape_mismatch"


def test_add_of_mismatched_widths_gets_a_dense_projection() -> None:
    g = Graph(name="r")
    g, x = g.add("Input", {"shape": (16,)}, name="x")
    g, h = g.add("Dense", {"units": 32}, inputs=[x])
    g, s = g.add("Add", {}, inputs=[h, x])
    g = g.set_outputs([s])
    fixes = [f.id for fs in fixes_for(g).values() for f in fs]
    assert fixes == ["project_dense:add:1", "project_dense:add:0"]
    fixed = find_fix(g, "project_dense:add:1").apply(g)
    report = validate(fixed)
    assert report.ok and report.shapes[s] == (None, 32)
    proj = fixed.layer_of(fixed.input_nodes(s)[1])
    assert (proj.type, dict(proj.config)) == ("Dense", {"units": 32})
    assert report.params.total == (16 * 32 + 32) * 2


def test_a_rename_key_fix_renames_it_in_every_dict() -> None:
    graph = _load("seed004_unnamed_heads_loss_dict.json")
    fixed = find_fix(graph, "rename_key:age:dense_1").apply(graph)
    t = fixed.training or {}
    assert list(t["loss"]) == ["dense_1", "income", "gender"] and list(t["loss_weights"]) == [
        "dense_1",
        "income",
        "gender",
    ]
    assert "dense_1" not in {i.node for i in validate(fixed).issues}


def test_a_fix_is_a_value_with_a_stable_id() -> None:
    graph = _load("seed003_shared_dense_64_then_32.json")
    [[fix]] = fixes_for(graph).values()
    assert isinstance(fix, Fix) and fix.to_dict() == {
        "id": "unshare:dense_b",
        "label": "Give this call of 'shared_dense' its own Dense layer (no shared weights)",
    }
    assert fixes_for(graph)[0][0].id == fix.id  # the same graph, the same ids
    assert graph == _load("seed003_shared_dense_64_then_32.json")  # fixes never mutate the graph


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(n for n, (t, _) in TEMPLATE_OF.items() if t is not None))
def test_keras_builds_the_fixed_seed_with_the_templates_parameter_count(name: str) -> None:
    """Real Keras builds each fixed graph, with the template's parameter count and output shapes."""
    from builder.keras_edge.build import build_model

    template, _ = TEMPLATE_OF[name]
    assert template is not None
    fixed, _ = _apply_first_fixes(_load(name))
    model = build_model(fixed)
    expected = validate(get_template(template).load())
    assert model.count_params() == expected.params.total
    assert [tuple(t.shape) for t in model.outputs] == [
        expected.shapes[n] for n in get_template(template).load().outputs
    ]
