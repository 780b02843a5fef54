"""A clocked "real room" without hardware: a private PulseAudio server with two null sinks.

The file-backed ALSA rig in support.py runs as fast as the CPU; this one runs in real time, as a
Raspberry Pi OS device does, so pauses, turn ends and response latencies are those a person meets.

- sink `speaker`: the device's default output; its monitor is what a person in the room hears.
- sink `micfeed`: whatever is played into it is what the microphone picks up; its monitor is the
  device's default input. With nothing playing, the monitor gives digital zeros, as a microphone
  with on-board noise suppression does.

Running as root works: the daemon only warns ("not intended to be run as root") when HOME and
XDG_RUNTIME_DIR are private (mode 0700) and `--system` is not given. It runs in the foreground
as a child that dies with the process that started it (PR_SET_PDEATHSIG; start the rig from the
main thread), so a killed test or benchmark leaves no server behind. Clients find it through
PULSE_SERVER, and autospawn is switched off, so nothing ever talks to another user's server.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

RATE = 16000
BLOCK = 160                  # 10 ms of 16 kHz mono: the resolution of every timestamp here
BLOCK_BYTES = 2 * BLOCK
TOOLS = ("pulseaudio", "pactl", "paplay", "parec")


class RigUnavailable(RuntimeError):
    """PulseAudio is missing or would not start; the message says what to install or check."""


def dbfs(pcm: bytes) -> float:
    """Loudness of 16-bit audio in dB relative to full scale; digital zeros give -96."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    rms = math.sqrt(float(np.mean(samples ** 2))) if samples.size else 0.0
    return max(-96.0, 20 * math.log10(rms / 32768)) if rms else -96.0


@dataclass(frozen=True)
class Level:
    at: float      # time.monotonic() at which this 10 ms block was heard (arrival, see Recorder)
    dbfs: float


class Recorder:
    """`parec` of one source, kept in memory and in a raw 16 kHz s16le file, with a level per 10 ms.

    Block i sounded at `anchor + i * 0.01`: the stream has no gaps, so counting samples is exact,
    and the anchor is the earliest arrival time seen minus the latency asked for. Arrival times
    alone would bunch up whenever this process is briefly descheduled (2 cores, busy machine).
    If the reader ever falls a second behind (parec dropped data), the anchor moves on and the
    slip is counted. All rig times are `time.monotonic()`.
    """

    LATENCY_MS = 20
    LOST = 1.0  # seconds behind the count: data was dropped, not merely read late

    def __init__(self, env: dict[str, str], device: str, path: Path):
        self.path, self.device = path, device
        self.slips = 0
        self._db: list[float] = []
        self._firsts: list[tuple[int, float]] = []  # (block, anchor from it on) after a slip
        self._pcm = bytearray()
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            ["parec", f"--device={device}", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", f"--latency-msec={self.LATENCY_MS}"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        with open(self.path, "wb") as out:
            while True:
                block = self._proc.stdout.read(BLOCK_BYTES)
                if len(block) < BLOCK_BYTES:
                    return
                out.write(block)
                self._add(block, time.monotonic() - self.LATENCY_MS / 1000)

    def _add(self, block: bytes, arrived: float) -> None:
        with self._lock:
            i = len(self._db)
            candidate = arrived - i * 0.01
            if not self._firsts:
                self._firsts.append((0, candidate))
            elif candidate - self._firsts[-1][1] > self.LOST:
                self.slips += 1
                self._firsts.append((i, candidate))
            elif candidate < self._firsts[-1][1]:
                self._firsts[-1] = (self._firsts[-1][0], candidate)
            self._db.append(dbfs(block))
            self._pcm += block

    @property
    def blocks(self) -> int:
        with self._lock:
            return len(self._db)

    def wait_running(self, timeout: float) -> None:
        """Until sound flows. An idle null sink renders in 2 s blocks, so a first client waits up
        to 2 s for data and misses what was played meanwhile; one low-latency reader keeps the
        sink awake, as real hardware is, and every later client starts at once."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.blocks:
                return
            if self._proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RigUnavailable(f"parec --device={self.device} delivered no sound within {timeout:.0f} s")

    def _first_block(self, start: float) -> int:
        """The first block sounding at or after `start` (caller holds the lock)."""
        for n in range(len(self._firsts) - 1, -1, -1):
            first, anchor = self._firsts[n]
            i = math.ceil((start - anchor) / 0.01 - 1e-6)
            if i >= first or n == 0:
                end = self._firsts[n + 1][0] if n + 1 < len(self._firsts) else len(self._db)
                return min(max(i, 0), end)
        return 0

    def _at(self, i: int) -> float:
        anchor = [a for first, a in self._firsts if first <= i][-1]
        return anchor + i * 0.01

    def since(self, start: float) -> list[Level]:
        """Levels heard at or after `start` (a copy; the recorder keeps going)."""
        with self._lock:
            if not self._db:
                return []
            i = self._first_block(start)
            return [Level(self._at(j), self._db[j]) for j in range(i, len(self._db))]

    def audio(self, start: float, end: float) -> tuple[float, bytes]:
        """What sounded from `start` to `end`: (time of its first sample, 16 kHz s16le)."""
        with self._lock:
            if not self._db:
                return start, b""
            i, j = self._first_block(start), self._first_block(end)
            return (self._at(i) if i < len(self._db) else start), bytes(self._pcm[i * BLOCK_BYTES:j * BLOCK_BYTES])

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._thread.join(timeout=5)

    def pcm(self) -> bytes:
        return self.path.read_bytes() if self.path.exists() else b""


class PulseRig:
    """A private, clocked PulseAudio server: use as `with PulseRig() as rig:` (always cleaned up).

    `env()` is the environment for processes that should use it (ALSA default = pulse).
    Raises RigUnavailable with one clear line when PulseAudio cannot be used.
    """

    def __init__(self, folder: Path | None = None):
        self._own = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="pulserig-")) if folder is None else folder
        self.home, self.runtime = self.folder / "home", self.folder / "run"
        self._players: list[subprocess.Popen] = []
        self._recorders: list[Recorder] = []
        self._modules: list[str] = []
        self._started = False
        self._daemon: subprocess.Popen | None = None
        self.speaker: Recorder | None = None
        self.mic: Recorder | None = None

    # --- life cycle -------------------------------------------------------------------------
    def __enter__(self) -> PulseRig:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 15.0) -> None:
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
        if missing:
            raise RigUnavailable(f"{', '.join(missing)} not found; install them: "
                                 "sudo apt install pulseaudio pulseaudio-utils libasound2-plugins")
        self._write_home()
        self._daemon = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1", "--log-target=stderr",
             "--load=module-native-protocol-unix",
             "--load=module-null-sink sink_name=speaker",
             "--load=module-null-sink sink_name=micfeed"],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            preexec_fn=_die_with_parent)
        self._started = True
        self._wait_ready(timeout)
        self.pactl("set-default-source", "micfeed.monitor")
        self.pactl("set-default-sink", "speaker")
        self.speaker = self._record("speaker.monitor", self.folder / "speaker.raw")
        self.mic = self._record("micfeed.monitor", self.folder / "mic.raw")
        for recorder in (self.speaker, self.mic):
            recorder.wait_running(timeout)


    def _write_home(self) -> None:
        for folder in (self.home, self.runtime, self.home / ".config" / "pulse"):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        (self.home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
        (self.home / ".config" / "pulse" / "client.conf").write_text("autospawn = no\n")

    def _wait_ready(self, timeout: float) -> None:
        deadline, error = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            if self._daemon.poll() is not None:
                raise RigUnavailable(f"pulseaudio would not start (exit {self._daemon.returncode}): "
                                     f"{_last_line(self._daemon.stderr.read())}")
            done = subprocess.run(["pactl", "info"], env=self.env(), capture_output=True, text=True)
            if done.returncode == 0:
                threading.Thread(target=self._daemon.stderr.read, daemon=True).start()  # drain it
                return
            error = _last_line(done.stderr)
            time.sleep(0.1)
        raise RigUnavailable(f"pulseaudio started but `pactl info` kept failing for {timeout:.0f} s: {error}")

    def stop(self) -> None:
        """Stops players, recorders and the daemon, and removes the private folder."""
        for player in self._players:
            if player.poll() is None:
                player.kill()
            player.wait()
        for recorder in self._recorders:
            recorder.stop()
        if self._started:
            self._daemon.terminate()
            try:
                self._daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._daemon.kill()
                self._daemon.wait()
            self._started = False
        if self._own:
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- use --------------------------------------------------------------------------------
    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment whose sound goes through this rig only."""
        env = dict(os.environ if base is None else base)
        env.update(HOME=str(self.home), XDG_RUNTIME_DIR=str(self.runtime),
                   XDG_CONFIG_HOME=str(self.home / ".config"), XDG_DATA_HOME=str(self.home / ".local/share"),
                   PULSE_RUNTIME_PATH=str(self.runtime / "pulse"),
                   PULSE_SERVER=f"unix:{self.runtime / 'pulse' / 'native'}")
        env.pop("PULSE_SINK", None)
        env.pop("PULSE_SOURCE", None)
        return env

    def pactl(self, *args: str) -> str:
        done = subprocess.run(["pactl", *args], env=self.env(), capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise RigUnavailable(f"pactl {' '.join(args)} failed: {_last_line(done.stderr)}")
        return done.stdout.strip()

    def play_into_mic(self, wav: Path, at: float | None = None) -> subprocess.Popen:
        """Plays a WAV into the microphone (in real time); `at` is a time.monotonic() to wait for.

        Several plays at once are mixed, as sounds in a room are.
        """
        return self._play(wav, "micfeed", at)

    def play_on_speaker(self, wav: Path, at: float | None = None) -> subprocess.Popen:
        return self._play(wav, "speaker", at)

    def _play(self, wav: Path, sink: str, at: float | None) -> subprocess.Popen:
        if at is not None:
            time.sleep(max(0.0, at - time.monotonic()))
        player = subprocess.Popen(["paplay", f"--device={sink}", str(wav)], env=self.env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._players.append(player)
        return player

    def record_speaker(self) -> Recorder:
        """What the device says (the speaker's monitor), recorded since the rig started."""
        return self.speaker

    def record_mic(self) -> Recorder:
        """What the microphone hears (the device's input), recorded since the rig started."""
        return self.mic

    def _record(self, device: str, path: Path) -> Recorder:
        recorder = Recorder(self.env(), device, path)
        self._recorders.append(recorder)
        return recorder

    def leak_speaker_into_mic(self) -> None:
        """The speaker is heard by the microphone, as on a speakerphone without echo cancelling."""
        self._modules.append(self.pactl("load-module", "module-loopback", "source=speaker.monitor",
                                        "sink=micfeed", "latency_msec=20"))


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no message)"


def _die_with_parent() -> None:
    """In the daemon's child process: end it when the process that started it dies, even by
    SIGKILL, so no test or benchmark can leave a sound server behind (Linux prctl)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@pytest.fixture
def pulse_rig():
    """A clocked PulseAudio rig for one test; skipped, with the reason, when it cannot start."""
    rig = PulseRig()  # its own short /tmp folder: a unix socket path must stay under 108 bytes
    try:
        rig.start()
    except RigUnavailable as error:
        rig.stop()
        pytest.skip(f"clocked rig unavailable: {error}")
    try:
        yield rig
    finally:
        rig.stop()
