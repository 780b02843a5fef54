"""Which conversation runs a script, and what becomes of each option for the dilemma recorder."""

from __future__ import annotations

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars

from assistant.conversation.dialogue import Command, Heard, Word
from assistant.conversation.dilemma import DilemmaRecorder
from assistant.conversation.session import Session
from assistant.conversations import conversation


def say(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.9) for w in text.split()), audio_seconds=2.0,
                 started_at="2026-11-22T10:00:00+01:00", ended_at="2026-11-22T10:00:04+01:00")


def test_an_ordinary_script_is_a_session_with_every_option(en, tmp_path):
    voice, journal = RecordingVoice(), MemoryJournal()
    talk = conversation(en, en.script("compass"), ScriptedEars([Heard(command=Command.STOP)]), voice,
                        journal, tmp_path, max_moments=1, opening=("Earlier today you noted: calm.",))
    assert isinstance(talk, Session)
    talk.run()
    assert voice.said[1] == "Earlier today you noted: calm."


def test_an_ordinary_session_asks_no_more_once_interrupted(en, tmp_path):
    voice = RecordingVoice()
    conversation(en, en.script("compass"), ScriptedEars([]), voice, MemoryJournal(), tmp_path,
                 max_moments=2, interrupted=lambda: True).run()
    assert en.script("compass").questions[0].ask not in voice.said


def test_a_shared_script_is_the_dilemma_recorder(en, tmp_path):
    talk = conversation(en, en.script("dilemma"), ScriptedEars([]), RecordingVoice(), MemoryJournal(),
                        tmp_path, max_moments=3)
    assert isinstance(talk, DilemmaRecorder)


def test_a_shared_script_refuses_the_day_s_own_notes(en, tmp_path):
    with pytest.raises(ValueError, match="shared"):
        conversation(en, en.script("dilemma"), ScriptedEars([]), RecordingVoice(), MemoryJournal(),
                     tmp_path, max_moments=2, opening=("Earlier today you noted: calm.",))


def test_a_dilemma_is_one_moment_whatever_max_moments_says(en, tmp_path):
    voice, journal = RecordingVoice(), MemoryJournal()
    turns = [say("A tenant wants to keep a shed"), say("rules against goodwill"), say("enforce or allow"),
             say("I allowed it"), say("maintenance"), say("yes")]
    conversation(en, en.script("dilemma"), ScriptedEars(turns), voice, journal, tmp_path,
                 max_moments=5).run()
    assert en.phrases["another_moment"] not in voice.said and len(journal.rows) == 5


def test_an_interrupted_dilemma_asks_no_more_and_keeps_nothing(en, tmp_path):
    voice, journal, stopping = RecordingVoice(), MemoryJournal(), []

    class StoppedAfterTheFirstAnswer(ScriptedEars):
        def listen(self, short_reply=False):
            stopping.append(True)
            return super().listen(short_reply)

    conversation(en, en.script("dilemma"), StoppedAfterTheFirstAnswer([say("A tenant wants a shed")]),
                 voice, journal, tmp_path, max_moments=2, interrupted=lambda: bool(stopping)).run()
    assert journal.rows == {}
    assert en.dilemma["confirm"] not in voice.said and en.dilemma["dropped"] not in voice.said
