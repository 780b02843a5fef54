"""The audio of answers, kept as WAVs beside the journal when session.keep_audio is on.

Audio is the most identifying thing the device keeps, so it never outlives its purpose: a WAV
goes with its answer when that is erased, and expires after keep_audio_days. A record names its
WAV relative to the data dir ("audio/<name>.wav"), so the data dir can move as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from tinydb.table import Table

from assistant.conversation.dialogue import Answer, StoredAnswer
from assistant.journal.weekfiles import WeekFiles
from assistant.paths import private_dir, write_private
from assistant.wav import wav_bytes
from assistant.weeks import records_by_week

AUDIO = "audio"  # the folder of the kept WAVs, in the data dir


class KeptAudio:
    """The WAVs in audio/ of one data dir, and the audio_file names of the records in files."""

    def __init__(self, data_dir: Path, files: WeekFiles) -> None:
        self._dir, self._files = data_dir, files

    def keep(self, answer: Answer, audio: bytes) -> str:
        """Write the answer's audio as a private WAV; the name its record keeps (audio_file)."""
        folder = private_dir(self._dir / AUDIO)
        name = f"{answer.session_id}-m{answer.moment}-{answer.question_id}.wav"
        write_private(folder / name, wav_bytes(audio))
        return f"{AUDIO}/{name}"

    def delete(self, audio_file: str | None) -> None:
        """The WAV of an answer being erased (a record without audio names none)."""
        if audio_file:
            (self._dir / audio_file).unlink(missing_ok=True)

    def expire(self, older_than: timedelta, now: datetime,
               answers: Callable[[], list[StoredAnswer]]) -> int:
        """Delete kept WAVs older than older_than (answer start, or mtime when no answer has it).

        answers is read only when a WAV is kept at all: most journals keep none.
        """
        folder = self._dir / AUDIO
        wavs = sorted(folder.glob("*.wav")) if folder.is_dir() else []
        if not wavs:
            return 0  # nothing kept: no journal file is read
        cutoff = now - older_than
        dated = [a for a in answers() if a.audio_file]  # all: clocks can be wrong
        expired = [a for a in dated if datetime.fromisoformat(a.started_at) < cutoff]
        self._forget(expired)
        referenced = {self._dir / str(a.audio_file) for a in dated}
        orphans = [w for w in wavs if w not in referenced and w.stat().st_mtime < cutoff.timestamp()]
        for wav in [*(self._dir / str(a.audio_file) for a in expired), *orphans]:
            wav.unlink(missing_ok=True)
        return len(expired) + len(orphans)

    def _forget(self, answers: list[StoredAnswer]) -> None:
        """Set audio_file to null, one write per week, before any WAV goes (no dangling names)."""
        with self._files.writing():
            for year, week, records in records_by_week(a.id for a in answers):
                self._files.change(year, week, lambda t: _clear_audio(t, records))  # noqa: B023 (called at once)


def _clear_audio(table: Table, record_ids: list[int]) -> None:
    present = [n for n in record_ids if table.contains(doc_id=n)]  # one may be erased meanwhile
    if present:
        table.update({"audio_file": None}, doc_ids=present)
