"""`assistant run` on the real stack: started over virtual ALSA devices, driven through its
control socket, stopped with SIGTERM (also in the middle of an answer)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from assistant.packs import load_pack
from tests.integration.support import LANG_DIR, run_assistant, silence, write_config

pytestmark = pytest.mark.integration

KO = load_pack("ko", (LANG_DIR,))
SITUATION = "오늘 회사에서 동료가 도움을 요청했어요. 저는 하던 일을 멈추고 같이 문제를 해결했습니다."


def turn(speech, text: str) -> bytes:
    return silence(0.5) + speech(text) + silence(2.6)


def service_config(tmp_path, ko_model, **listen):
    config = write_config(tmp_path, ko_model, listen={"silence_seconds": 3.0, **listen},
                          service={"wake_phrase": False})
    # the schedule is off: only triggers start conversations (lists are written by hand)
    with open(config, "a", encoding="utf-8") as file:
        file.write('\n[schedule]\nreflect_days = []\nsummary_day = ""\nprompts_per_day = 0\n')
    return config


class Running:
    """`assistant run` in the background, with its arguments and environment."""

    def __init__(self, args, env, log_file):
        self.args, self.env, self.log_file = args, env, log_file
        with open(log_file, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "assistant", "run", *args], env=env,
                                            stdout=subprocess.DEVNULL, stderr=log, text=True)

    def log(self) -> str:
        return self.log_file.read_text()

    def logged(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.log():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, f"never logged {text!r}:\n{self.log()}"
            time.sleep(0.2)

    def wait_for(self, path, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not path.exists():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, f"no {path} after {seconds} s"
            time.sleep(0.1)

    def trigger(self, action: str) -> subprocess.CompletedProcess:
        return run_assistant(["trigger", action, *self.args], env=self.env)

    def answers(self) -> list[dict]:
        done = run_assistant(["export", *self.args], env=self.env)
        if done.returncode == 1 and "no journal at" in done.stderr:
            return []  # the service has not opened its journal yet (it loads the model first)
        return json.loads(done.stdout)

    def until(self, predicate, seconds: float = 90) -> list[dict]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.answers()
            if predicate(found):
                return found
            assert self.process.poll() is None, self.log()
            time.sleep(0.5)
        raise AssertionError(f"gave up waiting; stored: {self.answers()}")

    def terminate(self) -> tuple[int, float, str]:
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return self.process.returncode, time.monotonic() - start, self.log()


def test_triggered_prompt_then_reflection_over_the_socket_and_sigterm(tmp_path, ko_model, speech, alsa_rig):
    alsa_rig.feed(b"".join([
        turn(speech, "용기"),        # prompt: which value now? -> courage
        turn(speech, "좋아요"),      # prompt: a note? -> skip
        turn(speech, SITUATION),    # reflect: situation
        turn(speech, "감사합니다"),   # reflect: stop
    ]))
    config, data = service_config(tmp_path, ko_model), tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    service = Running(args, {**alsa_rig.env(), "ASSISTANT_LOG": "debug"}, tmp_path / "service.log")
    try:
        service.wait_for(data / "control.sock")
        assert stat.S_IMODE(os.stat(data / "control.sock").st_mode) == 0o600

        asked = service.trigger("prompt")
        assert asked.returncode == 0 and asked.stdout == "assistant: started the prompt\n", asked.stderr
        stored = service.until(lambda found: any(a["script"] == "prompt" for a in found))
        assert [(a["question_id"], a["value"]) for a in stored] == [("value", "courage")]

        service.logged("prompt completed: 1 answers kept")
        started = service.trigger("reflect")
        assert started.returncode == 0, started.stderr
        stored = service.until(lambda found: any(a["script"] == "compass" for a in found))
        assert [a["question_id"] for a in stored if a["script"] == "compass"] == ["situation"]
        service.logged("reflect stopped: 1 answers kept")
        nothing = service.trigger("stop")
        assert nothing.returncode == 1 and nothing.stderr == "assistant: the service says: nothing is running\n"
    finally:
        code, seconds, err = service.terminate()
    assert code == 0 and seconds < 5, err
    assert not (data / "control.sock").exists()
    assert "said: " + KO.phrases["earlier_notes"].format(notes="용기") in err  # the prompt, brought back
    assert "prompt completed: 1 answers kept" in err and "reflect stopped: 1 answers kept" in err


def test_sigterm_in_the_middle_of_an_answer_keeps_it_and_exits_within_5_seconds(
        tmp_path, ko_model, speech, alsa_rig):
    long_answer = b"".join(speech(SITUATION) + silence(0.8) for _ in range(12))  # ~2 minutes
    alsa_rig.feed(silence(0.5) + long_answer + silence(3.0))
    config, data = service_config(tmp_path, ko_model, answer_cap_seconds=600.0), tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    service = Running(args, {**alsa_rig.env(), "ASSISTANT_LOG": "debug"}, tmp_path / "service.log")
    try:
        service.wait_for(data / "control.sock")
        assert service.trigger("reflect").returncode == 0
        service.logged("said: " + KO.script("compass").questions[0].ask)  # however slow the start
        # mid-answer: the person spoke, paused and went on (listen.py logs where speech starts)
        service.logged("speech again at")
    finally:
        code, seconds, err = service.terminate()
    assert code == 0 and seconds < 5, err
    (answer,) = service.answers()
    assert answer["question_id"] == "situation" and answer["transcript"]
    # part of the ~2 minute answer: how much depends on how fast Vosk decodes on a busy machine
    assert 2.0 < answer["audio_seconds"] < 100.0, answer


def test_wake_phrase_then_what_do_you_keep_then_the_summary_by_voice(tmp_path, ko_model, speech, alsa_rig):
    wake = KO.wake
    alsa_rig.feed(b"".join([
        turn(speech, "감사합니다"),              # idle: other words never wake the device
        turn(speech, wake.phrases[0]),          # wake
        turn(speech, wake.actions["keep"][0]),  # "what do you keep?"
        turn(speech, wake.phrases[0]),          # wake again
        turn(speech, wake.actions["summary"][0]),
        turn(speech, "인내"),                    # next week's value
    ]))
    config = write_config(tmp_path, ko_model, listen={"silence_seconds": 3.0})
    with open(config, "a", encoding="utf-8") as file:
        file.write('\n[schedule]\nreflect_days = []\nsummary_day = ""\nprompts_per_day = 0\n')
    data = tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    service = Running(args, {**alsa_rig.env(), "ASSISTANT_LOG": "debug"}, tmp_path / "service.log")
    try:
        stored = service.until(lambda found: any(a["script"] == "summary" for a in found))
    finally:
        code, seconds, err = service.terminate()
    assert code == 0 and seconds < 5, err
    woken = [line.split("woken: ")[1] for line in err.splitlines() if "woken: " in line]
    assert woken[:2] == ["keep", "summary"]  # "감사합니다" woke nothing
    assert "said: " + wake.texts["keep_reply"].format(answers="0 대답", days="0 일") in err
    assert [(a["question_id"], a["value"]) for a in stored][:1] == [("intention", "patience")]
