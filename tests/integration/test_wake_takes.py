"""`assistant wake enroll` and the enrolled takes in the idle watcher, with the real Vosk model.

The takes are said by three other espeak-ng voices than the one that later says the phrase
(other speakers, other speeds), recorded through the command's WAV front door; the watcher
listens unclocked, as in test_wake_over_talk.py, whose scenes and talk it shares.
"""

from __future__ import annotations

import json
import stat
import subprocess

import numpy as np
import pytest

from assistant.config import load_config
from assistant.speech.audio import WavMicrophone
from assistant.speech.wake import WakeWatcher
from assistant.speech.wake_match import TAKES_FILE, load_takes
from assistant.wav import read_wav, write_wav
from tests.integration.support import run_assistant, silence, write_config
from tests.integration.test_wake_over_talk import KO, RATE, at_level, model, pcm, talk  # noqa: F401

pytestmark = pytest.mark.integration

ENROLLED_BY = (["-v", "ko+m3"], ["-v", "ko+f2", "-s", "150"], ["-v", "ko+m7", "-s", "190"])
# Said near the TV, the grammar alone hears these as the wake phrase (bench_wake: 4 of 40).
LIKE_THE_PHRASE = ["안녕히 가세요", "여보세요", "수고하세요", "아니요", "괜찮아요", "맞아요"]


def take_wavs(tmp_path) -> list:
    files = []
    for number, voice in enumerate(ENROLLED_BY):
        raw = tmp_path / f"raw{number}.wav"
        subprocess.run(["espeak-ng", *voice, "-w", str(raw), KO.wake.phrases[0]], check=True)
        said = pcm(at_level(read_wav(raw), -20.0))
        files.append(tmp_path / f"take{number}.wav")
        write_wav(files[-1], silence(1.0) + said + silence(1.0))
    return files


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory, ko_model):
    """The data dir after `assistant wake enroll` over three takes, and what the command said."""
    folder = tmp_path_factory.mktemp("enrolled")
    config = write_config(folder, ko_model)
    files = take_wavs(folder)
    done = run_assistant(["wake", "enroll", "--config", str(config), "--data-dir", str(folder / "data"),
                          "--quiet", *(arg for f in files for arg in ("--input-wav", str(f)))])
    return folder / "data", done


def test_enroll_keeps_three_takes_of_the_phrase_privately_and_never_the_audio(enrolled):
    data, done = enrolled
    assert done.returncode == 0, done.stderr
    kept = data / TAKES_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    record = json.loads(kept.read_text(encoding="utf-8"))
    assert record["phrase"] == KO.wake.phrases[0] and len(record["takes"]) == 3
    assert all(30 <= len(take) <= 150 for take in record["takes"])  # 0.3-1.5 s of 10 ms frames
    assert not list(data.glob("*.wav")) and not (data / "audio").exists()
    assert "three takes" in done.stderr and done.stderr.count("\n") == 1
    assert "라고 한 번 말해 주세요" in done.stdout  # --quiet prints what it would have said


def test_silence_is_asked_for_again_and_too_much_of_it_keeps_nothing(tmp_path, ko_model):
    config = write_config(tmp_path, ko_model)
    quiet = tmp_path / "quiet.wav"
    write_wav(quiet, silence(2.0))
    done = run_assistant(["wake", "enroll", "--config", str(config), "--data-dir", str(tmp_path / "data"),
                          "--quiet", *(arg for _ in range(5) for arg in ("--input-wav", str(quiet)))])
    assert done.returncode == 1
    assert done.stderr.startswith("assistant: no clear take of the wake phrase was heard")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stdout.count("만 말해 주세요") == 3  # asked again three times, then gave up
    assert not (tmp_path / "data" / TAKES_FILE).exists()


def scenes_with(speech, said: list[bytes]) -> list[np.ndarray]:
    """8 s of talk each, one thing said at the person's level 6 s in, at shifting alignments."""
    scenes = []
    for n, clip in enumerate(said):
        scene = talk(speech, 8.0, n)
        start = int((6.0 + (n % 16) * 0.0267) * RATE)
        samples = at_level(clip, -20.0)
        scene[start:start + samples.size] += samples
        scenes.append(scene)
    return scenes


def woken(model, tmp_path, scenes, takes) -> list[bool]:  # noqa: F811 (model: the fixture)
    tmp_path.mkdir()
    files = []
    for number, scene in enumerate(scenes):
        files.append(tmp_path / f"scene{number}.wav")
        write_wav(files[-1], pcm(scene))
    config = load_config(data_dir=tmp_path, language="ko").listen
    watcher = WakeWatcher(model, WavMicrophone(files), KO, config, takes)
    return [watcher.watch(8.0, lambda: False) for _ in scenes]


def test_enrolled_takes_hear_the_phrase_over_tv_talk_and_not_what_only_sounds_like_it(
        model, speech, tmp_path, enrolled):  # noqa: F811
    takes = load_takes(enrolled[0] / TAKES_FILE, KO.wake.phrases[0])
    assert takes is not None
    phrase = speech(KO.wake.phrases[0])
    grammar = woken(model, tmp_path / "grammar", scenes_with(speech, [phrase] * 16), None)
    with_takes = woken(model, tmp_path / "takes", scenes_with(speech, [phrase] * 16), takes)
    # 16 of 16 with the takes in every run so far, against 10 with the grammar alone
    assert sum(with_takes) >= 14 and sum(with_takes) > sum(grammar), (with_takes, grammar)
    alike = woken(model, tmp_path / "alike", scenes_with(speech, [speech(t) for t in LIKE_THE_PHRASE]), takes)
    assert not any(alike), [t for t, w in zip(LIKE_THE_PHRASE, alike, strict=True) if w]


def test_doctor_says_the_takes_are_used_and_how_to_erase_them(enrolled, tmp_path, ko_model):
    config = write_config(tmp_path, ko_model)
    done = run_assistant(["doctor", "--config", str(config), "--data-dir", str(enrolled[0])])
    assert "ok    wake phrase: '안녕하세요', with your own takes (`assistant wake forget`" in done.stdout


def test_damaged_takes_are_said_once_and_the_service_listens_with_the_grammar(model, tmp_path, caplog):  # noqa: F811
    from assistant import parts

    (tmp_path / TAKES_FILE).write_text("{not json", encoding="utf-8")
    config = load_config(data_dir=tmp_path, language="ko")
    quiet = tmp_path / "quiet.wav"
    write_wav(quiet, silence(1.0))
    watcher = parts.wake_watcher(config, KO, model, WavMicrophone([quiet]))
    assert not watcher.watch(1.0, lambda: False)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "run `assistant wake enroll` again; listening for the wake phrase without" \
        in warnings[0]


def test_enroll_through_the_microphone_and_the_speaker(tmp_path, ko_model, alsa_rig):
    """The real PortAudio path: the takes come from the ALSA file microphone one after the
    other, the requests go to the file speaker in between."""
    config = write_config(tmp_path, ko_model)
    alsa_rig.feed(b"".join(read_wav(f) for f in take_wavs(tmp_path)) + silence(9.0))
    done = run_assistant(["wake", "enroll", "--config", str(config), "--data-dir", str(tmp_path / "data")],
                         env=alsa_rig.env())
    assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "data" / TAKES_FILE).read_text(encoding="utf-8"))
    assert len(record["takes"]) == 3
    assert len(alsa_rig.played()) > 2 * RATE * 2  # more than two seconds of requests were said
