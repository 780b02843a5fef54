"""The one place that builds the speech parts from config: microphone, speaker, listener, voice.

The front doors (`assistant reflect`, `summary`, `play`) and the service take their parts from
here, so each implementation is picked once: the microphone, WAV files or the keyboard; the
speaker or print; Piper or espeak-ng (speech/engine.py says which, and why); the Vosk listeners and the
phrases each one listens for. Hardware and Vosk are imported inside the builders, so typed use
never loads them. The journal is built beside the journal (journals.py); which conversation runs
a script is conversations.py.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from assistant.config import Config
from assistant.conversation.dialogue import Command, Heard
from assistant.errors import UserError
from assistant.packs import Pack

if TYPE_CHECKING:
    from assistant.conversation.roles import Listener, Microphone, Voice
    from assistant.speech.audio import SoundDeviceMicrophone, SoundDeviceSpeaker, WavMicrophone
    from assistant.speech.listen import VoskListener
    from assistant.speech.typed import TextListener
    from assistant.speech.voice import Renderer, SpokenVoice
    from assistant.speech.wake import WakeWatcher

said_log = logging.getLogger("assistant.service.device")  # the service's lines keep their logger name


def microphone(config: Config, input_wavs: list[Path] | None = None) -> SoundDeviceMicrophone | WavMicrophone:
    """WAV files stand in for the microphone when given (tests, recorded answers)."""
    from assistant.speech.audio import SoundDeviceMicrophone, WavMicrophone

    return WavMicrophone(input_wavs) if input_wavs else SoundDeviceMicrophone(config.listen.input_device)


def speaker(config: Config) -> SoundDeviceSpeaker:
    from assistant.speech.audio import SoundDeviceSpeaker

    return SoundDeviceSpeaker(config.voice.output_device)


def renderer(config: Config, pack: Pack) -> Renderer:
    from assistant.conversation.prompts import fixed_texts
    from assistant.speech.engine import renderer_for

    return renderer_for(config, pack, fixed=fixed_texts(pack))


def typed_listener(pack: Pack) -> TextListener:
    """The keyboard; its prompt is shown only on a terminal (a pipe gets the bare lines)."""
    from assistant.speech.typed import TextListener

    return TextListener(pack, prompt=sys.stdout if sys.stdin.isatty() else None)


def answer_listener(config: Config, pack: Pack, model: Any, mic: Microphone) -> VoskListener:
    """Answers and commands, with the audio of each answer when [session] keep_audio says so."""
    from assistant.speech.listen import VoskListener

    return VoskListener(model, mic, pack, config.listen, keep_audio=config.session.keep_audio)


def action_listener(config: Config, pack: Pack, model: Any, mic: Microphone) -> VoskListener:
    """After the wake phrase: only what can be asked for (and stop, skip) is listened for."""
    from assistant.speech.listen import VoskListener

    wake = pack.wake
    return VoskListener(model, mic, pack, config.listen, phrases=[
        *(w for words in wake.actions.values() for w in words),
        *pack.commands[Command.STOP], *pack.commands[Command.SKIP]])


def wake_watcher(config: Config, pack: Pack, model: Any, mic: Microphone) -> WakeWatcher:
    """The grammar, and the person's own takes of the phrase when they were enrolled (a damaged
    file is said once and the grammar listens alone)."""
    from assistant.speech.wake import WakeWatcher
    from assistant.speech.wake_match import TAKES_FILE, load_takes

    try:
        takes = load_takes(config.data_dir / TAKES_FILE, pack.wake.phrases[0])
    except UserError as error:
        said_log.warning("%s; listening for the wake phrase without them", error)
        takes = None
    return WakeWatcher(model, mic, pack, config.listen, takes)


def heard_listener(config: Config, pack: Pack, input_wavs: list[Path], stack: ExitStack,
                   model: Any = None) -> VoskListener:
    """A front door's listener: the microphone (or the WAV files), closed with the stack."""
    from assistant.speech.models import find_model, load_model

    model = model or load_model(find_model(config, pack))
    mic = microphone(config, input_wavs)
    stack.callback(mic.close)
    listener = answer_listener(config, pack, model, mic)
    stack.callback(listener.close)
    return listener


def listener_and_voice(config: Config, pack: Pack, input_wavs: list[Path], stack: ExitStack, *,
                       quiet: bool, strict: bool, ahead: Iterable[str] = ()) -> tuple[VoskListener, Voice]:
    """A spoken session's listener and voice, the Vosk model loading on its own thread while the
    voice loads and starts rendering `ahead` (the session's prompts, its greeting first): both
    libraries leave the GIL in their native code (vosk through cffi, onnxruntime in session setup
    and inference), so a cold start waits for the longer one, not for both (bench_voice (e)).
    Either one's error is still its own one line.

    PortAudio is started first: sounddevice points file descriptor 2 at /dev/null while it starts,
    as load_model does while Kaldi loads, and two threads swapping it at once leave it on a closed
    file, so every later log line would be lost."""
    from assistant.speech.audio import load_sounddevice
    from assistant.speech.models import find_model, load_model

    path = find_model(config, pack)  # a missing model is said before the voice is loaded
    if not quiet:
        with suppress(UserError):  # no PortAudio: the speaker says so, in its own words
            load_sounddevice()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-load")
    stack.callback(pool.shutdown, wait=True)
    model = pool.submit(load_model, path)
    voice = voice_or_print(config, pack, stack, quiet=quiet, strict=strict)
    voice.prepare(ahead)
    return heard_listener(config, pack, input_wavs, stack, model.result()), voice


class _ListenerWhenReady:
    """Loads the speech model while the summary is being said, so the first word comes at once."""

    def __init__(self, load_model: Callable[[], Any], make_listener: Callable[[Any], Listener]):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-load")
        self._model: Future[Any] = self._pool.submit(load_model)
        self._make = make_listener
        self._listener: Listener | None = None

    def listen(self, short_reply: bool = False) -> Heard:
        if self._listener is None:
            self._listener = self._make(self._model.result())
        return self._listener.listen(short_reply)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def listener_when_ready(config: Config, pack: Pack, input_wavs: list[Path], stack: ExitStack) -> Listener:
    from assistant.speech.models import find_model, load_model

    path = find_model(config, pack)  # a missing model is said now, not after the summary
    listener = _ListenerWhenReady(lambda: load_model(path),
                                  lambda model: heard_listener(config, pack, input_wavs, stack, model))
    stack.callback(listener.close)
    return listener


def voice_or_print(config: Config, pack: Pack, stack: ExitStack, *, quiet: bool, strict: bool) -> Voice:
    """Speak through the speaker; without one, print instead, unless speaking is the only way out."""
    from assistant.speech.voice import PrintVoice

    if quiet:
        return PrintVoice()
    try:
        return spoken_voice(config, pack, stack)
    except UserError as error:
        if strict:
            raise
        print(f"assistant: not speaking ({error})", file=sys.stderr)
        return PrintVoice()


def spoken_voice(config: Config, pack: Pack, stack: ExitStack, echo: TextIO = sys.stdout) -> SpokenVoice:
    return _speaking(config, pack, stack, echo)[1]


def _speaking(config: Config, pack: Pack, stack: ExitStack,
              echo: TextIO) -> tuple[SoundDeviceSpeaker, SpokenVoice]:
    """The speaker and the voice speaking through it, both closed with the stack."""
    from assistant.speech.voice import SpokenVoice

    out = speaker(config)
    stack.callback(out.close)
    chosen = renderer(config, pack)
    stack.callback(chosen.close)
    return out, SpokenVoice(chosen, out, echo=echo)


@dataclass(frozen=True)
class DeviceParts:
    """What a service conversation needs (device.py's Parts), opened together, dropped together."""

    speaker: SoundDeviceSpeaker
    listener: VoskListener   # answers and commands
    voice: SpokenVoice
    watcher: WakeWatcher     # the wake phrase, while idle
    actions: VoskListener    # what to do, after the wake phrase
    opened: ExitStack        # closes them all

    def resume(self) -> None:
        self.listener.resume()
        self.speaker.resume()

    def interrupt(self) -> None:
        self.listener.interrupt()
        self.speaker.hush()

    def close(self) -> None:
        with suppress(Exception):  # one may be unplugged, already gone: the others still close
            self.opened.close()


def device_parts(config: Config, pack: Pack, model: Any) -> Callable[[], DeviceParts]:
    """How the service opens its parts, each time a conversation needs them afresh."""
    return partial(open_device_parts, config, pack, model)


def open_device_parts(config: Config, pack: Pack, model: Any) -> DeviceParts:
    """One microphone shared by the wake watcher and both listeners; said lines go to the log."""
    with ExitStack() as stack:  # a part that fails to open closes the ones opened before it
        mic = microphone(config)
        stack.callback(mic.close)
        out, voice = _speaking(config, pack, stack, echo=cast(TextIO, _SaidToLog()))  # print() needs write, flush
        listener = answer_listener(config, pack, model, mic)
        stack.callback(listener.close)
        watcher = wake_watcher(config, pack, model, mic)
        actions = action_listener(config, pack, model, mic)
        stack.callback(actions.close)
        return DeviceParts(out, listener, voice, watcher, actions, stack.pop_all())


class _SaidToLog:
    """What the device says, in the debug log (which may hold the person's words: opt-in)."""

    def write(self, text: str) -> None:
        if text.strip():
            said_log.debug("said: %s", text.strip())

    def flush(self) -> None:
        pass
