"""The control socket's reply: typed on both ends, the same one line on the wire."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from assistant.service.control import ACTIONS, ControlReply, ControlServer, send


@pytest.mark.parametrize("reply, line", [
    (ControlReply(True, "starting a reflect"), "ok starting a reflect"),
    (ControlReply(False, "busy with a summary; try again when it is over"),
     "no busy with a summary; try again when it is over"),
])
def test_a_reply_travels_as_one_line_and_reads_back_the_same(reply, line):
    assert reply.line() == line
    assert ControlReply.read(line + "\n") == reply


def test_a_line_that_is_neither_ok_nor_no_is_a_refusal_naming_it():
    assert ControlReply.read("") == ControlReply(False, "")
    assert ControlReply.read("what?") == ControlReply(False, "what?")


def test_the_actions_are_the_scheduled_kinds_and_stop():
    assert ACTIONS == ("reflect", "summary", "prompt", "stop")


def test_send_hears_the_servers_typed_reply_and_an_unknown_action_is_refused():
    heard = []

    def handle(action: str) -> ControlReply:
        heard.append(action)
        return ControlReply(True, f"starting a {action}")

    with tempfile.TemporaryDirectory(prefix="ctl") as folder:  # short: socket paths are limited
        path = Path(folder) / "control.sock"
        server = ControlServer(path, handle)
        server.start()
        try:
            assert send(path, "reflect verzet") == ControlReply(True, "starting a reflect verzet")
            assert send(path, "dance") == ControlReply(False, "unknown action 'dance'")
        finally:
            server.close()
    assert heard == ["reflect verzet"]
