"""(a) CPU per audio second: the listening path against a bare Vosk decode of the same audio.

Goal: the listening path costs at most 1.05x the bare decode.

Why paired: on a shared 2-core machine two whole 60 s decodes differ by +-5 % from noise alone,
as much as the effect being measured. So by default both run in ONE pass, interleaved per 0.1 s
chunk: the microphone hands each chunk first to the bare recognizer (its CPU time measured around
that call) and then to the listener. Listener CPU = CPU of listen() minus the bare share. Noise then
hits both sides alike. `--whole-runs` instead alternates complete runs, as a cross-check.

The bare decode gets exactly the chunks the listener consumed (up to its end-of-answer decision),
through one KaldiRecognizer with SetWords(True), AcceptWaveform/Result, then FinalResult.

Run: python bench/bench_listen.py [--repeats 3] [--whole-runs]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import common


class BareDecoder:
    """The minimum the answer must cost: one recognizer, the same chunks, nothing else."""

    def __init__(self, model):
        from vosk import KaldiRecognizer

        start = time.process_time()
        self._recognizer = KaldiRecognizer(model, common.RATE)
        self._recognizer.SetWords(True)
        self.results: list[str] = []
        self.cpu = time.process_time() - start
        self.audio_bytes = 0

    def feed(self, chunk: bytes) -> None:
        start = time.process_time()
        if self._recognizer.AcceptWaveform(chunk):
            self.results.append(self._recognizer.Result())
        self.cpu += time.process_time() - start
        self.audio_bytes += len(chunk)

    def finish(self) -> None:
        """FinalResult, then free the recognizer: the listener pays for both (freeing on its reaper)."""
        start = time.process_time()
        self.results.append(self._recognizer.FinalResult())
        self._recognizer = None
        self.cpu += time.process_time() - start

    @property
    def audio_seconds(self) -> float:
        return self.audio_bytes / (2 * common.RATE)


def paired_microphone(wav: Path, bare: BareDecoder | None):
    """A WavMicrophone that also feeds every chunk it hands out to the bare decoder."""
    from assistant.speech.audio import WavMicrophone

    class Paired(WavMicrophone):
        @contextmanager
        def stream(self):
            with super().stream() as chunks:
                yield self._fed(chunks)

        @staticmethod
        def _fed(chunks):
            for chunk in chunks:
                if bare is not None:
                    bare.feed(chunk)
                yield chunk

    return Paired([wav])


def listen_cpu(model, pack, config, wav: Path, bare: BareDecoder | None):
    """CPU seconds of one VoskListener.listen() over the WAV, bare decoder's share included.

    listen() hands its recognizers to the listener's reaper thread to be freed; close() waits for
    that, so the freeing is counted (process_time counts every thread of the process) and never
    spills into the next measurement.
    """
    from assistant.speech.listen import VoskListener

    listener = VoskListener(model, paired_microphone(wav, bare), pack, config.listen)
    start = time.process_time()
    heard = listener.listen()
    listener.close()
    return time.process_time() - start, heard


def paired_run(model, pack, config, wav: Path) -> tuple[float, float, float, object]:
    """One interleaved pass: (listener CPU, bare CPU, audio seconds, what was heard)."""
    bare = BareDecoder(model)
    before = bare.cpu
    both, heard = listen_cpu(model, pack, config, wav, bare)
    cpu = both - (bare.cpu - before)
    bare.finish()
    return cpu, bare.cpu, bare.audio_seconds, heard


def whole_runs(model, pack, config, wav: Path) -> tuple[float, float, float, object]:
    """Complete runs one after the other (listener first, then bare over the same chunks)."""
    cpu, heard = listen_cpu(model, pack, config, wav, None)
    chunks = common.pcm_of(wav)[:int(round(heard.audio_seconds * 10)) * common.CHUNK_BYTES]
    bare = BareDecoder(model)
    for i in range(0, len(chunks), common.CHUNK_BYTES):
        bare.feed(chunks[i:i + common.CHUNK_BYTES])
    bare.finish()
    return cpu, bare.cpu, bare.audio_seconds, heard


def measure(name, wav, repeats, run, model, pack, config) -> list:
    """Repeat a case; the ratio is taken per repeat, and the repeat with the median ratio shown."""
    runs = sorted((run(model, pack, config, wav) for _ in range(repeats)), key=lambda r: r[0] / r[1])
    listener, bare, seconds, heard = runs[(len(runs) - 1) // 2]
    spread = f"{runs[0][0] / runs[0][1]:.3f}-{runs[-1][0] / runs[-1][1]:.3f}"
    got = heard.command.value if heard.command else f"{len(heard.text.split())} words"
    wav_seconds = len(common.pcm_of(wav)) / (2 * common.RATE)
    if heard.audio_seconds < wav_seconds - common.TRAILING:
        print(f"WARNING: {name}: the listener ended the answer after {heard.audio_seconds} s of {wav_seconds:.1f} s")
    return [name, seconds, bare, listener, bare / seconds, listener / seconds, listener / bare, spread, got]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="passes over the long answer")
    parser.add_argument("--whole-runs", action="store_true", help="alternate whole runs instead of pairing chunks")
    parser.add_argument("--quick", action="store_true", help="a two-sentence answer, one repeat: does it run?")
    args = parser.parse_args()
    long_wav, word_wav = common.long_answer_wav(), common.answer_wav(("다시",))
    if args.quick:
        long_wav, args.repeats = common.answer_wav(common.SENTENCES[:2], common.PAUSES[:1]), 1
    model, pack = common.load_model(), common.load_pack()
    with tempfile.TemporaryDirectory(prefix="bench-listen-") as tmp:
        config = common.load_config(Path(tmp))
    run = whole_runs if args.whole_runs else paired_run
    rows = [measure("long answer", long_wav, args.repeats, run, model, pack, config),
            measure("command '다시'", word_wav, 1 if args.quick else max(5, args.repeats), run, model, pack, config)]
    print(f"(a) listening path vs bare Vosk decode, CPU (process_time) seconds; "
          f"{'whole runs alternated' if args.whole_runs else 'paired per 0.1 s chunk'}, "
          f"the repeat with the median ratio of {args.repeats} (long) / {max(5, args.repeats)} (command)")
    common.print_table(["case", "audio s", "bare CPU s", "listen CPU s", "bare CPU/audio s",
                        "listen CPU/audio s", "ratio", "ratio range", "heard"], rows)
    print(f"goal: long-answer ratio <= 1.05  ->  {'MET' if rows[0][6] <= 1.05 else 'MISSED'}")


if __name__ == "__main__":
    main()
