"""Idle listening for the wake phrase, cheaply: no recognizer runs while the room is quiet.

The speech detector gates everything; only an utterance gets a grammar-mode recognizer (the one
that spots commands), and only for its first seconds. Its grammar holds the wake phrase among
all the pack's other phrases: grammar mode forces every sound onto some phrase, and with only
the wake phrase to choose from, ordinary talk would wake the device.
"""

from __future__ import annotations

import json
from typing import Callable

from assistant import heartbeat
from assistant.config import ListenConfig
from assistant.listen import BYTES_PER_SECOND, CommandSpotter, value_phrases
from assistant.packs import Pack
from assistant.roles import Microphone
from assistant.turns import SpeechDetector
from assistant.understand import normalise

UTTERANCE_PAUSE_SECONDS = 0.6   # an utterance is over after this much quiet
MAX_WAKE_SECONDS = 2.5          # longer speech is talk, not the wake phrase


class WakeWatcher:
    def __init__(self, model, microphone: Microphone, pack: Pack, config: ListenConfig):
        from vosk import KaldiRecognizer

        self._mic = microphone
        self._wake = {normalise(p) for p in pack.wake.phrases}
        phrases = self._wake | {normalise(p) for p in [*pack.listen_phrases(), *value_phrases(pack)]}
        grammar = json.dumps(sorted(phrases) + ["[unk]"], ensure_ascii=False)

        def recognizer():
            made = KaldiRecognizer(model, 16000, grammar)
            made.SetWords(True)
            return made

        self._recognizer, self._phrases = recognizer, phrases
        self._detector = SpeechDetector(config.speech_margin_db, config.min_speech_dbfs)

    def watch(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """Listen for up to `seconds` of audio; True as soon as the wake phrase was said."""
        heard, quiet, spotter = 0.0, 0.0, self._spotter()
        with self._mic.stream() as chunks:
            for chunk in chunks:
                heartbeat.beat()
                length = len(chunk) / BYTES_PER_SECOND
                is_speech = self._detector(chunk)
                spotter.feed(chunk, is_speech, length)
                heard += length
                quiet = 0.0 if is_speech else quiet + length
                if spotter.started and quiet >= UTTERANCE_PAUSE_SECONDS:
                    found = spotter.phrase()
                    if found is not None and found[0] in self._wake:
                        return True
                    spotter = self._spotter()
                if heard >= seconds or stop():
                    return False
        return False

    def _spotter(self) -> CommandSpotter:
        return CommandSpotter(self._recognizer, self._phrases, MAX_WAKE_SECONDS)
