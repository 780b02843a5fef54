"""Piper, the neural voice: text to mono s16le at the voice's own rate (22,050 Hz for medium voices).

piper-tts runs the voice's ONNX model with onnxruntime; its phonemes come from the espeak-ng it
embeds. A voice that is damaged, of another language or cannot run is found out here, when it is
loaded, as one UserError, so assistant/speech/engine.py can say so and speak with espeak-ng instead.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.speech.phrasing import breaths
from assistant.speech.voice import AheadRenderer, sentences
from assistant.speech.voices import VoiceFiles, voice_language

if TYPE_CHECKING:  # piper and numpy are imported only when a voice is loaded
    from numpy.typing import NDArray
    from piper import PiperVoice
    from piper.config import PiperConfig

log = logging.getLogger(__name__)

# [voice] rate is words per minute for the person, so it is mapped to Piper's length scale
# relative to the pace of a medium voice at length_scale 1: en_US-joe-medium speaks the en prompts
# at about 225 wpm. 210 makes rate 150 sound like espeak-ng's 150 (bench_voice (a): both ~160).
NATURAL_WPM = 210
# One thread: rendering ahead runs while Vosk listens, and must not take its cores on a Pi.
THREADS = 1
# A gap between two words in Piper's own speech (bench_voice (d): 50-130 ms inside a call). A
# breath that stops mid-clause keeps half of it at its end, where Piper would leave 110-400 ms (as
# long as between two sentences); the next breath begins with Piper's own lead-in.
WORD_JOIN_SECONDS = 0.06
# Quieter than this share of a breath's peak is silence, for finding where its sound ends.
SILENCE_SHARE = 0.02
# A text ending in one of these ends where a speaker would stop or pause.
_MARKS = set(".,;:!?…\"'”’)")
# Bumped when the way a text is rendered changes, so audio kept on disk is rendered anew.
PHRASING = 3


def length_scale(words_per_minute: int) -> float:
    """Piper's phoneme length factor for a speaking rate (> 1 is slower), kept in a sane range."""
    return round(min(2.5, max(0.4, NATURAL_WPM / words_per_minute)), 3)


class PiperRenderer(AheadRenderer):
    """Renders with one loaded Piper voice; long new texts sentence by sentence, a long sentence
    in breaths (phrasing.py), each in one Piper call, decoded in windows (piper_parts.py)."""

    engine = "piper"
    splits = True

    def __init__(self, files: VoiceFiles, language: str, rate: int, volume: float,
                 clause_words: Collection[str] = (), parts: Path | None = None):
        super().__init__()
        self._voice = load_voice(files, language, parts)
        from piper import SynthesisConfig

        # _sentence brings each sentence (or breath of a long one) to the volume itself, after
        # closing its end, so Piper's own normalising is off.
        self._synthesis = SynthesisConfig(length_scale=length_scale(rate), normalize_audio=False)
        self._volume, self._clause_words = volume, tuple(clause_words)
        self.name = files.name
        stamp = files.model.stat()
        self.key = (f"piper|{files.model.resolve()}|{stamp.st_size}|{stamp.st_mtime_ns}|"
                    f"{self._synthesis.length_scale}|{volume}|phrasing {PHRASING}: "
                    f"{' '.join(self._clause_words)}")

    @property
    def rate(self) -> int:
        return self._voice.config.sample_rate

    def _parts(self, text: str) -> list[str]:
        """Sentences, a long one in breaths (phrasing.breaths), so it starts playing sooner."""
        return [part for sentence in sentences(text) for part in breaths(sentence, self._clause_words)]

    def _render(self, text: str) -> bytes:
        try:
            return b"".join(self._sentence(sentence) for sentence in sentences(text))
        except Exception as error:  # a model that loaded but cannot run: said once, not a traceback
            raise UserError(f"the Piper voice {self.name} failed ({type(error).__name__}); check it with "
                            "`assistant doctor`, or set voice.engine = \"espeak\"") from None

    def _sentence(self, sentence: str) -> bytes:
        """One Piper call, scaled to the volume; a breath that stops mid-clause (no mark of a pause
        or an end) keeps only half a word gap at its end, so the next breath goes on with it."""
        import numpy as np

        audio = np.concatenate([chunk.audio_float_array for chunk in
                                self._voice.synthesize(sentence, self._synthesis)] or [np.zeros(0)])
        if ends_mid_clause(sentence):
            audio = closed_end(audio, self.rate)
        peak = float(np.abs(audio).max()) if audio.size else 0.0
        scaled = audio * (self._volume / peak) if peak > 1e-8 else audio
        return bytes(np.clip(scaled * 32767, -32767, 32767).astype("<i2").tobytes())


def ends_mid_clause(text: str) -> bool:
    """Whether a text (a breath) stops where a speaker would neither stop nor pause."""
    return text.rstrip()[-1:] not in _MARKS


def closed_end(audio: NDArray[Any], rate: int) -> NDArray[Any]:
    """The audio up to half of WORD_JOIN_SECONDS after its last sound (SILENCE_SHARE of its peak)."""
    import numpy as np

    loud = SILENCE_SHARE * float(np.abs(audio).max()) if audio.size else 0.0
    sound = np.flatnonzero(np.abs(audio) > loud)
    if not sound.size:
        return audio
    return audio[:min(audio.size, sound[-1] + 1 + round(rate * WORD_JOIN_SECONDS / 2))]


def load_voice(files: VoiceFiles, language: str, parts: Path | None = None) -> PiperVoice:
    """The Piper voice ready to speak `language`, tried on one word; else one UserError saying why.
    With `parts` (piper_parts.ensure_parts) it runs as two parts, its decoder in windows; parts
    that do not load are one warning, and the voice is run whole."""
    try:
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig
    except ImportError as error:
        raise UserError(f"Piper is not installed ({error}); pip install piper-tts") from None
    fix = f"remove it and run `assistant voice download {language}`"
    config = _voice_config(files, language, fix)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = THREADS
    # onnxruntime keeps a memory plan per input size, and each text is a new size: -19 MB at the
    # peak without them (bench_memory), the render time unchanged.
    options.enable_mem_pattern = False
    try:
        session = _session(files, parts, options)
        voice = PiperVoice(session=session, config=config)
        list(voice.synthesize("ok", SynthesisConfig()))  # damage that loads still fails here
    except Exception as error:
        reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
        raise UserError(f"{files.model} is damaged or not a Piper voice ({reason}); {fix}") from None
    return voice


def _session(files: VoiceFiles, parts: Path | None, options: Any) -> Any:
    """The voice's two parts as one session, else (no parts, or parts that fail) the whole model."""
    import onnxruntime

    if parts is not None:
        from assistant.speech.piper_parts import ChunkedSession

        try:
            return ChunkedSession.load(parts, options)
        except Exception as error:  # damaged parts (a failing card): the whole voice still speaks
            log.warning("the Piper voice's parts in %s do not load (%s); speaking it whole, and "
                        "splitting it anew at the next start", parts, type(error).__name__)
            shutil.rmtree(parts, ignore_errors=True)
    return onnxruntime.InferenceSession(str(files.model), sess_options=options, providers=["CPUExecutionProvider"])


def _voice_config(files: VoiceFiles, language: str, fix: str) -> PiperConfig:
    """The voice's config, when it is one and the voice speaks `language`; else one UserError."""
    from piper.config import PiperConfig

    try:
        settings = json.loads(files.config.read_text(encoding="utf-8"))
        config = PiperConfig.from_dict(settings)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserError(f"{files.config} is not a Piper voice config ({type(error).__name__}: "
                        f"{str(error)[:60]}); {fix}") from None
    spoken = voice_language(settings)
    if spoken != language:
        raise UserError(f"the Piper voice {files.name} speaks '{spoken or 'an unknown language'}', not "
                        f"'{language}'; set voice.piper_voice to a {language} voice, or leave it empty")
    return config
