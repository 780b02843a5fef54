"""The command line: user mistakes are exit 1 and one 'assistant:' line; typed sessions end up
in the export. No model is loaded and no audio device is opened here, but every test runs the
whole program through main() (config, packs, journal, export), hence integration.

The unit suite's isolated environment (no real config or data) applies here too."""

from __future__ import annotations

import io
import json
import sys
import wave
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant import __version__
from assistant.cli import main
from assistant.clock import iso
from tests.unit.conftest import isolated_env, source_models  # noqa: F401 (fixtures)
from tests.unit.unit_helpers import make_answer, write_toml

pytestmark = pytest.mark.integration

CSV_HEADER = ("id,session_id,script,language,moment,question_id,question,transcript,value,"
              "authentic,confidence,audio_seconds,capped,started_at,ended_at,audio_file,for_week,resistance\n")

TYPED_SESSION = "\n".join([
    "I could take a break or keep working",  # situation
    "Courage, I think",                      # value
    "I took the break",                      # choice
    "relieved",                              # effect
    "it was my own choice",                  # authentic
    "someone who listens to herself",        # direction
    "no",                                    # another moment?
]) + "\n"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def fails_with_one_line(capsys, argv: list[str]) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("assistant: ")
    assert err.endswith("\n")
    return lines[0]


def test_bad_config_value_is_exit_1_and_one_line(tmp_path, data_dir, capsys):
    config = write_toml(tmp_path / "c.toml", "[listen]\npause_seconds = 0\n")
    line = fails_with_one_line(capsys, ["export", "--config", str(config), "--data-dir", str(data_dir)])
    assert str(config) in line and "listen.pause_seconds" in line


def test_an_error_line_shows_a_terminal_escape_in_what_it_quotes_never_obeys_it(tmp_path, data_dir, capsys):
    missing = tmp_path / "evil\x1b[2Jname.toml"  # a file name that would clear the screen
    line = fails_with_one_line(capsys, ["export", "--config", str(missing), "--data-dir", str(data_dir)])
    assert "\x1b" not in line and "evil\\x1b[2Jname.toml" in line


def test_unknown_lang_is_exit_1_and_one_line_listing_languages(data_dir, capsys):
    line = fails_with_one_line(capsys, ["export", "--lang", "xx", "--data-dir", str(data_dir)])
    assert "no language pack 'xx'" in line and "en, nl" in line


def test_missing_config_file_is_exit_1_and_one_line(tmp_path, data_dir, capsys):
    missing = tmp_path / "nope.toml"
    line = fails_with_one_line(capsys, ["export", "--config", str(missing), "--data-dir", str(data_dir)])
    assert str(missing) in line and "does not exist" in line


def test_missing_model_for_wav_replay_is_exit_1_and_one_line(tmp_path, data_dir, capsys,
                                                              source_models):
    config = write_toml(tmp_path / "c.toml", 'language = "en"\n')
    recording = tmp_path / "answer.wav"
    with wave.open(str(recording), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(3200))
    line = fails_with_one_line(capsys, ["reflect", "--config", str(config), "--data-dir", str(data_dir),
                                        "--input-wav", str(recording)])
    assert "no Vosk model for 'en'" in line
    assert "assistant model download en" in line
    assert str(data_dir / "models") in line


def test_export_csv_of_an_empty_journal_is_just_the_header(data_dir, capsys):
    from assistant.journal.tinyjournal import TinyJournal

    TinyJournal(data_dir)
    assert main(["export", "--format", "csv", "--data-dir", str(data_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out == CSV_HEADER
    assert captured.err == ""


def test_data_dir_from_environment_is_used(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    monkeypatch.setattr(sys, "stdin", io.StringIO("at the office\nstop\n"))
    assert main(["reflect", "--text", "--quiet", "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    assert "at the office" in capsys.readouterr().out
    assert (data_dir / "journal").is_dir()


def run_typed_session(monkeypatch, capsys, data_dir, lines: str, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    code = main(["reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(data_dir), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export_json(capsys, data_dir, *extra: str) -> list[dict]:
    assert main(["export", "--format", "json", "--data-dir", str(data_dir), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_typed_quiet_session_is_stored_and_exported(monkeypatch, capsys, data_dir):
    code, out, err = run_typed_session(monkeypatch, capsys, data_dir, TYPED_SESSION)
    assert code == 0
    assert out.startswith("Good evening.")               # questions printed, not spoken
    assert "Which value did you want to be guided by" in out
    assert out.rstrip().endswith("Sleep well.")
    assert err.startswith("assistant: session ") and "completed; 6 answers kept in" in err
    assert len(err.splitlines()) == 1

    answers = export_json(capsys, data_dir)
    assert [a["transcript"] for a in answers] == TYPED_SESSION.splitlines()[:6]
    assert [a["question_id"] for a in answers] == [
        "situation", "value", "choice", "effect", "authentic", "direction"]
    by_id = {a["question_id"]: a for a in answers}
    assert by_id["value"]["value"] == "courage"
    assert by_id["authentic"]["authentic"] is True
    assert {a["language"] for a in answers} == {"en"}
    assert {a["moment"] for a in answers} == {1}
    assert len({a["session_id"] for a in answers}) == 1


def test_typed_session_running_out_of_lines_keeps_what_was_typed(monkeypatch, capsys, data_dir):
    code, _, err = run_typed_session(monkeypatch, capsys, data_dir, "first answer\n\n")
    assert code == 0
    assert "ended; 1 answer kept" in err
    assert [a["transcript"] for a in export_json(capsys, data_dir)] == ["first answer"]


def test_typed_stop_command_ends_the_session(monkeypatch, capsys, data_dir):
    code, out, err = run_typed_session(monkeypatch, capsys, data_dir, "an answer\nstop\n")
    assert code == 0
    assert "stopped; 1 answer kept" in err
    assert "we'll stop here" in out


def test_unknown_script_is_exit_1_and_one_line(monkeypatch, capsys, data_dir):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    line = fails_with_one_line(capsys, ["reflect", "--text", "--quiet", "--lang", "en",
                                        "--data-dir", str(data_dir), "--script", "nope"])
    assert "no script 'nope'" in line


def test_export_since_leaves_out_earlier_days(monkeypatch, capsys, data_dir):
    run_typed_session(monkeypatch, capsys, data_dir, TYPED_SESSION)
    assert len(export_json(capsys, data_dir, "--since", "2000-01-01")) == 6
    assert export_json(capsys, data_dir, "--since", "2999-01-01") == []


def test_export_since_that_is_not_a_date_is_a_usage_error(data_dir, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["export", "--since", "yesterday", "--data-dir", str(data_dir)])
    assert exited.value.code == 2
    assert "'yesterday' is not a date like" in capsys.readouterr().err


def test_export_markdown_after_a_typed_session(monkeypatch, capsys, data_dir):
    run_typed_session(monkeypatch, capsys, data_dir, TYPED_SESSION)
    assert main(["export", "--format", "md", "--data-dir", str(data_dir)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Reflections\n")
    assert "### Moment 1" in text
    ids = [a["id"] for a in export_json(capsys, data_dir)]
    assert f"> Courage, I think _(value: courage; id {ids[1]})_" in text
    assert f"> it was my own choice _(authentic; id {ids[4]})_" in text


def test_model_download_from_a_file_url(tmp_path, data_dir, capsys):
    name = "vosk-model-small-nl-0.22"
    with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as bundle:
        bundle.writestr(f"{name}/am/final.mdl", b"m")
        bundle.writestr(f"{name}/conf/model.conf", b"c")
    config = write_toml(tmp_path / "c.toml", f'[model]\ndownload_url = "file://{tmp_path}/{{name}}.zip"\n')
    assert main(["model", "download", "nl", "--config", str(config), "--data-dir", str(data_dir)]) == 0
    assert (data_dir / "models" / name / "am" / "final.mdl").is_file()
    assert "model ready" in capsys.readouterr().out


def test_keyboard_interrupt_is_exit_130_keeping_answers(monkeypatch, data_dir, capsys):
    import assistant.config

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(assistant.config, "load_config", interrupted)
    assert main(["export", "--data-dir", str(data_dir)]) == 130
    assert capsys.readouterr().err == "\nassistant: stopped; every finished answer is kept\n"


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"assistant {__version__}\n"


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["summary", "--text", "--quiet"],
                                     ["summary", "--week", "2026-W01", "--text"], ["list"]])
def test_a_reading_command_on_a_folder_without_a_journal_says_so_and_creates_nothing(tmp_path, capsys,
                                                                                    command):
    missing = tmp_path / "typo"
    line = fails_with_one_line(capsys, [*command, "--data-dir", str(missing)])
    assert line.startswith(f"assistant: no journal at {missing}; check --data-dir")
    assert capsys.readouterr().out == ""
    assert not missing.exists()


def test_text_and_input_wav_cannot_be_combined(tmp_path, capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["reflect", "--text", "--input-wav", str(tmp_path / "a.wav")])
    assert leaving.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def stored(data_dir: Path, *answers) -> list[int]:
    """Answers put straight into the journal (dates chosen by the test)."""
    from assistant.journal.tinyjournal import TinyJournal

    return [TinyJournal(data_dir).add(answer, audio) for answer, audio in answers]


def two_sessions(data_dir: Path) -> None:
    stored(data_dir,
           (make_answer(session_id="s1", transcript="monday", started_at="2026-11-16T20:00:00+01:00"), None),
           (make_answer(session_id="s2", script="short", transcript="late sunday",
                        started_at="2026-11-22T23:30:00+01:00"), None),
           (make_answer(session_id="s2", script="short", transcript="after midnight",
                        started_at="2026-11-23T00:10:00+01:00"), b"\x01\x00" * 160))


def remaining(capsys, data_dir) -> list[str]:
    return [a["transcript"] for a in export_json(capsys, data_dir)]


class Terminal(io.StringIO):
    """Typed answers on what looks like a terminal."""

    def isatty(self) -> bool:
        return True


def test_export_until_includes_that_whole_local_day(capsys, data_dir):
    two_sessions(data_dir)
    answers = export_json(capsys, data_dir, "--until", "2026-11-22")
    assert [a["transcript"] for a in answers] == ["monday", "late sunday"]


def test_export_script_and_date_range_combine(capsys, data_dir):
    two_sessions(data_dir)
    assert [a["transcript"] for a in export_json(capsys, data_dir, "--script", "short")] == [
        "late sunday", "after midnight"]
    assert [a["transcript"] for a in export_json(capsys, data_dir, "--script", "compass",
                                                 "--since", "2026-11-17")] == []


def test_forget_last_yes_erases_only_the_newest_session_and_its_audio(capsys, data_dir):
    two_sessions(data_dir)
    assert main(["forget", "--last", "--yes", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == ("2 answers from 2026-11-22, 2026-11-23 would be erased\n"
                                       "erased 2 answers\n")
    assert remaining(capsys, data_dir) == ["monday"]
    assert list((data_dir / "audio").iterdir()) == []


def test_forget_asks_on_a_terminal_and_erases_on_yes(monkeypatch, capsys, data_dir):
    two_sessions(data_dir)
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert main(["forget", "--session", "s1", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == ("1 answer from 2026-11-16 would be erased\n"
                                       "Erase them? [y/N] erased 1 answer\n")
    assert remaining(capsys, data_dir) == ["late sunday", "after midnight"]


@pytest.mark.parametrize("reply", ["\n", "n\n", "nee\n", ""])
def test_forget_on_a_terminal_erases_nothing_unless_the_answer_is_yes(monkeypatch, capsys, data_dir, reply):
    two_sessions(data_dir)
    monkeypatch.setattr(sys, "stdin", Terminal(reply))
    assert main(["forget", "--all", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.endswith("Erase them? [y/N] nothing erased\n")
    assert remaining(capsys, data_dir) == ["monday", "late sunday", "after midnight"]


def test_forget_without_a_terminal_and_without_yes_refuses_in_one_line(monkeypatch, capsys, data_dir):
    two_sessions(data_dir)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    line = fails_with_one_line(capsys, ["forget", "--all", "--data-dir", str(data_dir)])
    assert "add --yes" in line
    assert remaining(capsys, data_dir) == ["monday", "late sunday", "after midnight"]


def test_forget_before_keeps_that_day_and_later(capsys, data_dir):
    two_sessions(data_dir)
    assert main(["forget", "--before", "2026-11-22", "--yes", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.endswith("erased 1 answer\n")
    assert remaining(capsys, data_dir) == ["late sunday", "after midnight"]


def test_forget_all_yes_empties_the_journal(capsys, data_dir):
    two_sessions(data_dir)
    assert main(["forget", "--all", "--yes", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.endswith("erased 3 answers\n")
    assert remaining(capsys, data_dir) == []


@pytest.mark.parametrize("selector", [["--session", "nope"], ["--before", "2000-01-01"]])
def test_forget_with_nothing_to_erase_says_so_and_asks_nothing(monkeypatch, capsys, data_dir, selector):
    two_sessions(data_dir)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal, yet no refusal
    assert main(["forget", *selector, "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == "nothing to erase\n"
    assert len(remaining(capsys, data_dir)) == 3


def test_forget_last_of_an_emptied_journal_has_nothing_to_erase(monkeypatch, capsys, data_dir):
    two_sessions(data_dir)
    assert main(["forget", "--all", "--yes", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["forget", "--last", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == "nothing to erase\n"


def test_forget_in_a_folder_without_a_journal_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "typo"
    assert main(["forget", "--all", "--yes", "--data-dir", str(missing)]) == 0
    assert capsys.readouterr().out == "nothing to erase\n"
    assert not missing.exists()


@pytest.mark.parametrize("selectors", [[], ["--last", "--all"], ["--session", "s1", "--before", "2026-01-01"]])
def test_forget_needs_exactly_one_selector(capsys, data_dir, selectors):
    with pytest.raises(SystemExit) as leaving:
        main(["forget", "--yes", "--data-dir", str(data_dir), *selectors])
    assert leaving.value.code == 2
    assert not data_dir.exists()


def test_a_session_start_expires_kept_audio_older_than_keep_audio_days(tmp_path, monkeypatch, capsys, data_dir):
    now = datetime.now().astimezone()
    stored(data_dir,
           (make_answer(question_id="situation", started_at=iso(now - timedelta(days=8))), b"\x01\x00" * 160),
           (make_answer(question_id="value", started_at=iso(now - timedelta(days=6))), b"\x01\x00" * 160))
    config = write_toml(tmp_path / "c.toml", "[session]\nkeep_audio_days = 7\n")
    code, _, _ = run_typed_session(monkeypatch, capsys, data_dir, "stop\n", "--config", str(config))
    assert code == 0
    assert [p.name for p in (data_dir / "audio").iterdir()] == ["20261122-200000-abcd-m1-value.wav"]
    assert [a["audio_file"] for a in export_json(capsys, data_dir)] == [
        None, "audio/20261122-200000-abcd-m1-value.wav"]


def test_forget_that_in_a_typed_session_leaves_no_trace_in_export_or_backups(data_dir, monkeypatch, capsys):
    lines = "a secret moment\nforget that\nyes\nat the bakery\nstop\n"
    code, _out, _err = run_typed_session(monkeypatch, capsys, data_dir, lines)
    assert code == 0
    assert main(["export", "--format", "json", "--data-dir", str(data_dir)]) == 0
    exported = capsys.readouterr().out
    assert "at the bakery" in exported and "a secret moment" not in exported
    stored = [p.read_text() for p in (data_dir / "journal").rglob("*.json")]
    assert stored and not any("a secret moment" in text for text in stored)


# --- assistant summary ---------------------------------------------------------------------

def run_summary(monkeypatch, capsys, data_dir, typed: str, *extra: str) -> tuple[int, str, str]:
    from assistant.journal.tinyjournal import TinyJournal

    TinyJournal(data_dir)  # as the device leaves it after its first start
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code = main(["summary", "--text", "--quiet", "--lang", "en", "--data-dir", str(data_dir), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_typed_summary_of_this_week_keeps_the_typed_intention(monkeypatch, capsys, data_dir):
    from assistant.weeks import week_name, week_of_date

    run_typed_session(monkeypatch, capsys, data_dir, TYPED_SESSION)
    code, out, err = run_summary(monkeypatch, capsys, data_dir, "calm\n")
    assert code == 0 and err == ""
    assert out.splitlines()[:3] == ["Here is your week so far.", "You looked at 1 moment on 1 day.",
                                    "The values you followed: courage 1 time."]
    assert "Felt like your own" not in out and "Every choice you weighed felt like your own." in out
    assert "Calm it is." in out and out.rstrip().endswith("Have a good week.")
    intention = [a for a in export_json(capsys, data_dir) if a["script"] == "summary"]
    next_monday = datetime.now().date() + timedelta(days=7 - datetime.now().weekday())
    assert [(i["question_id"], i["value"], i["for_week"]) for i in intention] == [
        ("intention", "calm", week_name(*week_of_date(next_monday)))]


def test_typed_summary_empty_line_skips_the_intention(monkeypatch, capsys, data_dir):
    code, out, _ = run_summary(monkeypatch, capsys, data_dir, "\n")
    assert code == 0 and "All right, no intention this time." in out
    assert [a for a in export_json(capsys, data_dir) if a["script"] == "summary"] == []


def test_replay_says_the_stored_summary_again_without_asking(monkeypatch, capsys, data_dir):
    _, first, _ = run_summary(monkeypatch, capsys, data_dir, "\n")
    code, again, _ = run_summary(monkeypatch, capsys, data_dir, "courage\n", "--replay")
    assert code == 0
    summary_lines = first.splitlines()[:2]
    assert again.splitlines() == [*summary_lines, "Thank you for listening. Have a good week."]


def test_replay_with_nothing_stored_is_one_line(monkeypatch, capsys, data_dir):
    code, _, err = run_summary(monkeypatch, capsys, data_dir, "", "--replay")
    assert code == 1 and err == "assistant: no summary is stored yet; run `assistant summary` first\n"


def test_a_past_week_is_summarised_without_asking_for_an_intention(monkeypatch, capsys, data_dir):
    code, out, _ = run_summary(monkeypatch, capsys, data_dir, "courage\n", "--week", "2026-W01")
    assert code == 0 and out.splitlines() == [
        "Here is a look back at week 1.", "I have no moments from you this week. That is perfectly "
        "all right; a small choice is worth a look whenever you feel like it.",
        "Thank you for listening. Have a good week."]


@pytest.mark.parametrize("week", ["47", "2026-W99", "3000-W01"])
def test_a_bad_or_future_week_is_exit_1_and_one_line(monkeypatch, capsys, data_dir, week):
    code, _, err = run_summary(monkeypatch, capsys, data_dir, "", "--week", week)
    assert code == 1 and err.startswith("assistant: ") and err.count("\n") == 1
    assert "expected an ISO week like" in err or "has not begun yet" in err


def test_replay_says_a_summary_in_the_language_it_was_made_in(monkeypatch, capsys, data_dir):
    run_summary(monkeypatch, capsys, data_dir, "\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["summary", "--replay", "--text", "--quiet", "--lang", "nl", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Here is your week so far." and out[-1] == "Thank you for listening. Have a good week."


def test_typed_klein_verzet_is_stored_and_comes_back_in_the_summary(monkeypatch, capsys, data_dir):
    typed = "\n".join(["yes", "someone who stands up for residents", "pressure to cut a corner",
                       "someone like me asks why", "I spoke up and proposed another way",
                       "nervous but proud", "no"]) + "\n"
    code, out, err = run_typed_session(monkeypatch, capsys, data_dir, typed, "--script", "verzet")
    assert code == 0 and "completed; 6 answers kept" in err
    assert out.startswith("Tonight let's look at something else")
    stored = export_json(capsys, data_dir, "--script", "verzet")
    assert [a["question_id"] for a in stored] == ["tension", "who", "situation", "like_me", "acted", "effect"]
    assert {a["question_id"]: a["resistance"] for a in stored}["acted"] == "active"
    _, summary_out, _ = run_summary(monkeypatch, capsys, data_dir, "\n")
    assert "Something did not sit right 1 time this week." in summary_out
    assert "You acted on it quietly 0 times and actively 1 time." in summary_out
    assert "I have no moments from you this week." not in summary_out  # it is not an empty week


def test_typed_klein_verzet_without_tension_closes_kindly(monkeypatch, capsys, data_dir):
    code, out, err = run_typed_session(monkeypatch, capsys, data_dir, "no\n", "--script", "verzet")
    assert code == 0 and out.rstrip().endswith("Not every day has friction in it. Sleep well.")
    assert "completed; 1 answer kept" in err


def test_trigger_script_goes_with_reflect_only_and_must_exist(data_dir, capsys):
    assert main(["trigger", "summary", "--script", "verzet", "--data-dir", str(data_dir)]) == 1
    assert capsys.readouterr().err == "assistant: --script goes with `assistant trigger reflect` only\n"
    assert main(["trigger", "reflect", "--script", "nope", "--data-dir", str(data_dir)]) == 1
    assert "has no script 'nope'" in capsys.readouterr().err
    assert main(["trigger", "reflect", "--script", "verzet", "--data-dir", str(data_dir)]) == 1
    assert "no assistant service is running" in capsys.readouterr().err
