"""The journal on real TinyDB files: private, atomic, and honest about damage."""

from __future__ import annotations

import json
import os
import stat
import wave
from datetime import date

import pytest

from assistant.errors import UserError
from assistant.journal import FILE_NAME, SCHEMA_VERSION, AtomicJSONStorage, TinyJournal
from unit_helpers import make_answer, one_line


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def journal(data_dir):
    opened = TinyJournal(data_dir)
    yield opened
    opened.close()


def test_added_answers_come_back_with_their_ids_and_fields(journal):
    first = journal.add(make_answer(question_id="situation", transcript="I took a break"))
    second = journal.add(make_answer(question_id="value", transcript="calm", value="calm",
                                     started_at="2026-11-22T20:01:00+01:00"))
    answers = journal.answers()
    assert [a["id"] for a in answers] == [first, second]
    assert answers[0]["transcript"] == "I took a break"
    assert answers[1]["value"] == "calm"
    assert answers[1]["audio_file"] is None
    assert answers[0]["confidence"] == 0.9


def test_answers_survive_closing_and_reopening(data_dir):
    journal = TinyJournal(data_dir)
    answer_id = journal.add(make_answer(transcript="kept"))
    journal.close()
    reopened = TinyJournal(data_dir)
    assert [(a["id"], a["transcript"]) for a in reopened.answers()] == [(answer_id, "kept")]
    reopened.close()


def test_answers_are_sorted_oldest_first(journal):
    journal.add(make_answer(transcript="later", started_at="2026-11-22T21:00:00+01:00"))
    journal.add(make_answer(transcript="earlier", started_at="2026-11-22T20:00:00+01:00"))
    assert [a["transcript"] for a in journal.answers()] == ["earlier", "later"]


def test_remove_erases_only_that_answer(journal):
    keep = journal.add(make_answer(transcript="keep"))
    drop = journal.add(make_answer(transcript="drop"))
    journal.remove(drop)
    assert [a["id"] for a in journal.answers()] == [keep]


def test_removing_an_unknown_id_changes_nothing(journal):
    journal.add(make_answer())
    journal.remove(999)
    assert len(journal.answers()) == 1


def test_data_dir_is_created_0700_and_journal_file_is_0600(journal, data_dir):
    journal.add(make_answer())
    assert mode(data_dir) == 0o700
    assert journal.path == data_dir / FILE_NAME
    assert mode(journal.path) == 0o600


def test_an_existing_open_data_dir_and_journal_are_tightened(data_dir):
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    (data_dir / FILE_NAME).write_text("{}", encoding="utf-8")
    os.chmod(data_dir / FILE_NAME, 0o644)
    journal = TinyJournal(data_dir)
    journal.add(make_answer())
    journal.close()
    assert mode(data_dir) == 0o700
    assert mode(data_dir / FILE_NAME) == 0o600


def test_answer_with_audio_is_kept_as_a_private_wav_and_remove_deletes_it(journal, data_dir):
    pcm = (b"\x10\x00\xf0\xff") * 800  # 1600 samples of 16-bit audio
    answer_id = journal.add(make_answer(moment=2, question_id="effect"), pcm)
    stored = journal.answers()[0]
    assert stored["audio_file"] == "audio/20261122-200000-abcd-m2-effect.wav"
    wav_path = data_dir / stored["audio_file"]
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
    assert [a["transcript"] for a in journal.answers(since=date(2026, 11, 22))] == [
        "the 22nd", "the 23rd"]
    assert [a["transcript"] for a in journal.answers(since=date(2026, 11, 23))] == ["the 23rd"]
    assert journal.answers(since=date(2026, 11, 24)) == []


def test_damaged_journal_is_one_line_error_and_left_byte_for_byte(data_dir):
    data_dir.mkdir()
    damaged = data_dir / FILE_NAME
    garbage = b'{"answers": {"1": {"transcript": "half a'
    damaged.write_bytes(garbage)
    with pytest.raises(UserError) as caught:
        TinyJournal(data_dir)
    message = str(caught.value)
    assert one_line(message)
    assert str(damaged) in message and "damaged" in message and "untouched" in message
    assert damaged.read_bytes() == garbage
    assert sorted(p.name for p in data_dir.iterdir()) == [FILE_NAME]


def test_schema_version_is_stored_in_the_file(journal):
    journal.add(make_answer())
    stored = json.loads(journal.path.read_text(encoding="utf-8"))
    assert list(stored["meta"].values()) == [{"schema": SCHEMA_VERSION}]
    assert len(stored["answers"]) == 1


def test_journal_of_another_schema_is_refused_and_left_alone(data_dir):
    data_dir.mkdir()
    newer = json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "answers": {}}).encode()
    (data_dir / FILE_NAME).write_bytes(newer)
    with pytest.raises(UserError, match=f"schema {SCHEMA_VERSION + 1}.*update the assistant"):
        TinyJournal(data_dir)
    assert (data_dir / FILE_NAME).read_bytes() == newer


def test_an_empty_journal_file_starts_a_new_journal(data_dir):
    data_dir.mkdir()
    (data_dir / FILE_NAME).write_bytes(b"")
    journal = TinyJournal(data_dir)
    journal.add(make_answer())
    assert len(journal.answers()) == 1
    journal.close()


def test_atomic_storage_writes_private_json_and_leaves_no_temp_file(tmp_path):
    storage = AtomicJSONStorage(tmp_path / "db.json")
    assert storage.read() is None
    storage.write({"t": {"1": {"x": "é"}}})
    storage.write({"t": {"1": {"x": "second"}}})
    assert storage.read() == {"t": {"1": {"x": "second"}}}
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]
    assert mode(tmp_path / "db.json") == 0o600


def test_journal_writes_leave_no_temp_file(journal, data_dir):
    for n in range(3):
        journal.add(make_answer(transcript=f"answer {n}"))
    journal.remove(1)
    assert sorted(p.name for p in data_dir.iterdir()) == [FILE_NAME]
