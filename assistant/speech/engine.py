"""Which engine speaks, and why: Piper where its voice is installed, else espeak-ng, never silence.

[voice] engine = "auto" uses the pack's Piper voice (or [voice] piper_voice) when it is there;
"piper" wants it; "espeak" never loads Piper. A voice that is missing, damaged or of another
language is one log line (a warning when it was asked for), and espeak-ng speaks instead.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import TYPE_CHECKING

from assistant.config import Config
from assistant.errors import UserError
from assistant.packs import Pack

if TYPE_CHECKING:  # the renderers are imported only when one is made
    from assistant.speech.piper_tts import PiperRenderer
    from assistant.speech.voice import Renderer

log = logging.getLogger(__name__)


def renderer_for(config: Config, pack: Pack, *, fixed: Collection[str] | None = None) -> Renderer:
    """The renderer to speak this pack with, and one INFO (or WARNING) line saying which and why.

    `fixed`: the texts said as they stand (conversation.prompts.fixed_texts), whose rendered audio
    Piper keeps on disk so the first question after boot is instant; None keeps nothing."""
    from assistant.speech.voice import Pyttsx3Renderer

    engine = config.voice.engine
    if engine != "espeak":
        try:
            renderer = _piper(config, pack, fixed)
        except UserError as error:
            expected = engine == "auto" and not config.voice.piper_voice and _is_missing(error)
            log.log(logging.INFO if expected else logging.WARNING,
                    "speaking with espeak-ng, not Piper: %s", error)
        else:
            why = "set in voice.piper_voice" if config.voice.piper_voice else f"the {pack.language} pack's voice"
            log.info("speaking with Piper voice %s at %d Hz (%s, voice.engine = %s)", renderer.name,
                     renderer.rate, why, engine)
            return renderer
    else:
        log.info("speaking with espeak-ng (voice.engine = espeak)")
    return Pyttsx3Renderer(config.voice.espeak_voice or pack.espeak_voice, config.voice.rate,
                           config.voice.volume)


def _is_missing(error: UserError) -> bool:
    from assistant.speech.voices import VoiceMissing

    return isinstance(error, VoiceMissing)


def _piper(config: Config, pack: Pack, fixed: Collection[str] | None) -> PiperRenderer:
    from assistant.speech.piper_parts import ensure_parts
    from assistant.speech.piper_tts import PiperRenderer
    from assistant.speech.voices import find_voice

    files = find_voice(config, pack)
    renderer = PiperRenderer(files, pack.language, config.voice.rate, config.voice.volume, pack.clause_words,
                             ensure_parts(files.model, config.data_dir))
    if fixed is not None:
        from assistant.speech.tts_cache import RenderCache

        renderer.attach(RenderCache(config.data_dir / "voice-cache", renderer.key, frozenset(fixed)))
    return renderer


def prepare_voice(config: Config, pack: Pack) -> None:
    """At service start, split the Piper voice for windowed decoding if it is not yet (a voice
    downloaded before the split existed), so the first conversation does not wait for it. A voice
    that is not there is left to renderer_for to report, when a conversation asks for it."""
    from assistant.speech.piper_parts import ensure_parts
    from assistant.speech.voices import find_voice

    if config.voice.engine == "espeak":
        return
    try:
        files = find_voice(config, pack)
    except UserError:
        return
    ensure_parts(files.model, config.data_dir)


def describe(config: Config, pack: Pack) -> str:
    """For `assistant doctor`: the engine and voice in use, or the fix for an asked-for voice."""
    from assistant.speech.piper_parts import ChunkedSession, ensure_parts
    from assistant.speech.piper_tts import load_voice
    from assistant.speech.voices import find_voice

    espeak = f"espeak-ng voice {config.voice.espeak_voice or pack.espeak_voice}"
    if config.voice.engine == "espeak":
        return f"{espeak} (voice.engine = espeak)"
    try:
        files = find_voice(config, pack)
        voice = load_voice(files, pack.language, ensure_parts(files.model, config.data_dir))
    except UserError as error:
        if config.voice.engine == "auto" and not config.voice.piper_voice and _is_missing(error):
            if not pack.piper_voice:
                return f"{espeak} (the '{pack.language}' pack names no Piper voice)"
            return (f"{espeak}; the natural voice {pack.piper_voice} is not installed: "
                    f"`assistant voice download {pack.language}`")
        raise UserError(f"{error} (until then espeak-ng speaks)") from None
    decoded = "in windows" if isinstance(voice.session, ChunkedSession) else "whole (it could not be split)"
    return f"Piper voice {files.name}, {voice.config.sample_rate} Hz, decoded {decoded} ({files.model})"
