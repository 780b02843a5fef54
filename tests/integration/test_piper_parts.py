"""The real Piper voice (en_US-joe-medium) split where its decoder begins and decoded in windows.

With Piper's noise turned off (noise_scale and noise_w 0) a voice speaks a text the same way
every time, so the windowed voice can be held to the whole one, sample by sample.
"""

from __future__ import annotations

import logging
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest

from assistant.speech.piper_parts import WINDOW, ChunkedSession, ensure_parts, parts_folder
from assistant.speech.piper_tts import load_voice
from assistant.speech.voices import VoiceFiles

pytestmark = pytest.mark.integration

TEXT = ("When my colleague asked me to cover for her again I said yes, although I had promised my "
        "daughter I would be home early, and on the way back I wondered why I never say no.")


def files(model: Path) -> VoiceFiles:
    return VoiceFiles("joe", model, model.with_name(model.name + ".json"))


def copy_of(joe: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / joe.name
    shutil.copy(joe, model)
    shutil.copy(joe.with_name(joe.name + ".json"), model.with_name(model.name + ".json"))
    return model


def quiet_audio(voice, text: str) -> np.ndarray:
    """The voice's audio for text with Piper's noise off: the same every time."""
    from piper import SynthesisConfig

    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False)
    return np.concatenate([chunk.audio_float_array for chunk in voice.synthesize(text, config)])


def test_the_split_voice_decoded_in_windows_says_what_the_whole_voice_says(joe, tmp_path):
    parts = ensure_parts(joe, tmp_path / "data")

    assert parts is not None and parts == parts_folder(joe, tmp_path / "data")
    assert sorted(p.name for p in parts.iterdir()) == ["decoder.onnx", "encoder.onnx", "parts.json"]
    assert stat.S_IMODE(parts.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in parts.iterdir())
    windowed, whole = load_voice(files(joe), "en", parts), load_voice(files(joe), "en")
    assert isinstance(windowed.session, ChunkedSession) and not isinstance(whole.session, ChunkedSession)
    said, expected = quiet_audio(windowed, TEXT), quiet_audio(whole, TEXT)
    assert said.size == expected.size and said.size > 8 * WINDOW * 256  # many windows
    assert np.abs(said - expected).max() < 1e-3 and np.abs(expected).max() > 0.1
    assert ensure_parts(joe, tmp_path / "data") == parts  # split once, then found


def test_a_new_copy_of_the_voice_is_split_anew_and_the_old_parts_go(joe, tmp_path):
    model = copy_of(joe, tmp_path / "voices")
    first = ensure_parts(model, tmp_path / "data")
    model.touch()  # what a new download of the same voice looks like
    second = ensure_parts(model, tmp_path / "data")

    assert first is not None and second is not None and first != second
    assert [p.name for p in second.parent.iterdir()] == [second.name]


def test_a_voice_that_cannot_be_split_is_one_warning_and_spoken_whole(tmp_path, caplog):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "not-a-voice",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    model = tmp_path / "strange.onnx"
    onnx.save(helper.make_model(graph), str(model))

    with caplog.at_level(logging.WARNING):
        assert ensure_parts(model, tmp_path / "data") is None
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "could not split the Piper voice strange.onnx" in line and "no decoder" in line
    assert "speaking it whole" in line and "\n" not in line
    assert not list((tmp_path / "data" / "voices" / "parts").iterdir())  # no half parts left


def test_parts_where_no_folder_can_be_made_are_one_warning(joe, tmp_path, caplog):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    with caplog.at_level(logging.WARNING):
        assert ensure_parts(joe, blocked) is None
    assert "cannot keep the Piper voice's parts" in caplog.text and "speaking it whole" in caplog.text


def test_damaged_parts_are_one_warning_and_the_voice_speaks_whole(joe, tmp_path, caplog):
    parts = ensure_parts(joe, tmp_path / "data")
    assert parts is not None
    encoder = parts / "encoder.onnx"
    encoder.write_bytes(encoder.read_bytes()[:1_000_000])  # a failing card

    with caplog.at_level(logging.WARNING):
        voice = load_voice(files(joe), "en", parts)
    assert not isinstance(voice.session, ChunkedSession)
    assert "do not load" in caplog.text and "speaking it whole" in caplog.text
    assert np.abs(quiet_audio(voice, "Take your time.")).max() > 0.1
    assert ensure_parts(joe, tmp_path / "data") == parts and encoder.stat().st_size > 1_000_000  # split anew


@pytest.mark.parametrize("engine", ["auto", "espeak"])
def test_the_service_splits_its_voice_at_start_unless_espeak_speaks(joe, tmp_path, engine):
    from assistant.config import load_config
    from assistant.packs import load_pack
    from assistant.speech.engine import prepare_voice

    path = tmp_path / "config.toml"
    path.write_text(f'language = "en"\n[voice]\nengine = "{engine}"\npiper_voice = "{joe}"\n', encoding="utf-8")
    config = load_config(path, data_dir=tmp_path / "data")

    prepare_voice(config, load_pack("en"))

    split = (tmp_path / "data" / "voices" / "parts").is_dir()
    assert split == (engine == "auto")
