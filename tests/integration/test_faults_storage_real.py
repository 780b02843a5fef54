"""Storage faults on real filesystems, through the real command line: a tmpfs that fills up, a
tmpfs remounted read-only, a folder made read-only with chmod -R a-w, another user's folder.

Mounting needs root (CI runs as root); without it these tests skip and say why. The same faults
injected at the OS boundary, and the I/O-error sweep, are in tests/unit/test_faults_storage.py.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assistant.journal.storage import AtomicJSONStorage
from assistant.journal.tinyjournal import TinyJournal
from tests.integration.support import run_assistant
from tests.unit.unit_helpers import make_answer

pytestmark = pytest.mark.integration

LONG = "a long answer with many words " * 100  # ~3 kB: a few of these fill a small card
SESSION = "\n".join([f"{n} {LONG}" for n in range(1, 7)] + ["no"]) + "\n"
NOBODY = 65534


@pytest.fixture
def card():
    """A real, small tmpfs (1 MiB), unmounted afterwards; skipped where mounting is impossible.

    Mounted in /tmp itself (not pytest's 0700 tmp_path), so another user can reach it."""
    mount = Path(tempfile.mkdtemp(prefix="assistant-card-"))
    mount.chmod(0o755)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'}); "
                    "these tests need root, as in CI")
    yield mount
    subprocess.run(["mount", "-o", "remount,rw", str(mount)], capture_output=True)
    subprocess.run(["umount", "-l", str(mount)], check=True)
    mount.rmdir()


def env(tmp_path) -> dict[str, str]:
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "ASSISTANT_LOG": "warning"}


def assistant(tmp_path, *args, stdin: str = "", user: int | None = None) -> subprocess.CompletedProcess:
    if user is None:
        return run_assistant(list(args), env=env(tmp_path), stdin=stdin)
    command = ["setpriv", "--reuid", str(user), "--regid", str(user), "--clear-groups",
               sys.executable, "-m", "assistant", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CONFIG_HOME": "/nonexistent", "HOME": "/nonexistent",
                               "ASSISTANT_LOG": "warning"}, cwd="/")


def one_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("assistant: "), done.stderr
    return lines[0]


def fill_leaving(mount: Path, free: int) -> Path:
    """Fill the card, then give back `free` bytes: a card that is nearly full."""
    filler = mount / "filler"
    with open(filler, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    os.truncate(filler, max(0, filler.stat().st_size - free))
    return filler


def transcripts(data: Path) -> list[str]:
    return [a.transcript for a in TinyJournal(data).answers()]


def test_a_real_full_card_keeps_what_fits_and_says_how_many_in_one_line(tmp_path, card):
    data = card / "data"
    TinyJournal(data)
    filler = fill_leaving(card, 48 * 1024)
    done = assistant(tmp_path, "reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(data),
                     stdin=SESSION)
    assert done.returncode == 1, done.stderr
    line = one_line(done)
    assert line.startswith("assistant: the disk is full: ") and "run `assistant reflect` again" in line
    kept = transcripts(data)
    assert 0 < len(kept) < 6, line
    assert f"{len(kept)} answers of this session are kept, {6 - len(kept)} could not be written" in line
    assert kept == [f"{n} {LONG}".strip() for n in range(1, len(kept) + 1)]
    assert [p for p in data.rglob("*") if p.name.endswith(".tmp")] == []  # no partial file left
    for week in (data / "journal").glob("*.json"):
        AtomicJSONStorage(week).read()  # intact

    filler.unlink()  # space freed: the next session is kept whole, the earlier answers stay
    again = assistant(tmp_path, "reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(data),
                      stdin=SESSION)
    assert again.returncode == 0 and "6 answers kept" in one_line(again)
    assert len(transcripts(data)) == len(kept) + 6


def remount_read_only(card: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(card)], check=True)


def journal_with_a_past_week(data: Path) -> int:
    return TinyJournal(data).add(make_answer(transcript="I took a break",
                                             started_at="2026-11-18T20:00:00+01:00"))


def test_a_card_remounted_read_only_can_still_be_read(tmp_path, card):
    data = card / "data"
    answer_id = journal_with_a_past_week(data)
    remount_read_only(card)
    exported = assistant(tmp_path, "export", "--format", "csv", "--data-dir", str(data))
    assert exported.returncode == 0 and exported.stderr == ""
    assert "I took a break" in exported.stdout and str(answer_id) in exported.stdout
    listed = assistant(tmp_path, "list", "--data-dir", str(data))
    assert listed.returncode == 0 and f"  {answer_id}  moment 1  situation" in listed.stdout
    summary = assistant(tmp_path, "summary", "--text", "--quiet", "--lang", "en", "--week", "2026-W47",
                        "--data-dir", str(data))
    assert summary.returncode == 0 and "You looked at 1 moment on 1 day." in summary.stdout
    assert summary.stderr == (f"WARNING assistant.conversation.weekly: the data folder {data} is read-only: this "
                              "summary is not stored, so --replay cannot say it again\n")


@pytest.mark.parametrize("command", [["reflect", "--text", "--quiet", "--lang", "en"],
                                     ["edit", "20264700001", "--text", "changed"],
                                     ["forget", "--all", "--yes"]])
def test_writing_to_a_card_remounted_read_only_is_one_line(tmp_path, card, command):
    data = card / "data"
    journal_with_a_past_week(data)
    remount_read_only(card)
    done = assistant(tmp_path, *command, "--data-dir", str(data), stdin="an answer\nstop\n")
    assert done.returncode == 1
    assert one_line(done).startswith(f"assistant: the data folder {data} is read-only: nothing was changed")
    assert transcripts(data) == ["I took a break"]


def nobody_can_run_python(tmp_path) -> None:
    probe = assistant(tmp_path, "--version", user=NOBODY)
    if probe.returncode != 0:
        pytest.skip(f"user nobody cannot run this Python ({probe.stderr.strip()[:80]})")


def test_a_folder_made_read_only_with_chmod_reads_and_refuses_writing(tmp_path, card):
    nobody_can_run_python(tmp_path)
    data = card / "data"
    journal_with_a_past_week(data)
    subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(data)], check=True)
    subprocess.run(["chmod", "-R", "a-w", str(data)], check=True)
    exported = assistant(tmp_path, "export", "--data-dir", str(data), user=NOBODY)
    assert exported.returncode == 0 and exported.stderr == "" and "I took a break" in exported.stdout
    done = assistant(tmp_path, "reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(data),
                     stdin="an answer\nstop\n", user=NOBODY)
    assert done.returncode == 1
    assert one_line(done).startswith(f"assistant: the data folder {data} is read-only: nothing was changed")
    assert transcripts(data) == ["I took a break"]


def test_another_users_private_folder_is_one_line(tmp_path, card):
    nobody_can_run_python(tmp_path)
    data = card / "data"
    journal_with_a_past_week(data)  # root's, 0700
    for command in (["export"], ["list"], ["reflect", "--text", "--quiet", "--lang", "en"]):
        done = assistant(tmp_path, *command, "--data-dir", str(data), stdin="x\nstop\n", user=NOBODY)
        assert done.returncode == 1, command
        line = one_line(done)
        assert line == (f"assistant: {data} belongs to another user (uid 0); run as that user, "
                        "or choose your own folder with --data-dir"), line
    assert transcripts(data) == ["I took a break"]


def test_a_spoken_answer_with_its_audio_on_a_full_card_is_held_and_said_in_one_line(
        tmp_path, card, ko_model, speech):
    from assistant.wav import write_wav
    from tests.integration.support import silence, write_config

    short = silence(0.4) + speech("정직") + silence(0.6)
    story = silence(0.4) + b"".join(speech(s) + silence(0.3) for s in (
        "오늘 회사에서 동료가 도움을 요청했어요.", "저는 하던 일을 멈추고 같이 문제를 해결했습니다.")) + silence(0.6)
    files = {"short.wav": short, "story.wav": story, "stop.wav": silence(0.4) + speech("감사합니다")}
    for name, pcm in files.items():
        write_wav(tmp_path / name, pcm)
    config = write_config(tmp_path, ko_model, session={"keep_audio": True})
    data = card / "data"
    TinyJournal(data)
    # room for the short answer, its WAV (with the pause that ended it) and its journal writes,
    # not for the story
    fill_leaving(card, len(short) + 120 * 1024)
    assert len(story) > len(short) + 150 * 1024

    done = assistant(tmp_path, "reflect", "--quiet", "--lang", "ko", "--config", str(config),
                     "--data-dir", str(data), *[x for n in files for x in ("--input-wav", str(tmp_path / n))])

    assert done.returncode == 1, done.stderr
    assert one_line(done).startswith(
        "assistant: the disk is full: 1 answer of this session is kept, 1 could not be written; ")
    (kept,) = TinyJournal(data).answers()
    assert kept.question_id == "situation" and (data / kept.audio_file).is_file()
    assert [p.name for p in (data / "audio").iterdir()] == [Path(kept.audio_file).name]  # no partial WAV
    assert [p for p in data.rglob("*") if p.name.endswith(".tmp")] == []
