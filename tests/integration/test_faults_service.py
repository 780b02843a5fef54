"""Faults of the always-on service on the real stack (Vosk, PortAudio over virtual ALSA devices,
espeak-ng, the control socket): an honest trigger, and no IP socket at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.integration.support import run_assistant
from tests.integration.test_service import SITUATION, Running, service_config, turn

pytestmark = pytest.mark.integration

# Runs `assistant run` with an audit hook that writes down the family of every socket created,
# bound or connected (one JSON line each), with where in the code it happened.
AUDITED_RUN = """
import json, socket, sys, traceback
log = open(sys.argv[1], "a", buffering=1)
def hook(event, args):
    if event == "socket.__new__":
        family = args[1] if args[1] != -1 else socket.AF_INET
    elif event in ("socket.bind", "socket.connect"):
        family = args[0].family
    else:
        return
    log.write(json.dumps({"event": event, "family": int(family),
                          "where": traceback.format_stack(limit=8)[:-1]}) + "\\n")
sys.addaudithook(hook)
from assistant.cli import main
sys.exit(main(["run", *sys.argv[2:]]))
"""


def wait_for(path, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, "the service ended before its socket appeared"
        assert time.monotonic() < deadline, f"no {path} after {seconds} s"
        time.sleep(0.1)


def test_trigger_reflect_without_a_microphone_says_why_and_exits_1(tmp_path, ko_model, alsa_rig):
    config, data = service_config(tmp_path, ko_model, input_device="no-such-microphone"), tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    service = Running(args, alsa_rig.env(), tmp_path / "service.log")
    try:
        service.wait_for(data / "control.sock")
        started = time.monotonic()
        tried = service.trigger("reflect")
        waited = time.monotonic() - started
        assert service.process.poll() is None  # the service stays up
    finally:
        code, _, err = service.terminate()
    assert tried.returncode == 1 and tried.stdout == ""
    assert tried.stderr.startswith("assistant: the service says: the reflect could not start: no usable "
                                   "microphone ('no-such-microphone'"), tried.stderr
    assert tried.stderr.count("\n") == 1 and "listen.input_device" in tried.stderr
    assert waited < 10
    assert json.loads(run_assistant(["export", *args], env=alsa_rig.env()).stdout) == []  # nothing stored
    assert code == 0 and "running (language ko)" in err  # normal status at INFO, shown by default


def test_trigger_reflect_with_a_microphone_says_started_and_exits_0(tmp_path, ko_model, speech, alsa_rig):
    alsa_rig.feed(turn(speech, SITUATION) + turn(speech, "감사합니다"))  # an answer, then "stop"
    config, data = service_config(tmp_path, ko_model), tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    service = Running(args, alsa_rig.env(), tmp_path / "service.log")
    try:
        service.wait_for(data / "control.sock")
        tried = service.trigger("reflect")
        assert tried.returncode == 0 and tried.stdout == "assistant: started the reflect\n", tried.stderr
        stored = service.until(lambda found: len(found) >= 1)
    finally:
        code, _, err = service.terminate()
    assert code == 0, err
    assert [a["question_id"] for a in stored] == ["situation"]


def test_the_service_opens_no_ip_socket_while_it_starts_and_holds_a_conversation(
        tmp_path, ko_model, speech, alsa_rig):
    alsa_rig.feed(turn(speech, "용기") + turn(speech, "좋아요"))  # a daytime prompt: value, no note
    config, data = service_config(tmp_path, ko_model), tmp_path / "data"
    args = ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]
    sockets = tmp_path / "sockets.jsonl"
    with open(tmp_path / "service.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-c", AUDITED_RUN, str(sockets), *args],
                                   env=alsa_rig.env(), stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_for(data / "control.sock", process)
        assert run_assistant(["trigger", "prompt", *args], env=alsa_rig.env()).returncode == 0
        deadline = time.monotonic() + 90
        while not json.loads(run_assistant(["export", *args], env=alsa_rig.env()).stdout):
            assert time.monotonic() < deadline and process.poll() is None, (tmp_path / "service.log").read_text()
            time.sleep(0.5)
        time.sleep(2.0)  # and a few seconds more of the running service
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    seen = [json.loads(line) for line in sockets.read_text().splitlines()]
    assert any(s["family"] == socket_family("AF_UNIX") for s in seen)  # the hook saw the control socket
    ip = [s for s in seen if s["family"] in (socket_family("AF_INET"), socket_family("AF_INET6"))]
    assert ip == [], "".join(ip[0]["where"])
    assert process.returncode == 0


def socket_family(name: str) -> int:
    import socket

    return int(getattr(socket, name))


def test_the_audit_hook_does_see_an_ip_socket(tmp_path):
    """The check above could pass by seeing nothing: here the same hook must see one."""
    sockets = tmp_path / "sockets.jsonl"
    probe = AUDITED_RUN.replace('from assistant.cli import main\nsys.exit(main(["run", *sys.argv[2:]]))',
                                'socket.socket(socket.AF_INET6).close()')
    subprocess.run([sys.executable, "-c", probe, str(sockets)], check=True, env=dict(os.environ))
    seen = [json.loads(line) for line in sockets.read_text().splitlines()]
    assert [s["family"] for s in seen] == [socket_family("AF_INET6")]

