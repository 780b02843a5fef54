"""(b) From the end-of-answer decision to the first sample of the next question at the speaker.

Goal: p95 <= 50 ms.

Real parts throughout: Session (Korean test pack, script "compass", two moments), VoskListener
over a WavMicrophone replaying answers, TinyJournal in a temp dir (fsync on a real disk),
Pyttsx3Renderer + SpokenVoice, and SoundDeviceSpeaker over PortAudio. PortAudio plays into an
ALSA file pcm (unclocked: writes return at once), so the child process runs with a HOME whose
.asoundrc makes that the default device. Probes (bench/probes.py) stamp the decision (the
microphone stream's exit) and the moment just before the speaker's stream.write, and every
step in between, so the table shows where the time goes.

A second table times journal.add on journals that already hold a month and a year of
answers: every add re-reads and rewrites the whole JSON file, so it grows with the journal.

Run: python bench/bench_latency.py [--sessions 2] [--each]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import common

# One session's answers, in the order compass asks (two moments, "another moment?" in between).
# The authentic question gets the pack's own one-word answers (진짜, then 남들), which are in the
# listener's grammar; the session checks below that they, and the values, were understood.
S = common.SENTENCES
ANSWERS = (
    (S[0], S[1]), ("용기",), (S[5], S[8]), (S[7], S[9]), ("진짜",), (common.EXTRA, S[11]),
    ("네",),
    (S[2], S[3]), ("정직",), (S[4], S[6]), (S[10],), ("남들",), (common.EXTRA,),
)
# What the journal must hold afterwards: (question, value, authentic) of the one-word answers.
EXPECTED = [("value", "courage", None), ("authentic", None, True),
            ("value", "honesty", None), ("authentic", None, False)]
# Steps between the decision and the first sample; indented ones are parts of the step above.
PARTS = ("listen tail", "  transcriber finish", "  grammar final", "  free on path", "journal add",
         "  journal read", "  journal write+fsync", "tts wait", "stream start", "other")
# Runs alongside the path on the listener's reaper thread: shown, not part of the total.
PARALLEL = "reaper free (parallel)"


def session_wavs() -> list[Path]:
    return [common.answer_wav(texts, (0.7,) * len(texts)) for texts in ANSWERS]


def run_session(model, pack, config, folder: Path):
    """One real session; returns its trace and result."""
    import probes

    from assistant.conversation.session import Session

    trace: list = []
    speaker = probes.speaker(trace, config.voice.output_device)
    renderer, voice = probes.voice(trace, pack, config, speaker)
    journal = probes.journal(trace, folder)
    listener = probes.listener(trace, model, probes.microphone(trace, session_wavs()), pack, config)
    try:
        result = Session(pack, pack.script("compass"), listener, voice, journal,
                         max_moments=config.session.max_moments).run()
        understood = [(a.question_id, a.value, a.authentic) for a in journal.answers()
                      if a.question_id in ("value", "authentic")]
    finally:
        listener.close()  # waits for the reaper: the last recognizers are freed inside the session
        renderer.close()
        speaker.close()
    return trace, result, understood


def transitions(trace: list) -> list[dict[str, float]]:
    """Per decision: the time to the next first sample, and each step's share of it (seconds)."""
    events = sorted(trace, key=lambda e: e[1])
    samples = [e[1] for e in events if e[0] == "first sample"]
    found = []
    for _, t0, _ in (e for e in events if e[0] == "decision"):
        t2 = next((s for s in samples if s >= t0), None)
        if t2 is not None:
            found.append(_split(events, t0, t2))
    return found


def _split(events: list, t0: float, t2: float) -> dict[str, float]:
    inside = [e for e in events if t0 <= e[1] <= t2]
    parts = {name: sum(e[2] - e[1] for e in inside if e[0] == name.strip()) for name in PARTS}
    parts["listen tail"] = next(e[2] for e in events if e[0] == "listen" and e[1] <= t0 <= e[2]) - t0
    parts["total"] = t2 - t0
    parts["other"] = parts["total"] - sum(parts[p] for p in PARTS if not p.startswith(" ") and p != "other")
    parts[PARALLEL] = sum(max(0.0, min(e[2], t2) - max(e[1], t0)) for e in events if e[0] == "reaper free")
    return parts


def print_summary(found: list[dict[str, float]]) -> None:
    mean_total = sum(f["total"] for f in found) / len(found)
    rows = []
    for name in ("total", *PARTS, PARALLEL):
        values = [f[name] * 1000 for f in found]
        share = sum(values) / len(values) / (mean_total * 1000) * 100
        rows.append([name, common.percentile(values, 50), common.percentile(values, 95), max(values),
                     f"{share:.0f}%"])
    print(f"(b) end-of-answer decision -> first sample handed to PortAudio, ms, {len(found)} transitions")
    common.print_table(["step", "p50", "p95", "max", "share of mean"], rows)
    p95 = common.percentile([f["total"] * 1000 for f in found], 95)
    print(f"goal: p95 <= 50 ms  ->  {'MET' if p95 <= 50 else 'MISSED'} (p95 {p95:.1f} ms)")


def print_each(found: list[dict[str, float]]) -> None:
    names = ("total", "listen tail", "  transcriber finish", "  grammar final", "  free on path",
             "journal add", "tts wait", "stream start", "other", PARALLEL)
    rows = [[i + 1, *(f[n] * 1000 for n in names)] for i, f in enumerate(found)]
    common.print_table(["#", *(n.strip() for n in names)], rows)


def child(args) -> None:
    model, pack = common.load_model(), common.load_pack()
    found = []
    for n in range(args.sessions):
        with tempfile.TemporaryDirectory(prefix="bench-latency-") as folder:
            config = common.load_config(Path(folder))
            trace, result, understood = run_session(model, pack, config, Path(folder) / "data")
        found += transitions(trace)
        print(f"session {n + 1}: {result.status.value}, {len(result.answer_ids)} answers kept")
        if understood != EXPECTED:
            print(f"WARNING: session {n + 1}: one-word answers understood as {understood}, "
                  f"expected {EXPECTED}: the session took another path than planned")
    print_summary(found)
    if args.each:
        print_each(found)
    import journal_growth

    if args.quick:
        journal_growth.shrink()
    journal_growth.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2, help="sessions of 13 answers each")
    parser.add_argument("--each", action="store_true", help="also print every transition")
    parser.add_argument("--quick", action="store_true", help="one session, small journals: does it run?")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sessions = 1
    if args.child:
        return child(args)
    session_wavs()  # synthesise into the cache before timing anything
    with tempfile.TemporaryDirectory(prefix="bench-alsa-") as home:
        env = common.virtual_alsa_home(Path(home))
        command = [sys.executable, __file__, "--child", "--sessions", str(args.sessions)]
        command += ["--quick"] if args.quick else []
        subprocess.run(command + (["--each"] if args.each else []), env=env, check=True, cwd=common.ROOT)


if __name__ == "__main__":
    main()
