"""Faults a real card causes, injected at the OS boundary of the journal's files: a full disk, a
read-only folder, a lock that is a folder, damaged and poisoned week files, and an I/O-error
sweep over every open/write/fsync/rename of one typed session (as SQLite's ioerr tests do).

Each test checks the one line the person gets, the exit code, and exactly what is stored.
The same faults on a real tmpfs, a real read-only mount and another user's folder are in
tests/integration/test_faults_storage_real.py.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import re
import stat
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from fault_injection import OPS, Faults, Switch, nth_call
from unit_helpers import make_answer

from assistant.cli import main
from assistant.clock import iso, local_now
from assistant.errors import UserError
from assistant.journal.storage import AtomicJSONStorage, encode
from assistant.journal.tinyjournal import TinyJournal
from assistant.weeks import week_name, week_of

TYPED = ["I could take a break or keep working", "Courage, I think", "I took the break",
         "relieved", "it was my own choice", "someone who listens to herself"]
SESSION = "\n".join([*TYPED, "no"]) + "\n"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


class Lines(io.StringIO):
    """Typed answers; before_line(n) runs as line n (0-based) is read: the disk fills or frees."""

    def __init__(self, text: str, before_line=lambda n: None):
        super().__init__(text)
        self._n, self._before = 0, before_line

    def readline(self, *args):
        self._before(self._n)
        self._n += 1
        return super().readline(*args)


def typed_session(monkeypatch, capsys, data_dir, stdin=None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", stdin or io.StringIO(SESSION))
    code = main(["reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def stored(data_dir: Path) -> list[str]:
    return [a.transcript for a in TinyJournal(data_dir).answers()]


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("assistant: ") and "Traceback" not in err
    return lines[0]


def strays(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.name.endswith(".tmp")]


def assert_private_and_intact(data_dir: Path) -> None:
    """Every file 0600, every folder 0700, every week file and backup passing its checksum."""
    for path in [data_dir, *data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
        if path.suffix == ".json" and path.name != "profile.json":
            AtomicJSONStorage(path).read()  # raises DamagedFile if half-written
    assert strays(data_dir) == []


# --- full disk (ENOSPC) during a session ---------------------------------------------------

def test_full_disk_at_one_answer_holds_it_and_writes_it_with_the_next(monkeypatch, capsys, data_dir):
    full = Switch()
    Faults(data_dir, full).install(monkeypatch)
    lines = Lines(SESSION, lambda n: setattr(full, "on", n == 1))  # full while answer 2 is stored
    code, _, err = typed_session(monkeypatch, capsys, data_dir, lines)
    assert code == 0
    assert one_line(err).endswith("6 answers kept in "
                                  f"{data_dir} (a write failed (No space left on device) and "
                                  "succeeded when tried again)")
    assert stored(data_dir) == TYPED  # in order, none twice
    assert_private_and_intact(data_dir)


def test_full_disk_to_the_end_says_in_one_line_how_many_answers_are_kept(monkeypatch, capsys, data_dir):
    full = Switch()
    Faults(data_dir, full).install(monkeypatch)
    lines = Lines(SESSION, lambda n: setattr(full, "on", full.on or n == 2))  # full from answer 3
    code, out, err = typed_session(monkeypatch, capsys, data_dir, lines)
    assert code == 1
    assert one_line(err) == (
        f"assistant: the disk is full: 2 answers of this session are kept, 4 could not be written; "
        f"free space on the disk of {data_dir} (df -h {data_dir}) and run `assistant reflect` again")
    assert "I could not keep all of your answers" in out  # said (printed when quiet) too
    full.on = False
    assert stored(data_dir) == TYPED[:2]
    assert_private_and_intact(data_dir)  # the failed writes left no partial temp file


def test_space_freed_before_the_end_of_the_session_writes_every_held_answer(monkeypatch, capsys, data_dir):
    full = Switch()
    Faults(data_dir, full).install(monkeypatch)
    lines = Lines(SESSION, lambda n: setattr(full, "on", n in (4, 5)))  # answers 5 and 6 held
    code, _, err = typed_session(monkeypatch, capsys, data_dir, lines)
    assert code == 0 and "6 answers kept" in one_line(err)
    assert stored(data_dir) == TYPED


def test_undo_of_an_answer_the_disk_refused_means_it_is_never_written(monkeypatch, capsys, data_dir):
    full = Switch()
    Faults(data_dir, full).install(monkeypatch)
    session = "\n".join([TYPED[0], "Courage, I think", "undo", "honesty", *TYPED[2:], "no"]) + "\n"
    lines = Lines(session, lambda n: setattr(full, "on", n == 1))  # "Courage" is held, then undone
    code, _, err = typed_session(monkeypatch, capsys, data_dir, lines)
    assert code == 0 and "6 answers kept" in one_line(err)
    assert stored(data_dir) == [TYPED[0], "honesty", *TYPED[2:]]


def test_a_daily_backup_the_disk_refuses_costs_no_answer(monkeypatch, capsys, data_dir):
    Faults(data_dir, lambda op, path, writing: errno.ENOSPC if "/backups/" in path and writing
           else None).install(monkeypatch)
    code, _, err = typed_session(monkeypatch, capsys, data_dir)
    assert code == 0
    assert one_line(err).endswith("(a daily backup could not be refreshed (No space left on device); "
                                  "the answers are kept)")
    monkeypatch.undo()
    assert stored(data_dir) == TYPED


def test_stray_temp_files_of_interrupted_writes_are_removed_when_the_journal_opens(data_dir):
    journal = TinyJournal(data_dir)
    journal.add(make_answer(audio_seconds=1.0), b"\x00\x01" * 50)
    leftovers = [data_dir / "journal" / ".2026-W47.json.tmp", data_dir / ".profile.json.tmp",
                 data_dir / "journal" / "backups" / "2026-W47" / ".2026-11-22.json.tmp",
                 data_dir / "audio" / ".s-m1-situation.wav.tmp"]
    for stray in leftovers:
        stray.write_bytes(b"{\"answers\": {\"1\": {\"trans")  # what a full disk cut off
    TinyJournal(data_dir)
    assert strays(data_dir) == []
    assert stored(data_dir) == ["I took a break"]


def test_a_full_disk_outside_a_session_changes_nothing_and_says_so(monkeypatch, capsys, data_dir):
    answer_id = TinyJournal(data_dir).add(make_answer(transcript="brake"))
    Faults(data_dir, Switch()).install(monkeypatch).rule.on = True
    assert main(["edit", str(answer_id), "--text", "break", "--data-dir", str(data_dir)]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"assistant: the disk is full: nothing was changed; free space on the disk of {data_dir} "
        f"(df -h {data_dir})")
    monkeypatch.undo()
    assert stored(data_dir) == ["brake"]
    assert_private_and_intact(data_dir)


# --- read-only folder, a lock that is a folder ------------------------------------------------

def read_only(monkeypatch, data_dir: Path) -> Faults:
    """What a card remounted read-only does: every writing call fails with EROFS."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
        False if str(path).startswith(str(data_dir)) and mode & os.W_OK else real_access(path, mode, **kw)))
    for name in ("unlink", "chmod", "mkdir"):
        real = getattr(os, name)

        def refuse(path, *args, _real=real, **kw):
            if str(path).startswith(str(data_dir)):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return _real(path, *args, **kw)
        monkeypatch.setattr(os, name, refuse)
    return Faults(data_dir, lambda op, path, writing: errno.EROFS if writing else None).install(monkeypatch)


def past_week(data_dir: Path) -> str:
    TinyJournal(data_dir).add(make_answer(transcript="I took a break", started_at="2026-11-18T20:00:00+01:00"))
    (data_dir / "journal.lock").unlink()  # never made on a card that was read-only from the start
    return "2026-W47"


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


@pytest.mark.parametrize("command, shows", [(["export", "--format", "csv"], "I took a break"),
                                            (["list"], "1 answer"),
                                            (["summary", "--text", "--quiet", "--week", "2026-W47"], "1 moment")])
def test_reading_commands_work_on_a_read_only_folder(monkeypatch, capsys, data_dir, command, shows, caplog):
    past_week(data_dir)
    before = snapshot(data_dir)
    read_only(monkeypatch, data_dir)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main([*command, "--lang", "en", "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert shows in out
    assert err == ""
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if command[0] == "summary":  # said, but it cannot be stored for --replay: one line says so
        assert warned == [f"the data folder {data_dir} is read-only: this summary is not stored, "
                          "so --replay cannot say it again"]
    else:
        assert warned == []
    monkeypatch.undo()
    assert snapshot(data_dir) == before


def test_a_damaged_file_on_a_read_only_folder_is_read_as_repairing_would_leave_it(monkeypatch, capsys,
                                                                                  data_dir, caplog):
    past_week(data_dir)
    week = data_dir / "journal" / "2026-W47.json"
    week.write_bytes(week.read_bytes()[:-30])  # cut off by a failing card
    before = snapshot(data_dir)
    read_only(monkeypatch, data_dir)
    assert main(["export", "--format", "csv", "--data-dir", str(data_dir)]) == 0
    assert "I took a break" in capsys.readouterr().out
    (warned,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warned.startswith("journal file 2026-W47.json is damaged (not readable JSON")
    assert warned.endswith(f"and the data folder is read-only: read as repairing would leave it "
                           f"(restored from the backup of {date.today().isoformat()})")
    monkeypatch.undo()
    assert snapshot(data_dir) == before  # nothing moved aside or written on the read-only card


@pytest.mark.parametrize("command", [["reflect", "--text", "--quiet"], ["edit", "20264700001", "--text", "x"],
                                     ["forget", "--all", "--yes"]])
def test_writing_commands_on_a_read_only_folder_say_so_in_one_line(monkeypatch, capsys, data_dir, command):
    past_week(data_dir)
    read_only(monkeypatch, data_dir)
    monkeypatch.setattr(sys, "stdin", io.StringIO(SESSION))
    assert main([*command, "--lang", "en", "--data-dir", str(data_dir)]) == 1
    assert one_line(capsys.readouterr().err).startswith(
        f"assistant: the data folder {data_dir} is read-only: nothing was changed; make it writable")
    monkeypatch.undo()
    assert stored(data_dir) == ["I took a break"]


@pytest.mark.parametrize("command", [["export"], ["reflect", "--text", "--quiet"]])
def test_a_lock_file_that_is_a_folder_is_one_line(monkeypatch, capsys, data_dir, command):
    past_week(data_dir)
    (data_dir / "journal.lock").mkdir()
    monkeypatch.setattr(sys, "stdin", io.StringIO(SESSION))
    assert main([*command, "--lang", "en", "--data-dir", str(data_dir)]) == 1
    lock = data_dir / "journal.lock"
    assert one_line(capsys.readouterr().err) == (
        f"assistant: the lock file {lock} is a folder; remove it (rmdir {lock}) and try again")


def test_a_data_folder_that_cannot_be_read_is_one_line(monkeypatch, capsys, data_dir):
    past_week(data_dir)
    Faults(data_dir, lambda op, path, writing: errno.EIO if path.endswith("W47.json") else None
           ).install(monkeypatch)
    assert main(["export", "--data-dir", str(data_dir)]) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"assistant: cannot read {data_dir / 'journal' / '2026-W47.json'} "
                           "(Input/output error); the card may be failing")


# --- a week file that fails its checksum but parses ------------------------------------------

def test_checksum_mismatch_restores_the_backup_and_keeps_newer_answers(monkeypatch, capsys, data_dir, caplog):
    journal = TinyJournal(data_dir, today=lambda: __import__("datetime").date(2026, 11, 22))
    journal.add(make_answer(transcript="first", started_at="2026-11-22T20:00:00+01:00"))
    journal.add(make_answer(transcript="brake", started_at="2026-11-22T20:01:00+01:00"))
    with pytest.MonkeyPatch.context() as refusing:  # the backup of the third could not be refreshed
        Faults(data_dir / "journal" / "backups", Switch()).install(refusing).rule.on = True
        journal.add(make_answer(transcript="third", started_at="2026-11-22T20:02:00+01:00"))
    week = data_dir / "journal" / "2026-W47.json"
    tables = json.loads(week.read_text(encoding="utf-8"))
    tables["answers"]["2"]["transcript"] = "break"  # fixed by hand: the checksum no longer matches
    week.write_text(json.dumps(tables), encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        answers = TinyJournal(data_dir).answers()
    assert [a.transcript for a in answers] == ["first", "brake", "third"]
    assert [a.id for a in answers] == [20264700001, 20264700002, 20264700003]
    aside = next((data_dir / "journal").glob("2026-W47.damaged-*.json"))
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "journal file 2026-W47.json was damaged (checksum mismatch): restored from the backup of "
        "2026-11-22 and kept 1 answer of the damaged file newer than the backup; 1 answer changed "
        "since the backup stayed as in the backup (change a transcript with `assistant edit ID`); "
        f"the file as found is kept at {aside}"]
    assert json.loads(aside.read_text())["answers"]["2"]["transcript"] == "break"  # kept for the person
    AtomicJSONStorage(week).read()  # the restored file passes its checksum


def test_a_parseable_file_without_any_backup_keeps_its_readable_answers(data_dir, caplog):
    TinyJournal(data_dir).add(make_answer(transcript="kept"))
    week = data_dir / "journal" / "2026-W47.json"
    for backup in (data_dir / "journal" / "backups").rglob("*.json"):
        backup.unlink()
    tables = json.loads(week.read_text())
    del tables["sha256"]
    week.write_text(json.dumps(tables))
    with caplog.at_level(logging.WARNING):
        assert stored(data_dir) == ["kept"]
    assert "(no checksum): no good backup, so kept 1 answer of the damaged file that could be read" in caplog.text


# --- a valid-checksum file with a bad record ----------------------------------------------------

def poisoned_week(data_dir: Path) -> Path:
    """A week file with a correct checksum whose records 2-4 are not answers."""
    journal = TinyJournal(data_dir)
    journal.add(make_answer(transcript="good one", value="courage", question_id="value",
                            started_at="2026-11-18T20:00:00+01:00"))
    week = data_dir / "journal" / "2026-W47.json"
    tables = AtomicJSONStorage(week).read()
    good = tables["answers"]["1"]
    tables["answers"]["2"] = "hello"
    tables["answers"]["3"] = {k: v for k, v in good.items() if k != "started_at"}
    tables["answers"]["4"] = {**good, "started_at": "yesterday"}
    week.write_bytes(encode(tables))
    return week


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["export", "--format", "csv"],
                                     ["export", "--format", "md"], ["list"],
                                     ["summary", "--text", "--quiet", "--week", "2026-W47"]])
def test_bad_records_are_skipped_with_one_warning_each(monkeypatch, capsys, data_dir, command, caplog):
    week = poisoned_week(data_dir)
    before = week.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main([*command, "--lang", "en", "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert ("good one" in out) or ("1 answer" in out) or ("1 moment" in out)
    assert "Traceback" not in err
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"journal file {week}: record 2 (answer id 20264700002) of answers skipped (not a record "
        "but str 'hello'); the other records are read as usual",
        f"journal file {week}: record 3 (answer id 20264700003) of answers skipped (no started_at); "
        "the other records are read as usual",
        f"journal file {week}: record 4 (answer id 20264700004) of answers skipped (started_at "
        "'yesterday' is not a time like 2026-11-22T20:00:00+01:00); the other records are read as usual"]
    if command[0] != "summary":
        assert week.read_bytes() == before  # reading leaves the file as it was


def test_a_session_after_a_bad_record_stores_as_usual_and_leaves_the_record_alone(monkeypatch, capsys, data_dir):
    week = poisoned_week(data_dir)
    before = AtomicJSONStorage(week).read()["answers"]
    journal = TinyJournal(data_dir)
    new_id = journal.add(make_answer(transcript="later that week", started_at="2026-11-19T20:00:00+01:00"))
    after = AtomicJSONStorage(week).read()["answers"]
    assert new_id == 20264700005
    assert {k: after[k] for k in before} == before  # the bad records are left as found
    assert [a.transcript for a in journal.answers()] == ["good one", "later that week"]


def test_a_record_number_that_is_not_a_number_is_read_around_and_refused_in_one_line_on_writing(data_dir):
    week = poisoned_week(data_dir)
    tables = AtomicJSONStorage(week).read()
    tables["answers"] = {"1": tables["answers"]["1"], "x": tables["answers"]["1"]}
    week.write_bytes(encode(tables))
    journal = TinyJournal(data_dir)
    assert [a.transcript for a in journal.answers()] == ["good one"]
    with pytest.raises(UserError) as refused:
        journal.add(make_answer(started_at="2026-11-19T20:00:00+01:00"))
    assert str(refused.value).startswith(f"the journal file {week} holds a record that cannot be changed")
    assert AtomicJSONStorage(week).read() == tables  # left as it was


# --- assistant edit ------------------------------------------------------------------------------

def test_edit_with_text_changes_the_transcript_through_the_journal(capsys, data_dir):
    answer_id = TinyJournal(data_dir).add(make_answer(question_id="value", transcript="currage",
                                                      value=None, confidence=0.41))
    assert main(["edit", str(answer_id), "--text", "courage", "--data-dir", str(data_dir)]) == 0
    assert one_line(capsys.readouterr().err) == (
        f"assistant: answer {answer_id} changed (value of session 20261122-200000-abcd)")
    week = data_dir / "journal" / "2026-W47.json"
    record = AtomicJSONStorage(week).read()["answers"]["1"]  # checksum valid
    assert (record["transcript"], record["value"], record["confidence"]) == ("courage", "courage", None)
    assert record["edited_at"]
    backup = next((data_dir / "journal" / "backups" / "2026-W47").glob("*.json"))
    assert AtomicJSONStorage(backup).read()["answers"]["1"]["transcript"] == "courage"
    assert not list((data_dir / "journal").glob("*.damaged-*"))


def test_edit_opens_the_editor_on_the_transcript(monkeypatch, capsys, data_dir, tmp_path):
    answer_id = TinyJournal(data_dir).add(make_answer(transcript="I took a brake"))
    monkeypatch.setenv("EDITOR", "sed -i s/brake/break/")
    assert main(["edit", str(answer_id), "--data-dir", str(data_dir)]) == 0
    assert stored(data_dir) == ["I took a break"]
    assert "changed" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("args, expected", [
    (["20264700099", "--text", "x"], "assistant: no answer 20264700099; `assistant list` shows the ids"),
    (["20264700001", "--text", "  "], "assistant: the new text is empty, so nothing changed; to erase "
                                       "an answer use `assistant forget`"),
    (["20264700001"], "assistant: no editor is set: set EDITOR (for example `export EDITOR=nano`), "
                      "or give the new words with --text \"...\""),
])
def test_edit_mistakes_are_one_line_and_change_nothing(monkeypatch, capsys, data_dir, args, expected):
    TinyJournal(data_dir).add(make_answer(transcript="kept"))
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["edit", *args, "--data-dir", str(data_dir)]) == 1
    assert one_line(capsys.readouterr().err) == expected
    assert stored(data_dir) == ["kept"]


# --- assistant list -------------------------------------------------------------------------------

def test_list_shows_sessions_with_date_script_count_ids_and_audio(capsys, data_dir):
    journal = TinyJournal(data_dir)
    kept = journal.add(make_answer(question_id="situation", audio_seconds=1.0), b"\x01\x00" * 80)
    gone = journal.add(make_answer(question_id="value", started_at="2026-11-22T20:01:00+01:00"), b"\x01\x00" * 80)
    plain = journal.add(make_answer(session_id="s2", script="verzet", question_id="tension",
                                    started_at="2026-11-23T21:00:00+01:00"))
    (data_dir / "audio" / "20261122-200000-abcd-m1-value.wav").unlink()
    assert main(["list", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == (
        "2026-11-22 20:00  compass  2 answers  session 20261122-200000-abcd\n"
        f"  {kept}  moment 1  situation    audio kept\n"
        f"  {gone}  moment 1  value        audio missing\n"
        "2026-11-23 21:00  verzet  1 answer  session s2\n"
        f"  {plain}  moment 1  tension      audio none\n")
    assert main(["list", "--format", "json", "--data-dir", str(data_dir)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [[a["audio"] for a in s["answers"]] for s in listed] == [["kept", "missing"], ["none"]]


# --- the I/O-error sweep ----------------------------------------------------------------------------

def earlier_answer(data_dir: Path) -> str:
    """One answer from earlier this week, so the session rewrites an existing week file."""
    earlier = local_now() - timedelta(minutes=5)
    TinyJournal(data_dir).add(make_answer(transcript="from before", started_at=iso(earlier)))
    return week_name(*week_of(iso(earlier)))


def counted_calls(monkeypatch, capsys, data_dir) -> int:
    earlier_answer(data_dir)
    with pytest.MonkeyPatch.context() as patch:
        faults = Faults(data_dir).install(patch)
        code, _, _ = typed_session(patch, capsys, data_dir)
    assert code == 0 and {op for op, _ in faults.calls} == set(OPS)
    return len(faults.calls)


SWEEPS = {"ENOSPC from the Nth call on": (errno.ENOSPC, True), "EIO at the Nth call only": (errno.EIO, False)}


@pytest.mark.parametrize("sweep", SWEEPS)
def test_io_error_sweep_over_every_call_of_a_typed_session(monkeypatch, capsys, tmp_path, sweep, caplog):
    code_to_fail, persist = SWEEPS[sweep]
    total = counted_calls(monkeypatch, capsys, tmp_path / "count")
    assert total > 60  # six answers, each several opens, writes, fsyncs and renames
    for n in range(1, total + 1):
        data_dir = tmp_path / f"n{n}"
        earlier_answer(data_dir)
        caplog.clear()
        with pytest.MonkeyPatch.context() as patch:
            faults = Faults(data_dir, nth_call(n, code_to_fail, persist)).install(patch)
            code, _, err = typed_session(patch, capsys, data_dir)
        assert faults.failed, f"N={n}: the fault never fired"
        check_after_fault(data_dir, n, code, err, caplog)
    print(f"{sweep}: swept N = 1..{total}")


def check_after_fault(data_dir: Path, n: int, code: int, err: str, caplog) -> None:
    """The journal opens, holds exactly a prefix of the session in order (none twice), nothing
    half-written, and the one line says how many of this session's answers are kept."""
    line = one_line(err)
    found = stored(data_dir)
    assert found[0] == "from before", f"N={n}"
    session = found[1:]
    assert session == TYPED[:len(session)], f"N={n}: {session}"
    if code == 0:
        assert session == TYPED and "6 answers kept" in line, f"N={n}: {line}"
    else:
        assert code == 1, f"N={n}"
        said = re.search(r": (\d+) answers? of this session (?:is|are) kept, (\d+) could not be written;", line)
        if said is None:  # the journal could not even be opened
            assert not session and ("nothing was changed" in line or "cannot read" in line), f"N={n}: {line}"
        else:
            kept, lost = int(said[1]), int(said[2])
            assert kept + lost == 6, f"N={n}: {line}"
            # the answer in flight may have reached the file even though its fsync failed: it is
            # not counted as kept (it is not known to be durable), but it is never there twice
            assert kept <= len(session) <= kept + 1, f"N={n}: {line} / {session}"
    assert "damaged" not in caplog.text, f"N={n}"
    assert_private_and_intact(data_dir)
