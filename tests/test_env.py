"""The typed environment readers in config/env.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_reads_true_words(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TELEPATI_FLAG", raw)

    assert env_bool("TELEPATI_FLAG", default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_env_bool_reads_false_words(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TELEPATI_FLAG", raw)

    assert env_bool("TELEPATI_FLAG", default=True) is False


def test_env_bool_uses_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEPATI_FLAG", raising=False)

    assert env_bool("TELEPATI_FLAG", default=True) is True
    assert env_bool("TELEPATI_FLAG", default=False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled"])
def test_env_bool_rejects_other_words_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("TELEPATI_FLAG", raw)

    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("TELEPATI_FLAG", default=False)

    assert str(error.value) == f"TELEPATI_FLAG must be a boolean (true/false), got {raw!r}"


def test_env_int_reads_integers_and_defaults_when_unset_or_blank(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEPATI_NUMBER", " 42 ")
    assert env_int("TELEPATI_NUMBER", 7) == 42

    monkeypatch.setenv("TELEPATI_NUMBER", "  ")
    assert env_int("TELEPATI_NUMBER", 7) == 7

    monkeypatch.delenv("TELEPATI_NUMBER")
    assert env_int("TELEPATI_NUMBER", 7) == 7


def test_env_int_rejects_non_integers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEPATI_NUMBER", "1.5")

    with pytest.raises(ImproperlyConfigured) as error:
        env_int("TELEPATI_NUMBER", 7)

    assert str(error.value) == "TELEPATI_NUMBER must be an integer, got '1.5'"


def test_env_float_reads_numbers_and_rejects_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEPATI_RATIO", "0.25")
    assert env_float("TELEPATI_RATIO", 1.0) == 0.25

    monkeypatch.setenv("TELEPATI_RATIO", "quarter")
    with pytest.raises(ImproperlyConfigured) as error:
        env_float("TELEPATI_RATIO", 1.0)
    assert str(error.value) == "TELEPATI_RATIO must be a number, got 'quarter'"


def test_env_str_returns_the_raw_value_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEPATI_TEXT", raising=False)
    assert env_str("TELEPATI_TEXT", "fallback") == "fallback"

    monkeypatch.setenv("TELEPATI_TEXT", " spaced ")
    assert env_str("TELEPATI_TEXT", "fallback") == " spaced "


def test_env_list_splits_on_commas_trimming_and_dropping_blanks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEPATI_HOSTS", " a.example.org, ,b.example.org ,,")

    assert env_list("TELEPATI_HOSTS") == ["a.example.org", "b.example.org"]


def test_env_list_set_but_empty_means_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEPATI_HOSTS", "")

    assert env_list("TELEPATI_HOSTS", ["localhost"]) == []


def test_env_list_returns_a_copy_of_the_default_when_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TELEPATI_HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("TELEPATI_HOSTS", default)
    hosts.append("changed")

    assert default == ["localhost"]
    assert env_list("TELEPATI_HOSTS") == []
