"""Which conversation runs a script: a Session, or for a shared script (a workshop dilemma) the
recorder that reads it back and asks before keeping anything.

Beside the wiring (parts.py, journals.py), and free of hardware: the front doors and the service
both pick their conversation here. Every option is named, and what becomes of each one for the
dilemma recorder is decided here, in code, rather than dropped on the way:
- interrupted: honoured (a stopping service asks no more, and an unconfirmed dilemma is not kept);
- opening: refused. The earlier notes of the day are the person's own; a dilemma is made to be
  shared, and may be recorded with others in the room;
- max_moments: not the recorder's. A workshop sheet holds one dilemma, so the recorder always asks
  one moment, whatever a reflection may offer;
- shared_device (config `[dilemma] shared_device`): several people record here, so no function
  family is remembered for "the person": each dilemma asks whose family it belongs to, in the
  pack's own words for that (`dilemma.family_shared`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from assistant.conversation.dialogue import Kind
from assistant.conversation.dilemma import DilemmaRecorder
from assistant.conversation.roles import Journal, Listener, Remembered, Voice
from assistant.conversation.session import Session
from assistant.journal.profile import Profile, ProfileMemory
from assistant.packs import Pack, Script


def never() -> bool:
    return False


class NothingRemembered:
    """A shared device's memory of "the person": there is no one person, so nothing is kept."""

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, value: str) -> None:
        pass


def conversation(pack: Pack, script: Script, listener: Listener, voice: Voice, journal: Journal,
                 data_dir: Path, *, max_moments: int, interrupted: Callable[[], bool] = never,
                 opening: tuple[str, ...] = (), shared_device: bool = False) -> Session | DilemmaRecorder:
    """What runs `script`; `data_dir` holds the profile that remembers the dilemma's function family."""
    if not script.shared:
        return Session(pack, script, listener, voice, journal, max_moments=max_moments,
                       interrupted=interrupted, opening=opening)
    if opening:
        raise ValueError(f"script {script.name!r} is shared: the day's own notes are not said in it")
    profile: Remembered = ProfileMemory(Profile(data_dir))  # a damaged profile.json: asked, kept as it is
    if shared_device:
        profile = NothingRemembered()
        script = replace(script, questions=tuple(
            replace(q, ask=pack.dilemma["family_shared"]) if q.kind is Kind.FAMILY else q
            for q in script.questions))
    return DilemmaRecorder(pack, script, listener, voice, journal, profile,
                           interrupted=interrupted)  # one moment: max_moments is a reflection's
