"""Helpers for the real-stack tests. Real parts, no hardware: the Korean Vosk model from PyPI,
espeak-ng speech, virtual ALSA devices.

The virtual devices are ALSA `file` PCMs: the microphone reads raw 16 kHz s16le from a file, the
speaker writes into one. They run as fast as the CPU (unclocked), so sessions take seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from assistant.wav import RATE

FIXTURES = Path(__file__).parent.parent / "fixtures"
LANG_DIR = FIXTURES / "lang"


def silence(seconds: float) -> bytes:
    return bytes(int(RATE * seconds) * 2)


def write_config(folder: Path, ko_model: Path, **sections: dict) -> Path:
    """A user config that adds the Korean test pack and points at the test model."""
    lines = ['language = "ko"', f'lang_dirs = ["{LANG_DIR}"]', "", "[model]",
             f'paths = {{ ko = "{ko_model}" }}']
    for name, values in sections.items():
        lines += ["", f"[{name}]"] + [f"{k} = {_toml(v)}" for k, v in values.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


class Rig:
    """A HOME whose default ALSA device is a file-backed microphone and speaker."""

    def __init__(self, folder: Path, speaker_file: str = "speaker.raw"):
        """`speaker_file` may hold ALSA's %r: the rate the speaker was opened at (speaker-%r.raw)."""
        self.home, self.mic, self.speaker = folder / "home", folder / "mic.raw", folder / speaker_file
        self.home.mkdir()
        self.mic.write_bytes(b"")
        (self.home / ".asoundrc").write_text(f"""
pcm.!default {{ type asym capture.pcm "mic" playback.pcm "speaker" }}
pcm.mic {{ type file slave.pcm "null" file "/dev/null" infile "{self.mic}" format "raw" }}
pcm.speaker {{ type file slave.pcm "null" file "{self.speaker}" format "raw" }}
""")

    def feed(self, pcm: bytes) -> None:
        self.mic.write_bytes(pcm)

    def played(self) -> bytes:
        return self.speaker.read_bytes() if self.speaker.exists() else b""

    def env(self) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config"),
                "XDG_DATA_HOME": str(self.home / ".local/share")}


def run_assistant(args: list[str], env: dict[str, str] | None = None, stdin: str = "",
                  timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=env or dict(os.environ),
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def render_prompts(texts: list[str], voice: str, env: dict[str, str]) -> list[bytes]:
    """What the assistant's own renderer makes of these texts, rendered in a separate process."""
    script = (
        "import sys, json\n"
        "from assistant.speech.voice import Pyttsx3Renderer\n"
        "texts = json.loads(sys.stdin.read())\n"
        f"r = Pyttsx3Renderer({voice!r}, 150, 1.0)\n"
        "out = sys.stdout.buffer\n"
        "for t in texts:\n"
        "    pcm = r.render(t); out.write(len(pcm).to_bytes(8, 'little') + pcm)\n"
        "out.flush(); r.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts).encode(),
                          capture_output=True, env=env, check=True, timeout=120)
    data, found = done.stdout, []
    while data:
        size = int.from_bytes(data[:8], "little")
        found.append(data[8:8 + size])
        data = data[8 + size:]
    return found


FRAME = 160  # 10 ms at 16 kHz


def envelope(pcm: bytes) -> np.ndarray:
    """Mean absolute amplitude per 10 ms: the shape of speech, blind to phase and tiny jitter."""
    x = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.float64))
    frames = len(x) // FRAME
    return x[:frames * FRAME].reshape(frames, FRAME).mean(axis=1)


def locate(needle: bytes, haystack: bytes, start: int = 0, same: float = 0.8) -> tuple[int, float]:
    """The first place from byte `start` on where `needle` sounds in `haystack`.

    Returns (byte offset, envelope similarity -1..1); the offset is -1 and the similarity the
    best seen when nothing reaches `same`. espeak-ng is not bit-exact from one rendering to the
    next, so played audio is found by correlating loudness envelopes, not by comparing bytes.
    """
    first = -(-start // (2 * FRAME))
    a, h = envelope(needle), envelope(haystack)[first:]
    if len(h) < len(a) or len(a) < 2:
        return -1, 0.0
    windows = np.lib.stride_tricks.sliding_window_view(h, len(a))
    windows = windows - windows.mean(axis=1, keepdims=True)
    a = a - a.mean()
    scores = windows @ a / (np.linalg.norm(windows, axis=1) * np.linalg.norm(a) + 1e-9)
    above = np.flatnonzero(scores >= same)
    if not above.size:
        return -1, float(scores.max())
    near = above[0] + int(np.argmax(scores[above[0]:above[0] + len(a) // 2]))  # its peak
    return (first + near) * 2 * FRAME, float(scores[near])


def loudness(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples ** 2))) if samples.size else 0.0
