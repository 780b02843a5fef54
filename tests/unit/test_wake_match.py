"""The wake phrase takes: features, their matching, their file, and recording them (no Vosk)."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import stat
from contextlib import contextmanager

import numpy as np
import pytest

from assistant.config import load_config
from assistant.errors import UserError
from assistant.packs import load_pack
from assistant.speech import wake_match
from assistant.speech.enroll import TAKES, enroll, record_take
from assistant.speech.wake_match import (
    CONFIRM_DISTANCE,
    MATCH_DISTANCE,
    distance,
    features,
    load_takes,
    save_takes,
)
from assistant.wav import RATE


def vowels(formants: list[tuple[float, float]], seconds: float = 0.2, pitch: float = 120.0) -> bytes:
    """A voiced buzz through a run of two-formant 'vowels': speech-shaped, each vowel its colour."""
    parts = []
    for first, second in formants:
        t = np.arange(int(seconds * RATE)) / RATE
        harmonics = np.arange(1, 40) * pitch
        gains = np.exp(-((harmonics - first) / 150) ** 2) + 0.6 * np.exp(-((harmonics - second) / 200) ** 2)
        parts.append((gains[:, None] * np.sin(2 * np.pi * harmonics[:, None] * t)).sum(axis=0))
    samples = np.concatenate(parts)
    samples *= 8000 / np.abs(samples).max()
    return samples.astype("<i2").tobytes()


PHRASE = [(700, 1200), (300, 2300), (500, 1000), (400, 2000)]   # four vowels
OTHER = [(300, 800), (650, 1700), (300, 2300), (550, 900)]


def slower(factor: float) -> bytes:
    """The phrase said `factor` times as slowly: each vowel longer, same colours, same pitch."""
    return vowels(PHRASE, seconds=0.2 * factor)


def quiet(seconds: float, seed: int = 1) -> bytes:
    return np.random.default_rng(seed).normal(0, 20, int(seconds * RATE)).astype("<i2").tobytes()


def test_the_same_phrase_matches_said_slower_or_faster_and_amid_other_sound():
    take = features(vowels(PHRASE))
    assert distance(take, features(vowels(PHRASE))) < 0.01
    assert distance(take, features(slower(1.6))) < MATCH_DISTANCE
    assert distance(take, features(slower(0.7))) < MATCH_DISTANCE
    amid = vowels(OTHER[:2]) + vowels(PHRASE) + vowels(OTHER[2:])  # found anywhere in what was heard
    assert distance(take, features(amid)) < MATCH_DISTANCE


def test_other_sounds_and_the_same_vowels_in_another_order_do_not_match():
    take = features(vowels(PHRASE))
    assert distance(take, features(vowels(OTHER))) > CONFIRM_DISTANCE
    assert distance(take, features(vowels(PHRASE[::-1]))) > CONFIRM_DISTANCE


def test_louder_or_softer_is_the_same_phrase():
    loud = features(vowels(PHRASE))
    soft = np.frombuffer(vowels(PHRASE), dtype="<i2") // 8
    assert distance(loud, features(soft.astype("<i2").tobytes())) < 0.05


def test_what_is_far_shorter_than_the_take_is_no_match():
    assert distance(features(vowels(PHRASE)), features(vowels(PHRASE[:1], seconds=0.15))) == float("inf")


def test_takes_are_kept_privately_and_read_back(tmp_path):
    path = tmp_path / "wake_takes.json"
    takes = [features(vowels(PHRASE)), features(slower(1.2))]
    save_takes(path, "compass", takes)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_takes(path, "compass")
    assert loaded is not None and len(loaded.takes) == 2
    assert loaded.closest(vowels(PHRASE)) < 0.01


def test_no_takes_is_none_and_a_damaged_file_or_another_phrase_is_one_line(tmp_path):
    path = tmp_path / "wake_takes.json"
    assert load_takes(path, "compass") is None
    save_takes(path, "kompas", [features(vowels(PHRASE))])
    with pytest.raises(UserError, match="of another phrase, not 'compass'; run `assistant wake enroll`"):
        load_takes(path, "compass")
    for damaged in ("{", json.dumps({"format": 1, "phrase": "compass", "takes": [[1, 2]]}),
                    json.dumps({"format": 9, "phrase": "compass", "takes": []}), json.dumps([1])):
        path.write_text(damaged, encoding="utf-8")
        with pytest.raises(UserError, match="run `assistant wake enroll` again") as raised:
            load_takes(path, "compass")
        assert "\n" not in str(raised.value)


def test_a_card_that_refuses_the_takes_is_one_line_and_the_old_takes_stay(tmp_path, monkeypatch):
    path = tmp_path / "wake_takes.json"
    save_takes(path, "compass", [features(vowels(PHRASE))])
    before = path.read_bytes()

    def full(target, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(wake_match, "write_private", full)
    with pytest.raises(UserError, match="cannot keep the wake phrase takes in .*No space left on device"
                                        r"\); free some space"):
        save_takes(path, "compass", [features(vowels(OTHER))])
    assert path.read_bytes() == before


class Takes:
    """A microphone that hands out one recording per stream(), in 0.1 s chunks, then quiet."""

    def __init__(self, recordings: list[bytes]):
        self._recordings = list(recordings)

    @contextmanager
    def stream(self):
        pcm = self._recordings.pop(0)

        def chunks():
            for start in range(0, len(pcm), 3200):
                yield pcm[start:start + 3200]
            while True:
                yield quiet(0.1, 2)
        yield chunks()

    def close(self) -> None:
        pass


class Said:
    def __init__(self):
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        self.lines.append(text)

    def prepare(self, texts) -> None:
        pass


@pytest.fixture
def listen(tmp_path):
    config = load_config(data_dir=tmp_path).listen
    return dataclasses.replace(config, detector="energy")  # the tones are not speech to Silero


def test_a_take_runs_from_just_before_the_first_sound_to_just_after_the_last(listen):
    said = vowels(PHRASE)
    take = record_take(Takes([quiet(1.0) + said + quiet(1.5)]), listen)
    assert take is not None
    assert len(said) <= len(take) <= len(said) + 2 * 3200 + 3200  # a chunk either side, at most
    assert distance(features(said), features(take)) < 0.05


def test_silence_or_speech_longer_than_a_wake_phrase_is_no_take(listen):
    assert record_take(Takes([quiet(1.0)]), listen) is None
    assert record_take(Takes([quiet(0.5) + vowels(PHRASE * 5) + quiet(1.0)]), listen) is None  # 4 s


def test_enroll_asks_for_each_take_and_again_after_silence(listen):
    pack = load_pack("en")
    voice = Said()
    mic = Takes([quiet(0.5) + vowels(PHRASE) + quiet(1.0), quiet(1.0),
                 quiet(0.5) + vowels(PHRASE) + quiet(1.0), quiet(0.5) + slower(1.2) + quiet(1.0)])
    takes = enroll(mic, voice, pack, listen)
    assert len(takes) == TAKES
    said = [pack.wake.texts[key].format(phrase="compass")
            for key in ("enroll", "enroll_again", "enroll_unheard", "enroll_again", "enroll_done")]
    assert voice.lines == said


def test_enroll_gives_up_with_one_line_when_nothing_is_heard(listen):
    voice = Said()
    with pytest.raises(UserError, match="no clear take of the wake phrase was heard"):
        enroll(Takes([quiet(1.0)] * 5), voice, load_pack("en"), listen)
    assert len(voice.lines) == 1 + 3  # the request, then asked again three times
