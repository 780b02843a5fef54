"""Quotes in the person's own voice through the real stack: an espeak-ng Korean answer heard by
the real listener (Vosk, word timings) with keep_audio on, kept as a WAV by the real journal;
then `assistant summary --out` must contain exactly that span of the recording, right after
the device's "in your own words" line, and without kept audio it must not; `assistant play`
plays the kept answer through PortAudio (a virtual ALSA speaker)."""

from __future__ import annotations

import json
import os

import pytest

from assistant.conversation.ownvoice import cut, quote_span
from assistant.packs import load_pack
from assistant.wav import read_wav, resample, write_wav
from tests.integration.support import (
    LANG_DIR,
    locate,
    render_prompts,
    run_assistant,
    silence,
    write_config,
)

pytestmark = pytest.mark.integration

KO = load_pack("ko", (LANG_DIR,))
ANSWER = "진짜 정직 인내 좋아요 기대 다시 아마"  # ~3 s; free-form Vosk gives 6-7 words, sure enough
PAUSE_BYTES = int(16000 * 0.4) * 2       # the pause the WAV puts between lines
SAME = 0.9                               # the very same samples (scaled): near-perfect envelopes
ESPEAK_RATE = 22050                      # what Pyttsx3Renderer renders at


def summary_wav(tmp_path, config, data, name: str) -> bytes:
    out = tmp_path / name
    done = run_assistant(["summary", "--out", str(out), "--config", str(config), "--data-dir", str(data)])
    assert done.returncode == 0, done.stderr
    return read_wav(out)


def test_the_summary_wav_plays_the_quoted_words_in_the_persons_own_voice(tmp_path, ko_model, speech, alsa_rig):
    data, wav = tmp_path / "data", tmp_path / "answer.wav"
    write_wav(wav, silence(0.5) + speech(ANSWER) + silence(2.6))
    keep = write_config(tmp_path, ko_model, session={"keep_audio": True, "max_moments": 1})
    done = run_assistant(["reflect", "--input-wav", str(wav), "--config", str(keep), "--data-dir", str(data)])
    assert done.returncode == 0, done.stderr

    [kept] = json.loads(run_assistant(["export", "--config", str(keep), "--data-dir", str(data)]).stdout)
    record = next(json.loads((data / "journal" / f).read_text())["answers"]["1"]
                  for f in os.listdir(data / "journal") if f.endswith(".json"))
    assert kept["audio_file"] and len(record["words"]) == len(kept["transcript"].split()) >= 4
    clip = cut(read_wav(data / kept["audio_file"]), *quote_span(record["words"], kept["transcript"]))

    pcm = summary_wav(tmp_path, keep, data, "own.wav")
    intro = resample(render_prompts([KO.summary["quotes"]], "ko", dict(os.environ))[0],
                     ESPEAK_RATE, 16000)  # espeak-ng's own rate; the WAV is read back at 16 kHz
    said, _ = locate(intro, pcm, 0, 0.8)
    found, similarity = locate(clip, pcm, 0, SAME)
    assert said >= 0 and found >= 0, f"the recording is not in the WAV (best {similarity:.2f})"
    assert abs(found - (said + len(intro) + PAUSE_BYTES)) <= 2 * 800  # within 50 ms: next in line

    (tmp_path / "off").mkdir()
    spoken = write_config(tmp_path / "off", ko_model, session={"keep_audio": False, "max_moments": 1})
    again = summary_wav(tmp_path, spoken, data, "device.wav")
    assert locate(clip, again, 0, SAME)[0] == -1  # without kept audio, the device says the quote

    # assistant play: the whole kept answer through PortAudio into the virtual speaker.
    heard = run_assistant(["play", str(kept["id"]), "--config", str(keep), "--data-dir", str(data)],
                          env=alsa_rig.env())
    assert heard.returncode == 0, heard.stderr
    assert heard.stdout.strip() == kept["transcript"]
    assert locate(read_wav(data / kept["audio_file"]), alsa_rig.played(), 0, SAME)[0] >= 0
