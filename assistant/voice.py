"""Speaking: pyttsx3 (espeak-ng) renders text to audio ahead of time; the speaker plays it.

Rendering happens on one worker thread (pyttsx3 engines are not thread-safe) while the person
is still answering, so the next question starts the moment an answer is over.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, TextIO

from assistant.audio import read_wav
from assistant.errors import UserError
from assistant.roles import Speaker


class _QuietForeignStdout:
    """stdout that drops what threads outside Python print: pyttsx3's espeak driver prints a line
    per saved file from espeak's callback thread, which would corrupt terminal and piped output."""

    def __init__(self, wrapped: TextIO):
        self._wrapped = wrapped

    def write(self, text: str) -> int:
        if isinstance(threading.current_thread(), threading._DummyThread):
            return len(text)
        return self._wrapped.write(text)

    def __getattr__(self, name: str):
        return getattr(self._wrapped, name)


def _wait_until_espeak_idle(limit_seconds: float = 5.0) -> None:
    """pyttsx3's espeak driver cancels a new utterance when espeak is still finishing the last
    one on its own thread (runAndWait -> stop() sees IsPlaying), leaving no audio; and a late
    tail changes how the next utterance starts. Waiting for espeak to go idle avoids both."""
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + limit_seconds
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.002)


class Pyttsx3Renderer:
    """Text to 16 kHz mono s16le through pyttsx3's espeak-ng driver, cached per text."""

    ATTEMPTS = 3

    def __init__(self, espeak_voice: str, rate: int, volume: float):
        self._settings = (espeak_voice, rate, volume)
        self._engine = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self._cache: dict[str, Future[bytes]] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix="assistant-tts-"))

    def prepare(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.future(text)

    def future(self, text: str) -> Future[bytes]:
        if text not in self._cache:
            self._cache[text] = self._pool.submit(self._render, text)
        return self._cache[text]

    def render(self, text: str) -> bytes:
        return self.future(text).result()

    def _render(self, text: str) -> bytes:
        engine = self._engine or self._start()
        path = self._tmp / "say.wav"
        for _attempt in range(self.ATTEMPTS):
            _wait_until_espeak_idle()
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if path.exists() and path.stat().st_size > 44:
                pcm = read_wav(path)
                path.unlink()
                return pcm
        raise UserError("espeak-ng produced no audio; install it (sudo apt install espeak-ng) "
                        "and check the voice with `assistant doctor`")

    def _start(self):
        import pyttsx3

        if not isinstance(sys.stdout, _QuietForeignStdout):
            sys.stdout = _QuietForeignStdout(sys.stdout)
        voice, rate, volume = self._settings
        try:
            engine = pyttsx3.init("espeak")
        except Exception as error:
            raise UserError(f"cannot start speech synthesis ({error}); install espeak-ng "
                            "(sudo apt install espeak-ng)") from None
        engine.setProperty("voice", voice)
        engine.setProperty("rate", rate)
        engine.setProperty("volume", volume)
        self._engine = engine
        return engine

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for leftover in self._tmp.glob("*"):
            leftover.unlink()
        os.rmdir(self._tmp)


class SpokenVoice:
    """Says text through a speaker; also writes it to a log stream when one is given."""

    def __init__(self, renderer: Pyttsx3Renderer, speaker: Speaker, echo: TextIO | None = None):
        self._renderer, self._speaker, self._echo = renderer, speaker, echo

    def prepare(self, texts: Iterable[str]) -> None:
        self._renderer.prepare(texts)

    def say(self, text: str) -> None:
        if self._echo is not None:
            print(text, file=self._echo, flush=True)
        self._speaker.play(self._renderer.render(text))


class PrintVoice:
    """Shows what would be said, for the terminal and for --quiet."""

    def __init__(self, out: TextIO | None = None):
        self._out = out

    def prepare(self, texts: Iterable[str]) -> None:
        pass

    def say(self, text: str) -> None:
        print(text, file=self._out or sys.stdout, flush=True)
