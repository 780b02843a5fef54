"""Speaking: a renderer turns text into audio ahead of time; the speaker plays it.

Two renderers fill the same role: Piper (assistant/speech/piper_tts.py), the natural neural voice, and
espeak-ng through pyttsx3's binding (here), which needs no download. assistant/speech/engine.py picks one;
the session only ever sees a Voice.

Rendering happens on one worker thread while the person is still answering, so the next
question starts the moment an answer is over.
"""

from __future__ import annotations

import ctypes
import logging
import re
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, TextIO, cast

from assistant.conversation.roles import Speaker
from assistant.errors import UserError
from assistant.escape import visible

if TYPE_CHECKING:  # attached by engine.py, only to a renderer that keeps phrases on disk
    from assistant.speech.tts_cache import RenderCache


class Echo(Protocol):
    """Where the spoken text is also written (a terminal, or the device's debug log)."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def sentences(text: str) -> list[str]:
    """The sentences of a text, so a long one can start playing before the rest is rendered."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part] or [text]


class Renderer(Protocol):
    engine: str   # "piper" or "espeak": for logs, doctor and the cache key

    @property
    def rate(self) -> int:
        """The sample rate of the audio it renders (the voice's own)."""

    def prepare(self, texts: Iterable[str]) -> None:
        """Start rendering these texts, in this order."""

    def pieces(self, text: str) -> list[Future[bytes]]:
        """The text's audio as futures, in order: one, or one per sentence for long new texts."""

    def render(self, text: str) -> bytes:
        """The whole text's audio (mono s16le at `rate`)."""

    def close(self) -> None:
        """Stop the worker (renders not yet started are dropped)."""


class AheadRenderer:
    """The shared part of both renderers: one worker thread renders in the order asked, each
    text's audio is kept (a future per text), and fixed phrases may come from a disk cache.

    Subclasses give `engine`, `rate`, `_render(text)`; `splits` says whether texts that are not
    fixed phrases (a weekly summary, a read-back) are rendered sentence by sentence.
    """

    engine = ""
    splits = False

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self._cache: dict[str, Future[bytes]] = {}
        self._disk: RenderCache | None = None

    def attach(self, disk_cache: RenderCache) -> None:
        """Keep fixed phrases on disk (tts_cache.RenderCache); stale entries are pruned first."""
        self._disk = disk_cache
        self._pool.submit(disk_cache.prune)

    def prepare(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.pieces(text)

    def pieces(self, text: str) -> list[Future[bytes]]:
        fixed = self._disk is not None and self._disk.keeps(text)
        parts = self._parts(text) if self.splits and not fixed else [text]
        return [self.future(part) for part in parts]

    def _parts(self, text: str) -> list[str]:
        """What a long new text is rendered and played in, one after the other: its sentences."""
        return sentences(text)

    def future(self, text: str) -> Future[bytes]:
        if text not in self._cache:
            self._cache[text] = self._pool.submit(self._render_and_keep, text)
        return self._cache[text]

    def render(self, text: str) -> bytes:
        return b"".join(piece.result() for piece in self.pieces(text))

    def _render_and_keep(self, text: str) -> bytes:
        """On the worker, in the order asked, so reading the cache never holds up `prepare`."""
        stored = self._disk.get(text) if self._disk is not None else None
        if stored is not None:
            return stored
        pcm = self._render(text)
        if self._disk is not None:
            self._disk.put(text, pcm)
        return pcm

    def _render(self, text: str) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Pyttsx3Renderer(AheadRenderer):
    """Text to mono s16le at espeak-ng's own rate (22,050 Hz) through pyttsx3's espeak-ng binding.

    pyttsx3's Engine loop is not used: its espeak driver runs synthesis on espeak's own thread and
    queues property changes while "busy", and under load (measured here) it drops the voice and
    rate settings, cancels a new utterance while the last is finishing, and varies its output.
    Its binding (pyttsx3.drivers._espeak) in espeak's synchronous mode has none of that: each
    text is rendered completely, in this worker thread, with the settings given.
    """

    engine = "espeak"

    def __init__(self, espeak_voice: str, rate: int, volume: float):
        super().__init__()
        self._settings = (espeak_voice, rate, volume)
        self.key = f"espeak|{espeak_voice}|{rate}|{volume}"
        self._source_rate: int | None = None

    @property
    def rate(self) -> int:
        """espeak-ng's rate, known once it has started (on the worker, like all espeak calls)."""
        if self._source_rate is None:
            self._pool.submit(self._start).result()
        assert self._source_rate is not None  # set by _start
        return self._source_rate

    def _start(self) -> None:
        if self._source_rate is None:
            self._source_rate = _start_espeak(*self._settings)

    def _render(self, text: str) -> bytes:
        _espeak = _espeak_binding()
        self._start()
        pieces: list[bytes] = []
        _espeak.SetSynthCallback(lambda wav, count, events: _collect(pieces, wav, count))
        _espeak.Synth(text, flags=_espeak.CHARS_UTF8 | _espeak.ENDPAUSE)
        _espeak.Synchronize()
        pcm = b"".join(pieces)
        if not pcm:
            raise UserError(f"espeak-ng produced no audio for {text[:40]!r}; check it with "
                            "`assistant doctor`")
        return pcm


_ESPEAK_LOCK = threading.Lock()
_ESPEAK_RATE: list[int] = []  # espeak-ng can be initialised only once per process


def _espeak_binding() -> ModuleType:
    try:
        from pyttsx3.drivers import _espeak
    except Exception as error:  # pyttsx3 raises when the espeak-ng library is missing
        raise UserError(f"cannot start speech synthesis ({error}); install espeak-ng "
                        "(sudo apt install espeak-ng)") from None
    return cast(ModuleType, _espeak)  # pyttsx3 has no types


def _start_espeak(voice: str, rate: int, volume: float) -> int:
    """Initialise espeak-ng (once) in synchronous mode and apply the voice settings."""
    _espeak = _espeak_binding()
    with _ESPEAK_LOCK:
        if not _ESPEAK_RATE:
            sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
            if sample_rate <= 0:
                raise UserError("espeak-ng could not start; reinstall it (sudo apt install espeak-ng)")
            _ESPEAK_RATE.append(sample_rate)
    if _espeak.SetVoiceByName(voice.encode("utf-8")) != _espeak.EE_OK:
        raise UserError(f"espeak-ng has no voice '{voice}'; list voices with `espeak-ng --voices` "
                        "and set voice.espeak_voice")
    _espeak.SetParameter(_espeak.RATE, rate, 0)
    _espeak.SetParameter(_espeak.VOLUME, round(volume * 100), 0)
    return _ESPEAK_RATE[0]


def _collect(pieces: list[bytes], wav: ctypes._Pointer[ctypes.c_short], count: int) -> int:
    if count > 0 and wav:
        pieces.append(ctypes.string_at(wav, count * 2))
    return 0  # 0: go on synthesising


class SpokenVoice:
    """Says text through a speaker; also writes it to a log stream when one is given.

    A long text comes in pieces (sentences): the first plays while the next ones render, and
    pieces already rendered are played together, without a gap.
    """

    def __init__(self, renderer: Renderer, speaker: Speaker, echo: Echo | None = None):
        self._renderer, self._speaker, self._echo = renderer, speaker, echo
        self._last = b""  # what was said last: the loudness a recording is matched to

    def prepare(self, texts: Iterable[str]) -> None:
        self._renderer.prepare(texts)

    def say(self, text: str) -> None:
        if self._echo is not None:
            print(visible(text), file=self._echo, flush=True)
        pending, spoken = self._renderer.pieces(text), []
        while pending:
            audio = [pending.pop(0).result()]
            while pending and pending[0].done():
                audio.append(pending.pop(0).result())
            if any(audio):
                self._speaker.play(b"".join(audio), self._renderer.rate)
                spoken += audio
        self._last = b"".join(spoken)

    def play_recording(self, pcm: bytes, text: str) -> None:
        """The person's own words (a quote, 16 kHz), as loud as the voice that introduced them,
        at the voice's rate."""
        from assistant.conversation.ownvoice import match_level
        from assistant.wav import RATE, resample

        if self._echo is not None:
            print(visible(text), file=self._echo, flush=True)
        rate = self._renderer.rate
        own = resample(pcm, RATE, rate) if rate != RATE else pcm
        self._speaker.play(match_level(own, self._last) if self._last else own, rate)


class PrintVoice:
    """Shows what would be said, for the terminal and for --quiet."""

    def __init__(self, out: TextIO | None = None):
        self._out = out

    def prepare(self, texts: Iterable[str]) -> None:
        pass

    def say(self, text: str) -> None:
        print(visible(text), file=self._out or sys.stdout, flush=True)  # it may quote an answer

    def play_recording(self, pcm: bytes, text: str) -> None:
        """Printed, a recording is its words: the same lines as when it is heard."""
        self.say(text)
