"""`assistant edit ANSWER_ID`: correct a transcript (Vosk mishears) through the journal.

Editing the week file by hand breaks its checksum, and the journal then trusts its backup; this
way the change is written like any other (checksum, daily backup), the value, authentic or
resistance read from the words is read again, and summaries quoting the old words are dropped.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from assistant.clock import iso, local_now
from assistant.conversation.dialogue import Kind, StoredAnswer
from assistant.conversation.summary import INTENTION_QUESTION, INTENTION_SCRIPT
from assistant.conversation.understand import (
    classify_authentic,
    classify_resistance,
    normalise_value,
)
from assistant.errors import UserError
from assistant.journal.tinyjournal import TinyJournal
from assistant.packs import Pack, load_pack
from assistant.weeks import split_id


def edit_answer(journal: TinyJournal, answer_id: int, text: str | None,
                lang_dirs: tuple[Path, ...]) -> tuple[StoredAnswer, bool]:
    """Change the transcript of one answer (to text, or as edited in $EDITOR); (answer, changed)."""
    year, week, _ = split_id(answer_id)
    found = next((a for a in journal.week(year, week) if a.id == answer_id), None)
    if found is None:
        raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
    new = (text if text is not None else in_editor(found.transcript)).strip()
    if not new:
        raise UserError("the new text is empty, so nothing changed; to erase an answer use "
                        "`assistant forget`")
    if new == found.transcript:
        return found, False
    changes = {"transcript": new, "confidence": None, "edited_at": iso(local_now())}
    changes |= _read_again(found, new, lang_dirs)
    return journal.edit(answer_id, changes), True


def _read_again(answer: StoredAnswer, text: str, lang_dirs: tuple[Path, ...]) -> dict[str, Any]:
    """The value, authentic or resistance of the new words, as the session would read them."""
    pack, kind = _kind(answer, lang_dirs)
    if pack is None:
        return {}
    if kind is Kind.VALUE:
        return {"value": normalise_value(text, pack)}
    if kind is Kind.AUTHENTIC:
        return {"authentic": classify_authentic(text, pack)}
    if kind is Kind.RESISTANCE:
        return {"resistance": classify_resistance(text, pack)}
    return {}


def _kind(answer: StoredAnswer, lang_dirs: tuple[Path, ...]) -> tuple[Pack | None, Kind | None]:
    try:
        pack = load_pack(answer.language, lang_dirs)
    except UserError:
        return None, None  # a language this install lacks: the words change, nothing else
    if answer.script == INTENTION_SCRIPT and answer.question_id == INTENTION_QUESTION:
        return pack, Kind.VALUE
    script = pack.scripts.get(answer.script)
    question = next((q for q in script.questions if q.id == answer.question_id), None) if script else None
    return pack, question.kind if question else None


def in_editor(text: str) -> str:
    """The text as the person left it in $VISUAL or $EDITOR (a private temp file, removed after)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UserError("no editor is set: set EDITOR (for example `export EDITOR=nano`), "
                        "or give the new words with --text \"...\"")
    fd, name = tempfile.mkstemp(prefix="assistant-edit-", suffix=".txt")  # 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)])
        except OSError as error:
            raise UserError(f"cannot start the editor '{editor}' ({error.strerror}); set EDITOR "
                            "to one that is installed, or use --text") from None
        if done.returncode != 0:
            raise UserError(f"the editor '{editor}' exited with {done.returncode}, so nothing changed")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
