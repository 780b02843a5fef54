"""Piper, the neural voice: text to mono s16le at the voice's own rate (22,050 Hz for medium voices).

piper-tts runs the voice's ONNX model with onnxruntime; its phonemes come from the espeak-ng it
embeds. A voice that is damaged, of another language or cannot run is found out here, when it is
loaded, as one UserError, so assistant/speech/engine.py can say so and speak with espeak-ng instead.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from assistant.errors import UserError
from assistant.speech.phrasing import breaths, phrases
from assistant.speech.voice import AheadRenderer, sentences
from assistant.speech.voices import VoiceFiles, voice_language

if TYPE_CHECKING:  # piper and numpy are imported only when a voice is loaded
    from numpy.typing import NDArray
    from piper import PiperVoice
    from piper.config import PiperConfig

# [voice] rate is words per minute for the person, so it is mapped to Piper's length scale
# relative to the pace of a medium voice at length_scale 1: en_US-joe-medium speaks the en prompts
# at about 225 wpm. 210 makes rate 150 sound like espeak-ng's 150 (bench_voice (a): both ~160).
NATURAL_WPM = 210
# One thread: rendering ahead runs while Vosk listens, and must not take its cores on a Pi.
THREADS = 1
# The silence left at a join inside a clause (phrasing.py cut it there for memory, not for a
# pause), in seconds: a gap between two words in Piper's own speech. Measured in bench_voice (d)
# at rate 150: inside one call Piper leaves 50-130 ms between words and 440-570 ms at a comma;
# the silence it puts at the end and start of two phrases is 110-400 ms (median ~245), as long as
# between two sentences (~250), so a join left as Piper made it sounds like a full stop. At a
# cut where the sentence pauses anyway (a comma) Piper's own edges stay: 235-445 ms, a pause.
WORD_JOIN_SECONDS = 0.06
# Quieter than this share of the sentence's peak is silence, for finding a phrase's edges.
SILENCE_SHARE = 0.02
# A text ending in one of these ends where a speaker would stop or pause.
_MARKS = set(".,;:!?…\"'”’)")
# Bumped when the way a text is rendered changes, so audio kept on disk is rendered anew.
PHRASING = 2


def length_scale(words_per_minute: int) -> float:
    """Piper's phoneme length factor for a speaking rate (> 1 is slower), kept in a sane range."""
    return round(min(2.5, max(0.4, NATURAL_WPM / words_per_minute)), 3)


class PiperRenderer(AheadRenderer):
    """Renders with one loaded Piper voice; long new texts sentence by sentence, each sentence
    phrase by phrase (phrasing.py), joined into one utterance."""

    engine = "piper"
    splits = True

    def __init__(self, files: VoiceFiles, language: str, rate: int, volume: float,
                 clause_words: Collection[str] = ()):
        super().__init__()
        self._voice = load_voice(files, language)
        from piper import SynthesisConfig

        # Piper would bring each phrase to full scale alone; _sentence scales a sentence (or one
        # breath of a long one) once, so the loudness does not jump at every cut.
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
        """One Piper call per phrase; the joins inside a clause closed to a word gap, and the end
        too when the next breath goes on with the clause (no mark of a pause or an end)."""
        import numpy as np

        rendered = [(np.concatenate([chunk.audio_float_array for chunk in
                                     self._voice.synthesize(phrase.text, self._synthesis)] or [np.zeros(0)]),
                     phrase.pause_after) for phrase in phrases(sentence, self._clause_words)]
        audio = joined(rendered, self.rate, open_end=sentence.rstrip()[-1:] not in _MARKS)
        peak = float(np.abs(audio).max()) if audio.size else 0.0
        scaled = audio * (self._volume / peak) if peak > 1e-8 else audio
        return bytes(np.clip(scaled * 32767, -32767, 32767).astype("<i2").tobytes())


def joined(rendered: list[tuple[NDArray[Any], bool]], rate: int, open_end: bool = False) -> NDArray[Any]:
    """Phrases (float audio, pause after it?) as one utterance."""
    import numpy as np

    pieces = trimmed(rendered, rate, open_end)
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def trimmed(rendered: list[tuple[NDArray[Any], bool]], rate: int, open_end: bool = False) -> list[NDArray[Any]]:
    """Each phrase's audio as it is joined. Where the sentence pauses, Piper's own silence stays (a
    phrase ending at a comma ends in a pause); where it does not, each side keeps half of
    WORD_JOIN_SECONDS, so the cut is heard as the next word, not as a stop. `open_end`: the last
    phrase is cut off mid-clause too (the next breath goes on). Silent phrases go."""
    import numpy as np

    loud = SILENCE_SHARE * max((float(np.abs(a).max()) for a, _ in rendered if a.size), default=0.0)
    keep, last, out = round(rate * WORD_JOIN_SECONDS / 2), len(rendered) - 1, []
    for i, (audio, pause) in enumerate(rendered):
        sound = np.flatnonzero(np.abs(audio) > loud)
        if sound.size:
            start = max(0, sound[0] - keep) if i > 0 and not rendered[i - 1][1] else 0
            end = min(audio.size, sound[-1] + 1 + keep) if (i < last or open_end) and not pause else audio.size
            out.append(audio[start:end])
    return out


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
