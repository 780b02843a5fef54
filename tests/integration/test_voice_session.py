"""A whole spoken session through the real stack: PortAudio over virtual ALSA devices, Vosk with
the Korean model (commands in grammar mode), espeak-ng via pyttsx3, and a real TinyDB file."""

from __future__ import annotations

import json
import stat

import pytest

from assistant.conversation.prompts import session_prompts
from assistant.packs import load_pack
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
Q = {q.id: q for q in KO.script("compass").questions}
P = KO.phrases

SAME_SOUND = 0.8  # envelope similarity of two renderings of one text (measured: 0.88-0.99)

# Long enough (> command_max_seconds of speech) to always count as answers.
SITUATION = "오늘 회사에서 동료가 도움을 요청했어요. 저는 하던 일을 멈추고 같이 문제를 해결했습니다."
CHOICE_1 = "저는 정직하게 말하기로 했어요. 그 일은 할 수 없다고 친절하게 설명했습니다."
CHOICE_2 = "저는 결국 도와주기로 했어요. 그 사람이 정말 힘들어 보였기 때문입니다."
DIRECTION = "저는 바쁠 때에도 다른 사람을 돌보는 사람이 되고 싶어요. 그것이 저에게 중요합니다."


def turn(speech, text: str) -> bytes:
    """One spoken turn: a breath of silence, the words, then a pause long enough to end it."""
    return silence(0.5) + speech(text) + silence(2.6)


def silent_turn() -> bytes:
    return silence(3.3)  # silence_seconds is 3.0 in this test's config


def test_spoken_session_over_virtual_alsa_stores_answers_and_plays_every_question(
        tmp_path, ko_model, speech, alsa_rig):
    alsa_rig.feed(b"".join([
        turn(speech, SITUATION),       # situation -> stored
        turn(speech, "용기"),           # value -> "courage"
        turn(speech, "다시"),           # choice: repeat
        turn(speech, CHOICE_1),        # choice -> stored (undone below)
        silent_turn(), silent_turn(),  # effect: silence twice -> skipped
        turn(speech, "취소"),           # authentic: undo -> erases CHOICE_1, asks choice again
        turn(speech, CHOICE_2),        # choice -> stored
        turn(speech, "좋아요"),         # effect: skip
        turn(speech, "진짜"),           # authentic -> "real": authentic
        turn(speech, "도움말"),         # direction: help
        turn(speech, DIRECTION),       # direction -> stored
        turn(speech, "네"),             # another moment? yes
        turn(speech, "감사합니다"),      # moment 2 situation: stop
    ]))
    config = write_config(tmp_path, ko_model, listen={"silence_seconds": 3.0})
    data = tmp_path / "data"

    done = run_assistant(["reflect", "--lang", "ko", "--config", str(config), "--data-dir", str(data)],
                         env={**alsa_rig.env(), "ASSISTANT_LOG": "debug"})

    assert done.returncode == 0, done.stderr
    assert "stopped; 5 answers kept" in done.stderr, done.stdout + done.stderr
    stored = json.loads(run_assistant(["export", "--format", "json", "--lang", "ko", "--config",
                                       str(config), "--data-dir", str(data)]).stdout)
    assert [(a["moment"], a["question_id"]) for a in stored] == [
        (1, "situation"), (1, "value"), (1, "choice"), (1, "authentic"), (1, "direction")], done.stderr
    by_id = {a["question_id"]: a for a in stored}
    assert by_id["value"]["transcript"] == "용기" and by_id["value"]["value"] == "courage"
    assert by_id["authentic"]["transcript"] == "진짜" and by_id["authentic"]["authentic"] is True
    for question_id in ("situation", "choice", "direction"):
        answer = by_id[question_id]
        assert answer["transcript"], f"{question_id} has no transcript"
        assert 0.0 < answer["confidence"] <= 1.0
        assert answer["audio_seconds"] >= 4.0
        assert answer["started_at"] < answer["ended_at"] and answer["started_at"][-6] in "+-"
    assert by_id["direction"]["question"] == Q["direction"].ask  # the question, not the help given
    assert len({a["session_id"] for a in stored}) == 1
    week_files = list((data / "journal").glob("*.json"))
    assert week_files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in week_files)
    assert stat.S_IMODE(data.stat().st_mode) == stat.S_IMODE((data / "journal").stat().st_mode) == 0o700

    spoken_in_order = [
        P["greeting"], Q["situation"].ask, Q["value"].ask, Q["choice"].ask, Q["choice"].ask,
        Q["effect"].ask, P["reask"].replace("{question}", Q["effect"].ask), P["skipped"],
        Q["authentic"].ask, P["undone"], Q["choice"].ask, Q["effect"].ask, P["skipped"],
        Q["authentic"].ask, Q["direction"].ask, Q["direction"].help, P["another_moment"],
        P["next_moment"], Q["situation"].ask, P["stopped"],
    ]
    head, tail = P["undone"].split("{answer}")
    lines = done.stdout.splitlines()
    undone = next(line for line in lines if line.startswith(head) and line.endswith(tail))
    assert len(undone) > len(head + tail)  # it read back what it erased
    assert lines == [undone if text == P["undone"] else text for text in spoken_in_order]
    spoken_in_order.remove(P["undone"])  # read back live, not rendered ahead: not located below
    played, position = alsa_rig.played(), 0
    # espeak-ng's output depends on what it rendered before: render in the assistant's own order.
    prompts = session_prompts(KO, KO.script("compass"))
    rendered = dict(zip(prompts, render_prompts(prompts, "ko", alsa_rig.env()), strict=False))
    for text in spoken_in_order:
        pcm = rendered[text]
        assert loudness(pcm) > 300, f"espeak made no audible speech for {text!r}"
        found, similarity = locate(pcm, played, position, SAME_SOUND)
        assert found >= 0, f"the speaker never played {text!r} (after byte {position})"
        position = found + len(pcm) // 2  # matches can land a frame late: never skip the next start
    for text in (P["later"], P["cap_notice"]):
        pcm = rendered[text]
        assert locate(pcm, played, 0, SAME_SOUND)[0] == -1, f"{text!r} was found but never said"
