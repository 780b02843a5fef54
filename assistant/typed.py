"""The terminal front door: answers typed (or piped) a line each; empty line = silence."""

from __future__ import annotations

import sys
from typing import TextIO

from assistant.clock import iso, local_now
from assistant.dialogue import Heard
from assistant.errors import InputExhausted
from assistant.packs import Pack
from assistant.understand import match_command


class TextListener:
    def __init__(self, pack: Pack, source: TextIO | None = None, prompt: TextIO | None = None):
        self._pack, self._source, self._prompt = pack, source or sys.stdin, prompt

    def listen(self, short_reply: bool = False) -> Heard:
        started = iso(local_now())
        if self._prompt is not None:
            print("> ", end="", file=self._prompt, flush=True)
        line = self._source.readline()
        if not line:
            raise InputExhausted()
        text = line.strip()
        command = match_command(text, self._pack)
        return Heard(text="" if command else text, command=command,
                     started_at=started, ended_at=iso(local_now()))
