"""The windows a Piper voice's decoder runs over (piper_parts.py): every frame decoded once with
enough context on each side, every call the same size, and the joined audio that of one decode.

The decoder here is a stand-in with the same shape (a convolution over frames, then `hop`
samples per frame); the real voice's own check is in tests/integration/test_piper_parts.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.speech.piper_parts import CONTEXT, WINDOW, decode_in_windows, windows


@pytest.mark.parametrize("frames", [1, 40, WINDOW + 2 * CONTEXT, WINDOW + 2 * CONTEXT + 1, 200, 1000])
def test_the_windows_keep_every_frame_once_each_with_its_context(frames):
    spans = windows(frames)
    kept = [frame for _, _, keep, stop in spans for frame in range(keep, stop)]
    assert kept == list(range(frames))
    for start, end, keep, stop in spans:
        assert 0 <= start <= keep < stop <= end <= frames
        assert keep - start >= CONTEXT or start == 0      # the frames before it, unless at the start
        assert end - stop >= CONTEXT or end == frames      # the frames after it, unless at the end


def test_every_decode_of_a_long_latent_is_the_same_size():
    assert {end - start for start, end, _, _ in windows(1000)} == {WINDOW + 2 * CONTEXT}
    assert windows(30) == [(0, 30, 0, 30)]  # a short one: one decode of it all


def stand_in_decoder(reach: int, hop: int):
    """Audio from frames as a HiFi-GAN-like decoder makes it: each sample from the frames within
    `reach` of its own (zero beyond the edges), `hop` samples per frame."""
    weights = np.random.default_rng(1).normal(size=2 * reach + 1)

    def decode(latent: np.ndarray) -> np.ndarray:
        frames = latent[0].sum(axis=0)
        mixed = np.convolve(np.pad(frames, reach), weights, mode="valid")
        return np.repeat(mixed, hop)[None, None, :]

    return decode


def test_a_decoder_that_reaches_less_than_the_context_gives_the_whole_decode():
    latent = np.random.default_rng(2).normal(size=(1, 4, 333))
    decode = stand_in_decoder(reach=CONTEXT - 1, hop=8)
    joined = decode_in_windows(decode, latent, 8)
    whole = decode(latent)
    assert joined.shape == whole.shape and np.abs(joined - whole).max() < 1e-9


def test_a_decoder_that_reaches_further_than_the_context_is_caught():
    latent = np.random.default_rng(3).normal(size=(1, 4, 333))
    decode = stand_in_decoder(reach=CONTEXT + 5, hop=8)
    joined = decode_in_windows(decode, latent, 8)
    assert np.abs(joined - decode(latent)).max() > 1e-3  # what split() refuses before any use
