"""Timing probes around the real session parts, without touching assistant/.

Each probe wraps one object the session already holds (instance attributes, a subclass, or a
proxy for the sounddevice module the speaker uses), and appends (name, start, end) perf_counter
stamps to one shared trace. Nothing is replaced by a fake: the wrapped call still runs.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from time import perf_counter

Trace = list  # of (name, start, end)


def timed(trace: Trace, name: str, function):
    """The function, stamping each call's start and end into the trace."""
    def wrapper(*args, **kwargs):
        start = perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            trace.append((name, start, perf_counter()))
    return wrapper


def microphone(trace: Trace, wavs):
    """A WavMicrophone stamping 'decision' when the listener leaves its stream.

    The listener breaks out of the chunk loop right at its end-of-answer decision, so the exit of
    the stream context is that decision's moment.
    """
    from assistant.speech.audio import WavMicrophone

    class DecisionMicrophone(WavMicrophone):
        @contextmanager
        def stream(self):
            with super().stream() as chunks:
                try:
                    yield chunks
                finally:
                    now = perf_counter()
                    trace.append(("decision", now, now))

    return DecisionMicrophone(wavs)


def recognizer_class(trace: Trace):
    """KaldiRecognizer stamping FinalResult and its freeing.

    The listener makes every recognizer from `vosk.KaldiRecognizer` (looked up when the listener is
    built), so `listener()` puts this class there, in the library, not in the assistant's code:
    free-form ones are the Transcriber's (their FinalResult is "transcriber
    finish"), grammar ones the CommandSpotter's ("grammar final"). A recognizer freed on the main
    thread is on the path to the next question ("free on path"); one freed on the listener's
    reaper thread is not, though it runs alongside it ("reaper free").
    """
    from vosk import KaldiRecognizer

    class TimedRecognizer(KaldiRecognizer):
        def __init__(self, *args):
            super().__init__(*args)
            self._label = "grammar final" if len(args) == 3 else "transcriber finish"

        def FinalResult(self):  # noqa: N802 (Vosk's name)
            start = perf_counter()
            try:
                return super().FinalResult()
            finally:
                trace.append((self._label, start, perf_counter()))

        def __del__(self):
            start = perf_counter()
            super().__del__()
            main = threading.current_thread() is threading.main_thread()
            trace.append(("free on path" if main else "reaper free", start, perf_counter()))

    return TimedRecognizer


def listener(trace: Trace, model, mic, pack, config):
    """The real VoskListener; listen() stamped, its recognizers made from TimedRecognizer."""
    import vosk

    from assistant.speech.listen import VoskListener

    vosk.KaldiRecognizer = recognizer_class(trace)  # the name VoskListener takes its recognizers from
    heard = VoskListener(model, mic, pack, config.listen, keep_audio=config.session.keep_audio)
    heard.listen = timed(trace, "listen", heard.listen)
    return heard


def journal(trace: Trace, folder):
    """A real TinyJournal; its add, and every storage read and write (json + fsync), stamped.

    The journal keeps one file per ISO week, each with its own AtomicJSONStorage: the probe wraps
    that class's public read and write, so whichever week file is touched is counted.
    """
    from assistant.journal.storage import AtomicJSONStorage
    from assistant.journal.tinyjournal import TinyJournal

    AtomicJSONStorage.read = timed(trace, "journal read", AtomicJSONStorage.read)
    AtomicJSONStorage.write = timed(trace, "journal write+fsync", AtomicJSONStorage.write)
    kept = TinyJournal(folder)
    kept.add = timed(trace, "journal add", kept.add)
    return kept


class _Stream:
    """A PortAudio stream whose start is stamped and whose write stamps 'first sample' first."""

    def __init__(self, stream, trace: Trace):
        self._stream, self._trace = stream, trace
        self.start = timed(trace, "stream start", stream.start)

    def write(self, data):
        now = perf_counter()
        self._trace.append(("first sample", now, now))
        return self._stream.write(data)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _SoundDevice:
    """The sounddevice module as the speaker sees it, handing out stamped output streams."""

    def __init__(self, module, trace: Trace):
        self._module, self._trace = module, trace

    def RawOutputStream(self, *args, **kwargs):  # noqa: N802 (sounddevice's name)
        return _Stream(self._module.RawOutputStream(*args, **kwargs), self._trace)

    def __getattr__(self, name):
        return getattr(self._module, name)


def speaker(trace: Trace, device: str = ""):
    """The real SoundDeviceSpeaker, its stream stamped at start and just before each write."""
    from assistant.speech.audio import SoundDeviceSpeaker

    real = SoundDeviceSpeaker(device)
    real._sd = _SoundDevice(real._sd, trace)
    return real


def voice(trace: Trace, pack, config, speaker_, renderer=None):
    """The renderer (Pyttsx3Renderer as the app builds it, unless one is given) + SpokenVoice;
    each wait for a rendered piece is stamped 'tts wait'."""
    from assistant.speech.voice import Pyttsx3Renderer, SpokenVoice

    if renderer is None:
        renderer = Pyttsx3Renderer(config.voice.espeak_voice or pack.espeak_voice, config.voice.rate,
                                   config.voice.volume)
    pieces = renderer.pieces

    def stamped_pieces(text):
        found = pieces(text)
        for future in found:
            if not getattr(future, "stamped", False):
                future.result, future.stamped = timed(trace, "tts wait", future.result), True
        return found

    renderer.pieces = stamped_pieces
    return renderer, SpokenVoice(renderer, speaker_)
