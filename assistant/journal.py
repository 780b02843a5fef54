"""The journal: answers in a TinyDB file, written atomically and readable by the owner only.

Each write goes to a temp file that is fsynced and renamed over the old one, so a power cut
leaves either the old or the new journal, never half of one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from assistant.audio import write_wav
from assistant.dialogue import Answer
from assistant.errors import UserError
from assistant.paths import private_dir, write_private

SCHEMA_VERSION = 1
FILE_NAME = "journal.json"


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: str | Path):
        self._path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise UserError(f"the journal {self._path} is damaged ({error.msg} at line {error.lineno}); "
                            "it was left untouched: move it aside to start a new one") from None

    def write(self, data: dict[str, Any]) -> None:
        write_private(self._path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        pass


class TinyJournal:
    """Answers of every session; audio of an answer (when kept) as a WAV beside it."""

    def __init__(self, data_dir: Path):
        self._dir = private_dir(Path(data_dir))
        self.path = self._dir / FILE_NAME
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._answers = self._db.table("answers")
        meta = self._db.table("meta")
        if not meta.all():
            meta.insert({"schema": SCHEMA_VERSION})
        elif meta.all()[0].get("schema") != SCHEMA_VERSION:
            raise UserError(f"the journal {self.path} has schema {meta.all()[0].get('schema')}, "
                            f"this version reads {SCHEMA_VERSION}: update the assistant")

    def add(self, answer: Answer, audio: bytes | None = None) -> int:
        record = asdict(answer)
        if audio:
            record["audio_file"] = self._keep_audio(answer, audio)
        return self._answers.insert(record)

    def remove(self, answer_id: int) -> None:
        record = self._answers.get(doc_id=answer_id)
        if record is None:
            return
        if record.get("audio_file"):
            (self._dir / record["audio_file"]).unlink(missing_ok=True)
        self._answers.remove(doc_ids=[answer_id])

    def answers(self, since: date | None = None) -> list[dict[str, Any]]:
        """Every answer (with its id), oldest first; from a local date on when given."""
        found = [{"id": doc.doc_id, **doc} for doc in self._answers.all()]
        if since is not None:
            found = [a for a in found if datetime.fromisoformat(a["started_at"]).date() >= since]
        return sorted(found, key=lambda a: (a["started_at"], a["id"]))

    def _keep_audio(self, answer: Answer, audio: bytes) -> str:
        folder = private_dir(self._dir / "audio")
        name = f"{answer.session_id}-m{answer.moment}-{answer.question_id}.wav"
        tmp = folder / f".{name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        write_wav(tmp, audio)
        os.replace(tmp, folder / name)
        return f"audio/{name}"

    def close(self) -> None:
        self._db.close()
