"""The wake phrase as the person says it: a few recorded takes, matched by their sound.

Over a TV's talk the small recognition model loses the phrase to runs of short grammar words
(bench_wake). A device that lives with one person can do what a recogniser cannot: compare
what it hears with how *this* person says the phrase. `assistant wake enroll` keeps three
takes as MFCC features (never the audio); while idle, an utterance that stands out from the
talk and matches a take closely enough wakes the device, beside the grammar (wake.py).

MFCCs with the mean taken off each take (so the microphone's and the room's colouring cancel)
and dynamic time warping, the template matching of Rhasspy's Raven: the takes may be found
anywhere in the utterance, said from half to twice as fast. Numpy only: about 10 ms of one core
per take and utterance here, spent only on utterances that stand out from talk.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import UserError
from assistant.paths import write_private
from assistant.wav import RATE

FRAME, HOP, FFT = 400, 160, 512     # 25 ms frames every 10 ms
MEL_BANDS, CEPSTRA = 26, 13
LOW_HZ, HIGH_HZ = 60.0, 7600.0
# Mean cosine distance per frame of a take along its best alignment. Measured in bench_wake
# (takes by three other espeak-ng voices): the phrase over a TV 10 dB below came at 0.05-0.33,
# the person's other speech over the TV at 0.25 and more, the greetings the grammar heard as the
# phrase at 0.32-0.62. So: this close is the phrase whatever the grammar heard (most of the
# phrases the grammar missed), and what the grammar heard as the phrase must be at least
# CONFIRM_DISTANCE close.
MATCH_DISTANCE = 0.20
CONFIRM_DISTANCE = 0.30
FORMAT = 1
TAKES_FILE = "wake_takes.json"  # in the data dir


def features(pcm: bytes) -> np.ndarray:
    """MFCCs c1-c12 (frames x 12) of 16 kHz s16le audio, each coefficient's mean removed."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    samples = np.append(samples[:1], samples[1:] - 0.97 * samples[:-1])
    if samples.size < FRAME:
        samples = np.pad(samples, (0, FRAME - samples.size))
    frames = np.lib.stride_tricks.sliding_window_view(samples, FRAME)[::HOP] * np.hamming(FRAME)
    power = np.abs(np.fft.rfft(frames, FFT)) ** 2
    cepstra = np.log(power @ _MEL.T + 1e-6) @ _DCT.T
    return np.asarray(cepstra - cepstra.mean(axis=0), dtype=np.float64)


def distance(take: np.ndarray, heard: np.ndarray) -> float:
    """How unlike the take the closest stretch of `heard` is: the mean cosine distance per
    frame of the take along the best alignment, with the stretch from half to twice as long."""
    if len(heard) < len(take) // 2 + 1 or len(take) < 2:
        return float("inf")
    cost = 1.0 - _unit(take) @ _unit(heard).T   # take frames x heard frames
    inf = np.full(1, np.inf)
    before2 = np.full(cost.shape[1], np.inf)
    before = cost[0].copy()                      # the stretch may start anywhere
    for i in range(1, len(take)):
        one = np.concatenate([inf, before[:-1]])         # one frame on in both
        skip = np.concatenate([inf, inf, before[:-2]])   # the person was twice as fast
        slow = np.concatenate([inf, before2[:-1]]) + cost[i - 1]  # two take frames on one
        before2, before = before, cost[i] + np.minimum(np.minimum(one, skip), slow)
    return float(before.min() / len(take))


@dataclass(frozen=True)
class WakeTakes:
    """The person's takes of the wake phrase, as features."""

    takes: tuple[np.ndarray, ...]

    def closest(self, pcm: bytes) -> float:
        """The distance of the utterance to the take it is most like (<= MATCH_DISTANCE: said)."""
        heard = features(pcm)
        return min(distance(take, heard) for take in self.takes)


def save_takes(path: Path, phrase: str, takes: list[np.ndarray]) -> None:
    """The takes' features as a private JSON file (0600), replaced whole or not at all."""
    record = {"format": FORMAT, "phrase": phrase, "takes": [np.round(t, 4).tolist() for t in takes]}
    try:
        write_private(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except OSError as error:  # a full or read-only card: the old takes, if any, stay
        raise UserError(f"cannot keep the wake phrase takes in {path} ({error.strerror}); free "
                        "some space or check the card, then enroll again") from None


def load_takes(path: Path, phrase: str) -> WakeTakes | None:
    """The takes of this wake phrase, None when none were enrolled; a damaged file, or takes
    of another phrase (the language was changed), is one UserError."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise UserError(f"cannot read the wake phrase takes in {path} ({type(error).__name__}); "
                        "run `assistant wake enroll` again") from None
    try:
        takes = tuple(np.asarray(t, dtype=np.float64) for t in record["takes"])
        if record["format"] != FORMAT or not takes or any(t.ndim != 2 or t.shape[1] != CEPSTRA - 1
                                                          for t in takes):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise UserError(f"{path} does not hold wake phrase takes; run `assistant wake enroll` again") from None
    if record.get("phrase") != phrase:
        raise UserError(f"the wake phrase takes in {path} are of another phrase, not '{phrase}'; "
                        "run `assistant wake enroll` again")
    return WakeTakes(takes)


def _unit(rows: np.ndarray) -> np.ndarray:
    return np.asarray(rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-9), dtype=np.float64)


def _mel_filters() -> np.ndarray:
    """Triangular filters, evenly spaced on the mel scale between LOW_HZ and HIGH_HZ."""
    def mel(hz: float) -> float:
        return 2595.0 * math.log10(1.0 + hz / 700.0)

    edges_mel = np.linspace(mel(LOW_HZ), mel(HIGH_HZ), MEL_BANDS + 2)
    bins = np.floor((FFT + 1) * 700.0 * (10 ** (edges_mel / 2595.0) - 1.0) / RATE).astype(int)
    filters = np.zeros((MEL_BANDS, FFT // 2 + 1))
    for band in range(MEL_BANDS):
        low, mid, high = bins[band:band + 3]
        filters[band, low:mid] = (np.arange(low, mid) - low) / max(mid - low, 1)
        filters[band, mid:high] = (high - np.arange(mid, high)) / max(high - mid, 1)
    return filters


def _dct() -> np.ndarray:
    """DCT-II rows 1..12: the cepstrum without c0 (the loudness, which the room changes)."""
    bands = np.arange(MEL_BANDS)
    return np.asarray(np.cos(np.pi / MEL_BANDS * (bands[None, :] + 0.5) * np.arange(1, CEPSTRA)[:, None]),
                      dtype=np.float64)


_MEL, _DCT = _mel_filters(), _dct()
