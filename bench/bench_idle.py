"""(f) Idle listening for the wake phrase vs a free-form Vosk decode of the same audio.

Five minutes of a room (the faint noise floor of common.py) in which someone talks now and
then (the ~60 s reflective answer, twice: ~40 % talk, no wake phrase), and the same five minutes
with nobody talking. Each is heard by the service's idle path (`WakeWatcher.watch`: speech
detector, and a grammar recognizer only over utterances) and decoded by a bare free-form
`KaldiRecognizer`, fed the same 0.1 s chunks. CPU is `time.process_time()`.
Goal: idle listening <= 10 % of the free-form decode.

Run: python bench/bench_idle.py
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import common
import numpy as np

MINUTES = 5


class OneStream:
    """A microphone handing out one recording in 0.1 s chunks (then silence)."""

    def __init__(self, pcm: bytes):
        self._pcm = pcm

    @contextmanager
    def stream(self):
        def chunks():
            for start in range(0, len(self._pcm), common.CHUNK_BYTES):
                yield self._pcm[start:start + common.CHUNK_BYTES]
            while True:
                yield bytes(common.CHUNK_BYTES)
        yield chunks()


def room(talk: bool) -> bytes:
    seconds = int(MINUTES * 60)
    noise = np.random.default_rng(3).normal(0.0, common.NOISE_RMS, seconds * common.RATE)
    audio = np.clip(np.round(noise), -32768, 32767).astype("<i2")
    if talk:
        answer = np.frombuffer(common.pcm_of(common.long_answer_wav()), dtype="<i2")
        for at in (30, 170):
            start = at * common.RATE
            audio[start:start + answer.size] = answer[: audio.size - start]
    return audio.tobytes()


def idle_cpu(model, pack, config, pcm: bytes) -> float:
    from assistant.speech.wake import WakeWatcher

    watcher = WakeWatcher(model, OneStream(pcm), pack, config.listen)
    start = time.process_time()
    woke = watcher.watch(len(pcm) / (2 * common.RATE), lambda: False)
    spent = time.process_time() - start
    assert not woke, "the talk woke the device"
    return spent


def bare_cpu(model, pcm: bytes) -> float:
    from vosk import KaldiRecognizer

    start = time.process_time()
    recognizer = KaldiRecognizer(model, common.RATE)
    recognizer.SetWords(True)
    for at in range(0, len(pcm), common.CHUNK_BYTES):
        if recognizer.AcceptWaveform(pcm[at:at + common.CHUNK_BYTES]):
            recognizer.Result()
    recognizer.FinalResult()
    del recognizer
    return time.process_time() - start


def main() -> None:
    import argparse
    import tempfile
    from pathlib import Path

    global MINUTES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="half a minute of each room: does it run?")
    if parser.parse_args().quick:
        MINUTES = 0.5
    model, pack = common.load_model(), common.load_pack()
    with tempfile.TemporaryDirectory() as folder:
        config = common.load_config(Path(folder))
    rows = []
    for label, talk in (("room with talk (~40 %)", True), ("quiet room", False)):
        pcm = room(talk)
        idle, bare = idle_cpu(model, pack, config, pcm), bare_cpu(model, pcm)
        ratio = idle / bare
        rows.append([label, f"{idle:.2f} s", f"{bare:.2f} s", f"{ratio * 100:.1f} %",
                     f"<= 10 %: {'met' if ratio <= 0.10 else 'NOT met'}"])
    print(f"{MINUTES} minutes of audio each; CPU seconds (process_time)")
    common.print_table(["audio", "idle (wake)", "free-form", "ratio", "goal"], rows)


if __name__ == "__main__":
    main()
