"""(e) The weekly summary with 10 years of history: composing it, and its first spoken sample.

Builds a journal of ten years of evenings (one compass moment of 6 answers a night, values and
authentic/adapted varying, an intention every Sunday: ~22,000 answers) ending this week, then:

- compose: `gather_facts` (reads this week, the 12 weeks before it and the intention) and
  `compose`, median of 30 runs, against the same on a journal holding only this week.
  Goal: <= 100 ms.
- first audio: in a fresh child process whose default ALSA device is a file pcm (unclocked),
  `app.summary()` is called as `assistant summary` calls it (voice mode: the Vosk model starts
  loading on a thread at the same moment); the time from that call to the first sample handed
  to PortAudio is stamped by the speaker probe (bench/probes.py). Goal: <= 300 ms. The
  interpreter start and imports before the call are shown apart (the service of a later issue
  pays them once).

Run: python bench/bench_summary.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)

from assistant.conversation.dialogue import Answer
from assistant.journal.tinyjournal import TinyJournal

YEARS, RUNS, FIRST_AUDIO_RUNS = 10, 30, 5
VALUES = ("courage", "calm", "care", "honesty", "respect", "clarity", "patience")
TEXT = ("Vanavond koos ik ervoor om eerlijk te zeggen dat ik moe was, in plaats van nog een taak "
        "aan te nemen. Het voelde eerst ongemakkelijk, daarna rustig.")


def evening(day: date, n: int) -> list[Answer]:
    at = datetime(day.year, day.month, day.day, 21, 0).astimezone().isoformat(timespec="seconds")
    base = dict(session_id=f"{day:%Y%m%d}-210000-bench", script="compass", language="nl", moment=1,
                question="?", confidence=0.85, audio_seconds=20.0, started_at=at, ended_at=at)
    answers = [Answer(question_id=q, transcript=TEXT, **base) for q in ("situation", "choice",
                                                                        "effect", "direction")]
    answers.append(Answer(question_id="value", transcript=VALUES[n % 7], value=VALUES[n % 7], **base))
    answers.append(Answer(question_id="authentic", transcript="eigen", authentic=n % 3 != 0, **base))
    if day.weekday() == 6:
        next_monday = day + timedelta(days=1)
        year, week, _ = next_monday.isocalendar()
        answers.append(Answer(**{**base, "script": "summary"}, question_id="intention",
                              transcript=VALUES[(n + 1) % 7], value=VALUES[(n + 1) % 7],
                              for_week=f"{year}-W{week:02d}"))
    return answers


def build(folder: Path, days: int, own_voice: bool = False) -> int:
    """The journal; with own_voice, this week's open answers keep their (60 s) recording."""
    today = date.today()
    history = [a for n in range(days) for a in evening(today - timedelta(days=days - 1 - n), n)]
    monday = today - timedelta(days=today.weekday())
    recorded = [a for a in history if own_voice and a.question_id not in ("value", "authentic", "intention")
                and date.fromisoformat(a.started_at[:10]) >= monday]
    journal = TinyJournal(folder)
    stored = len(journal.add_many(a for a in history if a not in recorded))
    audio = common.pcm_of(common.long_answer_wav())
    words = [[w, 0.5 + 0.4 * n, 0.8 + 0.4 * n] for n, w in enumerate(TEXT.split())]
    for answer in recorded:
        journal.add(replace(answer, words=words), audio)
    return stored + len(recorded)


def own_voice_quotes(folder: Path) -> int:
    """How many quotes this week's summary will play in the person's own voice (must be > 0)."""
    from assistant.clock import local_now
    from assistant.conversation.ownvoice import recordings
    from assistant.conversation.weekly import compose_stored
    from assistant.packs import load_pack

    journal, now = TinyJournal(folder), local_now()
    stored = compose_stored(journal, load_pack("ko", (common.LANG_DIR,)), *now.isocalendar()[:2], now)
    return len(recordings(journal, folder, stored.quotes, 30, now))


def compose_ms(folder: Path) -> float:
    from assistant.conversation.summary import compose
    from assistant.conversation.weekly import gather_facts
    from assistant.packs import load_pack

    pack, journal = load_pack("nl"), TinyJournal(folder)
    year, week, _ = date.today().isocalendar()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        compose(gather_facts(journal, pack, year, week), pack, current=True)
        times.append((time.perf_counter() - start) * 1000)
    return common.median(times)


def child(data: Path) -> None:
    """Runs with the virtual ALSA HOME: one `summary` call, the first sample stamped.

    keep_audio is on: where the journal kept the quoted answers' audio, the quotes are played
    in the person's own voice (found, read, cut and matched before the talk starts).
    """
    import dataclasses

    begun = time.perf_counter()
    import os

    import probes

    import assistant.speech.audio
    from assistant.app import summary
    from assistant.packs import load_pack

    (Path(os.environ["HOME"]) / "in.raw").write_bytes(bytes(16000 * 2 * 20))  # silence: no intention
    config = common.load_config(data.parent)  # its data_dir is data
    config = dataclasses.replace(config, session=dataclasses.replace(config.session, keep_audio=True))
    pack = load_pack("ko", (common.LANG_DIR,))
    trace: list = []
    real_speaker = assistant.speech.audio.SoundDeviceSpeaker

    def stamped_speaker(device: str = ""):
        speaker = real_speaker(device)
        speaker._sd = probes._SoundDevice(speaker._sd, trace)  # as probes.speaker() does
        return speaker

    assistant.speech.audio.SoundDeviceSpeaker = stamped_speaker
    imported = time.perf_counter()
    called = time.perf_counter()
    summary(config, pack, quiet=False)
    first = min(start for name, start, _ in trace if name == "first sample")
    print(json.dumps({"imports_ms": (imported - begun) * 1000, "first_ms": (first - called) * 1000}))


def first_audio(data: Path, runs: int = FIRST_AUDIO_RUNS) -> list[dict]:
    found = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-alsa-") as home:
            env = common.virtual_alsa_home(Path(home))
            done = subprocess.run([sys.executable, __file__, "--child", str(data)], env=env,
                                  cwd=common.ROOT, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"the child failed:\n{done.stderr}")
            found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one year, one fresh process: does it run?")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    global YEARS, RUNS, FIRST_AUDIO_RUNS
    if args.quick:
        YEARS, RUNS, FIRST_AUDIO_RUNS = 1, 3, 1
    with tempfile.TemporaryDirectory(prefix="bench-summary-") as folder:
        start = time.perf_counter()
        full, one_week = Path(folder) / "full" / "data", Path(folder) / "week" / "data"
        own = Path(folder) / "own" / "data"
        stored = build(full, YEARS * 365)
        build(one_week, date.today().weekday() + 1)
        build(own, YEARS * 365, own_voice=True)
        built = time.perf_counter() - start
        full_ms, week_ms = compose_ms(full), compose_ms(one_week)
        runs, own_runs = [], []
        for _ in range(FIRST_AUDIO_RUNS):  # alternated, so noise hits both alike
            runs += first_audio(full, 1)
            own_runs += first_audio(own, 1)
        quoted = own_voice_quotes(own)
        if not quoted:
            raise SystemExit("the own-voice journal has no quote with a recording: nothing measured")
    firsts = [r["first_ms"] for r in runs]
    own_firsts = [r["first_ms"] for r in own_runs]
    print(f"journal with {stored} answers ({YEARS} years, built in {built:.0f} s); "
          f"compose: median of {RUNS}; first audio: {FIRST_AUDIO_RUNS} fresh processes")
    common.print_table(["measure", "value", "goal"], [
        ["compose, journal of this week only", f"{week_ms:.1f} ms", ""],
        ["compose, 10-year journal", f"{full_ms:.1f} ms", _goal(full_ms <= 100, "<= 100 ms")],
        ["ratio 10-year / this week only", f"{full_ms / week_ms:.2f}x", ""],
        ["summary() -> first sample, median", f"{common.median(firsts):.0f} ms", ""],
        ["summary() -> first sample, max", f"{max(firsts):.0f} ms", _goal(max(firsts) <= 300, "<= 300 ms")],
        [f"own-voice quotes ({quoted} cut from kept 60 s WAVs) -> first sample, median",
         f"{common.median(own_firsts):.0f} ms", ""],
        ["own-voice quotes -> first sample, max", f"{max(own_firsts):.0f} ms",
         _goal(max(own_firsts) <= 300, "<= 300 ms")],
        ["ratio own voice / device voice (medians)", f"{common.median(own_firsts) / common.median(firsts):.2f}x", ""],
        ["(before: interpreter + imports, median)",
         f"{common.median([r['imports_ms'] for r in runs]):.0f} ms", ""],
    ])


def _goal(met: bool, goal: str) -> str:
    return f"{goal}: {'met' if met else 'NOT met'}"


if __name__ == "__main__":
    main()
