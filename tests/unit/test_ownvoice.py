"""Quotes in the person's own voice: which span is cut, how (word boundaries, fades, loudness),
when the device speaks instead (no audio, expired, edited words), the summary talk and WAV, the
stored word timings, `assistant play`, and 'what do you keep?'."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest
from unit_helpers import RecordingVoice, make_answer, one_line

from assistant.cli import main
from assistant.conversation.dialogue import Heard, Word
from assistant.conversation.ownvoice import (
    Clip,
    cut,
    match_level,
    quote_span,
    recordings,
    speech_level,
)
from assistant.conversation.session import timed_words
from assistant.conversation.weekly import WeeklyTalk, compose_stored
from assistant.journal.tinyjournal import TinyJournal
from assistant.service.device import keep_text
from assistant.wav import RATE

TRANSCRIPT = "today i told my manager the plan was not realistic"
WORDS = [[w, 0.5 + 0.4 * n, 0.8 + 0.4 * n] for n, w in enumerate(TRANSCRIPT.split())]  # 0.1 s gaps


def tone(seconds: float, amplitude: float, hz: float = 220.0) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.round(amplitude * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()


def test_the_span_runs_from_the_first_to_the_last_quoted_word_with_a_little_room():
    start, end = quote_span(WORDS, TRANSCRIPT)
    assert start == pytest.approx(0.42) and end == pytest.approx(WORDS[-1][2] + 0.08)


def test_a_cut_quote_ends_between_its_last_word_and_the_next():
    long = " ".join([TRANSCRIPT] * 3)  # 30 words: the quote is its first 25, then "…"
    words = [[w, 0.5 + 0.4 * n, 0.8 + 0.4 * n] for n, w in enumerate(long.split())]
    start, end = quote_span(words, long)
    assert end == pytest.approx((words[24][2] + words[25][1]) / 2)  # never into word 26


@pytest.mark.parametrize("words", [None, [], WORDS[:3], [["yesterday", 0.5, 0.8], *WORDS[1:]]])
def test_no_span_without_timings_that_match_the_transcript(words):
    assert quote_span(words, TRANSCRIPT) is None


def test_the_cut_fades_in_and_out_so_it_does_not_click():
    clip = np.frombuffer(cut(tone(2.0, 20000), 0.5, 1.5), dtype="<i2")
    assert clip.size == RATE
    assert abs(int(clip[0])) < 200 and abs(int(clip[-1])) < 2000
    assert np.abs(clip[RATE // 2 - 200:RATE // 2 + 200]).max() > 19000


def test_a_quiet_recording_is_lifted_to_the_level_of_the_voice_without_clipping():
    voice, quiet = tone(1.0, 8000), tone(1.0, 1000) + bytes(RATE)  # a second of silence after it
    matched = match_level(quiet, voice)
    assert speech_level(matched) == pytest.approx(speech_level(voice), rel=0.02)
    loud = match_level(tone(1.0, 6000), tone(1.0, 30000))
    assert np.abs(np.frombuffer(loud, dtype="<i2")).max() <= 32000


def test_a_whisper_is_lifted_at_most_24_db():
    matched = match_level(tone(1.0, 50), tone(1.0, 20000))
    assert speech_level(matched) == pytest.approx(speech_level(tone(1.0, 50)) * 10 ** (24 / 20), rel=0.02)


def test_word_timings_are_kept_with_the_audio_only():
    words = (Word("today", 0.9, 0.3, 0.5), Word("i", 0.9, 0.1, 0.85))
    assert timed_words(Heard(text="today i", words=words, audio=b"\0\0")) == [["today", 0.5, 0.8],
                                                                               ["i", 0.85, 0.95]]
    assert timed_words(Heard(text="today i", words=words)) is None


def kept_week(tmp_path, audio_days_ago: float = 1, keep: bool = True, words=WORDS):
    """A journal with one moment whose situation answer has its recording; returns (journal, now)."""
    now = datetime.now().astimezone().replace(microsecond=0)
    at = (now - timedelta(days=audio_days_ago)).isoformat()
    journal = TinyJournal(tmp_path / "data")
    audio = tone(0.5, 30) + tone(WORDS[-1][2] - 0.5 + 0.6, 9000, 330)  # "speech" from 0.5 s on
    journal.add(make_answer(transcript=TRANSCRIPT, started_at=at, ended_at=at, words=words),
                audio if keep else None)
    journal.add(make_answer(question_id="value", transcript="courage", value="courage",
                            started_at=at, ended_at=at))
    return journal, now


def test_the_stored_summary_names_the_line_and_answer_of_each_quote(tmp_path, en):
    journal, now = kept_week(tmp_path)
    stored = compose_stored(journal, en, *now.isocalendar()[:2], now)
    [[line, answer_id]] = stored.quotes
    assert TRANSCRIPT in stored.lines[line].lower()
    assert journal.summary(*now.isocalendar()[:2]).quotes == stored.quotes
    assert answer_id == journal.answers()[0].id


def test_a_kept_quote_is_its_recording_and_an_expired_one_is_not(tmp_path, en):
    journal, now = kept_week(tmp_path, audio_days_ago=1)
    stored = compose_stored(journal, en, *now.isocalendar()[:2], now)
    [[line, _]] = stored.quotes
    found = recordings(journal, tmp_path / "data", stored.quotes, 30, now)
    assert list(found) == [line]
    assert len(found[line].pcm()) == pytest.approx(2 * RATE * (WORDS[-1][2] + 0.08 - 0.42), abs=4)
    assert recordings(journal, tmp_path / "data", stored.quotes, 30, now + timedelta(days=30)) == {}


def test_without_kept_audio_or_with_other_words_the_device_says_the_quote(tmp_path, en):
    journal, now = kept_week(tmp_path / "a", keep=False)
    stored = compose_stored(journal, en, *now.isocalendar()[:2], now)
    assert recordings(journal, tmp_path / "a" / "data", stored.quotes, 30, now) == {}
    edited = [["yesterday", 0.5, 0.8], *WORDS[1:]]
    journal, now = kept_week(tmp_path / "b", words=edited)
    stored = compose_stored(journal, en, *now.isocalendar()[:2], now)
    assert recordings(journal, tmp_path / "b" / "data", stored.quotes, 30, now) == {}


class StoredClip:
    def __init__(self, pcm):
        self._pcm = pcm

    def pcm(self):
        return self._pcm


class PlayingVoice(RecordingVoice):
    def __init__(self):
        super().__init__()
        self.played: list[tuple[int, str]] = []

    def play_recording(self, pcm, text):
        self.played.append((len(pcm), text))


def test_the_talk_plays_the_recording_in_place_of_the_quote_and_renders_nothing_for_it(en):
    lines = ["Opening.", en.summary["quotes"], "\"Words\"", "Closing."]
    voice = PlayingVoice()
    WeeklyTalk(en, lines, voice, None, recordings={2: StoredClip(b"\1\0" * 80)}).run()
    assert voice.played == [(160, "\"Words\"")]
    assert voice.said == ["Opening.", en.summary["quotes"], "Closing.", en.summary["goodbye"]]
    assert "\"Words\"" not in voice.prepared


def test_a_voice_that_cannot_play_recordings_says_the_quote(en):
    voice = RecordingVoice()
    WeeklyTalk(en, ["\"Words\""], voice, None, recordings={0: StoredClip(b"\1\0")}).run()
    assert voice.said == ["\"Words\"", en.summary["goodbye"]]


def test_a_recording_deleted_since_the_summary_was_composed_is_said_by_the_device(tmp_path, en):
    voice = PlayingVoice()
    WeeklyTalk(en, ["\"Words\""], voice, None, recordings={0: Clip(tmp_path / "gone.wav", 0, 1)}).run()
    assert voice.played == [] and voice.said == ["\"Words\"", en.summary["goodbye"]]


def test_play_without_kept_audio_says_why_in_one_line(tmp_path, capsys):
    journal, _ = kept_week(tmp_path, keep=False)
    answer_id = journal.answers()[0].id
    assert main(["play", str(answer_id), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.strip()
    assert one_line(err) and "no audio is kept" in err and "30 days" in err


@pytest.mark.parametrize("args, says", [(["12x"], "is not an answer id"), (["1"], "there is no answer 1"),
                                         (["--session", "nope"], "there is no session nope")])
def test_play_of_something_unknown_says_so_in_one_line(tmp_path, capsys, args, says):
    kept_week(tmp_path)
    assert main(["play", *args, "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.strip()
    assert one_line(err) and says in err


def test_what_do_you_keep_mentions_kept_recordings(tmp_path, en):
    journal, _ = kept_week(tmp_path)
    answers = journal.answers()
    text = keep_text(en, answers, 30)
    assert en.wake.texts["keep_audio"].format(answers="1 answer", days="30 days") in text
    without = keep_text(en, [replace(a, audio_file=None) for a in answers], 30)
    assert "recording" not in without and without.startswith("I keep 2 answers")


class FixedRenderer:
    rate = 16000

    def __init__(self, pcm):
        self.pcm = pcm

    def prepare(self, texts):
        pass

    def render(self, text):
        return self.pcm

    def pieces(self, text):
        from concurrent.futures import Future

        done: Future[bytes] = Future()
        done.set_result(self.pcm)
        return [done]


class TapeSpeaker:
    def __init__(self):
        self.tape: list[bytes] = []

    def play(self, pcm, rate=16000):
        self.tape.append(pcm)


def test_the_spoken_voice_plays_a_recording_as_loud_as_the_line_before_it():
    from assistant.speech.voice import SpokenVoice

    speaker = TapeSpeaker()
    voice = SpokenVoice(FixedRenderer(tone(1.0, 12000)), speaker)
    voice.say("In your own words:")
    voice.play_recording(tone(1.0, 1500), "\"words\"")
    assert speech_level(speaker.tape[1]) == pytest.approx(speech_level(speaker.tape[0]), rel=0.02)
