"""Faults in what reaches the device: WAV files it cannot use, a trigger whose conversation
cannot start, and config naming scripts the pack does not have. One line each, saying what is
wrong and how to fix it."""

from __future__ import annotations

import struct
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from unit_helpers import one_line, write_toml

from assistant.config import load_config
from assistant.doctor import _scripts
from assistant.errors import UserError
from assistant.schedule import ScheduleConfig
from assistant.service.control import ControlReply
from assistant.service.daemon import Service
from assistant.wav import read_wav

GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"  # KSDATAFORMAT_SUBTYPE_*


def wav_file(path, tag: int, bits: int, extensible: bool = False, channels: int = 1, rate: int = 16000):
    """A WAV file with the given format tag and sample size, written byte by byte."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 0xFFFE if extensible else tag, channels, rate, rate * block, block, bits)
    if extensible:
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + GUID_TAIL
    elif tag != 1:
        fmt += struct.pack("<H", 0)
    data = bytes(block * 1600)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


@pytest.mark.parametrize("tag, bits, extensible, words", [
    (3, 32, False, "32-bit float"),
    (3, 64, False, "64-bit float"),
    (3, 32, True, "32-bit float"),
    (1, 24, True, "24-bit PCM"),
    (1, 24, False, "24-bit PCM"),
    (1, 32, True, "32-bit PCM"),
    (1, 8, False, "8-bit PCM"),
    (7, 8, False, "µ-law"),
    (6, 8, False, "A-law"),
    (0x11, 4, False, "IMA ADPCM"),
    (0x1234, 16, False, "an unknown encoding (WAVE format 0x1234)"),
])
def test_a_wav_that_is_not_16_bit_pcm_is_named_in_words_with_the_sox_command(tmp_path, tag, bits, extensible, words):
    path = wav_file(tmp_path / "my answer.wav", tag, bits, extensible)
    with pytest.raises(UserError) as error:
        read_wav(path)
    assert str(error.value) == (f"{path}: {words} audio; convert it to 16-bit PCM WAV "
                                f"(sox '{path}' -b 16 -e signed-integer OUT.wav)")
    assert one_line(str(error.value))


def test_16_bit_pcm_in_an_extensible_header_says_so(tmp_path):
    path = wav_file(tmp_path / "a.wav", 1, 16, extensible=True)
    with pytest.raises(UserError, match=r"16-bit PCM \(in an extensible WAV header\) audio; convert it"):
        read_wav(path)


def test_plain_16_bit_pcm_is_read(tmp_path):
    path = wav_file(tmp_path / "a.wav", 1, 16, channels=2)
    assert read_wav(path) == bytes(2 * 1600)  # stereo made mono, 1600 frames of silence


# --- an honest trigger ----------------------------------------------------------------------

class Activities:
    """Conversations that fail to start, or start and take a while."""

    def __init__(self, failure: Exception | None = None, seconds: float = 0.0, started=lambda: None):
        self.failure, self.seconds, self.started, self.ran = failure, seconds, started, []

    def good_moment(self, kind):
        return "yes"

    def run(self, kind, script=""):
        if self.failure is not None:
            raise self.failure
        self.started()
        self.ran.append(kind)
        time.sleep(self.seconds)

    def interrupt(self):
        pass


class Quiet:
    def ready(self): pass
    def watchdog(self): pass
    def stopping(self): pass


def running(activities) -> Service:
    schedule = ScheduleConfig(reflect_at="20:30", reflect_days=(), summary_day="", summary_at="19:30",
                              prompts_per_day=0, prompt_windows=(), quiet_hours="22:00-08:00",
                              snooze_minutes=15, max_snoozes=3)
    zone = ZoneInfo("Europe/Amsterdam")
    service = Service(schedule, zone, activities, Quiet(), clock=lambda: datetime(2026, 11, 22, 10, tzinfo=zone))
    activities.started = service.starts.started
    threading.Thread(target=service.run, daemon=True).start()
    return service


def test_a_trigger_whose_conversation_cannot_start_hears_why():
    why = "no usable microphone (the default device: none); plug one in, or set listen.input_device"
    service = running(Activities(failure=UserError(why)))
    try:
        reply = service.request_and_wait("reflect", seconds=3)
    finally:
        service.shutdown()
    assert reply == ControlReply(False, f"the reflect could not start: {why}")


def test_a_trigger_hears_started_as_soon_as_the_devices_are_open():
    service = running(Activities(seconds=2.0))
    try:
        begun = time.monotonic()
        reply = service.request_and_wait("reflect", seconds=3)
        waited = time.monotonic() - begun
    finally:
        service.shutdown()
    assert reply == ControlReply(True, "started the reflect") and waited < 1.5


def test_a_conversation_still_running_without_a_word_counts_as_started_after_the_wait():
    activities = Activities(seconds=1.5)
    service = running(activities)
    activities.started = lambda: None  # these activities never say "started"
    try:
        reply = service.request_and_wait("prompt", seconds=0.5)
    finally:
        service.shutdown()
    assert reply == ControlReply(True, "started the prompt")


def test_a_trigger_while_busy_is_refused_at_once():
    service = running(Activities(seconds=1.5))
    try:
        assert service.request_and_wait("reflect", seconds=3) == ControlReply(True, "started the reflect")
        assert service.request_and_wait("summary", seconds=3) == ControlReply(
            False, "busy with a reflect; try again when it is over")
    finally:
        service.shutdown()


def test_an_unexpected_failure_is_reported_without_the_traceback():
    service = running(Activities(failure=RuntimeError("boom")))
    try:
        reply = service.request_and_wait("summary", seconds=3)
    finally:
        service.shutdown()
    assert reply == ControlReply(False, "the summary could not start: it failed (RuntimeError); see the service log")


# --- scripts the config names ---------------------------------------------------------------

def test_doctor_refuses_an_evening_script_the_pack_does_not_have(tmp_path, en):
    path = write_toml(tmp_path / "config.toml", '[schedule]\nevening_scripts = { wed = "verzett" }\n')
    config = load_config(str(path), str(tmp_path / "data"), "en")
    with pytest.raises(UserError) as error:
        _scripts(config, en)
    assert str(error.value) == ("schedule.evening_scripts.wed = 'verzett' is not a script of the 'en' pack; "
                                f"choose one of: {', '.join(en.scripts)}")


def test_doctor_lists_the_scripts_it_will_run(tmp_path, en):
    path = write_toml(tmp_path / "config.toml", '[schedule]\nevening_scripts = { wed = "verzet" }\n')
    config = load_config(str(path), str(tmp_path / "data"), "en")
    assert _scripts(config, en) == "compass (default), wed: verzet"
