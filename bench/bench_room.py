"""Conversations in a clocked room (issue 10): a scripted person talks to `assistant reflect`.

Real time on a private PulseAudio server (tests/integration/clocked.py), the Korean test pack and
model, espeak-ng speech levelled to -20 dBFS (see bench/room.py). Each scenario prints a table.

    python bench/bench_room.py              # all five, ~20 min
    python bench/bench_room.py --quick      # one short case each, ~3 min
    python bench/bench_room.py --scenario 4
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import room  # noqa: E402
from common import SENTENCES, load_pack, median, percentile, print_table  # noqa: E402
from room import PulseRig, SessionLog, Turn, answer, outcome, pink_noise, tv  # noqa: E402

from tests.integration.clocked import RigUnavailable  # noqa: E402

PAUSE_SECONDS = 2.0   # the config's end-of-answer pause (default.toml)
EARLY = 0.3           # closed more than this before the pause had passed: "early"
PAUSES = (0.8, 1.2, 1.5)
NOISE_DBFS = -44.0
TV_DBFS = -30.0       # ~10 dB below the person's -20 dBFS


SESSIONS: list[tuple[str, SessionLog]] = []  # every session of this run, for --json


def run_session(rig, folder: Path, answers, background=None) -> SessionLog:
    log = room.run_session(rig, folder, answers, background)
    SESSIONS.append((folder.name, log))
    return log


def two_phrase(n: int, pause: float):
    """Answer n (0..5): two different sentences with `pause` of digital silence between."""
    a, b = SENTENCES[(2 * n) % len(SENTENCES)], SENTENCES[(2 * n + 1) % len(SENTENCES)]
    return answer((a, b), (pause,), label=f"2-phrase {pause:.1f}s")


def compass_two_phrase(pause: float, first: int = 0, short: bool = False):
    """A compass session where every free question gets a two-phrase answer."""
    if short:
        return [two_phrase(first, pause)]
    return [two_phrase(first, pause), answer("정직", label="value"), two_phrase(first + 1, pause),
            two_phrase(first + 2, pause), answer("진짜", label="authentic"), two_phrase(first + 3, pause)]


def measured(logs: list[SessionLog], prefix: str) -> list[tuple[SessionLog, Turn]]:
    return [(log, t) for log in logs for t in log.turns if t.answer.label.startswith(prefix)]


def voiced(turn: Turn) -> float:
    return sum(b - a for a, b in turn.answer.spans)


def answer_row(name: str, pairs: list[tuple[SessionLog, Turn]]) -> list:
    """cut / early / gaps / words and speech stored vs spoken, over some answers."""
    gaps = [t.gap for _, t in pairs if t.gap is not None]
    cut = sum(t.cut for _, t in pairs)
    early = sum(1 for _, t in pairs if not t.cut and t.gap is not None and t.gap < PAUSE_SECONDS - EARLY)
    stored = [log.stored_for(t) for log, t in pairs]
    words = sum(len((s or {}).get("transcript", "").split()) for s in stored)
    spoken = sum(t.answer.words for _, t in pairs)
    heard = sum(t.heard.get("speech", 0.0) for _, t in pairs)
    under = sum(1 for _, t in pairs if t.heard and t.heard["speech"] < 0.7 * voiced(t))
    return [name, len(pairs), cut, early, _f(median(gaps)) if gaps else "-", _f(min(gaps)) if gaps else "-",
            _f(max(gaps)) if gaps else "-", f"{words}/{spoken}", f"{heard:.1f}/{sum(voiced(t) for _, t in pairs):.1f}",
            under, sum(s is None for s in stored)]


ANSWER_HEADERS = ["case", "answers", "cut", f"early<{PAUSE_SECONDS - EARLY:.1f}s", "gap p50", "gap min",
                  "gap max", "words stored/spoken", "speech heard/voiced s", "under-heard", "not stored"]


def _f(x: float) -> str:
    return f"{x:.2f}"


def scenario_pauses(rig, folder: Path, quick: bool, background=None, title="digital silence",
                    tag: str = "silence") -> None:
    """(1)/(2): two-phrase answers with inner pauses shorter than the end-of-answer pause."""
    rows, logs_all = [], []
    for i, pause in enumerate((1.2,) if quick else PAUSES):
        log = run_session(rig, folder / f"{tag}-{pause}", compass_two_phrase(pause, i, quick), background)
        logs_all.append(log)
        rows.append(answer_row(f"pause {pause:.1f}s", measured([log], "2-phrase")))
    rows.append(answer_row("all", measured(logs_all, "2-phrase")))
    print(f"\nTwo-phrase answers, inner pauses of {title}; the turn should close {PAUSE_SECONDS} s after the last word")
    print_table(ANSWER_HEADERS, rows)
    _details(logs_all)


def _details(logs: list[SessionLog]) -> None:
    """One line per turn, for reading what happened (gap, heard, stored transcript)."""
    print("  per turn: label | gap s | listener state, turn s, speech s | device's next line | stored")
    for log in logs:
        late = max((abs(c) for c in log.corrections), default=0.0)
        if log.slips or late > 0.05:
            print(f"  (the person's stream fell behind {log.slips} times and sounded up to {late:.2f} s off "
                  "its plan; the times shown are where the microphone really heard the words)")
        for t in log.turns:
            stored = log.stored_for(t)
            gap = "-" if t.gap is None else f"{t.gap:+.2f}"
            heard = f"{t.heard.get('state', '?')} {t.heard.get('seconds', 0):.1f} {t.heard.get('speech', 0):.1f}"
            print(f"  {t.answer.label[:22]:22} | {gap:>6} | {heard:18} | {t.response[:24]:24} | "
                  f"{(stored or {}).get('transcript', '(none)')[:40]}")


def scenario_noise(rig, folder: Path, quick: bool) -> None:
    """(2): the same answers over steady pink noise (a fan), so the pauses are not zeros."""
    scenario_pauses(rig, folder, quick, pink_noise(20.0, NOISE_DBFS), f"pink noise at {NOISE_DBFS:.0f} dBFS",
                    "noise")


def scenario_tv(rig, folder: Path, quick: bool) -> None:
    """(3): a TV in the room, on and off, ~10 dB below the person; then "stop" said alone."""
    pack, logs = load_pack(), []
    sessions = 1 if quick else 2
    for n in range(sessions):
        answers = [two_phrase(n, 1.2)] if quick else \
            [two_phrase(3 * n, 1.2), answer("정직", label="value"), two_phrase(3 * n + 1, 1.2),
             two_phrase(3 * n + 2, 1.2)]
        answers.append(answer("감사합니다", label="stop alone", expect="stop"))
        logs.append(run_session(rig, folder / f"tv-{n}", answers, tv(120.0, TV_DBFS, seed=5 + n)))
    pairs = measured(logs, "2-phrase")
    gaps = [t.gap for _, t in pairs if t.gap is not None]
    extra = [t.heard["speech"] - voiced(t) for _, t in pairs if t.heard]
    stops = [outcome(log, t, pack) for log in logs for t in log.turns if t.answer.expect == "stop"]
    late = sum(1 for g in gaps if g > PAUSE_SECONDS + 1.0)
    print(f"\nIntermittent TV (another voice, English, {TV_DBFS:.0f} dBFS) under two-phrase answers (1.2 s pauses)")
    print_table(["answers", "turn end p50 s", "turn end max s", "> pause+1.0 s", "cut",
                 "speech heard - voiced p50/max s", "with >1 s extra speech", "stop obeyed"],
                [[len(pairs), _f(median(gaps)) if gaps else "-", _f(max(gaps)) if gaps else "-", late,
                  sum(t.cut for _, t in pairs),
                  f"{median(extra):+.1f}/{max(extra):+.1f}" if extra else "-", sum(e > 1.0 for e in extra),
                  f"{stops.count('stop')}/{len(stops)}"]])
    print(f"  stop said alone was heard as: {stops}")
    _details(logs)


COMMAND_WORD_ANSWERS = (("진짜 좋아요", "skip"), ("기대했어요", "forget"), ("아마 내일", "later"),
                        ("진짜 감사합니다", "stop"))


def scenario_command_words(rig, folder: Path, quick: bool) -> None:
    """(4): short answers holding a command word, said after a first answer that is stored."""
    pack, rows = load_pack(), []
    cases = [c for c in COMMAND_WORD_ANSWERS if c[1] == "forget"] if quick else COMMAND_WORD_ANSWERS
    for n, (text, command) in enumerate(cases):
        first = answer(SENTENCES[n], label="first answer")
        log = run_session(rig, folder / f"words-{n}", [first, answer(text, label=text, expect=command)])
        turns = {t.answer.label: t for t in log.turns}
        said = turns.get(text)
        heard = outcome(log, said, pack) if said else "(not reached)"
        kept_first = "first answer" in turns and log.stored_for(turns["first answer"]) is not None
        stored = log.stored_for(said) if said else None
        rows.append([text, command, heard, "yes" if heard == command else "no",
                     "yes" if stored else "no", "yes" if kept_first else "ERASED"])
    print("\nShort answers containing a command word (each after a first, stored answer)")
    print_table(["said", "command word", "device heard", "obeyed as command", "stored as answer",
                 "first answer kept"], rows)
    obeyed = sum(r[3] == "yes" for r in rows)
    print(f"  obeyed as commands: {obeyed} of {len(rows)}; first answers erased: "
          f"{sum(r[5] == 'ERASED' for r in rows)}")


def latency_script(quick: bool):
    """Commands alone, as they walk the compass script, with a few ordinary answers between."""
    def say(word: str):
        return answer(word, label=f"command {word}", expect={"다시": "repeat", "좋아요": "skip"}[word])

    def sentence(n: int):
        return answer(SENTENCES[n], label="answer sentence")

    if quick:
        return [say("다시"), say("좋아요"), answer("정직", label="answer value")]
    return [say("다시"), say("다시"), say("좋아요"), say("다시"), say("좋아요"), sentence(0), say("다시"),
            say("좋아요"), answer("진짜", label="answer authentic"), say("다시"), sentence(1)]


def scenario_latency(rig, folder: Path, quick: bool) -> None:
    """(5): command said alone -> the device's next speech, against ordinary answers."""
    pack, logs = load_pack(), []
    for n in range(1 if quick else 2):
        logs.append(run_session(rig, folder / f"latency-{n}", latency_script(quick)))
    commands, answers, missed = [], [], 0
    for log in logs:
        for t in log.turns:
            if t.gap is None:
                continue
            heard = outcome(log, t, pack)
            if t.answer.expect != "answer":
                if heard == t.answer.expect:
                    commands.append(t.gap)
                else:
                    missed += 1
            elif heard == "answer":
                answers.append(t.gap)
    print("\nLatency: last word -> the device's next speech (goal for commands: p95 <= 1.0 s)")
    rows = [[name, len(v), _f(median(v)) if v else "-", _f(percentile(v, 95)) if v else "-",
             _f(max(v)) if v else "-"] for name, v in (("command alone (obeyed)", commands),
                                                       ("ordinary answer", answers))]
    print_table(["turn", "n", "p50 s", "p95 s", "max s"], rows)
    if answers:
        print(f"  ordinary answers: pause {PAUSE_SECONDS} s + {median(answers) - PAUSE_SECONDS:.2f} s (p50)")
    print(f"  commands not obeyed (excluded above): {missed}")
    _details(logs)


SCENARIOS = {1: lambda rig, folder, quick: scenario_pauses(rig, folder, quick),
             2: scenario_noise, 3: scenario_tv, 4: scenario_command_words, 5: scenario_latency}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short case per scenario")
    parser.add_argument("--smoke", action="store_true",
                        help="one short case of scenario 1 only (the CI smoke: does it run?)")
    parser.add_argument("--scenario", type=int, choices=sorted(SCENARIOS), action="append",
                        help="run only this scenario (may be given more than once)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every turn as JSON lines")
    args = parser.parse_args(argv)
    if args.smoke:
        args.quick, args.scenario = True, [1]
    signal.signal(signal.SIGTERM, _terminated)  # so `kill` still stops the rig and the device
    folder = Path(tempfile.mkdtemp(prefix="bench-room-"))
    try:
        with PulseRig(folder / "rig") as rig:
            for number in args.scenario or sorted(SCENARIOS):
                print(f"\n=== scenario {number} ===", flush=True)
                SCENARIOS[number](rig, folder / f"s{number}", args.quick)
    except RigUnavailable as error:
        print(f"bench_room: the clocked rig is unavailable: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.json:
            _write_json(args.json)
    return 0


def _terminated(signum, frame) -> None:
    raise SystemExit(f"bench_room: stopped by signal {signum}")


def _write_json(path: Path) -> None:
    pack = load_pack()
    with open(path, "w", encoding="utf-8") as out:
        for name, log in SESSIONS:
            for turn in log.turns:
                out.write(json.dumps({"session": name, **room.turn_record(log, turn, pack)},
                                     ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
