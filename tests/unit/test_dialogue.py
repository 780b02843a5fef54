"""The small values between the parts: what counts as silence, and an answer's confidence."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from assistant.conversation.dialogue import Command, Heard, Kind, Question, Word


def test_empty_or_blank_text_without_command_is_silent():
    assert Heard().silent
    assert Heard(text="   \n").silent


def test_text_or_command_is_not_silent():
    assert not Heard(text="calm").silent
    assert not Heard(command=Command.REPEAT).silent


def test_confidence_is_the_rounded_mean_of_word_confidences():
    heard = Heard(text="a b c", words=(Word("a", 0.9), Word("b", 0.8), Word("c", 0.6)))
    assert heard.confidence == pytest.approx(0.767)


def test_confidence_is_none_without_scored_words():
    assert Heard(text="typed").confidence is None


def test_command_and_kind_values_are_the_pack_keys():
    assert [c.value for c in Command] == ["repeat", "skip", "undo", "stop", "later", "help", "forget",
                                       "keep"]
    assert Kind("value") is Kind.VALUE
    assert Question("q", "ask?", "help").kind is Kind.TEXT


def test_heard_is_frozen_and_hides_audio_from_repr():
    heard = Heard(text="x", audio=b"\x00" * 10)
    assert "audio=" not in repr(heard) and "\\x00" not in repr(heard)
    with pytest.raises(FrozenInstanceError):
        heard.text = "y"  # type: ignore[misc]
