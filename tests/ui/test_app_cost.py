"""Cost in the app (AppTest): the inspector's cost line, the summary's FLOPs column, the canvas
toggle that shows FLOPs on nodes, and the Train panel's will-it-fit warning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.core.cost import cost, training_memory
from tests.ui.test_app import Canvas, doc_of, markdown_text, new_app
from ui.costs import GB, human_bytes, human_flops, machine_memory_bytes, memory_verdicts


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def test_inspector_shows_the_nodes_flops_weights_and_activations() -> None:
    at = new_app("news")
    doc = doc_of(at)
    Canvas(at).click("dense")
    nc = cost(doc.graph, doc.report).per_node["dense"]
    assert nc.flops == 2 * 37 * 64 + 64  # (None, 37) @ (37, 64) + bias, per sample
    text = markdown_text(at)
    assert f"FLOPs **{human_flops(nc.flops)}**" in text and human_flops(nc.flops) == "4.8 K"
    assert f"Weights **{human_bytes(nc.weight_bytes)}**" in text and human_bytes(nc.weight_bytes) == "9.73 KB"
    assert f"Activations **{human_bytes(nc.activation_bytes_per_sample)}**/sample" in text


def test_summary_table_has_a_flops_column_and_a_total() -> None:
    at = new_app("news")
    doc = doc_of(at)
    at.session_state["kgb_tab"] = "Summary"
    at.run()
    assert not at.exception
    df = at.dataframe[0].value
    c = cost(doc.graph, doc.report)
    assert "FLOPs" in df.columns
    by_name = dict(zip(df["Layer (type)"], df["FLOPs"], strict=True))
    assert by_name["dense (Dense)"] == c.per_node["dense"].flops
    assert int(df["FLOPs"].sum()) == c.flops
    assert any(m.label == "FLOPs / sample" and m.value == human_flops(c.flops) for m in at.metric)


def test_canvas_toggle_shows_flops_on_nodes() -> None:
    at = new_app("news")
    doc = doc_of(at)
    canvas = Canvas(at)
    canvas.sync()
    assert "FLOPs" not in canvas.content("dense")
    at.toggle(key="kgb_show_flops").set_value(True).run()
    assert not at.exception
    canvas.sync()
    flops = cost(doc.graph, doc.report).per_node["dense"].flops
    assert f"· {human_flops(flops)} FLOPs" in canvas.content("dense")
    at.toggle(key="kgb_show_flops").set_value(False).run()
    canvas.sync()
    assert "FLOPs" not in canvas.content("dense")


def test_train_panel_warns_when_the_estimate_exceeds_an_accelerator_or_this_machine() -> None:
    at = new_app("news")
    doc = doc_of(at)
    at.session_state["kgb_tab"] = "Train"
    at.run()
    assert not at.exception
    estimate = training_memory(doc.graph, 32, "rmsprop")
    assert estimate.total is not None and estimate.total < 16 * GB
    assert any(f"**{human_bytes(estimate.total)}** at batch size 32" in c.value for c in at.caption)
    assert not [w for w in at.warning if "exceeds" in w.value]
    big = dict(doc.graph.training or {}, batch_size=1_000_000)
    doc.apply(doc.graph.set_training(big), "batch size 1,000,000")
    at.selectbox(key="kgb_accelerator").set_value("16 GB").run()
    assert not at.exception
    huge = training_memory(doc.graph, 1_000_000, "rmsprop")
    assert huge.total is not None and huge.total > 16 * GB
    warnings = [w.value for w in at.warning if "exceeds" in w.value]
    assert any("exceeds a 16 GB accelerator" in w for w in warnings)
    machine = machine_memory_bytes()
    assert any("exceeds this machine's memory" in w for w in warnings) == (machine is not None and huge.total > machine)


def test_machine_memory_is_probed_from_meminfo_or_sysconf(tmp_path: Path) -> None:
    fake = tmp_path / "meminfo"
    fake.write_text("MemTotal:       16384000 kB\nMemFree:        100 kB\n")
    assert machine_memory_bytes(fake) == 16384000 * 1024
    sysconf = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert machine_memory_bytes(tmp_path / "missing") == sysconf
    real = machine_memory_bytes()
    assert real is not None and abs(real - sysconf) < 0.01 * sysconf  # two probes of one machine agree


def test_memory_verdicts_say_which_limit_is_exceeded() -> None:
    from builder.core.cost import TrainingMemory

    m = TrainingMemory(64, "adam", "float32", 4 * GB, 4 * GB, 8 * GB, 10 * GB, 30 * GB, 4 * GB)
    kinds = memory_verdicts(m, 64 * GB, None)
    assert [k for k, _ in kinds] == ["caption"]
    kinds = memory_verdicts(m, 16 * GB, 24)
    assert [k for k, _ in kinds] == ["caption", "warning", "warning"]
    assert "exceeds this machine's memory (16 GB)" in kinds[1][1] and "exceeds a 24 GB accelerator" in kinds[2][1]
    assert memory_verdicts(m, 16 * GB, 40)[-1][1].startswith("The estimate (30 GB) exceeds this machine")
    unknown = TrainingMemory(64, "adam", "float32", 0, 0, 0, None, None)
    assert memory_verdicts(unknown, 1, 16)[0][0] == "info"
