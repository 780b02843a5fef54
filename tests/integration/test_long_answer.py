"""A five-minute answer whose pauses are digital zeros (a microphone with noise suppression) or
faint noise is one answer, kept whole: it ends by the pause the person does not fill, never
part-way because the speech detector took the person's own voice for the room."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.wav import write_wav
from tests.integration.support import run_assistant, silence, write_config

pytestmark = pytest.mark.integration

SENTENCES = ["오늘 회사에서 동료가 도움을 요청했어요.", "저는 하던 일을 멈추고 같이 문제를 해결했습니다.",
             "그래서 조금 늦게 집에 왔지만 기분이 좋았어요.", "내일은 먼저 제 일을 끝내고 싶어요.",
             "그래도 도와준 것은 잘한 일이라고 생각해요."]
MINUTES = 5.0


def five_minutes(speech, noise_dbfs: float | None) -> bytes:
    """The issue's recipe: five sentences, each followed by 0.6 s of zeros, until 5 minutes."""
    round_ = b"".join(speech(s) + silence(0.6) for s in SENTENCES)
    pcm = silence(0.5) + round_ * int(MINUTES * 60 * 32000 // len(round_) + 1)
    if noise_dbfs is None:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    noise = np.random.default_rng(3).standard_normal(samples.size) * 32768 * 10 ** (noise_dbfs / 20)
    return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


@pytest.mark.parametrize("pauses", ["digital zeros", "noise at -60 dBFS"])
def test_a_five_minute_answer_is_kept_whole(pauses, tmp_path, ko_model, speech):
    noise = None if pauses == "digital zeros" else -60.0
    answer = five_minutes(speech, noise)
    one_round = five_minutes(speech, noise)[:len(silence(0.5)) + len(
        b"".join(speech(s) + silence(0.6) for s in SENTENCES))]
    write_wav(tmp_path / "round.wav", one_round + silence(3.0))
    write_wav(tmp_path / "long.wav", answer + silence(3.0))
    config = write_config(tmp_path, ko_model, listen={"answer_cap_seconds": 400.0})
    data = tmp_path / "data"
    done = run_assistant(["reflect", "--quiet", "--lang", "ko", "--config", str(config),
                          "--data-dir", str(data), "--input-wav", str(tmp_path / "round.wav"),
                          "--input-wav", str(tmp_path / "long.wav")], timeout=600)
    assert done.returncode == 0, done.stderr
    exported = run_assistant(["export", "--format", "json", "--lang", "ko", "--config", str(config),
                              "--data-dir", str(data)])
    short, long = json.loads(exported.stdout)
    rounds = len(answer) / len(one_round)
    assert long["capped"] is False
    assert long["audio_seconds"] >= len(answer) / 32000  # listened to the end, then the pause
    assert len(long["transcript"].split()) >= 0.8 * rounds * len(short["transcript"].split())
