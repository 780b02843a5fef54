"""Asking and hearing the reply: the one turn-taking core every conversation uses.

What a person may say at any question means the same everywhere, so it is decided here once:
- "repeat" says the question again, as it was last put;
- "help" says the question's help (or, without one, the question again);
- silence is asked about again (the question's re-ask, or the question), and after `tries`
  replies that were silent or not understood the asking gives up;
- every other command goes back to the conversation, which knows what it means there (skip,
  stop, later, undo...) — unless the conversation answers it in place and asks again (see
  `keeps_asking`: "forget that", "keep it").
- "undo" and "forget that" always mean: take back the last answer this conversation kept, and
  "keep it": bring back what undo took. Before anything is kept (the weekly intention) they
  are told there is nothing to act on and the question is asked again
  (`nothing_to_take_back`); at a dilemma's "shall I keep it?" they are told how to change it
  (say no, record it again); in a session they act on the session's answers.
A conversation says what a reply means (`understand`) and what its commands do; it never
writes the loop again. Typed or replayed input that runs out raises InputExhausted, as
listening does: the conversation ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from assistant.conversation.dialogue import Command, Heard
from assistant.conversation.roles import Listener, Voice
from assistant.conversation.understand import match_yes_no
from assistant.packs import Pack

T = TypeVar("T")


class Outcome(Enum):
    ANSWERED = "answered"  # words the conversation understood (meaning holds what they meant)
    COMMAND = "command"    # a command for the conversation to carry out
    GAVE_UP = "gave up"    # silent or not understood, `tries` times


@dataclass(frozen=True)
class Reply(Generic[T]):
    outcome: Outcome
    asked: str                                  # the question as last put (never its help)
    heard: Heard = field(default_factory=Heard)  # the last turn heard
    meaning: T | None = None                    # what `understand` made of an answer

    @property
    def command(self) -> Command | None:
        return self.heard.command if self.outcome is Outcome.COMMAND else None


def as_text(text: str) -> str | None:
    """Any words are an answer (a reflective question)."""
    return text.strip() or None


def ask(voice: Voice, listener: Listener, prompt: str, *, reask: str = "", help: str = "",
        tries: int = 2, short_reply: bool = False,
        understand: Callable[[str], T | None],
        keeps_asking: Callable[[Command], bool] = lambda command: False) -> Reply[T]:
    """Put `prompt` until there is a reply: an answer, a command, or `tries` misses.

    `understand(words)` is what an answer means, None when it is not one (`as_text`: any words).

    `reask` is said after a silence (else the question again) and becomes the question as
    asked; `short_reply`: a word is the answer, so the turn may end after a short pause.
    `keeps_asking(command)` carries out a command in place and says whether to ask again.
    """
    asked, misses = prompt, 0
    while True:
        voice.say(prompt)
        heard = listener.listen(short_reply=short_reply)
        if heard.command is Command.REPEAT:
            prompt = asked
        elif heard.command is Command.HELP:
            prompt = help or asked
        elif heard.command is not None:
            if not keeps_asking(heard.command):
                return Reply(Outcome.COMMAND, asked, heard)
            prompt = asked
        else:
            meaning = None if heard.silent else understand(heard.text)
            if meaning is not None:
                return Reply(Outcome.ANSWERED, asked, heard, meaning)
            misses += 1
            if misses >= tries:
                return Reply(Outcome.GAVE_UP, asked, heard)
            if heard.silent and reask:
                asked = prompt = reask
            else:
                prompt = asked


def nothing_to_take_back(voice: Voice, pack: Pack) -> Callable[[Command], bool]:
    """`keeps_asking` for a question with no answer of its conversation kept before it:
    "undo" and "forget that" (take back the last answer) and "keep it" (bring back what undo
    took) are told there is nothing to act on, and the question is asked again."""
    phrases = {Command.UNDO: "nothing_to_undo", Command.FORGET: "nothing_to_undo",
               Command.KEEP: "nothing_to_restore"}

    def keeps_asking(command: Command) -> bool:
        if command not in phrases:
            return False
        voice.say(pack.phrases[phrases[command]].replace("{values}", pack.value_names()))
        return True

    return keeps_asking


def ask_yes_no(voice: Voice, listener: Listener, pack: Pack, prompt: str, *, tries: int = 1,
               keeps_asking: Callable[[Command], bool] = lambda command: False) -> Reply[bool]:
    """A yes or no question (meaning True or False); unclear or silent `tries` times gives up."""
    return ask(voice, listener, prompt, tries=tries, short_reply=True,
               understand=lambda text: match_yes_no(text, pack), keeps_asking=keeps_asking)
