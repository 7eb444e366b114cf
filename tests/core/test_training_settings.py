"""The typed training settings shared by the CLI, the Train panel and train() (pure, no Keras)."""

from __future__ import annotations

import pytest

from builder.core.templates import get_template
from builder.core.training_settings import TrainSettings, prepare_settings
from builder.errors import DataError, SettingsError


def news():
    return get_template("news").load()


def test_defaults_are_ok_and_typed() -> None:
    s = prepare_settings(news())
    assert isinstance(s, TrainSettings) and s.ok and s.errors == []
    assert s.outputs == ("main_output", "aux_output")
    assert (s.epochs, s.batch_size, s.validation_split) == (50, 32, 0.0)  # the template says 50 epochs
    assert s.values["loss"] == {"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"}
    s.raise_for_errors()  # nothing to raise


def test_overrides_win_and_numbers_are_converted() -> None:
    s = prepare_settings(news(), {"epochs": 3, "batch_size": 8, "validation_split": 0.25})
    assert (s.epochs, s.batch_size, s.validation_split) == (3, 8, 0.25)


def test_errors_name_the_head_and_raise_one_line() -> None:
    s = prepare_settings(news(), {"loss": {"main_output": "no_such_loss"}})
    assert not s.ok and [p.output for p in s.errors] == ["main_output"]
    with pytest.raises(SettingsError, match=r"^main_output: .*no_such_loss"):
        s.raise_for_errors()


def test_loss_dict_keyed_by_a_missing_head_is_an_error() -> None:
    s = prepare_settings(news(), {"loss": {"dense_1": "mse"}})  # seed 004's mistake
    assert not s.ok
    assert any("dense_1" in p.message for p in s.errors)


@pytest.mark.parametrize(("n", "split", "ok"), [(10, 0.0, True), (10, 0.2, True), (4, 0.2, False), (1, 0.5, False)])
def test_validation_split_needs_a_sample_on_each_side(n: int, split: float, ok: bool) -> None:
    s = prepare_settings(news(), {"validation_split": split})
    if ok:
        s.check_samples(n)
    else:
        with pytest.raises(DataError, match="validation_split"):
            s.check_samples(n)
