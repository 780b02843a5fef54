"""The terminal front door: answers typed (or piped) a line each; empty line = silence.

A typed answer is at most MAX_CHARACTERS long: the week file is rewritten whole on every later
write, so a pasted megabyte would be paid for all week. The rest is dropped with a notice line.
"""

from __future__ import annotations

import sys
from typing import TextIO

from assistant.clock import iso, local_now
from assistant.conversation.dialogue import Heard
from assistant.conversation.understand import match_command
from assistant.errors import InputExhausted
from assistant.packs import Pack

MAX_CHARACTERS = 20_000


class TextListener:
    def __init__(self, pack: Pack, source: TextIO | None = None, prompt: TextIO | None = None,
                 notices: TextIO | None = None):
        self._pack, self._source, self._prompt = pack, source or sys.stdin, prompt
        self._notices = notices

    def listen(self, short_reply: bool = False) -> Heard:
        started = iso(local_now())
        if self._prompt is not None:
            print("> ", end="", file=self._prompt, flush=True)
        line = self._source.readline()
        if not line:
            raise InputExhausted()
        text = self._capped(line.strip())
        command = match_command(text, self._pack)
        return Heard(text="" if command else text, command=command,
                     started_at=started, ended_at=iso(local_now()))

    def _capped(self, text: str) -> str:
        if len(text) <= MAX_CHARACTERS:
            return text
        print(f"assistant: that answer has {len(text):,} characters; only the first {MAX_CHARACTERS:,} "
              "are kept; the rest is dropped", file=self._notices or sys.stderr)
        return text[:MAX_CHARACTERS].rstrip()
