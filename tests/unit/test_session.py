"""Session logic over fake ears, voice and journal: every command, silence, cap, undo, moments."""

from __future__ import annotations

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars

from assistant.conversation.dialogue import Command, Heard, Word
from assistant.conversation.session import Session, Status
from assistant.packs import load_pack

EN = load_pack("en")
QUESTIONS = EN.script("compass").questions
IDS = [q.id for q in QUESTIONS]
ASKS = {q.id: q.ask for q in QUESTIONS}



def undone(answer: str) -> str:
    return EN.phrases["undone"].replace("{answer}", answer)

def say(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.8) for w in text.split()), audio_seconds=3.0,
                 speech_seconds=2.0, started_at="2026-11-22T20:00:00+01:00",
                 ended_at="2026-11-22T20:00:05+01:00")


def cmd(command: Command) -> Heard:
    return Heard(command=command)


SILENCE = Heard()


def run(turns, max_moments=2, pack=EN):
    ears, voice, journal = ScriptedEars(turns), RecordingVoice(), MemoryJournal()
    session = Session(pack, pack.script("compass"), ears, voice, journal,
                      max_moments=max_moments, session_id=lambda: "s1")
    result = session.run()
    return result, voice, journal, ears


MOMENT = [say("a colleague asked me for help"), say("honesty"), say("I said no kindly"),
          say("relieved"), say("it felt authentic"), say("someone who is clear")]


def test_one_full_moment_stores_every_answer_with_its_question():
    result, voice, journal, _ = run([*MOMENT, say("no")])
    assert result.status is Status.COMPLETED
    stored = journal.by_question()
    assert [k[1] for k in stored] == IDS
    assert stored[(1, "situation")].transcript == "a colleague asked me for help"
    assert stored[(1, "situation")].question == ASKS["situation"]
    assert stored[(1, "situation")].confidence == 0.8
    assert stored[(1, "situation")].session_id == "s1" and stored[(1, "situation")].language == "en"
    assert voice.said[0] == EN.phrases["greeting"] and voice.said[-1] == EN.phrases["closing"]


def test_value_and_authentic_answers_are_normalised():
    _, _, journal, _ = run([*MOMENT, say("no")])
    stored = journal.by_question()
    assert stored[(1, "value")].value == "honesty"
    assert stored[(1, "authentic")].authentic is True
    assert stored[(1, "situation")].value is None and stored[(1, "situation")].authentic is None


def test_two_moments_then_closing_without_asking_for_a_third():
    result, voice, journal, _ = run([*MOMENT, say("yes"), *MOMENT])
    assert result.status is Status.COMPLETED
    assert len(journal.rows) == 12
    assert {a.moment for a in journal.rows.values()} == {1, 2}
    assert voice.said.count(EN.phrases["another_moment"]) == 1
    assert EN.phrases["next_moment"] in voice.said


def test_max_moments_one_never_offers_another_moment():
    result, voice, _, _ = run(MOMENT, max_moments=1)
    assert result.status is Status.COMPLETED
    assert EN.phrases["another_moment"] not in voice.said


def test_silence_twice_skips_question_and_moves_on():
    result, voice, journal, _ = run([SILENCE, SILENCE, *MOMENT[1:], say("no")])
    assert "situation" not in [a.question_id for a in journal.rows.values()]
    assert len(journal.rows) == 5
    assert voice.said[1:4] == [ASKS["situation"], f"Take your time. {ASKS['situation']}",
                               EN.phrases["skipped"]]


def test_silence_once_at_value_question_offers_examples_then_answer_counts():
    _, voice, journal, _ = run([MOMENT[0], SILENCE, say("calm"), *MOMENT[2:], say("no")])
    reask = voice.said[voice.said.index(ASKS["value"]) + 1]
    assert "respect, clarity, calm, courage, honesty or care" in reask
    assert journal.by_question()[(1, "value")].value == "calm"
    assert journal.by_question()[(1, "value")].question == reask


def test_repeat_after_a_reask_repeats_the_reask():
    _, voice, _, _ = run([MOMENT[0], SILENCE, cmd(Command.REPEAT), say("care"), cmd(Command.STOP)])
    reask = voice.said[voice.said.index(ASKS["value"]) + 1]
    assert voice.said[voice.said.index(reask) + 1] == reask


def test_repeat_asks_the_same_question_again():
    _, voice, journal, _ = run([cmd(Command.REPEAT), *MOMENT, say("no")])
    assert voice.said[1:3] == [ASKS["situation"], ASKS["situation"]]
    assert len(journal.rows) == 6


def test_help_explains_with_examples_and_listens_again():
    _, voice, journal, _ = run([MOMENT[0], cmd(Command.HELP), say("courage"), *MOMENT[2:], say("no")])
    help_text = voice.said[voice.said.index(ASKS["value"]) + 1]
    assert "respect, clarity, calm, courage, honesty or care" in help_text
    assert journal.by_question()[(1, "value")].value == "courage"
    assert journal.by_question()[(1, "value")].question == ASKS["value"]  # not the help text


def test_skip_command_moves_on_without_storing():
    _, voice, journal, _ = run([MOMENT[0], cmd(Command.SKIP), *MOMENT[2:], say("no")])
    assert "value" not in [a.question_id for a in journal.rows.values()]
    assert voice.said[voice.said.index(ASKS["value"]) + 1] == EN.phrases["skipped"]


def test_undo_erases_last_answer_and_asks_that_question_again():
    turns = [MOMENT[0], say("honesty"), cmd(Command.UNDO), say("courage"), *MOMENT[2:], say("no")]
    _, voice, journal, _ = run(turns)
    values = [a for a in journal.rows.values() if a.question_id == "value"]
    assert [a.transcript for a in values] == ["courage"]
    assert len(journal.rows) == 6
    after_undo = voice.said[voice.said.index(undone("honesty")) + 1]
    assert after_undo == ASKS["value"]


def test_undo_twice_goes_back_two_answers():
    turns = [MOMENT[0], MOMENT[1], cmd(Command.UNDO), cmd(Command.UNDO), say("at home"),
             *MOMENT[1:], say("no")]
    _, voice, journal, _ = run(turns)
    assert journal.by_question()[(1, "situation")].transcript == "at home"
    assert len(journal.rows) == 6
    assert voice.said.count(undone(MOMENT[1].text)) == 1
    assert voice.said.count(undone(MOMENT[0].text)) == 1


def test_undo_before_any_answer_says_so_and_asks_again():
    _, voice, journal, _ = run([cmd(Command.UNDO), *MOMENT, say("no")])
    assert voice.said[2:4] == [EN.phrases["nothing_to_undo"], ASKS["situation"]]
    assert len(journal.rows) == 6


def test_undo_after_another_moment_goes_back_to_last_answer_of_first_moment():
    turns = [*MOMENT, say("yes"), cmd(Command.UNDO), say("someone brave"), say("no")]
    _, _, journal, _ = run(turns)
    assert journal.by_question()[(1, "direction")].transcript == "someone brave"
    assert {a.moment for a in journal.rows.values()} == {1}


def test_stop_midway_keeps_everything_said_and_ends():
    result, voice, journal, ears = run([MOMENT[0], MOMENT[1], cmd(Command.STOP), *MOMENT])
    assert result.status is Status.STOPPED
    assert len(journal.rows) == 2 and len(result.answer_ids) == 2
    assert voice.said[-1] == EN.phrases["stopped"]
    assert len(ears.turns) == 6  # nothing more was listened to


def test_later_ends_now_with_status_later():
    result, voice, journal, _ = run([MOMENT[0], cmd(Command.LATER)])
    assert result.status is Status.LATER
    assert len(journal.rows) == 1
    assert voice.said[-1] == EN.phrases["later"]


def test_stop_at_another_moment_question_ends_session():
    result, _, journal, _ = run([*MOMENT, cmd(Command.STOP)])
    assert result.status is Status.STOPPED and len(journal.rows) == 6


def test_silence_at_another_moment_twice_means_no():
    result, voice, _, _ = run([*MOMENT, SILENCE, SILENCE])
    assert result.status is Status.COMPLETED
    assert voice.said.count(EN.phrases["another_moment"]) == 2
    assert voice.said[-1] == EN.phrases["closing"]


def test_capped_answer_is_stored_then_the_cap_notice_is_spoken():
    long = Heard(text="a very long story " * 50, words=(Word("a", 0.9),), audio_seconds=180.0,
                 capped=True)
    _, voice, journal, _ = run([long, *MOMENT[1:], say("no")])
    stored = journal.by_question()[(1, "situation")]
    assert stored.capped is True and stored.transcript.startswith("a very long story")
    assert voice.said[voice.said.index(ASKS["situation"]) + 1] == EN.phrases["cap_notice"]


def test_input_running_out_ends_session_keeping_answers():
    result, voice, journal, _ = run(MOMENT[:3])
    assert result.status is Status.ENDED
    assert len(journal.rows) == 3
    assert voice.said[-1] == EN.phrases["stopped"]


def test_heard_audio_is_handed_to_the_journal():
    with_audio = Heard(text="at work", words=(Word("at", 1.0),), audio=b"\x01\x00" * 10)
    _, _, journal, _ = run([with_audio, cmd(Command.STOP)])
    assert journal.audio[1] == b"\x01\x00" * 10


def test_every_spoken_text_is_prepared_ahead_but_the_read_back_of_an_undone_answer():
    _, voice, _, _ = run([MOMENT[0], SILENCE, cmd(Command.HELP), say("care"), cmd(Command.UNDO),
                          cmd(Command.SKIP), cmd(Command.FORGET), say("no"), cmd(Command.KEEP),
                          cmd(Command.LATER)])
    missing = [text for text in voice.said if text not in voice.prepared]
    assert missing == [undone("care")]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_both_shipped_languages_run_a_whole_session(language):
    pack = load_pack(language)
    answers = [say("x " + q.id) for q in pack.script("compass").questions]
    result, voice, journal, _ = run(answers, max_moments=1, pack=pack)
    assert result.status is Status.COMPLETED and len(journal.rows) == 6
    assert voice.said[0] == pack.phrases["greeting"]


def test_forget_that_erases_the_last_answer_for_good_and_goes_on_with_this_question():
    turns = [MOMENT[0], MOMENT[1], cmd(Command.FORGET), say("yes"), say("I said no"), *MOMENT[3:],
             say("no")]
    _, voice, journal, _ = run(turns)
    assert "value" not in [a.question_id for a in journal.rows.values()]
    assert journal.forgotten == [2]  # erased for good, backups included
    assert journal.by_question()[(1, "choice")].transcript == "I said no"
    forgotten = voice.said.index(EN.phrases["forgotten"])
    assert voice.said[forgotten - 2: forgotten + 2] == [ASKS["choice"], EN.phrases["confirm_forget"],
                                                        EN.phrases["forgotten"], ASKS["choice"]]


@pytest.mark.parametrize("reply", [say("no"), SILENCE, say("the bakery"), cmd(Command.STOP)])
def test_forget_that_without_a_yes_erases_nothing(reply):
    turns = [MOMENT[0], MOMENT[1], cmd(Command.FORGET), reply, *MOMENT[2:], say("no")]
    _, voice, journal, _ = run(turns)
    assert journal.forgotten == [] and len(journal.rows) == 6
    assert journal.by_question()[(1, "value")].transcript == MOMENT[1].text
    kept = voice.said.index(EN.phrases["not_forgotten"])
    assert voice.said[kept - 1: kept + 2] == [EN.phrases["confirm_forget"], EN.phrases["not_forgotten"],
                                              ASKS["choice"]]


def test_keep_it_after_undo_brings_the_answer_back_and_goes_on():
    turns = [MOMENT[0], MOMENT[1], cmd(Command.UNDO), cmd(Command.KEEP), *MOMENT[2:], say("no")]
    _, voice, journal, _ = run(turns)
    assert len(journal.rows) == 6
    assert journal.by_question()[(1, "value")].transcript == MOMENT[1].text
    restored = voice.said.index(EN.phrases["restored"])
    assert voice.said[restored - 2: restored + 2] == [undone(MOMENT[1].text), ASKS["value"],
                                                      EN.phrases["restored"], ASKS["choice"]]


def test_keep_it_after_a_new_answer_has_nothing_to_bring_back():
    turns = [MOMENT[0], MOMENT[1], cmd(Command.UNDO), say("courage"), cmd(Command.KEEP), *MOMENT[2:],
             say("no")]
    _, voice, journal, _ = run(turns)
    assert journal.by_question()[(1, "value")].transcript == "courage" and len(journal.rows) == 6
    assert EN.phrases["nothing_to_restore"] in voice.said


def test_short_replies_are_expected_at_value_and_authentic_questions_and_yes_no():
    _, _, _, ears = run([*MOMENT, say("no")])
    kinds = [q.kind.value for q in EN.script("compass").questions]
    assert ears.short_replies == [k in ("value", "authentic") for k in kinds] + [True]


def test_forget_with_nothing_kept_says_so():
    _, voice, journal, _ = run([cmd(Command.FORGET), cmd(Command.STOP)])
    assert voice.said[2] == EN.phrases["nothing_to_undo"] and not journal.rows
