"""Audio at the edges: WAV files in any common shape become 16 kHz mono; replay per answer."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from assistant.errors import InputExhausted, UserError
from assistant.speech.audio import CHUNK_FRAMES, WavMicrophone
from assistant.wav import read_wav, resample, write_wav


def tone(rate: int, seconds: float, hz: float = 440.0, channels: int = 1) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    mono = (np.sin(2 * np.pi * hz * t) * 10000).astype("<i2")
    return np.repeat(mono, channels).tobytes()


def write(path, pcm: bytes, rate: int, channels: int = 1, width: int = 2):
    with wave.open(str(path), "wb") as file:
        file.setnchannels(channels)
        file.setsampwidth(width)
        file.setframerate(rate)
        file.writeframes(pcm)
    return path


def main_frequency(pcm: bytes, rate: int = 16000) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def test_stereo_22050_wav_becomes_16k_mono_of_the_same_length_and_pitch(tmp_path):
    path = write(tmp_path / "a.wav", tone(22050, 2.0, channels=2), 22050, channels=2)
    pcm = read_wav(path)
    assert len(pcm) == pytest.approx(2.0 * 16000 * 2, abs=64)
    assert main_frequency(pcm) == pytest.approx(440, abs=2)


def test_48k_resampled_to_16k_keeps_pitch_and_removes_content_above_8k(tmp_path):
    high = tone(48000, 1.0, hz=12000)  # would fold back to 4 kHz without anti-aliasing
    low = resample(tone(48000, 1.0, hz=1000), 48000, 16000)
    assert main_frequency(low) == pytest.approx(1000, abs=2)
    folded = np.frombuffer(resample(high, 48000, 16000), dtype="<i2").astype(float)
    assert np.sqrt(np.mean(folded ** 2)) < 200  # the 10000-amplitude tone is filtered out


def test_resample_to_the_same_rate_returns_the_audio_unchanged():
    pcm = tone(16000, 0.5)
    assert resample(pcm, 16000, 16000) is pcm


def test_8_bit_wav_is_one_line_with_the_conversion_command(tmp_path):
    path = write(tmp_path / "a.wav", bytes(800), 8000, width=1)
    with pytest.raises(UserError) as error:
        read_wav(path)
    assert "8-bit" in str(error.value) and "sox" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("content", [None, b"not a wav at all"])
def test_missing_or_broken_wav_is_one_line_naming_the_file(tmp_path, content):
    path = tmp_path / "answer.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as error:
        read_wav(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_wav_microphone_plays_each_file_for_one_turn_then_silence_then_runs_out(tmp_path):
    first, second = tmp_path / "1.wav", tmp_path / "2.wav"
    write_wav(first, tone(16000, 0.25))
    write_wav(second, tone(16000, 0.1))
    microphone = WavMicrophone([first, second])
    with microphone.stream() as chunks:
        turn = [next(chunks) for _ in range(5)]
    assert [len(c) for c in turn] == [CHUNK_FRAMES * 2, CHUNK_FRAMES * 2, CHUNK_FRAMES, CHUNK_FRAMES * 2,
                                      CHUNK_FRAMES * 2]
    assert turn[0] == tone(16000, 0.25)[:CHUNK_FRAMES * 2] and turn[3] == bytes(CHUNK_FRAMES * 2)
    with microphone.stream() as chunks:
        assert next(chunks) == tone(16000, 0.1)
    with pytest.raises(InputExhausted):
        with microphone.stream():
            pass
