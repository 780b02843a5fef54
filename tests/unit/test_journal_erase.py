"""Erasing from the journal: remove_many (for `assistant forget`) and expire_audio (keep_audio_days).

Real week files, backups and WAVs in tmp_path; what must be gone is checked on disk."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pytest
from unit_helpers import make_answer

import assistant.journal.tinyjournal
from assistant.journal.tinyjournal import TinyJournal

PCM = b"\x10\x00\xf0\xff" * 400
NOW = datetime.fromisoformat("2026-12-31T20:00:00+01:00")


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def journal(data_dir):
    return TinyJournal(data_dir)


def transcripts(journal: TinyJournal) -> list[str]:
    return [a.transcript for a in journal.answers()]


def test_remove_many_erases_exactly_those_answers_across_weeks(journal):
    keep = journal.add(make_answer(transcript="keep", started_at="2026-11-22T20:00:00+01:00"))
    drops = [journal.add(make_answer(transcript=f"drop {n}", started_at=f"2026-11-{n:02d}T20:00:00+01:00"))
             for n in (10, 22, 23)]
    assert journal.remove_many(drops) == 3
    assert [a.id for a in journal.answers()] == [keep]


def test_remove_many_writes_each_week_file_once(journal, monkeypatch):
    ids = [journal.add(make_answer(transcript=str(n))) for n in range(4)]
    ids.append(journal.add(make_answer(started_at="2026-01-05T20:00:00+01:00")))
    writes = []
    real_write = assistant.journal.tinyjournal.AtomicJSONStorage.write
    monkeypatch.setattr(assistant.journal.tinyjournal.AtomicJSONStorage, "write",
                        lambda self, data: (writes.append(self._path.name), real_write(self, data)))
    assert journal.remove_many(ids) == 5
    assert sorted(writes) == ["2026-W02.json", "2026-W47.json"]


def test_remove_many_deletes_the_wavs_of_erased_answers_only(journal, data_dir):
    drop = journal.add(make_answer(question_id="situation"), PCM)
    journal.add(make_answer(question_id="value", transcript="kept"), PCM)
    journal.remove_many([drop])
    assert [p.name for p in (data_dir / "audio").iterdir()] == ["20261122-200000-abcd-m1-value.wav"]
    assert transcripts(journal) == ["kept"]


def test_remove_many_of_unknown_ids_changes_and_creates_nothing(journal):
    journal.add(make_answer())
    before = sorted(p.name for p in journal.folder.rglob("*"))
    assert journal.remove_many([20264700099, 20300100001, 999]) == 0
    assert sorted(p.name for p in journal.folder.rglob("*")) == before
    assert len(journal.answers()) == 1


def test_remove_many_leaves_no_older_backup_holding_the_erased_words(data_dir):
    day = [date(2026, 11, 22)]
    journal = TinyJournal(data_dir, today=lambda: day[0])
    secret = journal.add(make_answer(transcript="secret words"))
    day[0] = date(2026, 11, 23)
    ordinary = journal.add(make_answer(transcript="ordinary", started_at="2026-11-21T20:00:00+01:00"))
    other_week = journal.add(make_answer(transcript="other week", started_at="2026-01-05T20:00:00+01:00"))
    day[0] = date(2026, 11, 24)
    journal.remove_many([secret])
    backups = journal.folder / "backups"
    assert [p.name for p in (backups / "2026-W47").iterdir()] == ["2026-11-24.json"]
    assert not [p for p in backups.rglob("*.json") if "secret words" in p.read_text()]
    assert [p.name for p in (backups / "2026-W02").iterdir()] == ["2026-11-23.json"]  # untouched
    assert {a.id for a in journal.answers()} == {other_week, ordinary}


def test_expire_audio_deletes_old_wavs_and_keeps_the_words(journal, data_dir):
    old = journal.add(make_answer(question_id="situation", transcript="old",
                                  started_at="2026-11-22T20:00:00+01:00"), PCM)
    journal.add(make_answer(question_id="value", transcript="recent",
                            started_at="2026-12-20T20:00:00+01:00"), PCM)
    assert journal.expire_audio(timedelta(days=30), NOW) == 1
    by_transcript = {a.transcript: a for a in journal.answers()}
    assert by_transcript["old"].audio_file is None and by_transcript["old"].id == old
    assert by_transcript["recent"].audio_file == "audio/20261122-200000-abcd-m1-value.wav"
    assert [p.name for p in (data_dir / "audio").iterdir()] == ["20261122-200000-abcd-m1-value.wav"]


def test_expire_audio_goes_by_the_answer_start_not_the_file_age(journal, data_dir):
    journal.add(make_answer(started_at="2026-11-22T20:00:00+01:00"), PCM)
    wav = next((data_dir / "audio").iterdir())
    os.utime(wav, (NOW.timestamp(), NOW.timestamp()))  # e.g. copied back from a backup today
    journal.expire_audio(timedelta(days=30), NOW)
    assert not wav.exists()
    assert journal.answers()[0].audio_file is None


def test_expire_audio_deletes_old_orphan_wavs_by_their_mtime(journal, data_dir):
    journal.add(make_answer(started_at="2026-12-30T20:00:00+01:00"), PCM)  # a referenced WAV
    old_orphan, new_orphan = data_dir / "audio" / "old.wav", data_dir / "audio" / "new.wav"
    for path, age in ((old_orphan, 31), (new_orphan, 29)):
        path.write_bytes(b"RIFF")
        stamp = (NOW - timedelta(days=age)).timestamp()
        os.utime(path, (stamp, stamp))
    assert journal.expire_audio(timedelta(days=30), NOW) == 1
    assert sorted(p.name for p in (data_dir / "audio").iterdir()) == [
        "20261122-200000-abcd-m1-situation.wav", "new.wav"]


def test_expire_audio_without_kept_audio_changes_nothing(journal, data_dir):
    journal.add(make_answer(started_at="2020-01-06T20:00:00+01:00"))
    before = {p: p.read_bytes() for p in journal.folder.rglob("*.json")}
    assert journal.expire_audio(timedelta(days=1), NOW) == 0
    assert {p: p.read_bytes() for p in journal.folder.rglob("*.json")} == before
    assert not (data_dir / "audio").exists()
