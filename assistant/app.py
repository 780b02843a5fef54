"""The one place that picks implementations (microphone or WAV or keyboard, speaker or print)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

from assistant.clock import local_now
from assistant.config import Config
from assistant.errors import UserError
from assistant.journal import TinyJournal
from assistant.packs import Pack
from assistant.session import Session, SessionResult


def reflect(config: Config, pack: Pack, *, script: str | None = None, text: bool = False,
            quiet: bool = False, input_wavs: list[Path] | None = None) -> SessionResult:
    """Run one reflection session through the chosen front door."""
    chosen = pack.script(script or config.session.script)
    with ExitStack() as stack:
        journal = TinyJournal(config.data_dir, backups=config.journal.backups)
        stack.callback(journal.close)
        journal.expire_audio(timedelta(days=config.session.keep_audio_days), local_now())
        if text:
            from assistant.typed import TextListener

            listener = TextListener(pack, prompt=sys.stdout if sys.stdin.isatty() else None)
        else:
            listener = _vosk_listener(config, pack, input_wavs or [], stack)
        voice = _voice(config, pack, stack, quiet=quiet, strict=not (text or input_wavs))
        session = Session(pack, chosen, listener, voice, journal,
                          max_moments=config.session.max_moments)
        return session.run()


def export_answers(config: Config, fmt: str, since: date | None = None, until: date | None = None,
                   script: str | None = None) -> str:
    """The stored answers (since..until inclusive, of one script) in one of the export formats."""
    from assistant.export import export

    journal = open_existing_journal(config)
    if journal is None:
        return export([], fmt)
    try:
        return export(journal.answers(since=since, until=until, script=script), fmt)
    finally:
        journal.close()


def open_existing_journal(config: Config) -> TinyJournal | None:
    """The journal, or None when nothing is stored: reading must not create one (or a typo'd folder)."""
    if not any((config.data_dir / name).exists() for name in ("journal", "journal.json")):
        return None
    return TinyJournal(config.data_dir, backups=config.journal.backups)


def _vosk_listener(config: Config, pack: Pack, input_wavs: list[Path], stack: ExitStack):
    from assistant.audio import SoundDeviceMicrophone, WavMicrophone
    from assistant.listen import VoskListener
    from assistant.models import find_model, load_model

    model = load_model(find_model(config, pack))
    microphone = WavMicrophone(input_wavs) if input_wavs else SoundDeviceMicrophone(config.listen.input_device)
    stack.callback(microphone.close)
    listener = VoskListener(model, microphone, pack, config.listen, keep_audio=config.session.keep_audio)
    stack.callback(listener.close)
    return listener


def _voice(config: Config, pack: Pack, stack: ExitStack, *, quiet: bool, strict: bool):
    """Speak through the speaker; without one, print instead, unless speaking is the only way out."""
    from assistant.voice import PrintVoice

    if quiet:
        return PrintVoice()
    try:
        return spoken_voice(config, pack, stack)
    except UserError as error:
        if strict:
            raise
        print(f"assistant: not speaking ({error})", file=sys.stderr)
        return PrintVoice()


def spoken_voice(config: Config, pack: Pack, stack: ExitStack):
    from assistant.audio import SoundDeviceSpeaker
    from assistant.voice import Pyttsx3Renderer, SpokenVoice

    speaker = SoundDeviceSpeaker(config.voice.output_device)
    stack.callback(speaker.close)
    renderer = Pyttsx3Renderer(config.voice.espeak_voice or pack.espeak_voice, config.voice.rate,
                               config.voice.volume)
    stack.callback(renderer.close)
    return SpokenVoice(renderer, speaker, echo=sys.stdout)

