"""PortAudio's many kinds of failure become the same one-line UserError, in every place."""

from __future__ import annotations

import pytest

from assistant.errors import UserError
from assistant.speech import audio
from assistant.speech.audio import SoundDeviceMicrophone, SoundDeviceSpeaker, portaudio_errors

MICROPHONE = ("no usable microphone ('usb': gone); plug one in, or set listen.input_device "
              "(see `assistant doctor`)")
SPEAKER = ("no usable speaker (the default device: gone); plug one in, or set voice.output_device "
           "(see `assistant doctor`)")


class Stream:
    def __init__(self, fail_on: str = ""):
        self.fail_on = fail_on

    def _maybe(self, what: str):
        if what == self.fail_on:
            raise OSError("gone")

    def start(self):
        self._maybe("start")

    def stop(self):
        pass

    def read(self, frames):
        self._maybe("read")
        return bytes(frames * 2), False

    def write(self, data):
        self._maybe("write")

    def close(self):
        pass


class FakeSoundDevice:
    """sounddevice's surface as the audio module uses it; `fail_on` names the call that fails."""

    def __init__(self, fail_on: str = ""):
        self.fail_on, self.streams = fail_on, []

    def check_input_settings(self, device, **settings):
        if self.fail_on == "open":
            raise ValueError("gone")

    check_output_settings = check_input_settings

    def query_devices(self, device, kind):
        if self.fail_on == "open":
            raise ValueError("gone")
        return {"default_samplerate": 16000, "name": "fake"}

    def _stream(self, **settings):
        self.streams.append(Stream(self.fail_on))
        return self.streams[-1]

    RawInputStream = RawOutputStream = _stream


def test_any_exception_inside_becomes_the_one_line_naming_the_device_and_its_setting():
    forgotten = []
    with pytest.raises(UserError) as caught:
        with portaudio_errors("microphone", "usb", lost=lambda: forgotten.append(True)):
            raise RuntimeError("gone")
    assert str(caught.value) == MICROPHONE and forgotten == [True]
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("fail_on", ["open", "start", "read"])
def test_the_microphone_fails_in_one_line_wherever_portaudio_fails(monkeypatch, fail_on):
    monkeypatch.setattr(audio, "load_sounddevice", lambda: FakeSoundDevice(fail_on))
    with pytest.raises(UserError) as caught:
        microphone = SoundDeviceMicrophone("usb")
        with microphone.stream() as chunks:
            next(chunks)
    assert str(caught.value) == MICROPHONE


@pytest.mark.parametrize("fail_on", ["open", "start", "write"])
def test_the_speaker_fails_in_one_line_and_the_next_play_opens_a_fresh_stream(monkeypatch, fail_on):
    sd = FakeSoundDevice(fail_on)
    monkeypatch.setattr(audio, "load_sounddevice", lambda: sd)
    with pytest.raises(UserError) as caught:
        speaker = SoundDeviceSpeaker()
        speaker.play(bytes(3200))
    assert str(caught.value) == SPEAKER
    if fail_on != "open":
        sd.fail_on = ""
        speaker.play(bytes(3200))
        assert len(sd.streams) == 2  # the failed stream was not used again
