"""Hearing one turn: Vosk streaming for the answer, grammar mode for commands, a timer for the end.

One Model is shared; each turn gets fresh recognizers (long-lived ones grow in memory).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from assistant import heartbeat
from assistant.clock import iso, local_now
from assistant.config import ListenConfig
from assistant.dialogue import Command, Heard, Word
from assistant.packs import Pack
from assistant.roles import Microphone
from assistant.turns import SpeechDetector, TurnState, TurnTimer
from assistant.understand import match_command, normalise

log = logging.getLogger(__name__)

RATE = 16000
BYTES_PER_SECOND = RATE * 2


def join_results(results: Iterable[dict]) -> tuple[str, tuple[Word, ...]]:
    """All Vosk results of one answer, in order, as one transcript with scored words."""
    texts, words = [], []
    for result in results:
        if result.get("text"):
            texts.append(result["text"])
        words += [Word(w["word"], float(w.get("conf", 1.0)),
                       max(0.0, float(w.get("end", 0.0)) - float(w.get("start", 0.0))),
                       float(w.get("start", 0.0)))
                  for w in result.get("result", [])]
    return " ".join(texts), tuple(words)


class CommandSpotter:
    """Grammar-mode recognition of the pack's short phrases (commands, yes/no, values).

    Free-form decoding garbles short words; a grammar over a few phrases does not. It runs only
    while the utterance is short, so a long answer costs at most a few seconds of extra decoding.
    """

    PREROLL_CHUNKS = 3

    def __init__(self, recognizer_factory, phrases: set[str], max_speech_seconds: float):
        self._factory, self._phrases = recognizer_factory, phrases
        self._max = max_speech_seconds
        self._recognizer = None
        self._preroll: deque[bytes] = deque(maxlen=self.PREROLL_CHUNKS)
        self._speech = 0.0
        self.active = True

    def feed(self, chunk: bytes, is_speech: bool, seconds: float) -> None:
        if not self.active:
            return
        self._speech += seconds if is_speech else 0.0
        if self._speech > self._max:
            self.active, self._recognizer = False, None
            return
        if self._recognizer is None:
            if not is_speech:
                self._preroll.append(chunk)
                return
            self._recognizer = Transcriber(self._factory())
            for earlier in self._preroll:
                self._recognizer.feed(earlier, False)
        self._recognizer.feed(chunk, is_speech)

    @property
    def started(self) -> bool:
        """Whether speech has begun (and so an utterance is being judged)."""
        return self._recognizer is not None or not self.active

    def phrase(self) -> tuple[str, tuple[Word, ...]] | None:
        """The one phrase the utterance was, or None (long, silent, several or unknown words).

        Grammar mode forces every sound onto some phrase; a word's onset can come out as an
        extra word ("네 다시" for "다시"), and a trailing breath too. So when the whole result is
        not one phrase, one filler word may be dropped ("stop please"), and of exactly two words
        one dominant word may stand alone. More than that is a sentence ("I'll call her later").
        """
        if not self.active or self._recognizer is None:
            return None
        _, words = join_results(self._recognizer.finish())
        log.debug("grammar heard %s", [(w.word, round(w.confidence, 2)) for w in words])
        known = tuple(w for w in words if w.word != "[unk]")
        candidates = [words]
        if len(words) - len(known) == 1:
            candidates.append(known)
        if len(words) == len(known) == 2:
            candidates.append(_dominant(known))
        for candidate in candidates:
            said = normalise(" ".join(w.word for w in candidate))
            if said in self._phrases:
                return said, candidate
        return None


class Transcriber:
    """Free-form Vosk over one answer; all its results, in order.

    After Vosk's own endpoint, silent chunks are held back rather than decoded: when the person
    goes on they are fed first (nothing is lost); when the answer is over, its closing pause was
    never decoded, so the next question is not kept waiting by FinalResult, and no CPU is spent.
    """

    def __init__(self, recognizer):
        self._recognizer = recognizer
        self._results: list[dict] = []
        self._held: list[bytes] = []
        self._at_endpoint = False

    def feed(self, chunk: bytes, is_speech: bool) -> None:
        if self._at_endpoint and not is_speech:
            self._held.append(chunk)
            return
        for piece in (*self._held, chunk):
            self._at_endpoint = bool(self._recognizer.AcceptWaveform(piece))
            if self._at_endpoint:
                self._results.append(json.loads(self._recognizer.Result()))
        self._held.clear()

    def finish(self) -> list[dict]:
        self._results.append(json.loads(self._recognizer.FinalResult()))
        return self._results


class VoskListener:
    """Listens to one turn through a Microphone and returns what was heard."""

    def __init__(self, model, microphone: Microphone, pack: Pack, config: ListenConfig,
                 keep_audio: bool = False, phrases: list[str] | None = None):
        from vosk import KaldiRecognizer  # imported here so text-only use never loads Vosk

        self._recognizer_class = KaldiRecognizer
        self._model, self._mic, self._pack, self._config = model, microphone, pack, config
        self._keep_audio = keep_audio
        phrases = phrases if phrases is not None else [*pack.listen_phrases(), *value_phrases(pack)]
        self._phrases = {normalise(p) for p in phrases}
        self._grammar = json.dumps(sorted(self._phrases) + ["[unk]"], ensure_ascii=False)
        self._detector = SpeechDetector(config.speech_margin_db, config.min_speech_dbfs)
        # Freeing a recognizer takes up to ~0.1 s: done here, not on the way to the next question.
        self._reaper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vosk-free")
        self._interrupted = threading.Event()

    def interrupt(self) -> None:
        """End the turn in progress now (service stop, SIGTERM): speech so far is the answer,
        and a turn with no speech is heard as "stop". Stays set until resume()."""
        self._interrupted.set()

    def resume(self) -> None:
        self._interrupted.clear()

    def listen(self) -> Heard:
        retired: list = []
        heard = self._listen(retired)
        self._reaper.submit(retired.clear)
        return heard

    def _listen(self, retired: list) -> Heard:
        config = self._config
        timer = TurnTimer(config.pause_seconds, config.silence_seconds, config.answer_cap_seconds)
        transcriber = Transcriber(self._recognizer())
        spotter = CommandSpotter(lambda: self._recognizer(self._grammar), self._phrases,
                                 config.command_max_seconds)
        retired += [transcriber, spotter]
        audio, state, started = bytearray(), TurnState.LISTENING, local_now()
        with self._mic.stream() as chunks:
            for chunk in chunks:
                heartbeat.beat()
                seconds, is_speech = len(chunk) / BYTES_PER_SECOND, self._detector(chunk)
                transcriber.feed(chunk, is_speech)
                spotter.feed(chunk, is_speech, seconds)
                if self._keep_audio:
                    audio += chunk
                state = timer.process(seconds, is_speech)
                if state is TurnState.LISTENING and self._interrupted.is_set():
                    state = TurnState.ANSWERED if timer.speech > 0 else TurnState.INTERRUPTED
                if state is not TurnState.LISTENING:
                    break
        ended = local_now()
        if state is TurnState.INTERRUPTED or (state is TurnState.LISTENING and self._interrupted.is_set()):
            return Heard(command=Command.STOP, started_at=iso(started), ended_at=iso(ended))
        phrase = spotter.phrase()
        results = transcriber.finish() if phrase is None else []
        return self._heard(results, phrase, timer, state, audio, iso(started), iso(ended))

    def _recognizer(self, grammar: str | None = None):
        args = (self._model, RATE, grammar) if grammar else (self._model, RATE)
        recognizer = self._recognizer_class(*args)
        recognizer.SetWords(True)
        return recognizer

    def _heard(self, results, phrase, timer, state, audio, started, ended) -> Heard:
        text, words = phrase if phrase is not None else join_results(results)
        log.debug("turn %s after %.1fs (speech %.1fs): %r", state.value, timer.elapsed, timer.speech, text)
        command = match_command(text, self._pack) if timer.speech <= self._config.command_max_seconds else None
        return Heard(
            text="" if command else text, words=() if command else words, command=command,
            audio_seconds=round(timer.elapsed, 2), speech_seconds=round(timer.speech, 2),
            capped=state is TurnState.CAPPED, started_at=started, ended_at=ended,
            audio=bytes(audio) if self._keep_audio and not command and text else None,
        )

    def close(self) -> None:
        self._reaper.shutdown(wait=True)


ARTEFACT_SECONDS = 0.2  # shorter than any spoken syllable: a click or breath forced onto a word


def _dominant(words: tuple[Word, ...], sure: float = 0.8, lead: float = 0.15) -> tuple[Word, ...]:
    """The one sure word beside which every other is an artefact, or nothing.

    An artefact is clearly less sure than the dominant word, or less sure and too short to be a
    spoken syllable. Where the recognizer gives no timing, only confidence counts.
    """
    if len(words) < 2:
        return ()
    top, *others = sorted(words, key=lambda w: w.confidence, reverse=True)

    def artefact(word: Word) -> bool:
        if top.confidence - word.confidence >= lead:
            return True
        return word.confidence < top.confidence and 0.0 < word.seconds < ARTEFACT_SECONDS

    if top.confidence >= sure and all(artefact(w) for w in others):
        return (top,)
    return ()


def value_phrases(pack: Pack) -> list[str]:
    return [p for value in pack.values for p in (value.name, *value.synonyms)]
