"""Which conversation runs a script: a Session, or for a shared script (a workshop dilemma) the
recorder that reads it back and asks before keeping anything.

Beside the wiring (parts.py, journals.py), and free of hardware: the front doors and the service
both pick their conversation here. Every option is named, and what becomes of each one for the
dilemma recorder is decided here, in code, rather than dropped on the way:
- interrupted: honoured (a stopping service asks no more, and an unconfirmed dilemma is not kept);
- opening: refused. The earlier notes of the day are the person's own; a dilemma is made to be
  shared, and may be recorded with others in the room;
- max_moments: not the recorder's. A workshop sheet holds one dilemma, so the recorder always asks
  one moment, whatever a reflection may offer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.conversation.dilemma import DilemmaRecorder
from assistant.conversation.roles import Journal, Listener, Voice
from assistant.conversation.session import Session
from assistant.journal.profile import Profile
from assistant.packs import Pack, Script


def never() -> bool:
    return False


def conversation(pack: Pack, script: Script, listener: Listener, voice: Voice, journal: Journal,
                 data_dir: Path, *, max_moments: int, interrupted: Callable[[], bool] = never,
                 opening: tuple[str, ...] = ()) -> Session | DilemmaRecorder:
    """What runs `script`; `data_dir` holds the profile that remembers the dilemma's function family."""
    if not script.shared:
        return Session(pack, script, listener, voice, journal, max_moments=max_moments,
                       interrupted=interrupted, opening=opening)
    if opening:
        raise ValueError(f"script {script.name!r} is shared: the day's own notes are not said in it")
    return DilemmaRecorder(pack, script, listener, voice, journal, Profile(data_dir),
                           interrupted=interrupted)  # one moment: max_moments is a reflection's
