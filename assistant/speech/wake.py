"""Idle listening for the wake phrase, cheaply: no recognizer runs while the room is quiet.

The speech detector gates everything; only an utterance gets a grammar-mode recognizer (the one
that spots commands), and only for its first seconds. Its grammar holds the wake phrase among
all the pack's other phrases: grammar mode forces every sound onto some phrase, and with only
the wake phrase to choose from, ordinary talk would wake the device. When the person has
recorded how they say the phrase (`assistant wake enroll`), those takes are a second opinion
over talk, where the grammar is weakest (wake_match.py).
"""

from __future__ import annotations

import json
import logging
from collections import deque
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
from assistant.speech.wake_match import CONFIRM_DISTANCE, MATCH_DISTANCE, WakeTakes
from assistant.wav import RATE

log = logging.getLogger(__name__)

UTTERANCE_PAUSE_SECONDS = 0.6   # an utterance is over after this much quiet
MAX_WAKE_SECONDS = 2.5          # longer speech is talk, not the wake phrase
# A Vosk grammar holds its phrases as equally likely; listed this many times, the wake phrase is
# that many times as likely as any other phrase before a sound is heard. Over a TV's talk the
# phrase is otherwise lost to runs of short grammar words (bench_wake: 27 -> 33 of 40 accepted,
# still no false wake in an hour of talk; from 5 copies on, a greeting said alone woke it).
WAKE_WEIGHT = 3
# Over talk, the TV's syllables at the phrase's edges come back as one or two short grammar words
# (bench_wake: never more); a sentence the person says near the TV comes back as five or six.
MOST_BESIDE = 2


class WakeWatcher:
    def __init__(self, model: Any, microphone: Microphone, pack: Pack, config: ListenConfig,
                 takes: WakeTakes | None = None) -> None:
        from vosk import KaldiRecognizer

        self._mic, self._takes = microphone, takes
        self._wake = {normalise(p) for p in pack.wake.phrases}
        phrases = self._wake | {normalise(p) for p in [*pack.listen_phrases(), *value_phrases(pack)]}
        grammar = json.dumps(sorted(phrases) + ["[unk]"] + sorted(self._wake) * (WAKE_WEIGHT - 1),
                             ensure_ascii=False)

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
        heard, quiet, (spotter, timeline, audio) = 0.0, 0.0, self._utterance()
        with self._mic.stream() as chunks:
            for chunk in chunks:
                heartbeat.beat()
                length = len(chunk) / BYTES_PER_SECOND
                sound = self._detector(chunk)
                out = self._talk.stands_out(sound, spotter.started)
                timeline.add(Sound(sound.level, sound.voiced, out))
                spotter.feed(chunk, out, length)
                audio = _kept(audio, chunk, spotter.started)
                heard += length
                quiet = 0.0 if out else quiet + length
                # speech longer than the phrase is talk: judged over at once, so that the talk's
                # level is learnt from it, and the phrase said over it stands out
                if spotter.started and (quiet >= UTTERANCE_PAUSE_SECONDS or not spotter.active):
                    if self._wake_in(spotter, timeline, b"".join(audio)):
                        return True
                    spotter, timeline, audio = self._utterance()
                if heard >= seconds or stop():
                    return False
        return False

    def _wake_in(self, spotter: CommandSpotter, timeline: Timeline, audio: bytes) -> bool:
        """Whether the wake phrase was said, louder than any talk going on.

        In a quiet room the grammar must hear the utterance as the phrase (maybe with a
        politeness word): a sentence that mentions it ("where is the compass?") is not
        addressed to the device. Over talk (a TV) the phrase counts beside a word or two, as
        the talk's syllables at its edges are forced onto other short grammar words. There the
        person's own takes, when enrolled, decide: an utterance very like one wakes the device
        whatever the grammar heard; one the grammar heard as the phrase must be somewhat like
        one (greetings that sound like the phrase, said near the TV, are not). Its n-best
        readings would hold the phrase a few times more often (bench_wake: 28 -> 31 of 40), but
        then ordinary English speech woke the device.
        """
        loud = tuple(w for w in spotter.words()
                     if self._talk.louder(timeline.mean_level(w.start, w.end)))
        if self._talk.level is None:
            found = spotter.phrase(words=loud)
            return found is not None and found[0] in self._wake
        within = phrase_within(loud, self._wake)
        heard = within is not None and len(loud) - len(within.split()) <= MOST_BESIDE
        if self._takes is None or not loud:
            return heard
        closest = self._takes.closest(audio)
        log.debug("wake phrase: grammar %s, closest take %.3f", heard, closest)
        return closest <= MATCH_DISTANCE or (heard and closest <= CONFIRM_DISTANCE)

    def _utterance(self) -> tuple[CommandSpotter, Timeline, deque[bytes]]:
        """A new utterance's spotter, its levels, and its audio (the preroll, until it starts)."""
        return (CommandSpotter(self._recognizer, self._phrases, MAX_WAKE_SECONDS), Timeline(CHUNK_SECONDS),
                deque(maxlen=CommandSpotter.PREROLL_CHUNKS))


def _kept(audio: deque[bytes], chunk: bytes, started: bool) -> deque[bytes]:
    """The utterance's audio so far: the last few chunks until it starts (the spotter's
    preroll), then all of it, up to the longest a wake phrase can be."""
    if started and audio.maxlen != _UTTERANCE_CHUNKS:
        audio = deque(audio, maxlen=_UTTERANCE_CHUNKS)
    audio.append(chunk)
    return audio


_UTTERANCE_CHUNKS = round((MAX_WAKE_SECONDS + UTTERANCE_PAUSE_SECONDS) / CHUNK_SECONDS) + 10
