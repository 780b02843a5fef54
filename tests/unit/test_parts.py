"""The wiring of speech parts, without hardware: the service's parts open, pause and close together."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from assistant import parts
from assistant.config import load_config
from assistant.errors import UserError
from assistant.speech.voice import PrintVoice


class Part:
    """Stands in for a speaker or a listener; records what was done to it."""

    def __init__(self, log: list[str], name: str, fails: bool = False):
        self.log, self.name, self.fails = log, name, fails

    def __getattr__(self, action):
        def done(*_):
            self.log.append(f"{self.name}.{action}")
            if self.fails:
                raise OSError("unplugged")
        return done


def device_parts(log, *, failing=""):
    stack = ExitStack()
    for name in ("mic", "speaker", "listener", "actions"):
        stack.callback(Part(log, name, fails=name == failing).close)
    return parts.DeviceParts(Part(log, "speaker"), Part(log, "listener"), PrintVoice(), Part(log, "watcher"),
                             Part(log, "actions"), stack)


def test_the_service_parts_pause_and_resume_together():
    log: list[str] = []
    made = device_parts(log)
    made.interrupt()
    made.resume()
    assert log == ["listener.interrupt", "speaker.hush", "listener.resume", "speaker.resume"]


def test_closing_the_service_parts_closes_every_one_even_when_one_is_already_gone():
    log: list[str] = []
    device_parts(log, failing="listener").close()  # raises nothing
    assert log == ["actions.close", "listener.close", "speaker.close", "mic.close"]


def test_a_part_that_cannot_be_opened_closes_the_ones_opened_before_it(tmp_path, monkeypatch, en):
    log: list[str] = []
    monkeypatch.setattr(parts, "microphone", lambda config, wavs=None: Part(log, "mic"))

    def no_speaker(config):
        raise UserError("no usable speaker (the default device: gone)")

    monkeypatch.setattr(parts, "speaker", no_speaker)
    with pytest.raises(UserError, match="no usable speaker"):
        parts.device_parts(load_config(data_dir=tmp_path), en, model=None)()
    assert log == ["mic.close"]


def test_quiet_prints_and_opens_no_speaker(tmp_path, en):
    with ExitStack() as stack:
        voice = parts.voice_or_print(load_config(data_dir=tmp_path), en, stack, quiet=True, strict=True)
    assert isinstance(voice, PrintVoice)


def test_a_missing_speaker_prints_instead_unless_speaking_is_the_only_way_out(tmp_path, en, monkeypatch,
                                                                             capsys):
    def no_speaker(config):
        raise UserError("no usable speaker (the default device: gone)")

    monkeypatch.setattr(parts, "speaker", no_speaker)
    config = load_config(data_dir=tmp_path)
    with ExitStack() as stack:
        assert isinstance(parts.voice_or_print(config, en, stack, quiet=False, strict=False), PrintVoice)
        with pytest.raises(UserError, match="no usable speaker"):
            parts.voice_or_print(config, en, stack, quiet=False, strict=True)
    assert capsys.readouterr().err == "assistant: not speaking (no usable speaker (the default device: gone))\n"
