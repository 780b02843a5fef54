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
    from assistant.speech.piper_tts import PiperRenderer
    from assistant.speech.voices import find_voice

    renderer = PiperRenderer(find_voice(config, pack), pack.language, config.voice.rate, config.voice.volume,
                             pack.clause_words)
    if fixed is not None:
        from assistant.speech.tts_cache import RenderCache

        renderer.attach(RenderCache(config.data_dir / "voice-cache", renderer.key, frozenset(fixed)))
    return renderer


def describe(config: Config, pack: Pack) -> str:
    """For `assistant doctor`: the engine and voice in use, or the fix for an asked-for voice."""
    from assistant.speech.piper_tts import load_voice
    from assistant.speech.voices import find_voice

    espeak = f"espeak-ng voice {config.voice.espeak_voice or pack.espeak_voice}"
    if config.voice.engine == "espeak":
        return f"{espeak} (voice.engine = espeak)"
    try:
        files = find_voice(config, pack)
        voice = load_voice(files, pack.language)
    except UserError as error:
        if config.voice.engine == "auto" and not config.voice.piper_voice and _is_missing(error):
            if not pack.piper_voice:
                return f"{espeak} (the '{pack.language}' pack names no Piper voice)"
            return (f"{espeak}; the natural voice {pack.piper_voice} is not installed: "
                    f"`assistant voice download {pack.language}`")
        raise UserError(f"{error} (until then espeak-ng speaks)") from None
    return f"Piper voice {files.name}, {voice.config.sample_rate} Hz ({files.model})"
