"""A scripted person in a clocked room: talks to `assistant reflect --lang ko` in real time.

The room is the PulseAudio rig of tests/integration/clocked.py. The person listens to the
speaker's monitor: when the device has been quiet for 0.3 s after speech (and its last printed
line is a question), they wait a human 0.5 s more and say the next scripted answer into the
microphone. Background sound (pink noise, a TV) is mixed into the same microphone stream.

Every time is `time.monotonic()` of one clock: the device's speech from the speaker monitor
(see Recorder), the person's words from the sample position in their own stream plus the
stream's latency, measured once per session with a marker tone heard on the mic monitor.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from common import LANG_DIR, model_path, speech  # noqa: E402

from tests.integration.clocked import RATE, PulseRig, RigUnavailable  # noqa: E402

DEVICE_SPEECH_DBFS = -50.0  # the speaker monitor is digital zeros between prompts
QUIET_AFTER_SPEECH = 0.3    # the device has finished a prompt
HUMAN_WAIT = 0.5            # then the person takes a breath before answering
VOICE_DBFS = -20.0          # the person's level at the microphone
BLOCK = 320                 # 20 ms: the person's stream is written in these
AHEAD = 0.06                # seconds written ahead of the clock (pacat keeps ~30 ms itself)


# --- what the person says --------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """One turn of the person: the audio, where its words are, and what it should do."""
    label: str
    texts: tuple[str, ...]
    pcm: np.ndarray                          # int16 at 16 kHz, words and inner pauses only
    spans: tuple[tuple[float, float], ...]   # (start, end) seconds of each phrase in pcm
    expect: str = "answer"                   # "answer" (stored) or a command name (obeyed)

    @property
    def last_word_end(self) -> float:
        return self.spans[-1][1]

    @property
    def words(self) -> int:
        return sum(len(text.split()) for text in self.texts)


def levelled(samples: np.ndarray, target_dbfs: float = VOICE_DBFS) -> np.ndarray:
    """Scaled so the voiced 10 ms blocks average `target_dbfs` (RMS)."""
    x = samples.astype(np.float64)
    blocks = x[: x.size // 160 * 160].reshape(-1, 160)
    rms = np.sqrt((blocks ** 2).mean(axis=1))
    voiced = rms[rms > 32768 * 10 ** (-50 / 20)]
    level = np.sqrt((voiced ** 2).mean()) if voiced.size else 1.0
    gain = 32768 * 10 ** (target_dbfs / 20) / level
    return np.clip(np.round(x * gain), -32768, 32767).astype(np.int16)


_SPEECH: dict[tuple, np.ndarray] = {}


def said(text: str, voice: str = "ko", target_dbfs: float = VOICE_DBFS) -> np.ndarray:
    """espeak-ng speech of `text`, trimmed and levelled (cached for the process)."""
    key = (text, voice, target_dbfs)
    if key not in _SPEECH:
        _SPEECH[key] = levelled(speech(text) if voice == "ko" else _espeak(text, voice), target_dbfs)
    return _SPEECH[key]


def _espeak(text: str, voice: str) -> np.ndarray:
    import tempfile

    from assistant.wav import read_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "say.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True)
        samples = np.frombuffer(read_wav(wav), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples


def answer(texts: tuple[str, ...] | str, pauses: tuple[float, ...] = (), label: str = "",
           expect: str = "answer") -> Answer:
    """Phrases joined by pauses of digital silence (as a noise-suppressing microphone gives)."""
    texts = (texts,) if isinstance(texts, str) else tuple(texts)
    parts, spans, at = [], [], 0.0
    for i, text in enumerate(texts):
        pcm = said(text)
        spans.append((at, at + pcm.size / RATE))
        parts.append(pcm)
        at += pcm.size / RATE
        if i < len(texts) - 1:
            gap = np.zeros(int(pauses[i] * RATE), dtype=np.int16)
            parts.append(gap)
            at += gap.size / RATE
    return Answer(label or " / ".join(texts), texts, np.concatenate(parts), tuple(spans), expect)


def pink_noise(seconds: float, target_dbfs: float, seed: int = 3) -> np.ndarray:
    """Steady 1/f noise (a fan, a fridge), at an RMS of `target_dbfs`."""
    n = int(seconds * RATE)
    spectrum = np.fft.rfft(np.random.default_rng(seed).normal(size=n))
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    x = np.fft.irfft(spectrum, n)
    x *= 32768 * 10 ** (target_dbfs / 20) / np.sqrt((x ** 2).mean())
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


TV_LINES = ("and now the weather for the coming weekend", "the match ended in a draw after extra time",
            "prices at the pump went up again this week", "scientists found a new species of frog",
            "traffic is heavy on the ring road tonight", "stay tuned for the late movie after the news")


def tv(seconds: float, target_dbfs: float, seed: int = 5) -> np.ndarray:
    """Another voice in another language, on and off: 2-5 s of talk, 2-6 s of nothing."""
    rng, parts, total = np.random.default_rng(seed), [], 0
    while total < seconds * RATE:
        gap = np.zeros(int(rng.uniform(2.0, 6.0) * RATE), dtype=np.int16)
        talk = said(TV_LINES[rng.integers(len(TV_LINES))], voice="en-gb", target_dbfs=target_dbfs)
        parts += [gap, talk]
        total += gap.size + talk.size
    return np.concatenate(parts)[: int(seconds * RATE)]


# --- the person's mouth: one clocked stream into the microphone ------------------------------
class Mouth:
    """Writes the person's voice plus background into `micfeed`, paced by the clock.

    Sample n of the stream is planned to sound at `t0 + n / RATE + latency`; `when(n)` gives
    that time. If the writer falls behind (a busy CPU), it restarts its clock and counts a slip;
    if pacat falls behind, audio waits in its pipe, which only the microphone can tell: the
    person therefore locates each answer in the mic recording (`heard_at`) and corrects
    `latency` by what it finds.
    """

    def __init__(self, rig: PulseRig):
        self._proc = subprocess.Popen(
            ["pacat", "--playback", "--device=micfeed", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--latency-msec=30"], env=rig.env(), stdin=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self._background: np.ndarray | None = None
        self._background_from = 0
        self._lock = threading.Lock()
        self._queue: list[tuple[int, np.ndarray]] = []  # (first sample, audio)
        self.written, self.slips, self.latency = 0, 0, 0.0
        self._anchors: list[tuple[int, float]] = []      # (sample, t0 for samples from it on)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def when(self, sample: int) -> float:
        """The monotonic time at which `sample` of the stream is heard by the microphone."""
        t0 = [t for first, t in self._anchors if first <= sample][-1]
        return t0 + sample / RATE + self.latency

    def sample_at(self, moment: float) -> int:
        """The first sample that will sound at or after `moment` (not yet written, if possible)."""
        t0 = self._anchors[-1][1]
        return max(self.written + BLOCK, int((moment - self.latency - t0) * RATE))

    def say(self, pcm: np.ndarray, at: float) -> tuple[int, int]:
        """Schedules `pcm` to sound from about `at`; returns its first and end sample."""
        with self._lock:
            first = self.sample_at(at)
            self._queue.append((first, pcm))
        return first, first + pcm.size

    def start_background(self, pcm: np.ndarray) -> None:
        """Loops `pcm` under everything from now on (after calibrating: it would hide the tone)."""
        with self._lock:
            self._background_from = self.written + BLOCK
            self._background = pcm

    def _run(self) -> None:
        self._anchors.append((0, time.monotonic()))
        try:
            while not self._stop.is_set():
                t0 = self._anchors[-1][1]
                due = int((time.monotonic() - t0 + AHEAD) * RATE)
                if due - self.written > 0.1 * RATE:  # fell behind: restart the clock here
                    self.slips += 1
                    self._anchors.append((self.written, time.monotonic() - self.written / RATE))
                    continue
                while self.written + BLOCK <= due:
                    self._proc.stdin.write(self._block(self.written).tobytes())
                    self.written += BLOCK
                self._proc.stdin.flush()
                time.sleep(0.01)
        except (BrokenPipeError, ValueError):
            pass

    def _block(self, first: int) -> np.ndarray:
        out = np.zeros(BLOCK, dtype=np.int32)
        if self._background is not None:
            bg = self._background
            idx = (np.arange(first, first + BLOCK) - self._background_from) % bg.size
            out += bg[idx]
        with self._lock:
            for start, pcm in self._queue:
                lo, hi = max(first, start), min(first + BLOCK, start + pcm.size)
                if lo < hi:
                    out[lo - first:hi - first] += pcm[lo - start:hi - start]
            self._queue = [(s, p) for s, p in self._queue if s + p.size > first]
        return np.clip(out, -32768, 32767).astype("<i2")

    def calibrate(self, mic) -> None:
        """The stream's latency: a short tone, and when the mic monitor hears it."""
        tone = (3000 * np.sin(2 * np.pi * 1000 * np.arange(800) / RATE)).astype(np.int16)
        first, _ = self.say(tone, time.monotonic() + 0.1)
        planned = self.when(first)
        deadline = planned + 3.0
        while time.monotonic() < deadline:
            heard = [lv.at for lv in mic.since(planned - 0.5) if lv.dbfs > -35]
            if heard:
                self.latency = heard[0] - planned
                return
            time.sleep(0.05)
        raise RigUnavailable("the person's calibration tone never reached the microphone (micfeed)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        self._proc.terminate()
        self._proc.wait(timeout=5)


# --- one session -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    at: float
    text: str


@dataclass(frozen=True)
class Turn:
    """One answer and what the device did around it; all times on the rig's clock."""
    answer: Answer
    prompt: str              # the device's last line before the answer
    question_start: float
    question_end: float
    start: float             # the person's first word sounds
    last_word_end: float
    next_speech: float | None  # the device's next speech after `start` (None: never)
    response: str            # the device's first line printed after `start` ("" if none)
    wall_start: float        # time.time() of `start`, to find the stored answer
    heard: dict = field(default_factory=dict)  # the listener's debug line: state, seconds, speech

    @property
    def cut(self) -> bool:
        return self.next_speech is not None and self.next_speech < self.last_word_end

    @property
    def gap(self) -> float | None:
        """From the last word to the device's next speech (negative: cut off)."""
        return None if self.next_speech is None else self.next_speech - self.last_word_end


@dataclass
class SessionLog:
    turns: list[Turn]
    lines: list[Line]
    stored: list[dict]
    stderr: str
    returncode: int | None
    slips: int = 0
    latency: float = 0.0      # the person's stream, as calibrated with a tone
    corrections: list[float] = field(default_factory=list)  # per answer: heard - planned start

    def stored_for(self, turn: Turn) -> dict | None:
        """The stored answer whose listening span holds the turn's first word."""
        for item in self.stored:
            start, end = (_epoch(item[k]) for k in ("started_at", "ended_at"))
            if start - 0.5 <= turn.wall_start <= end + 0.5:
                return item
        return None


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


_TURN_LOG = re.compile(r"turn (\w+) after ([\d.]+)s \(speech ([\d.]+)s\): (.*)$")


class Device:
    """`assistant reflect` under the rig, its stdout and stderr lines timestamped."""

    def __init__(self, rig: PulseRig, folder: Path, config: Path, script: str = "compass"):
        self.data = folder / "data"
        self.config = config
        env = {**rig.env(), "ASSISTANT_LOG": "debug", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self._env = env
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "reflect", "--lang", "ko", "--config", str(config),
             "--data-dir", str(self.data), "--script", script],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[Line] = []
        self.errors: list[Line] = []
        for stream, into in ((self.proc.stdout, self.lines), (self.proc.stderr, self.errors)):
            threading.Thread(target=_pump_lines, args=(stream, into), daemon=True).start()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def finish(self, grace: float = 20.0) -> int:
        """Ends the session as Ctrl-C would (every finished answer is kept), then waits."""
        if self.alive():
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def stored(self) -> list[dict]:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "export", "--format", "json", "--lang", "ko",
             "--config", str(self.config), "--data-dir", str(self.data)],
            cwd=ROOT, env=self._env, capture_output=True, text=True, timeout=60)
        return json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else []


def _pump_lines(stream, into: list[Line]) -> None:
    for text in stream:
        into.append(Line(time.monotonic(), text.rstrip("\n")))


def write_room_config(folder: Path, **listen) -> Path:
    """The Korean test config (as tests/integration/support.py writes it), one moment per session."""
    lines = ['language = "ko"', f'lang_dirs = ["{LANG_DIR}"]', "", "[model]",
             f'paths = {{ ko = "{model_path()}" }}', "", "[session]", "max_moments = 1"]
    if listen:
        lines += ["", "[listen]"] + [f"{k} = {v}" for k, v in listen.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Person:
    """Answers each question the device finishes, in order; then ends the session."""

    def __init__(self, rig: PulseRig, device: Device, mouth: Mouth, not_questions: set[str],
                 response_timeout: float = 40.0):
        self.rig, self.device, self.mouth = rig, device, mouth
        self.not_questions = not_questions  # lines after which the device goes on by itself
        self.response_timeout = response_timeout
        self._heard_from = time.monotonic()
        self.corrections: list[float] = []  # heard minus planned start, per answer

    def talk(self, answers: list[Answer]) -> list[tuple[Answer, float, float, float]]:
        """Says each answer when its question is over; (answer, start, last word, wall start).

        Start and last word are where the microphone really heard them (see `heard_at`); the
        difference from the plan corrects the mouth's latency for the next answer.
        """
        said_: list[tuple[Answer, float, float, float]] = []
        wall_offset = time.time() - time.monotonic()
        for item in answers:
            if not self._await_question():
                break
            first, _ = self.mouth.say(item.pcm, time.monotonic())
            planned = self.mouth.when(first)
            time.sleep(max(0.0, planned + item.pcm.size / RATE + 0.1 - time.monotonic()))
            start = heard_at(self.rig.mic, item.pcm, planned) or planned
            last_start = item.spans[-1][0]
            last = heard_at(self.rig.mic, item.pcm[int(last_start * RATE):], start + last_start) or \
                start + last_start
            self.corrections.append(start - planned)
            self.mouth.latency += start - planned
            said_.append((item, start, last + item.spans[-1][1] - last_start, wall_offset + start))
            self._heard_from = last + item.spans[-1][1] - last_start
        if said_ and self.device.alive():
            self._await_question()  # the device's response to the last answer
        return said_

    def _await_question(self) -> bool:
        """Until the device has spoken since the person last did and then been quiet long
        enough, with a question as its last line; False when the device ended or never spoke."""
        deadline = time.monotonic() + self.response_timeout
        while time.monotonic() < deadline:
            if not self.device.alive():
                return False
            loud = [lv.at for lv in self.rig.speaker.since(self._heard_from) if lv.dbfs > DEVICE_SPEECH_DBFS]
            lines = self.device.lines
            quiet = time.monotonic() - loud[-1] if loud else 0.0
            if loud and quiet >= QUIET_AFTER_SPEECH + HUMAN_WAIT and lines and \
                    not any(_said(lines[-1].text, p) for p in self.not_questions) and \
                    lines[-1].at < loud[-1]:
                return True
            time.sleep(0.02)
        return False


def heard_at(recorder, pcm: np.ndarray, planned: float, search: float = 2.0) -> float | None:
    """When the microphone heard `pcm` begin, searched +-`search` s around `planned`.

    Normalised cross-correlation of its first second with the mic monitor's recording: exact
    to a sample even under background 10 dB down, and blind to any delay on the way (a busy
    CPU can leave audio waiting in pacat's pipe). None when nothing matches well.
    """
    head = pcm[:RATE].astype(np.float64)
    first_at, audio = recorder.audio(planned - search, planned + search + head.size / RATE)
    x = np.frombuffer(audio, dtype="<i2").astype(np.float64)
    if x.size < head.size or not head.any():
        return None
    size = 1 << (x.size + head.size).bit_length()
    corr = np.fft.irfft(np.fft.rfft(x, size) * np.conj(np.fft.rfft(head, size)), size)[: x.size - head.size + 1]
    power = np.concatenate(([0.0], np.cumsum(x ** 2)))
    energy = np.sqrt(np.maximum(power[head.size:] - power[:-head.size], 1e-9))
    score = corr / (energy * np.linalg.norm(head))
    best = int(np.argmax(score))
    return first_at + best / RATE if score[best] >= 0.5 else None


def device_speech(levels, quiet: float = QUIET_AFTER_SPEECH) -> list[tuple[float, float]]:
    """The device's utterances as (start, end): loud blocks joined across gaps under `quiet`."""
    spans: list[list[float]] = []
    for level in levels:
        if level.dbfs <= DEVICE_SPEECH_DBFS:
            continue
        if spans and level.at - spans[-1][1] < quiet:
            spans[-1][1] = level.at + 0.01
        else:
            spans.append([level.at, level.at + 0.01])
    return [(a, b) for a, b in spans]


def not_question_lines(pack) -> set[str]:
    """Lines after which the device speaks again by itself (no answer is awaited)."""
    from assistant.conversation.prompts import spoken

    keys = ("greeting", "skipped", "undone", "forgotten", "nothing_to_undo", "next_moment",
            "closing", "stopped", "later", "cap_notice", "restored", "not_forgotten",
            "nothing_to_restore")
    return {spoken(pack, pack.phrases[k]) for k in keys}


def _said(line: str, phrase: str) -> bool:
    """Whether a printed line is this pack phrase ({answer} and the like filled in)."""
    head, _, tail = phrase.partition("{answer}")
    return line == phrase or (bool(_) and line.startswith(head) and line.endswith(tail))


def run_session(rig: PulseRig, folder: Path, answers: list[Answer], background: np.ndarray | None = None,
                script: str = "compass", **listen) -> SessionLog:
    """One reflect session with the scripted person; the device is always ended and reaped."""
    from common import load_pack

    folder.mkdir(parents=True, exist_ok=True)
    mouth, person = Mouth(rig), None
    try:
        mouth.calibrate(rig.mic)
        if background is not None:
            mouth.start_background(background)
        began = time.monotonic()
        device = Device(rig, folder, write_room_config(folder, **listen), script)
        try:
            person = Person(rig, device, mouth, not_question_lines(load_pack()))
            said_ = person.talk(answers)
        finally:
            code = device.finish()
        stored = device.stored()
    finally:
        mouth.close()
    speech_spans = device_speech(rig.speaker.since(began))
    turns = [_turn(item, start, end, wall, speech_spans, device, said_[i + 1][1] if i + 1 < len(said_) else None)
             for i, (item, start, end, wall) in enumerate(said_)]
    return SessionLog(turns, list(device.lines), stored, "\n".join(line.text for line in device.errors), code,
                      mouth.slips, mouth.latency, person.corrections if person else [])


def _turn(item: Answer, start: float, end: float, wall: float, spans, device: Device,
          next_start: float | None) -> Turn:
    asked_at = max((line.at for line in device.lines if line.at < start), default=0.0)
    before = [s for s in spans if asked_at - 0.05 <= s[0] < start] or [s for s in spans if s[0] < start]
    after = [s for s in spans if s[0] >= start]
    prompt = [line.text for line in device.lines if line.at < start]
    response = [line.text for line in device.lines if line.at >= start]
    until = next_start if next_start is not None else float("inf")
    heard = [m for line in device.errors if start <= line.at < until for m in [_TURN_LOG.search(line.text)] if m]
    info = {}
    if heard:
        state, seconds, speech_s, text = heard[0].groups()
        info = {"state": state, "seconds": float(seconds), "speech": float(speech_s), "text": text}
    return Turn(item, prompt[-1] if prompt else "", before[0][0] if before else start,
                before[-1][1] if before else start, start, end, after[0][0] if after else None,
                response[0] if response else "", wall, info)


def outcome(log: SessionLog, turn: Turn, pack, script: str = "compass") -> str:
    """What the device made of a turn, from its next line: a command's name, "answer" (stored
    and moved on), "unclear" (asked again, nothing stored) or "none" (it said nothing more)."""
    from assistant.conversation.prompts import spoken

    phrases = {spoken(pack, pack.phrases[k]): k for k in
               ("skipped", "forgotten", "later", "stopped", "undone", "nothing_to_undo",
                "confirm_forget", "restored", "nothing_to_restore")}
    names = {"skipped": "skip", "forgotten": "forget", "later": "later", "stopped": "stop",
             "undone": "undo", "nothing_to_undo": "undo/forget (nothing)",
             "confirm_forget": "forget?", "restored": "keep", "nothing_to_restore": "keep (nothing)"}
    helps = {spoken(pack, q.help) for q in pack.script(script).questions}
    for phrase, key in phrases.items():
        if _said(turn.response, phrase):
            return names[key]
    if turn.response in helps:
        return "help"
    if log.stored_for(turn) is not None:
        return "answer"
    if turn.response and turn.response == turn.prompt:
        return "repeat"
    return "unclear" if turn.response else "none"


def turn_record(log: SessionLog, turn: Turn, pack) -> dict:
    """A turn as plain data (for --json): times in seconds from the turn's question start."""
    t0 = turn.question_start
    stored = log.stored_for(turn) or {}
    return {
        "label": turn.answer.label, "said": list(turn.answer.texts), "prompt": turn.prompt,
        "question_start": 0.0, "question_end": round(turn.question_end - t0, 3),
        "answer_start": round(turn.start - t0, 3), "last_word_end": round(turn.last_word_end - t0, 3),
        "next_speech": None if turn.next_speech is None else round(turn.next_speech - t0, 3),
        "gap": None if turn.gap is None else round(turn.gap, 3), "cut": turn.cut,
        "response": turn.response, "outcome": outcome(log, turn, pack), "listener": turn.heard,
        "stored": {k: stored.get(k) for k in ("question_id", "transcript", "audio_seconds")} if stored else None,
    }
