"""Idle listening for the wake phrase, cheaply: no recognizer runs while the room is quiet.

The speech detector gates everything; only an utterance gets a grammar-mode recognizer (the one
that spots commands), and only for its first seconds. Its grammar holds the wake phrase among
all the pack's other phrases: grammar mode forces every sound onto some phrase, and with only
the wake phrase to choose from, ordinary talk would wake the device.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from assistant import heartbeat
from assistant.config import ListenConfig
from assistant.conversation.roles import Microphone
from assistant.conversation.understand import normalise
from assistant.packs import Pack
from assistant.speech.audio import CHUNK_SECONDS
from assistant.speech.confirm import phrase_within
from assistant.speech.detect import BackgroundTalk, Sound, Timeline
from assistant.speech.listen import (
    BYTES_PER_SECOND,
    CommandSpotter,
    Recognizer,
    speech_detector,
    value_phrases,
)
from assistant.wav import RATE

UTTERANCE_PAUSE_SECONDS = 0.6   # an utterance is over after this much quiet
MAX_WAKE_SECONDS = 2.5          # longer speech is talk, not the wake phrase


class WakeWatcher:
    def __init__(self, model: Any, microphone: Microphone, pack: Pack, config: ListenConfig) -> None:
        from vosk import KaldiRecognizer

        self._mic = microphone
        self._wake = {normalise(p) for p in pack.wake.phrases}
        phrases = self._wake | {normalise(p) for p in [*pack.listen_phrases(), *value_phrases(pack)]}
        grammar = json.dumps(sorted(phrases) + ["[unk]"], ensure_ascii=False)

        def recognizer() -> Recognizer:
            made: Recognizer = KaldiRecognizer(model, RATE, grammar)
            made.SetWords(True)
            return made

        self._recognizer, self._phrases = recognizer, phrases
        self._detector = speech_detector(config)
        self._talk = BackgroundTalk(config.background_margin_db)

    def watch(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """Listen for up to `seconds` of audio; True as soon as the wake phrase was said.

        An utterance is speech that stands out from any talk going on (see BackgroundTalk);
        the grammar's words no louder than that talk are not part of it.
        """
        heard, quiet, (spotter, timeline) = 0.0, 0.0, self._utterance()
        with self._mic.stream() as chunks:
            for chunk in chunks:
                heartbeat.beat()
                length = len(chunk) / BYTES_PER_SECOND
                sound = self._detector(chunk)
                out = self._talk.stands_out(sound, spotter.started)
                timeline.add(Sound(sound.level, sound.voiced, out))
                spotter.feed(chunk, out, length)
                heard += length
                quiet = 0.0 if out else quiet + length
                if spotter.started and quiet >= UTTERANCE_PAUSE_SECONDS:
                    if self._wake_in(spotter, timeline):
                        return True
                    spotter, timeline = self._utterance()
                if heard >= seconds or stop():
                    return False
        return False

    def _wake_in(self, spotter: CommandSpotter, timeline: Timeline) -> bool:
        """Whether the grammar heard the wake phrase, in words louder than any talk going on.

        In a quiet room the utterance must be the phrase (maybe with a politeness word): a
        sentence that mentions it ("where is the compass?") is not addressed to the device.
        Over talk (a TV) the phrase counts among other words too, as the talk's syllables at
        its edges are forced onto other short grammar words. Its n-best readings would hold
        the phrase a few times more often (bench_wake: 28 -> 31 of 40), but then ordinary
        English speech woke the device.
        """
        loud = tuple(w for w in spotter.words()
                     if self._talk.louder(timeline.mean_level(w.start, w.end)))
        if self._talk.level is None:
            found = spotter.phrase(words=loud)
            return found is not None and found[0] in self._wake
        return phrase_within(loud, self._wake) is not None

    def _utterance(self) -> tuple[CommandSpotter, Timeline]:
        return CommandSpotter(self._recognizer, self._phrases, MAX_WAKE_SECONDS), Timeline(CHUNK_SECONDS)
