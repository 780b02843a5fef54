"""Typed answers: one line per turn; empty is silence; a command phrase is a command."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from assistant.conversation.dialogue import Command
from assistant.errors import InputExhausted
from assistant.speech.typed import TextListener


def test_each_turn_reads_one_line(en):
    listener = TextListener(en, io.StringIO("I took a break\n  calm, I think  \n"))
    first, second = listener.listen(), listener.listen()
    assert first.text == "I took a break"
    assert second.text == "calm, I think"
    assert first.command is None and not first.silent
    assert first.confidence is None  # typed text has no word scores
    assert first.audio is None


def test_empty_line_is_silence(en):
    heard = TextListener(en, io.StringIO("\n   \n")).listen()
    assert heard.silent
    assert heard.text == ""


def test_command_phrase_becomes_a_command_without_text(en, nl):
    heard = TextListener(en, io.StringIO("Stop!\n")).listen()
    assert heard.command is Command.STOP
    assert heard.text == ""
    assert not heard.silent
    assert TextListener(nl, io.StringIO("sla over\n")).listen().command is Command.SKIP


def test_answer_containing_a_command_word_stays_an_answer(en):
    heard = TextListener(en, io.StringIO("I wanted to stop and rest\n")).listen()
    assert heard.command is None
    assert heard.text == "I wanted to stop and rest"


def test_end_of_input_raises_input_exhausted(en):
    listener = TextListener(en, io.StringIO("only answer\n"))
    listener.listen()
    with pytest.raises(InputExhausted):
        listener.listen()


def test_last_line_without_newline_is_still_an_answer(en):
    listener = TextListener(en, io.StringIO("no newline"))
    assert listener.listen().text == "no newline"
    with pytest.raises(InputExhausted):
        listener.listen()


def test_times_are_local_iso_with_offset(en):
    heard = TextListener(en, io.StringIO("x\n")).listen()
    started, ended = datetime.fromisoformat(heard.started_at), datetime.fromisoformat(heard.ended_at)
    assert started.tzinfo is not None and ended >= started


def test_prompt_is_written_only_when_a_prompt_stream_is_given(en):
    prompt = io.StringIO()
    TextListener(en, io.StringIO("x\n"), prompt=prompt).listen()
    assert prompt.getvalue() == "> "
