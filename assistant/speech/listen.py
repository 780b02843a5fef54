"""Hearing one turn: Vosk streaming for the answer, grammar mode for commands, a timer for the end.

One Model is shared; each turn gets fresh recognizers (long-lived ones grow in memory).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from assistant import heartbeat
from assistant.clock import iso, local_now
from assistant.config import ListenConfig
from assistant.conversation.dialogue import Command, Heard, Word
from assistant.conversation.roles import Microphone
from assistant.conversation.understand import match_command, normalise
from assistant.packs import Pack
from assistant.speech.audio import CHUNK_SECONDS
from assistant.speech.confirm import confirmed_phrase, grammar_phrase
from assistant.speech.detect import Sound, SpeechDetector, Timeline, voice_activity
from assistant.speech.turns import TurnState, TurnTimer
from assistant.wav import RATE

log = logging.getLogger(__name__)

BYTES_PER_SECOND = RATE * 2


class Recognizer(Protocol):
    """What is used of a Vosk KaldiRecognizer (vosk has no types): audio in, results as JSON."""

    def AcceptWaveform(self, data: bytes, /) -> int:
        """Decode a chunk; non-zero when Vosk's own endpoint closed an utterance."""

    def Result(self) -> str: ...

    def FinalResult(self) -> str: ...

    def SetWords(self, words: bool, /) -> None: ...


def join_results(results: Iterable[dict[str, Any]], offset: float = 0.0) -> tuple[str, tuple[Word, ...]]:
    """All Vosk results of one answer, in order, as one transcript with scored, timed words.

    `offset` is where the recognizer's audio began in the turn, so every word's start is in
    turn time.
    """
    texts, words = [], []
    for result in results:
        if result.get("text"):
            texts.append(result["text"])
        words += [_word(w, offset) for w in result.get("result", [])]
    return " ".join(texts), tuple(words)


def _word(entry: dict[str, Any], offset: float) -> Word:
    start, end = float(entry.get("start", 0.0)), float(entry.get("end", 0.0))
    return Word(entry["word"], float(entry.get("conf", 1.0)), max(0.0, end - start), offset + start)


class CommandSpotter:
    """Grammar-mode recognition of the pack's short phrases (commands, yes/no, values).

    Free-form decoding garbles short words; a grammar over a few phrases does not. It runs only
    while the utterance is short, so a long answer costs at most a few seconds of extra decoding.
    Its recognizer starts with the person's speech, a few chunks early: the speech detector
    needs a moment to be sure, and a word's onset must not be cut.
    """

    PREROLL_CHUNKS = 5

    def __init__(self, recognizer_factory: Callable[[], Recognizer], phrases: set[str],
                 max_speech_seconds: float, polite: Collection[str] = ()) -> None:
        self._factory, self._phrases, self._polite = recognizer_factory, phrases, polite
        self._max = max_speech_seconds
        self._recognizer: Transcriber | None = None
        self._preroll: deque[bytes] = deque(maxlen=self.PREROLL_CHUNKS)
        self._speech = self._heard = 0.0
        self.active = True

    def feed(self, chunk: bytes, is_speech: bool, seconds: float) -> None:
        self._heard += seconds
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
            offset = self._heard - seconds * (len(self._preroll) + 1)
            self._recognizer = Transcriber(self._factory(), offset)
            for earlier in self._preroll:
                self._recognizer.feed(earlier, False)
        self._recognizer.feed(chunk, is_speech)

    @property
    def started(self) -> bool:
        """Whether speech has begun (and so an utterance is being judged)."""
        return self._recognizer is not None or not self.active

    def words(self, final: bool = True) -> tuple[Word, ...]:
        """What the grammar heard (so far, when not final), in turn time."""
        if not self.active or self._recognizer is None:
            return ()
        return self._recognizer.words(final)

    def phrase(self, free: tuple[Word, ...] | None = None,
               words: tuple[Word, ...] | None = None) -> tuple[str, tuple[Word, ...]] | None:
        """The one phrase the utterance was, or None (long, silent, several or unknown words).

        `free` are the free-form recogniser's words over the same turn: given, they must agree
        (see confirm.py); `words` are the grammar's, when the caller has already fetched them.
        """
        words = self.words() if words is None else words
        if not words:
            return None
        log.debug("grammar heard %s", [(w.word, round(w.confidence, 2)) for w in words])
        if free is None:
            return grammar_phrase(words, self._phrases, self._polite)
        return confirmed_phrase(words, free, self._phrases, self._polite)


class Transcriber:
    """Vosk over one turn (free-form, or a grammar); all its results, in order.

    After Vosk's own endpoint, silent chunks are held back rather than decoded: when the person
    goes on they are fed first (nothing is lost); when the answer is over, its closing pause was
    never decoded, so the next question is not kept waiting by FinalResult, and no CPU is spent.
    """

    def __init__(self, recognizer: Recognizer, offset: float = 0.0) -> None:
        self._recognizer, self.offset = recognizer, offset
        self._results: list[dict[str, Any]] = []
        self._held: list[bytes] = []
        self._at_endpoint = False
        self._final: tuple[Word, ...] | None = None

    def feed(self, chunk: bytes, is_speech: bool) -> None:
        if self._at_endpoint and not is_speech:
            self._held.append(chunk)
            return
        for piece in (*self._held, chunk):
            self._at_endpoint = bool(self._recognizer.AcceptWaveform(piece))
            if self._at_endpoint:
                self._results.append(json.loads(self._recognizer.Result()))
        self._held.clear()

    def words(self, final: bool = True) -> tuple[Word, ...]:
        """Every word, in turn time: finally (FinalResult, once), or so far.

        So far means: the utterance in progress is closed as Vosk's own endpoint would close
        it. Vosk goes on with a new utterance if more audio comes, its times continuing.
        """
        if self._final is not None:
            return self._final
        if final or not self._at_endpoint:
            self._results.append(json.loads(self._recognizer.FinalResult()))
            self._at_endpoint = True
        words = join_results(self._results, self.offset)[1]
        if final:
            self._final = words
        return words


class VoskListener:
    """Listens to one turn through a Microphone and returns what was heard.

    The turn is the person's: only their speech (see detect.py) keeps it open and counts
    towards a command, and words heard in background-only stretches are not kept. A command
    needs the grammar and the free-form words to agree (confirm.py). A sure short reply (a
    command, or an expected yes/no or value word) ends after the short pause; answers after the
    long one.
    """

    def __init__(self, model: Any, microphone: Microphone, pack: Pack, config: ListenConfig,
                 keep_audio: bool = False, phrases: list[str] | None = None) -> None:
        from vosk import KaldiRecognizer  # imported here so text-only use never loads Vosk

        self._recognizer_class = KaldiRecognizer
        self._model, self._mic, self._pack, self._config = model, microphone, pack, config
        self._keep_audio = keep_audio
        phrases = phrases if phrases is not None else [*pack.listen_phrases(), *value_phrases(pack)]
        self._phrases = {normalise(p) for p in phrases}
        self._polite = {normalise(p) for p in pack.polite}
        self._commands = {normalise(p) for ps in pack.commands.values() for p in ps}
        self._grammar = json.dumps(sorted(self._phrases | self._polite) + ["[unk]"],
                                   ensure_ascii=False)
        self._detector = speech_detector(config)
        # Freeing a recognizer takes up to ~0.1 s: done here, not on the way to the next question.
        self._reaper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vosk-free")
        self._interrupted = threading.Event()

    def interrupt(self) -> None:
        """End the turn in progress now (service stop, SIGTERM): speech so far is the answer,
        and a turn with no speech is heard as "stop". Stays set until resume()."""
        self._interrupted.set()

    def resume(self) -> None:
        self._interrupted.clear()

    def listen(self, short_reply: bool = False) -> Heard:
        """One turn; `short_reply`: a yes/no or value word is expected, and ends it quickly."""
        retired: list[_Turn] = []
        heard = self._listen(retired, self._phrases if short_reply else self._commands)
        self._reaper.submit(retired.clear)
        return heard

    def _listen(self, retired: list[_Turn], quick: set[str]) -> Heard:
        config = self._config
        turn = _Turn(Transcriber(self._recognizer()), Timeline(CHUNK_SECONDS),
                     CommandSpotter(lambda: self._recognizer(self._grammar), self._phrases,
                                    config.command_max_seconds, self._polite),
                     TurnTimer(config.pause_seconds, config.silence_seconds, config.answer_cap_seconds),
                     _Pauses(config.short_pause_seconds))
        retired.append(turn)
        state, started = TurnState.LISTENING, local_now()
        with self._mic.stream() as chunks:
            for chunk in chunks:
                heartbeat.beat()
                state = self._hear(turn, chunk, quick)
                if state is not TurnState.LISTENING:
                    break
        ended = local_now()
        if state is TurnState.INTERRUPTED or (state is TurnState.LISTENING and self._interrupted.is_set()):
            return Heard(command=Command.STOP, started_at=iso(started), ended_at=iso(ended))
        return self._heard(turn, state, iso(started), iso(ended))

    def _hear(self, turn: _Turn, chunk: bytes, quick: set[str]) -> TurnState:
        """One chunk, heard: the state of the turn after it."""
        timer, seconds, sound = turn.timer, len(chunk) / BYTES_PER_SECOND, self._detector(chunk)
        turn.feed(chunk, sound, seconds)
        if self._keep_audio:
            turn.audio += chunk
        state = timer.process(seconds, sound.keeps)
        if state is TurnState.LISTENING and self._interrupted.is_set():
            return TurnState.ANSWERED if timer.speech > 0 else TurnState.INTERRUPTED
        turn.pauses.hear(sound.person, seconds, timer.elapsed - seconds)
        if state is TurnState.LISTENING and timer.speech and turn.pauses.judge():
            # what was said so far, at this pause: is it a sure short reply?
            if timer.speech <= self._config.command_max_seconds and turn.sure(quick, final=False):
                return TurnState.ANSWERED
        return state

    def _recognizer(self, grammar: str | None = None) -> Recognizer:
        args = (self._model, RATE, grammar) if grammar else (self._model, RATE)
        recognizer: Recognizer = self._recognizer_class(*args)
        recognizer.SetWords(True)
        return recognizer

    def _heard(self, turn: _Turn, state: TurnState, started: str, ended: str) -> Heard:
        """A command when the grammar heard one alone and the free-form words agree; another
        phrase (yes, a value) as the grammar heard it; else the free-form transcript."""
        timer, free = turn.timer, turn.free_words()
        phrase = turn.phrase(None)
        command = None
        if phrase is not None and timer.speech <= self._config.command_max_seconds:
            command = match_command(phrase[0], self._pack)
            if command is not None and turn.phrase(free) is None:
                log.debug("grammar heard %r, but the free-form words say more", phrase[0])
                command, phrase = None, None
        if phrase is not None and normalise(phrase[0]) in self._polite:
            phrase = None  # "please" alone is an answer
        text, words = phrase if phrase is not None else (" ".join(w.word for w in free), free)
        if command is None and phrase is None and timer.speech <= self._config.command_max_seconds:
            command = match_command(text, self._pack)  # the free-form words said exactly that
        log.debug("turn %s after %.1fs (speech %.1fs): %r", state.value, timer.elapsed, timer.speech, text)
        return Heard(
            text="" if command else text, words=() if command else words, command=command,
            audio_seconds=round(timer.elapsed, 2), speech_seconds=round(timer.speech, 2),
            capped=state is TurnState.CAPPED, started_at=started, ended_at=ended,
            audio=bytes(turn.audio) if self._keep_audio and not command and text else None,
        )

    def close(self) -> None:
        self._reaper.shutdown(wait=True)


class _Pauses:
    """The quiet since the person's own voice (a tail does not count): when a short pause is
    long enough to judge what was said so far (once a pause), and where their speech starts.

    Each start is a debug line ("speech started", then "speech again" after a short pause): in
    the log, a sign that an answer is under way, which the service's tests wait for.
    """

    def __init__(self, short_pause_seconds: float) -> None:
        self._short, self.quiet, self._judged, self._spoke = short_pause_seconds, 0.0, False, False

    def hear(self, person: bool, seconds: float, at: float) -> None:
        """One chunk, `at` seconds into the turn; `person`: the person's own voice was in it."""
        if person and not self._spoke:
            log.debug("speech started at %.1fs", at)
        elif person and self.quiet >= self._short:
            log.debug("speech again at %.1fs, after a %.1fs pause", at, self.quiet)
        self._spoke = self._spoke or person
        self.quiet = 0.0 if person else self.quiet + seconds
        if self.quiet < self._short:
            self._judged = False

    def judge(self) -> bool:
        """Whether to judge now: the pause is long enough, and was not judged yet."""
        if self.quiet < self._short or self._judged:
            return False
        self._judged = True
        return True


class _Turn:
    """The recognisers, the timeline and the clock of one turn, and what they make of it together."""

    def __init__(self, transcriber: Transcriber, timeline: Timeline, spotter: CommandSpotter,
                 timer: TurnTimer, pauses: _Pauses) -> None:
        self.transcriber, self.timeline, self.spotter = transcriber, timeline, spotter
        self.timer, self.pauses = timer, pauses
        self.audio = bytearray()  # the turn's audio, when it is kept

    def feed(self, chunk: bytes, sound: Sound, seconds: float) -> None:
        self.timeline.add(sound)
        self.transcriber.feed(chunk, sound.voiced)
        self.spotter.feed(chunk, sound.person, seconds)

    def persons(self, words: tuple[Word, ...]) -> tuple[Word, ...]:
        return tuple(w for w in words if not self.timeline.is_background(w.start, w.end))

    def free_words(self, final: bool = True) -> tuple[Word, ...]:
        return self.persons(self.transcriber.words(final))

    def phrase(self, free: tuple[Word, ...] | None,
               final: bool = True) -> tuple[str, tuple[Word, ...]] | None:
        """The phrase the grammar heard; confirmed by these free-form words, when given."""
        return self.spotter.phrase(free, self.persons(self.spotter.words(final)))

    def sure(self, quick: set[str], final: bool) -> bool:
        """Whether the utterance so far is one of the `quick` phrases, confirmed."""
        found = self.phrase(self.free_words(final), final)
        return found is not None and found[0] in quick


def speech_detector(config: ListenConfig) -> SpeechDetector:
    activity = voice_activity(config.detector, config.speech_margin_db)
    return SpeechDetector(activity, config.min_speech_dbfs, config.background_margin_db)


def value_phrases(pack: Pack) -> list[str]:
    return [p for value in pack.values for p in (value.name, *value.synonyms)]
