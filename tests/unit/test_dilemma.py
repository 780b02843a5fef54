"""Recording a workshop dilemma over fakes: read back, confirmed, names left out on request, the
function family asked once and remembered; nothing kept without a yes."""

from __future__ import annotations

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars

from assistant.conversation.dialogue import Command, Heard, Word
from assistant.conversation.dilemma import DilemmaRecorder, leave_out
from assistant.journal.profile import Profile


def say(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.9) for w in text.split()), audio_seconds=2.0,
                 started_at="2026-11-22T10:00:00+01:00", ended_at="2026-11-22T10:00:04+01:00")


DILEMMA = [say("Tenant Jansen wants to keep an old shed that has to go. The rules are clear."),
           say("rules against goodwill"), say("enforce the rule, or allow it"),
           say("I allowed it and told Jansen to ask the manager")]


def record(pack, turns, tmp_path):
    voice, journal = RecordingVoice(), MemoryJournal()
    DilemmaRecorder(pack, pack.script("dilemma"), ScriptedEars(turns), voice, journal,
                    Profile(tmp_path), session_id=lambda: "d1").run()
    return voice.said, list(journal.rows.values())


def test_every_shared_part_is_read_back_and_it_is_kept_after_yes(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), say("yes")], tmp_path)
    assert ("Tenant Jansen wants to keep an old shed that has to go. The rules are clear; what pulls "
            "in different directions: rules against goodwill; the options you see: enforce the rule, "
            "or allow it; last time: I allowed it and told Jansen to ask the manager; your function "
            "family: maintenance.") in said
    assert said[-2:] == [en.dilemma["confirm"], en.dilemma["kept"]]
    assert [a.question_id for a in stored] == ["situation", "goals", "options", "last_time", "family"]
    assert stored[-1].transcript == "maintenance" and Profile(tmp_path).get("function_family") == "maintenance"


def test_no_keeps_nothing(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), say("no")], tmp_path)
    assert stored == [] and said[-1] == en.dilemma["dropped"]


def test_an_unclear_answer_twice_keeps_nothing(en, tmp_path):
    _, stored = record(en, [*DILEMMA, say("maintenance"), say("hmm"), Heard()], tmp_path)
    assert stored == []


def test_without_names_asks_which_and_leaves_them_out_everywhere(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), say("without names"), say("Jansen"),
                               say("yes")], tmp_path)
    assert en.dilemma["which_names"] in said
    assert all("jansen" not in a.transcript.lower() for a in stored)
    assert stored[0].transcript.startswith("Tenant […] wants")


def test_the_function_family_is_asked_once_then_remembered_with_every_dilemma(en, tmp_path):
    record(en, [*DILEMMA, say("maintenance"), say("yes")], tmp_path)
    said, stored = record(en, [*DILEMMA, say("yes")], tmp_path)
    family_question = en.script("dilemma").questions[-1].ask
    assert family_question not in said
    assert [(a.question_id, a.transcript) for a in stored][-1] == ("family", "maintenance")


@pytest.mark.parametrize("text, names, expected", [  # a one-word name: every case, as before
    ("Ask Piet and piet's boss", ["piet"], "Ask […] and […]'s boss"),
    ("Pieter is not Piet", ["piet"], "Pieter is not […]"),
])
def test_leave_out_replaces_whole_words_in_any_case(text, names, expected):
    assert leave_out(text, names) == expected


def test_a_long_part_is_shortened_and_named_as_not_read_in_full(en, tmp_path):
    long_story = say(" ".join(["word"] * 60) + " Jansen at the very end")
    said, _ = record(en, [long_story, *DILEMMA[1:], say("maintenance"), say("yes")], tmp_path)
    readback = next(line for line in said if "what pulls in different directions" in line)
    assert readback.startswith(" ".join(["word"] * 40) + "…;")
    assert readback.endswith("I read only the start of: situation; the rest is shared as you said it.")
    assert "last time: I allowed it" in readback  # every other part is still read


def test_a_pack_sentence_without_a_part_says_that_part_is_not_read(tmp_path):
    from unit_helpers import FIXTURES

    from assistant.packs import load_pack

    ko = load_pack("ko", (FIXTURES / "lang",))  # its read-back has no {last_time} and no {family}
    turns = [say("상황"), say("목표"), say("선택"), say("지난번"), say("직군"), say("좋아요")]
    said, _ = record(ko, turns, tmp_path)
    assert "상황; 목표; 선택. 다 읽지 않았어요: last time 그리고 family." in said


def test_the_text_without_names_is_read_back_and_asked_about_again_before_keeping(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), say("without names"), say("Jansen"),
                               say("no")], tmp_path)
    assert stored == []  # heard without the names, the person still said no
    at = said.index(en.dilemma["redacted"])
    assert said[at + 1].startswith("Tenant […] wants to keep") and "told […] to ask" in said[at + 1]
    assert said[at + 2] == en.dilemma["confirm"]


def test_with_kept_audio_a_dilemma_keeps_no_word_timings_that_would_hold_the_names(en, tmp_path):
    heard = [Heard(**{**h.__dict__, "audio": b"\0\0" * 100}) for h in DILEMMA]
    _, stored = record(en, [*heard, say("maintenance"), say("without names"), say("Jansen"),
                                   say("yes")], tmp_path)
    assert stored and all(a.words is None for a in stored)


def test_stop_at_the_question_to_keep_it_keeps_nothing(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), Heard(command=Command.STOP)], tmp_path)
    assert stored == [] and said[-1] == en.dilemma["dropped"]


def test_undo_at_the_question_to_keep_it_says_how_to_change_it_and_asks_again(en, tmp_path):
    said, stored = record(en, [*DILEMMA, say("maintenance"), Heard(command=Command.UNDO), say("yes")],
                          tmp_path)
    assert said[-4:] == [en.dilemma["confirm"], en.dilemma["start_over"], en.dilemma["confirm"],
                         en.dilemma["kept"]]
    assert len(stored) == 5
