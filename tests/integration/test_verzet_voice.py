""""klein verzet" spoken, through the real stack: the gate, the circle and the resistance answer
heard by Vosk (Korean test pack) from a virtual microphone, stored in the real journal."""

from __future__ import annotations

import json

import pytest

from assistant.packs import load_pack
from tests.integration.support import LANG_DIR, run_assistant, silence, write_config

pytestmark = pytest.mark.integration

KO = load_pack("ko", (LANG_DIR,))
SENTENCE = "저는 하던 일을 멈추고 같이 문제를 해결했습니다."


def turn(speech, text: str) -> bytes:
    return silence(0.5) + speech(text) + silence(2.6)


def test_spoken_klein_verzet_stores_the_circle_and_quiet_resistance(tmp_path, ko_model, speech, alsa_rig):
    quiet_word = KO.resistance["quiet"][0]
    alsa_rig.feed(b"".join([
        turn(speech, KO.yes[0]),                       # tension today? yes
        turn(speech, SENTENCE), turn(speech, SENTENCE), turn(speech, SENTENCE),  # the circle
        turn(speech, quiet_word),                      # how did you act? quietly
        turn(speech, SENTENCE),                        # what did it do to you
        turn(speech, KO.no[0]),                        # another moment? no
    ]))
    config = write_config(tmp_path, ko_model, listen={"silence_seconds": 3.0})
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(tmp_path / "data")]

    done = run_assistant(["reflect", "--script", "verzet", *args], env=alsa_rig.env())

    assert done.returncode == 0, done.stderr
    assert "completed; 6 answers kept" in done.stderr
    stored = json.loads(run_assistant(["export", "--script", "verzet", *args]).stdout)
    assert [a["question_id"] for a in stored] == ["tension", "who", "situation", "like_me", "acted", "effect"]
    acted = stored[4]
    assert (acted["transcript"], acted["resistance"]) == (quiet_word, "quiet")
    assert done.stdout.splitlines()[-1] == KO.script("verzet").closing
