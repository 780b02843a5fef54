"""The service's dialogue (device.py) with fake parts: the good-moment question, waking and what
to do then, the day's earlier notes, "what do you keep?", and what becomes of failing parts."""

from __future__ import annotations

import pytest
from unit_helpers import RecordingVoice, ScriptedEars, make_answer

from assistant.clock import local_now
from assistant.config import load_config
from assistant.conversation.dialogue import Command, Heard
from assistant.errors import UserError
from assistant.journal.tinyjournal import TinyJournal
from assistant.names import Activity, ScriptName
from assistant.packs import load_pack
from assistant.service.device import DeviceActivities

STOP = Heard(command=Command.STOP)
EN = load_pack("en")


class FakeWatcher:
    def __init__(self, wakes):
        self.wakes = list(wakes)

    def watch(self, seconds, stop):
        woke = self.wakes.pop(0)
        if isinstance(woke, Exception):
            raise woke
        return woke


class FakeParts:
    """The Parts a conversation talks through; what was done to them is in `events`."""

    def __init__(self, turns=(), actions=(), wakes=()):
        self.listener, self.actions = ScriptedEars(turns), ScriptedEars(actions)
        self.voice = RecordingVoice()
        self.watcher = FakeWatcher(wakes)
        self.events: list[str] = []

    def resume(self):
        self.events.append("resume")

    def interrupt(self):
        self.events.append("interrupt")

    def close(self):
        self.events.append("close")


class Opener:
    """Hands out the given parts, one set per opening; a UserError given is raised instead."""

    def __init__(self, *parts):
        self.parts, self.opened = list(parts), []

    def __call__(self):
        given = self.parts.pop(0)
        if isinstance(given, Exception):
            raise given
        self.opened.append(given)
        return given


class Failing:
    def listen(self, short_reply=False):
        raise UserError("no usable microphone (the default device: unplugged)")


@pytest.fixture
def journal(tmp_path):
    return TinyJournal(tmp_path / "data")


def activities(tmp_path, journal, *parts, started=lambda: None):
    """The service's activities in English over the given parts, and what opened them."""
    opener = Opener(*parts)
    config = load_config(data_dir=tmp_path / "data")
    return DeviceActivities(config, EN, opener, journal, started=started), opener


def today(hour: int) -> str:
    return local_now().replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def spoken(text: str) -> Heard:
    """An answer as the listener hears it, at a time the journal can file."""
    return Heard(text=text, started_at=local_now().isoformat(), ended_at=local_now().isoformat())


def noted(journal, session: str, value: str | None, transcript: str, note: str | None) -> None:
    """One daytime prompt of today: its value answer and, when given, its note."""
    journal.add(make_answer(session_id=session, script="prompt", question_id="value", value=value,
                            transcript=transcript, started_at=today(9), ended_at=today(9)))
    if note is not None:
        journal.add(make_answer(session_id=session, script="prompt", question_id="note",
                                transcript=note, started_at=today(9), ended_at=today(9)))


# the good-moment question

@pytest.mark.parametrize("heard, reply", [
    (Heard(text="yes"), "yes"), (Heard(text="no"), "no"), (Heard(command=Command.LATER), "later"),
    (STOP, "no"), (Heard(command=Command.SKIP), "no"), (Heard(), None), (Heard(text="banana"), None)])
def test_the_good_moment_question_hears_yes_no_later_or_nothing_clear(tmp_path, journal, en, heard, reply):
    parts = FakeParts([heard])
    device, _ = activities(tmp_path, journal, parts)
    assert device.good_moment(Activity.REFLECT) == reply
    assert parts.voice.said == [en.phrases["good_moment"]]
    assert parts.listener.short_replies == [True]


def test_repeat_at_the_good_moment_question_asks_it_again(tmp_path, journal, en):
    parts = FakeParts([Heard(command=Command.REPEAT), Heard(text="yes")])
    device, _ = activities(tmp_path, journal, parts)
    assert device.good_moment(Activity.REFLECT) == "yes"
    assert parts.voice.said == [en.phrases["good_moment"]] * 2


def test_the_summary_has_its_own_good_moment_question(tmp_path, journal, en):
    parts = FakeParts([Heard(text="yes")])
    device, _ = activities(tmp_path, journal, parts)
    assert device.good_moment(Activity.SUMMARY) == "yes"
    assert parts.voice.said == [en.phrases["good_moment_summary"]]


def test_a_failing_microphone_drops_the_parts_and_the_next_question_opens_them_afresh(tmp_path, journal):
    broken, fresh = FakeParts(), FakeParts([Heard(text="yes")])
    broken.listener = Failing()
    device, opener = activities(tmp_path, journal, broken, fresh)
    with pytest.raises(UserError, match="no usable microphone"):
        device.good_moment(Activity.REFLECT)
    assert broken.events == ["resume", "close"]
    assert device.good_moment(Activity.REFLECT) == "yes" and opener.opened == [broken, fresh]


def test_parts_that_cannot_be_opened_are_the_error_and_are_tried_again_next_time(tmp_path, journal):
    device, opener = activities(tmp_path, journal, UserError("no usable speaker"), FakeParts([STOP]))
    with pytest.raises(UserError, match="no usable speaker"):
        device.good_moment(Activity.REFLECT)
    assert device.good_moment(Activity.REFLECT) == "no" and len(opener.opened) == 1


def test_the_parts_are_opened_once_and_resumed_for_every_conversation(tmp_path, journal):
    parts = FakeParts([Heard(text="yes"), STOP])
    device, opener = activities(tmp_path, journal, parts)
    device.good_moment(Activity.REFLECT)
    device.run(Activity.REFLECT)
    assert opener.opened == [parts] and parts.events == ["resume", "resume"]
    device.close()
    assert parts.events[-1] == "close"


# a conversation

def test_started_is_said_once_the_parts_are_open_before_the_first_word(tmp_path, journal):
    parts, seen = FakeParts([STOP]), []
    device, _ = activities(tmp_path, journal, parts, started=lambda: seen.append(list(parts.voice.said)))
    device.run(Activity.REFLECT)
    assert seen == [[]] and parts.voice.said


def test_a_reflection_asks_the_default_script_and_keeps_the_answer(tmp_path, journal, en):
    parts = FakeParts([spoken("I helped a colleague"), STOP])
    device, _ = activities(tmp_path, journal, parts)
    assert device.run(Activity.REFLECT) is None
    compass = en.script("compass")
    assert compass.questions[0].ask in parts.voice.said
    assert [a.transcript for a in journal.answers()] == ["I helped a colleague"]


def test_later_during_a_reflection_is_the_service_s_later(tmp_path, journal):
    device, _ = activities(tmp_path, journal, FakeParts([Heard(command=Command.LATER)]))
    assert device.run(Activity.REFLECT) == "later"


def test_a_daytime_prompt_asks_one_moment_of_the_prompt_script(tmp_path, journal, en):
    parts = FakeParts([spoken("courage"), spoken("before the meeting")])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.PROMPT)
    said = parts.voice.said
    assert said[0] == en.script("prompt").greeting and en.phrases["another_moment"] not in said
    assert [(a.question_id, a.value) for a in journal.answers()] == [("value", "courage"),
                                                                         ("note", None)]


def test_interrupting_hushes_the_parts_and_the_session_asks_no_more(tmp_path, journal, en):
    device = None

    class InterruptedWhileAnswering(ScriptedEars):
        def listen(self, short_reply=False):
            device.interrupt()
            return super().listen(short_reply)

    parts = FakeParts()
    parts.listener = InterruptedWhileAnswering([spoken("I helped a colleague")])
    device, _ = activities(tmp_path, journal, parts)
    device.interrupt()  # nothing open yet: nothing to hush
    device.run(Activity.REFLECT)
    assert "interrupt" in parts.events
    assert parts.voice.said[-1] == en.script("compass").questions[0].ask  # no question, no closing after
    assert [a.transcript for a in journal.answers()] == ["I helped a colleague"]


# the day's earlier notes

def test_a_reflection_opens_with_the_notes_of_today_s_prompts(tmp_path, journal, en):
    noted(journal, "20260101-090000-aaaa", "courage", "courage", "before the meeting")
    noted(journal, "20260101-120000-bbbb", None, "bravado", None)
    parts = FakeParts([STOP])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.REFLECT)
    notes = en.phrases["earlier_notes"].format(notes="courage, before the meeting; bravado")
    assert parts.voice.said[1] == notes


def test_without_prompts_today_there_are_no_earlier_notes(tmp_path, journal, en):
    journal.add(make_answer(script="prompt", question_id="value", value="courage"))  # another day
    parts = FakeParts([STOP])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.REFLECT)
    assert not any(line.startswith("Earlier today") for line in parts.voice.said)


@pytest.mark.parametrize("kind, script", [(Activity.PROMPT, ""), (Activity.REFLECT, ScriptName.DILEMMA)])
def test_a_prompt_and_a_shared_dilemma_never_say_the_earlier_notes(tmp_path, journal, kind, script):
    noted(journal, "20260101-090000-aaaa", "courage", "courage", "before the meeting")
    parts = FakeParts([STOP])
    device, _ = activities(tmp_path, journal, parts)
    device.run(kind, script)
    assert not any("before the meeting" in line for line in parts.voice.said)


# waking, and what to do then

def test_watching_for_the_wake_phrase_goes_through_the_watcher(tmp_path, journal):
    parts = FakeParts(wakes=[False, True])
    device, opener = activities(tmp_path, journal, parts)
    assert device.watch(1.0, lambda: False) is False
    assert device.watch(1.0, lambda: False) is True
    assert opener.opened == [parts]


def test_a_watcher_losing_its_microphone_drops_the_parts(tmp_path, journal):
    parts, fresh = FakeParts(wakes=[UserError("no usable microphone")]), FakeParts(wakes=[True])
    device, _ = activities(tmp_path, journal, parts, fresh)
    with pytest.raises(UserError):
        device.watch(1.0, lambda: False)
    assert parts.events[-1] == "close" and device.watch(1.0, lambda: False) is True


def test_woken_the_device_asks_what_to_do_and_runs_the_named_script(tmp_path, journal, en):
    parts = FakeParts([STOP], actions=[Heard(text="small resistance")])
    device, _ = activities(tmp_path, journal, parts)
    assert device.run(Activity.WAKE) is None
    said = parts.voice.said
    assert said[0] == en.wake.texts["reply"] and said[1] == en.script("verzet").greeting
    assert parts.actions.short_replies == [True]


def test_woken_and_asked_for_a_value_it_runs_a_daytime_prompt(tmp_path, journal, en):
    parts = FakeParts([STOP], actions=[Heard(text="a value")])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.WAKE)
    assert parts.voice.said[1] == en.script("prompt").greeting


def test_woken_and_asked_for_a_value_it_asks_one_moment_like_the_scheduled_prompt(tmp_path, journal, en):
    """"prompt" is both a kind and a script: the kind wins, so no second moment is offered."""
    parts = FakeParts([spoken("courage"), spoken("I spoke up")], actions=[Heard(text="a value")])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.WAKE)
    assert [a.question_id for a in journal.answers()] == ["value", "note"]
    assert en.phrases["another_moment"] not in parts.voice.said


def test_woken_and_asked_for_the_summary_it_says_this_week_s_summary(tmp_path, journal, en):
    parts = FakeParts([STOP], actions=[Heard(text="my week")])
    device, _ = activities(tmp_path, journal, parts)
    device.run(Activity.WAKE)
    assert len(parts.voice.said) > 1 and parts.voice.said[0] == en.wake.texts["reply"]
    assert journal.last_summary() is not None  # composed and stored before it is said


def test_woken_and_asked_what_is_kept_it_says_so_and_nothing_else(tmp_path, journal, en):
    journal.add(make_answer())
    journal.add(make_answer(question_id="value", audio_file="audio/one.wav"))
    parts = FakeParts(actions=[Heard(text="what do you keep")])
    device, _ = activities(tmp_path, journal, parts)
    assert device.run(Activity.WAKE) is None
    keep = en.wake.texts["keep_reply"].format(answers="2 answers", days="1 day")
    audio = en.wake.texts["keep_audio"].format(answers="1 answer", days="30 days")
    assert parts.voice.said == [en.wake.texts["reply"], f"{keep} {audio}"]


def test_woken_and_not_understood_it_says_how_to_try_again(tmp_path, journal, en):
    parts = FakeParts(actions=[Heard(text="pizza tonight")])
    device, _ = activities(tmp_path, journal, parts)
    assert device.run(Activity.WAKE) is None
    assert parts.voice.said == [en.wake.texts["reply"], en.wake.texts["unclear"]]


def test_woken_and_told_stop_it_says_nothing_more(tmp_path, journal, en):
    parts = FakeParts(actions=[STOP])
    device, _ = activities(tmp_path, journal, parts)
    assert device.run(Activity.WAKE) is None
    assert parts.voice.said == [en.wake.texts["reply"]]
