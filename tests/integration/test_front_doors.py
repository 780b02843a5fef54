"""The other front doors on the real stack: WAV replay, typed answers, doctor, missing hardware."""

from __future__ import annotations

import json
import stat
import wave

import pytest

from assistant.conversation.prompts import session_prompts
from assistant.packs import load_pack
from assistant.wav import write_wav
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
Q = {q.id: q for q in KO.script("compass").questions}
STORY = ["오늘 회사에서 동료가 도움을 요청했어요.", "저는 하던 일을 멈추고 같이 문제를 해결했습니다.",
         "그래서 조금 늦게 집에 왔지만 기분이 좋았어요."]


def args(config, data, *more):
    return ["--lang", "ko", "--config", str(config), "--data-dir", str(data), *more]


def export(config, data) -> list[dict]:
    done = run_assistant(["export", "--format", "json", *args(config, data)])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_input_wav_replay_caps_a_long_answer_keeps_its_audio_and_stops(tmp_path, ko_model, speech):
    long_answer = silence(0.3) + b"".join(speech(s) + silence(0.4) for s in STORY * 3)
    files = {"long.wav": long_answer, "courage.wav": silence(0.4) + speech("용기"),
             "stop.wav": silence(0.4) + speech("감사합니다")}
    for name, pcm in files.items():
        write_wav(tmp_path / name, pcm)
    config = write_config(tmp_path, ko_model, listen={"answer_cap_seconds": 6.0},
                          session={"keep_audio": True})
    data = tmp_path / "data"

    done = run_assistant(["reflect", "--quiet", *args(config, data),
                          *[x for name in files for x in ("--input-wav", str(tmp_path / name))]])

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[lines.index(Q["situation"].ask) + 1] == KO.phrases["cap_notice"]
    assert lines[-1] == KO.phrases["stopped"]
    situation, value = export(config, data)
    assert situation["capped"] is True and situation["transcript"]
    assert situation["audio_seconds"] == pytest.approx(6.3, abs=0.3)
    assert value["value"] == "courage" and value["capped"] is False
    kept = data / situation["audio_file"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    with wave.open(str(kept)) as wav:
        assert wav.getframerate() == 16000
        assert wav.getnframes() / 16000 == pytest.approx(situation["audio_seconds"], abs=0.15)


def test_typed_session_with_piped_stdin_speaks_through_the_speaker(tmp_path, ko_model, alsa_rig):
    config = write_config(tmp_path, ko_model)
    data = tmp_path / "data"
    typed = "\n".join(["동료를 도왔어요", "용기", "다시", "도왔어요", "", "", "남들",
                       "감사합니다"]) + "\n"

    done = run_assistant(["reflect", "--text", *args(config, data)], env=alsa_rig.env(), stdin=typed)

    assert done.returncode == 0, done.stderr
    assert "> " not in done.stdout  # no prompt characters when stdin is not a terminal
    stored = export(config, data)
    assert [(a["question_id"], a["transcript"]) for a in stored] == [
        ("situation", "동료를 도왔어요"), ("value", "용기"), ("choice", "도왔어요"), ("authentic", "남들")]
    assert stored[1]["value"] == "courage" and stored[3]["authentic"] is False
    assert stored[0]["confidence"] is None  # typed, not heard
    assert "not speaking" not in done.stderr
    prompts = session_prompts(KO, KO.script("compass"))
    greeting = render_prompts(prompts, "ko", alsa_rig.env())[0]
    played = alsa_rig.played()
    found, similarity = locate(greeting, played, 0, 0.8)
    assert 0 <= found < 3200, f"greeting not at the start ({len(played)} bytes played, {similarity:.2f})"


def test_typed_session_without_a_speaker_still_runs_printing_only(tmp_path, ko_model, alsa_rig):
    (alsa_rig.home / ".asoundrc").write_text('pcm.!default { type hw card 57 }\n')
    config = write_config(tmp_path, ko_model)

    done = run_assistant(["reflect", "--text", *args(config, tmp_path / "data")],
                         env=alsa_rig.env(), stdin="감사합니다\n")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [KO.phrases["greeting"], Q["situation"].ask, KO.phrases["stopped"]]
    assert "not speaking" in done.stderr


def test_voice_session_without_audio_devices_is_one_clear_line(tmp_path, ko_model, alsa_rig):
    (alsa_rig.home / ".asoundrc").write_text('pcm.!default { type hw card 57 }\n')
    config = write_config(tmp_path, ko_model)

    done = run_assistant(["reflect", *args(config, tmp_path / "data")], env=alsa_rig.env())

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("assistant: no usable") and "assistant doctor" in done.stderr


def test_doctor_reports_every_part_working_on_the_virtual_devices(tmp_path, ko_model, alsa_rig):
    config = write_config(tmp_path, ko_model)

    done = run_assistant(["doctor", *args(config, tmp_path / "data")], env=alsa_rig.env())

    assert done.returncode == 0, done.stdout
    for part in ("language pack", "microphone", "speaker", "speech model", "speech detector",
                 "wake phrase", "espeak-ng", "data dir"):
        assert f"ok    {part}:" in done.stdout
    assert "16000 Hz supported" in done.stdout and str(ko_model) in done.stdout
    assert "ok    speech detector: neural (Silero VAD)" in done.stdout
    assert "ok    wake phrase: '안녕하세요', heard by the grammar alone (`assistant wake enroll`" in done.stdout


def test_doctor_names_the_fix_for_a_missing_model(tmp_path, alsa_rig):
    done = run_assistant(["doctor", "--lang", "en", "--data-dir", str(tmp_path / "data")],
                         env=alsa_rig.env())

    assert done.returncode == 1
    assert "FAIL  speech model:" in done.stdout and "assistant model download en" in done.stdout
