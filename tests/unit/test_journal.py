"""The journal on real TinyDB files: private, atomic, and honest about damage."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import stat
import wave
from dataclasses import asdict
from datetime import date

import pytest
from unit_helpers import make_answer, one_line, write_toml

from assistant.config import load_config
from assistant.errors import UserError
from assistant.journal.storage import AtomicJSONStorage, DamagedFile
from assistant.journal.tinyjournal import LEGACY_FILE, SCHEMA_VERSION, TinyJournal


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def journal(data_dir):
    return TinyJournal(data_dir)


def test_added_answers_come_back_with_their_ids_and_fields(journal):
    first = journal.add(make_answer(question_id="situation", transcript="I took a break"))
    second = journal.add(make_answer(question_id="value", transcript="calm", value="calm",
                                     started_at="2026-11-22T20:01:00+01:00"))
    answers = journal.answers()
    assert [a.id for a in answers] == [first, second]
    assert answers[0].transcript == "I took a break"
    assert answers[1].value == "calm"
    assert answers[1].audio_file is None
    assert answers[0].confidence == 0.9


def test_answers_survive_closing_and_reopening(data_dir):
    journal = TinyJournal(data_dir)
    answer_id = journal.add(make_answer(transcript="kept"))
    del journal  # nothing stays open between calls: there is nothing to close
    reopened = TinyJournal(data_dir)
    assert [(a.id, a.transcript) for a in reopened.answers()] == [(answer_id, "kept")]


def test_answers_are_sorted_oldest_first(journal):
    journal.add(make_answer(transcript="later", started_at="2026-11-22T21:00:00+01:00"))
    journal.add(make_answer(transcript="earlier", started_at="2026-11-22T20:00:00+01:00"))
    assert [a.transcript for a in journal.answers()] == ["earlier", "later"]


def test_remove_erases_only_that_answer(journal):
    keep = journal.add(make_answer(transcript="keep"))
    drop = journal.add(make_answer(transcript="drop"))
    journal.remove(drop)
    assert [a.id for a in journal.answers()] == [keep]


def test_removing_an_unknown_id_changes_nothing(journal):
    journal.add(make_answer())
    journal.remove(999)
    journal.remove(20264700099)
    assert len(journal.answers()) == 1


def test_every_file_and_folder_of_the_journal_is_private(journal, data_dir):
    journal.add(make_answer(), b"\x01\x00" * 160)
    journal.add(make_answer(started_at="2026-01-05T20:00:00+01:00"))
    for path in [data_dir, *data_dir.rglob("*")]:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_an_existing_open_data_dir_is_tightened(data_dir):
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    journal = TinyJournal(data_dir)
    journal.add(make_answer())
    assert mode(data_dir) == 0o700
    assert mode(journal.folder / "2026-W47.json") == 0o600


def test_answer_with_audio_is_kept_as_a_private_wav_and_remove_deletes_it(journal, data_dir):
    pcm = (b"\x10\x00\xf0\xff") * 800  # 1600 samples of 16-bit audio
    answer_id = journal.add(make_answer(moment=2, question_id="effect"), pcm)
    stored = journal.answers()[0]
    assert stored.audio_file == "audio/20261122-200000-abcd-m2-effect.wav"
    wav_path = data_dir / stored.audio_file
    assert mode(data_dir / "audio") == 0o700
    assert mode(wav_path) == 0o600
    with wave.open(str(wav_path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.readframes(wav.getnframes()) == pcm
    assert [p.name for p in (data_dir / "audio").iterdir()] == [wav_path.name]  # no temp file

    journal.remove(answer_id)
    assert not wav_path.exists()
    assert journal.answers() == []


def test_answer_without_audio_writes_no_audio_folder(journal, data_dir):
    journal.add(make_answer(), None)
    journal.add(make_answer(), b"")
    assert not (data_dir / "audio").exists()


def test_since_filters_by_the_local_date_of_each_answer(journal):
    journal.add(make_answer(transcript="the 21st", started_at="2026-11-21T23:59:00+01:00"))
    # 00:30 local on the 23rd is still the 22nd in UTC: the local date must count
    journal.add(make_answer(transcript="the 23rd", started_at="2026-11-23T00:30:00+01:00"))
    journal.add(make_answer(transcript="the 22nd", started_at="2026-11-22T20:00:00+01:00"))
    assert [a.transcript for a in journal.answers(since=date(2026, 11, 22))] == [
        "the 22nd", "the 23rd"]
    assert [a.transcript for a in journal.answers(since=date(2026, 11, 23))] == ["the 23rd"]
    assert journal.answers(since=date(2026, 11, 24)) == []


WEEK47 = "2026-W47.json"


def week_file(data_dir, name=WEEK47):
    return data_dir / "journal" / name


def test_each_answer_goes_to_the_file_of_its_local_iso_week(journal, data_dir):
    sunday = journal.add(make_answer(started_at="2026-11-22T23:30:00+01:00"))
    # 00:30 local on Monday is still Sunday in UTC: the local date decides the week
    monday = journal.add(make_answer(started_at="2026-11-23T00:30:00+01:00"))
    assert sorted(p.name for p in (data_dir / "journal").glob("*.json")) == [WEEK47, "2026-W48.json"]
    assert [a.id for a in journal.week(2026, 47)] == [sunday]
    assert [a.id for a in journal.week(2026, 48)] == [monday]


def test_ids_are_unique_across_week_files_and_remove_finds_the_right_one(journal):
    ids = [journal.add(make_answer(transcript=f"w{n}", started_at=f"2026-0{n}-10T20:00:00+01:00"))
           for n in range(1, 5)]
    assert len(set(ids)) == 4
    journal.remove(ids[2])
    assert [a.transcript for a in journal.answers()] == ["w1", "w2", "w4"]


def test_week_of_a_year_without_answers_is_empty(journal):
    journal.add(make_answer())
    assert journal.week(2025, 47) == []


def test_until_and_script_filter_answers(journal):
    journal.add(make_answer(transcript="old", started_at="2026-10-01T20:00:00+02:00"))
    journal.add(make_answer(transcript="other", script="gratitude", started_at="2026-11-01T20:00:00+01:00"))
    journal.add(make_answer(transcript="new", started_at="2026-11-22T20:00:00+01:00"))
    assert [a.transcript for a in journal.answers(until=date(2026, 11, 1))] == ["old", "other"]
    assert [a.transcript for a in journal.answers(since=date(2026, 10, 2), script="compass")] == ["new"]


def test_schema_version_is_stored_in_each_week_file_with_a_checksum(journal, data_dir):
    journal.add(make_answer())
    stored = json.loads(week_file(data_dir).read_text(encoding="utf-8"))
    assert list(stored["meta"].values()) == [{"schema": SCHEMA_VERSION}]
    assert len(stored["answers"]) == 1
    assert len(stored["sha256"]) == 64


def test_week_file_of_another_schema_is_refused_and_left_alone(journal, data_dir):
    journal.add(make_answer())
    path = week_file(data_dir)
    tables = AtomicJSONStorage(path).read()
    tables["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    AtomicJSONStorage(path).write(tables)
    newer = path.read_bytes()
    with pytest.raises(UserError, match=f"schema {SCHEMA_VERSION + 1}.*update the assistant"):
        TinyJournal(data_dir)
    assert path.read_bytes() == newer


def legacy_journal(data_dir, answers):
    data_dir.mkdir(exist_ok=True)
    tables = {"meta": {"1": {"schema": 1}},
              "answers": {str(n): asdict(a) for n, a in enumerate(answers, start=1)}}
    (data_dir / LEGACY_FILE).write_text(json.dumps(tables), encoding="utf-8")


def test_a_schema_1_journal_is_migrated_into_week_files_on_open(data_dir):
    legacy_journal(data_dir, [make_answer(transcript="nov", value="calm"),
                              make_answer(transcript="jan", started_at="2026-01-05T20:00:00+01:00")])
    journal = TinyJournal(data_dir)
    assert [(a.transcript, a.value) for a in journal.answers()] == [("jan", None), ("nov", "calm")]
    assert not (data_dir / LEGACY_FILE).exists()
    assert (data_dir / "journal" / "backups" / "journal-schema1.json").is_file()
    journal.add(make_answer(transcript="after"))
    assert len(TinyJournal(data_dir).answers()) == 3  # a second open migrates nothing again


def test_a_migration_cut_short_reruns_without_duplicates(data_dir):
    legacy_journal(data_dir, [make_answer(transcript="a"), make_answer(transcript="b")])
    TinyJournal(data_dir)
    kept = data_dir / "journal" / "backups" / "journal-schema1.json"
    kept.rename(data_dir / LEGACY_FILE)  # as if the crash came before the old file was moved
    assert [a.transcript for a in TinyJournal(data_dir).answers()] == ["a", "b"]


def test_damaged_schema_1_journal_is_one_line_error_and_left_byte_for_byte(data_dir):
    data_dir.mkdir()
    garbage = b'{"answers": {"1": {"transcript": "half a'
    (data_dir / LEGACY_FILE).write_bytes(garbage)
    with pytest.raises(UserError) as caught:
        TinyJournal(data_dir)
    assert one_line(str(caught.value)) and "damaged" in str(caught.value)
    assert (data_dir / LEGACY_FILE).read_bytes() == garbage


def test_damaged_file_is_moved_aside_restored_from_backup_with_one_warning(journal, data_dir, caplog):
    journal.add(make_answer(transcript="first"))
    journal.add(make_answer(transcript="second"))
    path = week_file(data_dir)
    garbage = path.read_bytes()[:40]
    path.write_bytes(garbage)
    with caplog.at_level(logging.WARNING):
        reopened = TinyJournal(data_dir)
    assert [a.transcript for a in reopened.answers()] == ["first", "second"]
    aside = list((data_dir / "journal").glob("2026-W47.damaged-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage and mode(aside[0]) == 0o600
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and one_line(warnings[0])
    assert "damaged" in warnings[0] and aside[0].name in warnings[0] and "restored" in warnings[0]


def test_garbage_that_still_parses_is_caught_by_the_checksum(journal, data_dir):
    journal.add(make_answer(transcript="I was brave"))
    path = week_file(data_dir)
    path.write_bytes(path.read_bytes().replace(b"brave", b"crazy"))
    assert [a.transcript for a in journal.answers()] == ["I was brave"]


def test_the_newest_good_backup_wins_when_newer_ones_are_damaged(data_dir):
    today = [date(2026, 11, 20)]
    journal = TinyJournal(data_dir, today=lambda: today[0])
    journal.add(make_answer(transcript="on the 20th"))
    today[0] = date(2026, 11, 21)
    journal.add(make_answer(transcript="on the 21st"))
    backups = data_dir / "journal" / "backups" / "2026-W47"
    (backups / "2026-11-21.json").write_bytes(b"\x00" * 30)
    week_file(data_dir).write_bytes(b"")
    assert [a.transcript for a in journal.answers()] == ["on the 20th"]


def test_without_any_good_backup_the_week_starts_empty_and_says_so(journal, data_dir, caplog):
    journal.add(make_answer())
    shutil.rmtree(data_dir / "journal" / "backups" / "2026-W47")
    week_file(data_dir).write_bytes(b"{{{")
    with caplog.at_level(logging.WARNING):
        assert journal.answers() == []
    assert "no good backup" in caplog.text
    assert journal.add(make_answer())  # and writing goes on


def test_backups_are_daily_and_rotated_to_the_configured_count(data_dir):
    today = [date(2026, 11, 1)]
    journal = TinyJournal(data_dir, backups=3, today=lambda: today[0])
    for day in range(1, 7):
        today[0] = date(2026, 11, day)
        journal.add(make_answer(transcript=f"day {day}"))
        journal.add(make_answer(transcript=f"day {day}, later"))
    kept = sorted(p.name for p in (data_dir / "journal" / "backups" / "2026-W47").iterdir())
    assert kept == ["2026-11-04.json", "2026-11-05.json", "2026-11-06.json"]
    newest = AtomicJSONStorage(data_dir / "journal" / "backups" / "2026-W47" / "2026-11-06.json").read()
    assert len(newest["answers"]) == 12  # the newest backup is the last durable state


def test_power_loss_damage_at_random_offsets_always_reopens_with_the_last_durable_state(data_dir):
    """Truncation, garbage over bytes, garbage temp files: the journal comes back whole each time."""
    rng = random.Random(47)
    journal = TinyJournal(data_dir)
    for n in range(12):
        journal.add(make_answer(transcript=f"answer {n}", started_at=f"2026-11-{10 + n}T20:00:00+01:00"))
    expected = journal.answers()
    for trial in range(60):
        files = sorted((data_dir / "journal").glob("????-W??.json"))
        victim = rng.choice(files)
        raw = victim.read_bytes()
        offset = rng.randrange(len(raw))
        kind = trial % 3
        if kind == 0:
            victim.write_bytes(raw[:offset])
        elif kind == 1:
            victim.write_bytes(raw[:offset] + rng.randbytes(rng.randint(1, 64)) + raw[offset + 64:])
        (victim.parent / f".{victim.name}.tmp").write_bytes(rng.randbytes(offset))
        assert TinyJournal(data_dir).answers() == expected, f"trial {trial}, kind {kind}"
        assert not list((data_dir / "journal").glob(".*.tmp"))


def test_a_truncated_file_never_reads_as_a_valid_one(tmp_path):
    storage = AtomicJSONStorage(tmp_path / "w.json")
    storage.write({"answers": {"1": {"transcript": "x"}}})
    raw = (tmp_path / "w.json").read_bytes()
    for cut in range(len(raw)):
        (tmp_path / "w.json").write_bytes(raw[:cut])
        with pytest.raises(DamagedFile):
            storage.read()


def test_atomic_storage_writes_private_checksummed_json_and_leaves_no_temp_file(tmp_path):
    storage = AtomicJSONStorage(tmp_path / "db.json")
    assert storage.read() is None
    storage.write({"t": {"1": {"x": "é"}}})
    storage.write({"t": {"1": {"x": "second"}}})
    assert storage.read() == {"t": {"1": {"x": "second"}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]
    assert mode(tmp_path / "db.json") == 0o600


def test_journal_writes_leave_no_temp_file(journal, data_dir):
    ids = [journal.add(make_answer(transcript=f"answer {n}")) for n in range(3)]
    journal.remove(ids[0])
    assert not [p for p in data_dir.rglob("*") if p.name.endswith(".tmp")]


def test_backup_count_is_configured_under_journal_and_checked(tmp_path):
    assert load_config().journal.backups == 7
    write_toml(tmp_path / "c.toml", "[journal]\nbackups = 2\n")
    assert load_config(tmp_path / "c.toml").journal.backups == 2
    write_toml(tmp_path / "bad.toml", "[journal]\nbackups = 0\n")
    with pytest.raises(UserError, match="journal.backups: expected a whole number of days from 1 to 365"):
        load_config(tmp_path / "bad.toml")
    write_toml(tmp_path / "typo.toml", "[journal]\nbackup = 2\n")
    with pytest.raises(UserError, match="unknown key 'journal.backup'"):
        load_config(tmp_path / "typo.toml")
