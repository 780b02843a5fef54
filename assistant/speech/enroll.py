"""`assistant wake enroll`: the person says the wake phrase three times, and each take is kept.

A take is the microphone from the first speech to the pause after it. Each is heard in a quiet
moment, so the speech detector alone says where it starts and ends; what is kept of it is its
features (wake_match.py), never the audio. A take that is silence, or longer than a wake phrase
can be, is asked for again, a few times at most.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from assistant.config import ListenConfig
from assistant.conversation.roles import Microphone, Voice
from assistant.errors import UserError
from assistant.packs import Pack
from assistant.speech.audio import CHUNK_SECONDS
from assistant.speech.listen import BYTES_PER_SECOND, speech_detector
from assistant.speech.wake import MAX_WAKE_SECONDS, UTTERANCE_PAUSE_SECONDS
from assistant.speech.wake_match import features

TAKES = 3
RETRIES = 3                 # takes not heard, in all, before enrolling gives up
START_WITHIN_SECONDS = 8.0  # the person is given this long to begin
SHORTEST_SECONDS = 0.25     # less speech than this is a click or a breath
EDGE_CHUNKS = 1             # the quiet kept either side of a take: its onset and its tail


def enroll(mic: Microphone, voice: Voice, pack: Pack, config: ListenConfig) -> list[np.ndarray]:
    """Ask for the takes, one by one, and return their features; a UserError when too many
    could not be heard (nothing is kept then)."""
    texts, phrase = pack.wake.texts, pack.wake.phrases[0]
    voice.say(texts["enroll"].format(phrase=phrase))
    takes: list[np.ndarray] = []
    unheard = 0
    while len(takes) < TAKES:
        take = record_take(mic, config)
        if take is None:
            unheard += 1
            if unheard > RETRIES:
                raise UserError("no clear take of the wake phrase was heard; check the microphone "
                                "with `assistant doctor`, then run `assistant wake enroll` in a quiet moment")
            voice.say(texts["enroll_unheard"].format(phrase=phrase))
            continue
        takes.append(features(take))
        if len(takes) < TAKES:
            voice.say(texts["enroll_again"].format(phrase=phrase))
    voice.say(texts["enroll_done"].format(phrase=phrase))
    return takes


def record_take(mic: Microphone, config: ListenConfig) -> bytes | None:
    """One take, from a little before the first speech to a little after the last; None when
    nobody spoke in time or the speech ran longer than a wake phrase."""
    detect = speech_detector(config)
    before: deque[bytes] = deque(maxlen=EDGE_CHUNKS)
    take: list[bytes] = []
    waited = speech = quiet = 0.0
    with mic.stream() as chunks:
        for chunk in chunks:
            seconds, voiced = len(chunk) / BYTES_PER_SECOND, detect(chunk).voiced
            if not take:
                waited += seconds
                if voiced:
                    take, speech = [*before, chunk], seconds
                elif waited >= START_WITHIN_SECONDS:
                    return None
                else:
                    before.append(chunk)
                continue
            take.append(chunk)
            speech += seconds if voiced else 0.0
            quiet = 0.0 if voiced else quiet + seconds
            if quiet >= UTTERANCE_PAUSE_SECONDS or speech > MAX_WAKE_SECONDS:
                break
    if not SHORTEST_SECONDS <= speech <= MAX_WAKE_SECONDS:
        return None
    tail = round(quiet / CHUNK_SECONDS) - EDGE_CHUNKS  # the closing pause, but for its first chunk
    return b"".join(take[:len(take) - tail] if tail > 0 else take)
