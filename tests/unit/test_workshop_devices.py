"""The device's side of the workshop: a shared device asks whose function family each dilemma
is and remembers none; `dilemmas export --format json` carries the confirmed dilemmas and
nothing from the reflections; the moderator's commands fail in one line."""

from __future__ import annotations

import io
import json
import os
import re
import stat

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars, make_answer, write_toml

from assistant.cli import main
from assistant.config import load_config
from assistant.conversation.dialogue import Heard, Word
from assistant.conversations import conversation
from assistant.errors import UserError
from assistant.journal.profile import Profile
from assistant.journal.tinyjournal import TinyJournal
from assistant.workshop.exchange import ExportKeys
from assistant.workshops import start_minutes
from tests.workshop_data import DEVICES, moderate


def say(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.9) for w in text.split()), audio_seconds=2.0,
                 started_at="2026-11-22T10:00:00+01:00", ended_at="2026-11-22T10:00:04+01:00")


TURNS = [say("A tenant wants to keep a shed"), say("rules against goodwill"), say("enforce or allow"),
         say("I allowed it")]


def test_a_shared_device_asks_whose_family_every_time_and_remembers_none(en, tmp_path):
    for family in ("maintenance", "rentals"):
        voice, journal = RecordingVoice(), MemoryJournal()
        conversation(en, en.script("dilemma"), ScriptedEars([*TURNS, say(family), say("yes")]), voice,
                     journal, tmp_path, max_moments=1, shared_device=True).run()
        assert en.dilemma["family_shared"] in voice.said
        assert [a.transcript for a in journal.rows.values()][-1] == family
    assert Profile(tmp_path).get("function_family") is None


def test_shared_device_is_a_config_key_and_checked(tmp_path):
    assert load_config(write_toml(tmp_path / "a.toml", "[dilemma]\nshared_device = true\n")).dilemma.shared_device
    with pytest.raises(UserError, match="dilemma.shared_device: expected true or false"):
        load_config(write_toml(tmp_path / "b.toml", '[dilemma]\nshared_device = "yes"\n'))


def record(data, typed, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "en", "--data-dir", str(data)]) == 0


def test_the_json_export_holds_the_confirmed_dilemma_and_no_reflection(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    TinyJournal(data).add(make_answer(session_id="c1", script="compass", question_id="situation",
                                      transcript="my private evening words"))
    record(data, "Tenant Jansen asks for a new kitchen early.\nrules against service\nwait\nI waited\n"
           "rentals\nwithout names\nJansen\nyes\n", monkeypatch)
    capsys.readouterr()
    assert main(["dilemmas", "export", "--format", "json", "--lang", "en", "--data-dir", str(data)]) == 0
    text = capsys.readouterr().out
    body = json.loads(text)
    assert "private evening" not in text and "Jansen" not in text
    assert [d["family"] for d in body["dilemmas"]] == ["rentals"]
    assert set(body["dilemmas"][0]) == {"id", "date", "family", "participant", "situation", "goals",
                                       "options", "last_time"}
    assert body["dilemmas"][0]["participant"] == body["device"]  # a personal device: one person
    assert main(["dilemmas", "export", "--format", "json", "--lang", "en", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out == text  # the same device id: a re-import adds nothing


def test_on_a_shared_device_each_dilemma_s_teller_is_a_participant(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    config = write_toml(tmp_path / "c.toml", "[dilemma]\nshared_device = true\n")
    for family in ("rentals", "maintenance"):
        monkeypatch.setattr("sys.stdin", io.StringIO(
            f"A situation\ngoals\noptions\nlast time\n{family}\nyes\n"))
        assert main(["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "en",
                     "--config", str(config), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["dilemmas", "export", "--format", "json", "--config", str(config), "--data-dir", str(data)]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["shared_device"] is True
    assert [d["participant"] for d in body["dilemmas"]] == [f"{body['device']}/{d['id']}" for d in body["dilemmas"]]
    assert sorted(d["family"] for d in body["dilemmas"]) == ["maintenance", "rentals"]


DAMAGED = ['{"workshop_device": "1a2b', "[]", '{"workshop_device": 5}', "\udcff", ""]


@pytest.mark.parametrize("damaged", DAMAGED)
def test_a_damaged_profile_stops_the_export_in_one_line_and_is_not_overwritten(tmp_path, capsys,
                                                                                monkeypatch, damaged):
    data = tmp_path / "data"
    record(data, "A situation\ngoals\noptions\nlast time\nrentals\nyes\n", monkeypatch)
    profile = data / "profile.json"
    kept = os.fsencode(damaged) if damaged != "\udcff" else b"\xff"  # "\udcff": not UTF-8
    profile.write_bytes(kept)
    capsys.readouterr()
    assert main(["dilemmas", "export", "--format", "json", "--lang", "en", "--data-dir", str(data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert str(profile) in captured.err and "export id" in captured.err and "repair it" in captured.err
    assert profile.read_bytes() == kept


def test_a_damaged_profile_does_not_stop_a_recording_nor_is_it_overwritten(en, tmp_path, caplog):
    profile = tmp_path / "profile.json"
    profile.write_text('{"workshop_device": "1a2b3c4d", "function_fam', encoding="utf-8")
    voice, journal = RecordingVoice(), MemoryJournal()
    conversation(en, en.script("dilemma"), ScriptedEars([*TURNS, say("maintenance"), say("yes")]), voice,
                 journal, tmp_path, max_moments=1).run()
    assert [a.transcript for a in journal.rows.values()][-1] == "maintenance"  # asked, and kept
    assert en.dilemma["kept"] in voice.said
    assert profile.read_text(encoding="utf-8") == '{"workshop_device": "1a2b3c4d", "function_fam'
    assert any(str(profile) in r.getMessage() and "repair it" in r.getMessage() for r in caplog.records)


def test_a_missing_profile_is_nothing_remembered_yet(tmp_path):
    assert Profile(tmp_path).get("function_family") is None
    Profile(tmp_path).set("function_family", "rentals")
    assert Profile(tmp_path).get("function_family") == "rentals"


def test_an_exported_dilemma_s_id_is_opaque_and_stable_and_tells_no_time(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    config = write_toml(tmp_path / "c.toml", "[dilemma]\nshared_device = true\n")
    for family in ("rentals", "maintenance"):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"A situation\ngoals\noptions\nlast time\n{family}\nyes\n"))
        assert main(["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "en",
                     "--config", str(config), "--data-dir", str(data)]) == 0
    sessions = {a.session_id for a in TinyJournal(data).answers()}
    capsys.readouterr()
    export = ["dilemmas", "export", "--format", "json", "--config", str(config), "--data-dir", str(data)]
    assert main(export) == 0
    text = capsys.readouterr().out
    body = json.loads(text)
    ids = [d["id"] for d in body["dilemmas"]]
    assert all(re.fullmatch("[0-9a-f]{16}", i) for i in ids) and len(set(ids)) == 2
    assert not any(session in text for session in sessions) and not re.search(r"\d{6}-\d{6}", text)
    assert [d["participant"] for d in body["dilemmas"]] == [f"{body['device']}/{i}" for i in ids]
    assert re.fullmatch("[0-9a-f]{64}", Profile(data).get("workshop_secret") or "")
    assert main(export) == 0
    assert capsys.readouterr().out == text  # the same ids: a re-import adds nothing twice


def test_the_same_recording_on_two_devices_gets_unrelated_ids():
    one, other = ExportKeys("aa", "secret one"), ExportKeys("bb", "secret two")
    session = "20261102-091500-a1f3"
    assert one.dilemma_id(session) == one.dilemma_id(session) != other.dilemma_id(session)
    assert "0915" not in one.dilemma_id(session)


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_export_out_writes_a_file_only_its_owner_can_read(tmp_path, capsys, monkeypatch, fmt):
    data = tmp_path / "data"
    record(data, "A situation\ngoals\noptions\nlast time\nrentals\nyes\n", monkeypatch)
    export = ["dilemmas", "export", "--format", fmt, "--lang", "en", "--data-dir", str(data)]
    capsys.readouterr()
    assert main(export) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "office.json"
    old = os.umask(0o022)  # what a shell's `> office.json` would give: readable by every user
    try:
        assert main([*export, "--out", str(out)]) == 0
    finally:
        os.umask(old)
    captured = capsys.readouterr()
    assert captured.out == "" and str(out) in captured.err and captured.err.count("\n") == 1
    assert out.read_text(encoding="utf-8") == printed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "office.json"]  # no temp file left


def test_export_out_where_it_cannot_be_written_is_one_line(tmp_path, capsys):
    assert main(["dilemmas", "export", "--data-dir", str(tmp_path / "data"),
                 "--out", str(tmp_path / "no" / "such" / "office.md")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("assistant: cannot write --out ") and err.count("\n") == 1


def test_an_empty_export_writes_nothing_on_the_device(tmp_path, capsys):
    assert main(["dilemmas", "export", "--format", "json", "--data-dir", str(tmp_path / "none")]) == 0
    assert json.loads(capsys.readouterr().out)["dilemmas"] == []
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize(("args", "said"), [
    (["decide", "42", "--consensus", "no"], "assistant: no dilemma 42 in "),
    (["scenario", "1", "4", "a fourth way"], "assistant: scenario 4: a dilemma has scenarios 1, 2 and 3"),
    (["decide", "4", "--consensus", "yes"], "assistant: dilemma 4: with consensus, say which scenario"),
    (["import", str(DEVICES.parent / "golden" / "dilemmas.csv")], "dilemmas.csv: damaged: not valid JSON"),
    (["plan", "--family", "sales"], "assistant: no function family 'sales' among the dilemmas"),
    (["plan", "--start", "25:00"], "assistant: --start 25:00: give a time like 14:00"),
])
def test_each_bad_command_is_one_line_and_exit_1(tmp_path, capsys, args, said):
    moderate(tmp_path / "data")
    capsys.readouterr()
    assert main(["workshop", *args, "--lang", "en", "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_a_scenario_argument_that_is_not_utf8_is_one_line_and_changes_nothing(tmp_path, capsys):
    moderate(tmp_path / "data")
    kept = (tmp_path / "data" / "workshop" / "workshop.toml").read_bytes()
    capsys.readouterr()
    latin1 = os.fsdecode(b"Caf\xe9 first")  # as Python decodes a Latin-1 terminal's argument
    assert main(["workshop", "scenario", "1", "1", latin1, "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "dilemma 1: scenario 1: not valid text" in err and err.count("\n") == 1
    assert (tmp_path / "data" / "workshop" / "workshop.toml").read_bytes() == kept


@pytest.mark.parametrize("start", ["14:5", "\u00b2:00", "14:\u0660\u0660", "7:300", "14:00\n", "1400", " 9:00",
                                   "24:00", "12:60", "\x1b[31m9:00"])
def test_a_start_that_is_not_hh_mm_is_one_line(start):
    with pytest.raises(UserError) as raised:
        start_minutes(start)
    said = str(raised.value)
    assert said.startswith("--start ") and said.endswith(": give a time like 14:00")
    assert "\n" not in said and "\x1b" not in said


def test_a_start_of_one_or_two_digits_and_two_is_the_clock_time():
    assert [start_minutes(t) for t in ("9:05", "09:05", "23:59", "0:00")] == [545, 545, 1439, 0]


def test_plan_keeps_the_sessions_in_the_file_and_replan_deals_them_again(tmp_path, capsys):
    moderate(tmp_path / "data")  # customer contact: 2 participants, maintenance: 4; one session each
    path = tmp_path / "data" / "workshop" / "workshop.toml"
    edited = path.read_text(encoding="utf-8").replace("session = 1", "session = 2", 1)  # dilemma 1
    path.write_text(edited, encoding="utf-8")
    common = ["--lang", "en", "--data-dir", str(tmp_path / "data")]
    assert main(["workshop", "plan", *common]) == 0
    assert path.read_text(encoding="utf-8") == edited
    assert "maintenance: session 2 of 2" in capsys.readouterr().out
    assert main(["workshop", "plan", "--replan", *common]) == 0
    out = capsys.readouterr().out
    assert "maintenance: session 1 of 1" in out and "session 2" not in out
    assert "session = 2" not in path.read_text(encoding="utf-8")


def test_commands_before_any_import_say_what_to_do_first(tmp_path, capsys):
    assert main(["workshop", "plan", "--data-dir", str(tmp_path / "data")]) == 1
    assert "no workshop file at" in capsys.readouterr().err
