"""The one turn-taking core: what repeat, help, silence and commands mean at every question."""

from __future__ import annotations

import pytest

from assistant.conversation.asking import Outcome, as_text, ask, ask_yes_no, nothing_to_take_back
from assistant.conversation.dialogue import Command, Heard
from assistant.errors import InputExhausted
from tests.unit.unit_helpers import RecordingVoice, ScriptedEars

SILENCE = Heard()


def said(text: str) -> Heard:
    return Heard(text=text)


def command(which: Command) -> Heard:
    return Heard(command=which)


def test_an_answer_comes_back_with_the_question_as_asked():
    voice = RecordingVoice()
    reply = ask(voice, ScriptedEars([said("a walk")]), "What happened?", understand=as_text)
    assert (reply.outcome, reply.meaning, reply.asked) == (Outcome.ANSWERED, "a walk", "What happened?")
    assert voice.said == ["What happened?"]


def test_silence_gets_the_reask_which_becomes_the_question_asked():
    voice = RecordingVoice()
    reply = ask(voice, ScriptedEars([SILENCE, said("a walk")]), "Q?", reask="Take your time. Q?", understand=as_text)
    assert voice.said == ["Q?", "Take your time. Q?"]
    assert reply.asked == "Take your time. Q?"


def test_silence_twice_gives_up():
    reply = ask(RecordingVoice(), ScriptedEars([SILENCE, SILENCE]), "Q?", understand=as_text)
    assert reply.outcome is Outcome.GAVE_UP
    assert reply.command is None


def test_one_try_gives_up_at_the_first_silence():
    assert ask(RecordingVoice(), ScriptedEars([SILENCE]), "Q?", tries=1, understand=as_text).outcome is Outcome.GAVE_UP


def test_repeat_says_the_question_again_as_last_asked_and_costs_no_try():
    voice = RecordingVoice()
    ears = ScriptedEars([SILENCE, command(Command.REPEAT), said("yes")])
    reply = ask(voice, ears, "Q?", reask="Again: Q?", understand=as_text)
    assert voice.said == ["Q?", "Again: Q?", "Again: Q?"]
    assert reply.outcome is Outcome.ANSWERED


def test_help_says_the_help_but_the_question_asked_stays_the_question():
    voice = RecordingVoice()
    reply = ask(voice, ScriptedEars([command(Command.HELP), said("x")]), "Q?", help="It means...", understand=as_text)
    assert voice.said == ["Q?", "It means..."]
    assert reply.asked == "Q?"


def test_help_without_a_help_text_asks_again():
    voice = RecordingVoice()
    ask(voice, ScriptedEars([command(Command.HELP), said("x")]), "Q?", understand=as_text)
    assert voice.said == ["Q?", "Q?"]


@pytest.mark.parametrize("which", [Command.SKIP, Command.STOP, Command.LATER, Command.UNDO])
def test_other_commands_go_back_to_the_conversation(which):
    reply = ask(RecordingVoice(), ScriptedEars([command(which)]), "Q?", understand=as_text)
    assert (reply.outcome, reply.command) == (Outcome.COMMAND, which)


def test_a_command_carried_out_in_place_asks_again():
    done = []

    def keeps_asking(which):
        done.append(which)
        return which is Command.FORGET

    voice = RecordingVoice()
    reply = ask(voice, ScriptedEars([command(Command.FORGET), command(Command.STOP)]), "Q?",
                keeps_asking=keeps_asking, understand=as_text)
    assert done == [Command.FORGET, Command.STOP]
    assert reply.command is Command.STOP
    assert voice.said == ["Q?", "Q?"]


def test_words_not_understood_count_as_a_miss():
    reply = ask(RecordingVoice(), ScriptedEars([said("hmm"), said("mm")]), "Q?",
                understand=lambda text: None)
    assert reply.outcome is Outcome.GAVE_UP


def test_yes_no_gives_true_or_false(en):
    assert ask_yes_no(RecordingVoice(), ScriptedEars([said("yes")]), en, "Q?").meaning is True
    assert ask_yes_no(RecordingVoice(), ScriptedEars([said("no")]), en, "Q?").meaning is False
    unclear = ask_yes_no(RecordingVoice(), ScriptedEars([said("banana")]), en, "Q?")
    assert (unclear.outcome, unclear.meaning) == (Outcome.GAVE_UP, None)


def test_input_that_runs_out_ends_the_conversation():
    with pytest.raises(InputExhausted):
        ask(RecordingVoice(), ScriptedEars([]), "Q?", understand=as_text)


def test_with_nothing_kept_undo_forget_and_keep_say_so_and_ask_again(en):
    voice = RecordingVoice()
    ears = ScriptedEars([command(Command.UNDO), command(Command.FORGET), command(Command.KEEP),
                         said("x")])
    reply = ask(voice, ears, "Q?", keeps_asking=nothing_to_take_back(voice, en), understand=as_text)
    assert reply.outcome is Outcome.ANSWERED
    assert voice.said == ["Q?", en.phrases["nothing_to_undo"], "Q?", en.phrases["nothing_to_undo"],
                          "Q?", en.phrases["nothing_to_restore"], "Q?"]
