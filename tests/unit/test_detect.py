"""Speech from sound, and the person from the background, over synthetic frames: digital zeros,
pink noise, and speech-shaped bursts (a syllable rhythm) at two levels."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.detect import (EnergyVoiceActivity, Foreground, Sound, SpeechDetector, Timeline,
                              level_dbfs)
from assistant.turns import TurnState, TurnTimer

CHUNK = 1600  # samples: 0.1 s
rng = np.random.default_rng(7)


def pcm(samples: np.ndarray) -> bytes:
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def at_level(samples: np.ndarray, dbfs: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(samples ** 2))) or 1.0
    return samples * (10 ** (dbfs / 20) * 32768 / rms)


def zeros(chunks: int) -> list[bytes]:
    return [bytes(CHUNK * 2)] * chunks


def pink(chunks: int, dbfs: float) -> list[bytes]:
    white = rng.standard_normal(CHUNK * chunks)
    spectrum = np.fft.rfft(white) / np.sqrt(np.arange(1, CHUNK * chunks // 2 + 2))
    noise = at_level(np.fft.irfft(spectrum, CHUNK * chunks), dbfs)
    return [pcm(noise[i * CHUNK:(i + 1) * CHUNK]) for i in range(chunks)]


def talk(chunks: int, dbfs: float) -> list[bytes]:
    """Speech-shaped: a 150 Hz buzz under a 4 Hz syllable envelope, loud syllables and quiet
    ones, so chunk levels spread over ~15 dB like a voice's."""
    t = np.arange(CHUNK * chunks) / 16000
    envelope = 0.15 + 0.85 * np.abs(np.sin(2 * np.pi * 2 * t)) ** 2
    buzz = np.sign(np.sin(2 * np.pi * 150 * t)) * envelope
    voice = at_level(buzz, dbfs)
    return [pcm(voice[i * CHUNK:(i + 1) * CHUNK]) for i in range(chunks)]


class LoudIsVoiced:
    """Stands in for the neural detector: anything louder than -60 dBFS is speech."""

    every_chunk = False

    def __call__(self, chunk: bytes, level: float) -> bool:
        return level > -60


# --- level ---------------------------------------------------------------------------------

def test_level_of_digital_silence_and_of_a_full_scale_square():
    assert level_dbfs(bytes(3200)) == -96.0 and level_dbfs(b"") == -96.0
    assert level_dbfs(pcm(np.full(1600, 32767.0))) == pytest.approx(0.0, abs=0.01)


# --- the energy fallback -------------------------------------------------------------------

def energy(chunks: list[bytes], margin: float = 12.0) -> list[bool]:
    detect = SpeechDetector(EnergyVoiceActivity(margin), min_dbfs=-50, background_margin_db=6)
    return [detect(c).voiced for c in chunks]


def test_energy_digital_zeros_and_steady_pink_noise_are_not_speech():
    assert not any(energy(zeros(30) + pink(50, -44)))  # zeros at stream start say nothing
    assert not any(energy(pink(50, -44)))


def test_energy_hears_a_voice_over_pink_noise():
    heard = energy(pink(30, -44) + talk(20, -20))
    assert not any(heard[:30]) and sum(heard[30:]) >= 15


def test_energy_floor_never_learns_the_persons_quieter_syllables_between_digital_zeros():
    """The fault of issue 10: with zeros between words, the floor used to climb to the voice."""
    detector = EnergyVoiceActivity(12.0)
    detect = SpeechDetector(detector, min_dbfs=-50, background_margin_db=6)
    pattern = (talk(12, -20) + zeros(10)) * 30  # a minute of phrases with zero-filled pauses
    heard = [detect(c).voiced for c in pattern]
    last_phrase = heard[-22:-10]
    assert sum(last_phrase) >= 8  # still heard as speech after a minute
    assert detector.floor == -96.0


def test_energy_floor_follows_a_louder_room_within_seconds_and_a_quieter_one_at_once():
    detector = EnergyVoiceActivity(12.0)
    for chunk in pink(80, -40):
        detector(chunk, level_dbfs(chunk))
    assert detector.floor == pytest.approx(-40, abs=3)
    quiet = zeros(1)[0]
    detector(quiet, level_dbfs(quiet))
    assert detector.floor == -96.0


# --- foreground: the person, not the TV ----------------------------------------------------

def test_sound_well_below_the_persons_level_is_background():
    follow = Foreground(margin_db=6)
    assert all(follow(-20.0, True) for _ in range(10))
    assert follow(-30.0, True) is False  # the TV, 10 dB below
    assert follow(-23.0, True) is True   # the person's quieter syllable


def test_unvoiced_sound_is_never_the_person():
    assert Foreground(margin_db=6)(-10.0, False) is False


def test_a_cough_does_not_make_the_person_louder_at_once():
    follow = Foreground(margin_db=6)
    for _ in range(10):
        follow(-20.0, True)
    for _ in range(2):
        follow(-5.0, True)  # 0.2 s cough
    assert follow(-21.0, True) is True


def test_a_person_who_turns_away_is_followed_down():
    follow = Foreground(margin_db=6)
    for _ in range(10):
        follow(-20.0, True)
    heard = [follow(-27.0, True) for _ in range(40)]  # 7 dB quieter, for 4 s of speech
    assert heard[-1] is True


def test_speech_bursts_at_two_levels_person_keeps_the_turn_tv_does_not():
    """Person at -20 dBFS, then only the TV at -30: the turn ends one pause after the person."""
    detect = SpeechDetector(LoudIsVoiced(), min_dbfs=-50, background_margin_db=6)
    timer = TurnTimer(pause_seconds=2.0, silence_seconds=8.0, cap_seconds=60.0)
    states = [timer.process(0.1, detect(c).person) for c in zeros(5) + talk(30, -20) + talk(60, -30)]
    ended = states.index(TurnState.ANSWERED)
    assert 5 + 30 + 15 <= ended <= 5 + 30 + 21  # within the 2.0 s pause (+ the quiet syllables)


# --- timeline: whose words ------------------------------------------------------------------

def timeline(pattern: str) -> Timeline:
    """'P' person, 'B' background speech, 'u' unvoiced sound, '.' digital silence."""
    line = Timeline(0.1)
    for mark in pattern:
        line.add(Sound(-20.0, mark in "PB", mark == "P"))
    return line


def test_words_in_a_background_only_stretch_are_background():
    line = timeline("..PPPP........BBBB....")
    assert line.is_background(1.4, 1.8) is True
    assert line.is_background(0.2, 0.6) is False


def test_quiet_syllables_inside_the_persons_stretch_are_theirs():
    line = timeline("..BPPBBP..")
    assert line.is_background(0.2, 0.3) is False
    assert line.is_background(0.5, 0.7) is False


def test_a_short_unvoiced_gap_does_not_cut_the_persons_stretch():
    line = timeline("..BuPPP....")
    assert line.is_background(0.2, 0.3) is False


def test_a_word_over_unvoiced_sound_is_kept():
    assert timeline("uuuu").is_background(0.0, 0.4) is False
