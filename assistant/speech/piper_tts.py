"""Piper, the neural voice: text to mono s16le at the voice's own rate (22,050 Hz for medium voices).

piper-tts runs the voice's ONNX model with onnxruntime; its phonemes come from the espeak-ng it
embeds. A voice that is damaged, of another language or cannot run is found out here, when it is
loaded, as one UserError, so assistant/speech/engine.py can say so and speak with espeak-ng instead.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from assistant.errors import UserError
from assistant.speech.voice import AheadRenderer, sentences
from assistant.speech.voices import VoiceFiles, voice_language

if TYPE_CHECKING:  # piper is imported only when a voice is loaded
    from piper import PiperVoice
    from piper.config import PiperConfig

# [voice] rate is words per minute for the person, so it is mapped to Piper's length scale
# relative to the pace of a medium voice at length_scale 1: en_US-joe-medium speaks the en prompts
# at about 225 wpm. 210 makes rate 150 sound like espeak-ng's 150 (bench_voice (a): both ~160).
NATURAL_WPM = 210
# One thread: rendering ahead runs while Vosk listens, and must not take its cores on a Pi.
THREADS = 1
# Piper's memory grows with the length of one inference: about 20 MB per second of speech
# (measured: 4 s +70 MB, 16 s +310 MB). Longer sentences are rendered clause by clause (at
# , ; :), and a clause still far longer in runs of words, which bounds it near +100 MB.
CLAUSE_WORDS = 8
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def clauses(sentence: str, most: int = CLAUSE_WORDS) -> list[str]:
    """A sentence cut where it may pause, into runs of at most about `most` words (never mid-clause
    unless a clause alone is over twice that)."""
    runs: list[list[str]] = []
    for clause in _CLAUSE_END.split(sentence.strip()):
        words = clause.split()
        if runs and len(runs[-1]) + len(words) <= most:
            runs[-1] += words
        elif len(words) > 2 * most:
            runs += [words[i:i + most] for i in range(0, len(words), most)]
        else:
            runs.append(words)
    return [" ".join(run) for run in runs if run]


def length_scale(words_per_minute: int) -> float:
    """Piper's phoneme length factor for a speaking rate (> 1 is slower), kept in a sane range."""
    return round(min(2.5, max(0.4, NATURAL_WPM / words_per_minute)), 3)


class PiperRenderer(AheadRenderer):
    """Renders with one loaded Piper voice; long new texts sentence by sentence."""

    engine = "piper"
    splits = True

    def __init__(self, files: VoiceFiles, language: str, rate: int, volume: float):
        super().__init__()
        self._voice = load_voice(files, language)
        from piper import SynthesisConfig

        self._synthesis = SynthesisConfig(length_scale=length_scale(rate), volume=volume)
        self.name = files.name
        stamp = files.model.stat()
        self.key = (f"piper|{files.model.resolve()}|{stamp.st_size}|{stamp.st_mtime_ns}|"
                    f"{self._synthesis.length_scale}|{volume}")

    @property
    def rate(self) -> int:
        return self._voice.config.sample_rate

    def _render(self, text: str) -> bytes:
        parts = [clause for sentence in sentences(text) for clause in clauses(sentence)]
        try:
            return b"".join(chunk.audio_int16_bytes for part in parts
                            for chunk in self._voice.synthesize(part, self._synthesis))
        except Exception as error:  # a model that loaded but cannot run: said once, not a traceback
            raise UserError(f"the Piper voice {self.name} failed ({type(error).__name__}); check it with "
                            "`assistant doctor`, or set voice.engine = \"espeak\"") from None


def load_voice(files: VoiceFiles, language: str) -> PiperVoice:
    """The Piper voice ready to speak `language`, tried on one word; else one UserError saying why."""
    try:
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig
    except ImportError as error:
        raise UserError(f"Piper is not installed ({error}); pip install piper-tts") from None
    fix = f"remove it and run `assistant voice download {language}`"
    config = _voice_config(files, language, fix)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = THREADS
    try:
        session = onnxruntime.InferenceSession(str(files.model), sess_options=options,
                                               providers=["CPUExecutionProvider"])
        voice = PiperVoice(session=session, config=config)
        list(voice.synthesize("ok", SynthesisConfig()))  # damage that loads still fails here
    except Exception as error:
        reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
        raise UserError(f"{files.model} is damaged or not a Piper voice ({reason}); {fix}") from None
    return voice


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
