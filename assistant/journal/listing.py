"""`assistant list`: the stored sessions at a glance, with the ids that `edit` and `forget` take.

For each answer it says whether its kept audio still exists (a WAV can expire or be deleted by
hand while the answer stays), so a tool can tell what there is to play.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.conversation.dialogue import StoredAnswer

KEPT, MISSING, NONE = "kept", "missing", "none"  # an answer's audio: there, named but gone, never kept


@dataclass(frozen=True)
class ListedAnswer:
    id: int
    moment: int
    question_id: str
    audio: str  # KEPT, MISSING or NONE


@dataclass(frozen=True)
class ListedSession:
    session_id: str
    started_at: str  # of its first answer, local time with UTC offset
    script: str
    answers: tuple[ListedAnswer, ...]


def sessions(answers: list[StoredAnswer], data_dir: Path) -> list[ListedSession]:
    """The sessions of these answers, by their first answer (oldest first), answers in order."""
    by_session: dict[str, list[StoredAnswer]] = {}
    for answer in sorted(answers, key=lambda a: (a.started_at, a.id)):
        by_session.setdefault(answer.session_id, []).append(answer)
    return [ListedSession(session_id, group[0].started_at, group[0].script,
                          tuple(ListedAnswer(a.id, a.moment, a.question_id, audio_state(a, data_dir))
                                for a in group))
            for session_id, group in by_session.items()]


def audio_state(answer: StoredAnswer, data_dir: Path) -> str:
    name = answer.audio_file
    if not name:
        return NONE
    return KEPT if (data_dir / name).is_file() else MISSING


def to_text(found: list[ListedSession]) -> str:
    if not found:
        return "no answers stored yet\n"
    lines = []
    for session in found:
        count = len(session.answers)
        lines.append(f"{session.started_at[:16].replace('T', ' ')}  {session.script}  "
                     f"{count} answer{'' if count == 1 else 's'}  session {session.session_id}")
        lines += [f"  {a.id}  moment {a.moment}  {a.question_id:<12} audio {a.audio}"
                  for a in session.answers]
    return "\n".join(lines) + "\n"


def to_json(found: list[ListedSession]) -> str:
    return json.dumps([asdict(s) for s in found], ensure_ascii=False, indent=2) + "\n"
