"""The weekly summary through the real stack: journal files written by TinyJournal, the summary
spoken by espeak-ng through PortAudio into a virtual speaker, next week's value answered into a
virtual microphone and recognised by Vosk (Korean test pack), the WAV of --out, and --replay."""

from __future__ import annotations

import json
import os
import stat
import wave
from datetime import timedelta

import pytest

from assistant.clock import iso, local_now
from assistant.conversation.dialogue import Answer
from assistant.conversation.weekly import WeeklyTalk
from assistant.journal.tinyjournal import TinyJournal
from assistant.packs import load_pack
from assistant.weeks import week_name, week_of_date
from tests.integration.support import (
    LANG_DIR,
    locate,
    loudness,
    render_prompts,
    run_assistant,
    silence,
    write_config,
)

pytestmark = pytest.mark.integration

KO = load_pack("ko", (LANG_DIR,))
S = KO.summary
SAME_SOUND = 0.8


def answer(at, session: str, question_id: str, transcript: str, **extra) -> Answer:
    return Answer(session_id=session, script="compass", language="ko", moment=1,
                  question_id=question_id, question="?", transcript=transcript, confidence=0.9,
                  audio_seconds=3.0, started_at=iso(at), ended_at=iso(at), **extra)


def a_week_of_answers(data) -> str:
    """Two moments this week, one last week, and last week's intention; returns next week's name."""
    now = local_now()
    journal = TinyJournal(data)
    journal.add_many([
        answer(now, "s1", "situation", "회사에서 동료가 도움을 요청했어요 저는 하던 일을 멈추고 도왔어요"),
        answer(now, "s1", "value", "용기", value="courage"),
        answer(now, "s1", "authentic", "진짜", authentic=True),
        answer(now, "s2", "value", "정직", value="honesty"),
        answer(now, "s2", "authentic", "남들", authentic=False),
        answer(now - timedelta(days=7), "s0", "value", "자유", value="freedom"),
        Answer(session_id="sum0", script="summary", language="ko", moment=1, question_id="intention",
               question="?", transcript="용기", confidence=0.9, audio_seconds=1.0,
               started_at=iso(now - timedelta(days=7)), ended_at=iso(now - timedelta(days=7)),
               value="courage", for_week=week_name(*week_of_date(now.date()))),
    ])
    return week_name(*week_of_date(now.date() + timedelta(days=7)))


def test_spoken_summary_asks_next_weeks_value_and_keeps_it(tmp_path, ko_model, speech, alsa_rig):
    data = tmp_path / "data"
    following = a_week_of_answers(data)
    alsa_rig.feed(silence(0.5) + speech("인내") + silence(2.6))
    config = write_config(tmp_path, ko_model)
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]

    done = run_assistant(["summary", *args], env=alsa_rig.env())

    assert done.returncode == 0, done.stderr
    stored = TinyJournal(data).last_summary()
    lines = stored.lines
    assert lines[0] == S["opening_current"]
    assert S["moments"].format(moments="2 순간", days="1 일") in lines
    assert any(line.startswith("따른 가치: 용기 1 번") for line in lines)
    assert S["intention_met"].format(value="용기", count="1 번") in lines
    kept = S["intention_kept"].format(value="인내")
    assert done.stdout.splitlines() == [*lines, S["ask_intention"], kept, S["goodbye"]]

    exported = json.loads(run_assistant(["export", *args]).stdout)
    intentions = [a for a in exported if a["script"] == "summary" and a["for_week"] == following]
    assert [(a["transcript"], a["value"]) for a in intentions] == [("인내", "patience")]

    # Every line reached the speaker, in order (rendered in the assistant's own order).
    prompts = WeeklyTalk(KO, lines, None, None, listener=object(), for_week=following).prompts()
    rendered = dict(zip([*prompts, kept], render_prompts([*prompts, kept], "ko", alsa_rig.env()), strict=False))
    played, position = alsa_rig.played(), 0
    for text in [*lines, S["ask_intention"], kept, S["goodbye"]]:
        pcm = rendered[text]
        assert loudness(pcm) > 300, f"espeak made no audible speech for {text!r}"
        found, _ = locate(pcm, played, position, SAME_SOUND)
        assert found >= 0, f"the speaker never played {text!r} (after byte {position})"
        position = found + len(pcm) // 2

    # --replay says the same summary again, and asks nothing.
    alsa_rig.speaker.unlink()
    again = run_assistant(["summary", "--replay", *args], env=alsa_rig.env())
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [*lines, S["goodbye"]]
    assert locate(rendered[lines[1]], alsa_rig.played(), 0, SAME_SOUND)[0] >= 0


def test_out_writes_the_summary_as_a_private_wav(tmp_path, ko_model):
    data = tmp_path / "data"
    a_week_of_answers(data)
    config = write_config(tmp_path, ko_model)
    out = tmp_path / "week.wav"

    done = run_assistant(["summary", "--out", str(out), "--lang", "ko", "--config", str(config),
                          "--data-dir", str(data)])

    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and f"is in {out}" in done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with wave.open(str(out)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)  # the voice's own
        pcm = wav.readframes(wav.getnframes())
    lines = TinyJournal(data).last_summary().lines
    rendered = render_prompts(lines, "ko", dict(os.environ))
    assert len(pcm) >= sum(len(p) for p in rendered)
    position = 0
    for text, line_pcm in zip(lines, rendered, strict=False):
        found, _ = locate(line_pcm, pcm, position, SAME_SOUND)
        assert found >= 0, f"{text!r} is not in the WAV"
        position = found + len(line_pcm) // 2
