"""`assistant doctor`: what works, and the fix for what does not, one line each."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from assistant.config import Config
from assistant.errors import UserError
from assistant.packs import Pack
from assistant.speech.audio import device_id, load_sounddevice, native_rate
from assistant.wav import RATE


def doctor(config: Config, pack: Pack) -> int:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("language pack", lambda: f"{pack.name} ({pack.language}), scripts: {', '.join(pack.scripts)}"),
        ("microphone", lambda: _device(config.listen.input_device, "input")),
        ("speaker", lambda: _device(config.voice.output_device, "output")),
        ("speech model", lambda: _model(config, pack)),
        ("speech detector", lambda: _detector(config)),
        ("wake phrase", lambda: _wake_takes(config, pack)),
        ("scripts", lambda: _scripts(config, pack)),
        ("espeak-ng", lambda: _espeak(config.voice.espeak_voice or pack.espeak_voice)),
        ("voice", lambda: _voice(config, pack)),
        ("data dir", lambda: _data_dir(config)),
    ]
    failures = 0
    for name, check in checks:
        try:
            print(f"ok    {name}: {check()}")
        except UserError as error:
            failures += 1
            print(f"FAIL  {name}: {error}")
    print("all good" if not failures else f"{failures} problem(s) found")
    return 1 if failures else 0


def _device(name: str, kind: str) -> str:
    sd, device = load_sounddevice(), device_id(name)
    setting = "listen.input_device" if kind == "input" else "voice.output_device"
    try:
        info, rate = sd.query_devices(device, kind), native_rate(sd, device, kind)
    except Exception as error:
        raise UserError(f"none found ({error}); plug in a USB speakerphone or set {setting}") from None
    rates = f"{RATE} Hz supported" if rate == RATE else f"{RATE} Hz unsupported, will resample from {rate} Hz"
    return f"{info['name']} ({rates})"


# Loaded in a child process: a damaged file may make Kaldi abort the whole process. The child
# prints Kaldi's first complaint, which the doctor puts on its one line.
_LOAD_MODEL = """
import sys
from pathlib import Path
from assistant.speech.models import ModelError, load_model
try:
    load_model(Path(sys.argv[1]))
except ModelError as error:
    print(error.complaint, file=sys.stderr)
    sys.exit(1)
"""


def _model(config: Config, pack: Pack) -> str:
    """The model found, and loaded with a recognizer made from it: files alone prove nothing."""
    from assistant.escape import visible
    from assistant.speech.models import find_model

    path = find_model(config, pack)
    try:
        probe = subprocess.run([sys.executable, "-c", _LOAD_MODEL, str(path)], capture_output=True,
                               text=True, errors="replace", timeout=600)
    except subprocess.TimeoutExpired:
        raise UserError(f"the Vosk model in {path} did not load within 10 minutes") from None
    if probe.returncode != 0:
        complaint = next((line for line in reversed(probe.stderr.splitlines()) if line.strip()), "")
        why = visible(complaint[:160]) or f"the loader exited with {probe.returncode}"
        raise UserError(f"the Vosk model in {path} does not load ({why}); remove it and run "
                        f"`assistant model download {pack.language}`")
    return f"{path} (loads)"


def _scripts(config: Config, pack: Pack) -> str:
    """The default script and every schedule.evening_scripts name exist in the pack."""
    wanted = {"session.script": config.session.script,
              **{f"schedule.evening_scripts.{day}": name for day, name in config.schedule.evening_scripts.items()}}
    for key, name in wanted.items():
        if name not in pack.scripts:
            raise UserError(f"{key} = '{name}' is not a script of the '{pack.language}' pack; "
                            f"choose one of: {', '.join(pack.scripts)}")
    days = [f"{day}: {name}" for day, name in config.schedule.evening_scripts.items()]
    return ", ".join([f"{config.session.script} (default)", *days])


def _detector(config: Config) -> str:
    from assistant.speech.detect import detector_name, voice_activity

    return detector_name(voice_activity(config.listen.detector, config.listen.speech_margin_db))


def _wake_takes(config: Config, pack: Pack) -> str:
    from assistant.speech.wake_match import TAKES_FILE, load_takes

    phrase = pack.wake.phrases[0]
    if load_takes(config.data_dir / TAKES_FILE, phrase) is None:
        return f"'{phrase}', heard by the grammar alone (`assistant wake enroll` helps with a TV on)"
    return f"'{phrase}', with your own takes (`assistant wake forget` erases them)"


def _espeak(voice: str) -> str:
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise UserError("espeak-ng is not installed; sudo apt install espeak-ng")
    probe = subprocess.run([binary, "-v", voice, "-q", "test"], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stderr.strip():
        raise UserError(f"voice '{voice}' does not work ({probe.stderr.strip() or probe.returncode}); "
                        "list voices with `espeak-ng --voices` and set voice.espeak_voice")
    if shutil.which("aplay") is None:
        return f"voice {voice} (note: aplay missing; not needed, speech plays through PortAudio)"
    return f"voice {voice}"


def _voice(config: Config, pack: Pack) -> str:
    from assistant.speech.engine import describe

    return describe(config, pack)


def _data_dir(config: Config) -> str:
    folder = config.data_dir
    if folder.exists():
        if not os.access(folder, os.W_OK):
            raise UserError(f"{folder} is not writable; fix its owner or set --data-dir")
        mode = folder.stat().st_mode & 0o777
        if mode & 0o077:
            raise UserError(f"{folder} is readable by others (mode {mode:o}); chmod 700 {folder}")
        return f"{folder} (private)"
    parent = next(p for p in folder.parents if p.exists())
    if not os.access(parent, os.W_OK):
        raise UserError(f"cannot create {folder}: {parent} is not writable; set --data-dir")
    return f"{folder} (will be created, private)"
