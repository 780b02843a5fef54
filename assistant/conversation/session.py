"""A reflection session: walks a script over something that listens, speaks and stores.

No hardware, files or Vosk here: the session only sees the Listener, Voice and Journal roles,
so every turn of the dialogue is tested with fakes and runs unchanged on the device.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from assistant.clock import local_now
from assistant.conversation.asking import Outcome, as_text, ask, ask_yes_no
from assistant.conversation.dialogue import Answer, Command, Heard, Kind, Question
from assistant.conversation.kept import SessionAnswers
from assistant.conversation.prompts import reask_text, session_prompts, spoken
from assistant.conversation.roles import Journal, Listener, Voice
from assistant.conversation.understand import (
    classify_authentic,
    classify_resistance,
    match_yes_no,
    normalise_value,
)
from assistant.errors import InputExhausted
from assistant.packs import Pack, Script


class Status(str, Enum):
    COMPLETED = "completed"  # every moment asked
    STOPPED = "stopped"      # the person said stop
    LATER = "later"          # the person asked to do it later: a scheduler may ask again
    ENDED = "ended"          # replayed or typed input ran out


@dataclass
class SessionResult:
    session_id: str
    status: Status
    answer_ids: list[int] = field(default_factory=list)
    note: str = ""  # a storage fault the session recovered from, in words (else empty)


SHORT_REPLIES = (Kind.VALUE, Kind.AUTHENTIC, Kind.GATE)  # a word is the answer: end it quickly
QUOTE_WORDS = 12  # how much of an undone answer is read back


class _Flow(Enum):
    """Where the session goes after a question, or after "another moment?"."""

    ANSWERED = "answered"  # an answer was kept (or brought back): on to the next question
    SKIPPED = "skipped"    # skipped, or silent twice: on to the next question
    UNDO = "undo"          # back to the last kept answer's question
    STOP = "stop"
    LATER = "later"
    MORE = "more"          # yes to another moment
    ENOUGH = "enough"      # no (or no clear answer) to another moment


@dataclass(frozen=True)
class _Step:
    """What came of one question (or of "another moment?"), and what was said."""

    flow: _Flow
    said: str = ""  # the words of the answer kept: a gate question is read from them

    def closes_gate(self, pack: Pack) -> bool:
        """At a gate question: answered no, or skipped (silence twice): nothing to look at today."""
        if self.flow is _Flow.SKIPPED:
            return True
        return self.flow is _Flow.ANSWERED and match_yes_no(self.said, pack) is False


_ENDINGS = {_Flow.STOP: Status.STOPPED, _Flow.LATER: Status.LATER}
_MOVES = {Command.SKIP: _Flow.SKIPPED, Command.UNDO: _Flow.UNDO, Command.STOP: _Flow.STOP,
          Command.LATER: _Flow.LATER}  # what a command that goes back to the session does


def new_session_id() -> str:
    return f"{local_now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class Session:
    """Runs one script: greeting, moments of questions, 'another moment?', closing."""

    def __init__(self, pack: Pack, script: Script, listener: Listener, voice: Voice,
                 journal: Journal, *, max_moments: int = 2,
                 session_id: Callable[[], str] = new_session_id,
                 interrupted: Callable[[], bool] = lambda: False, opening: tuple[str, ...] = (),
                 closing: bool = True):
        self._pack, self._script = pack, script
        self._listener, self._voice = listener, voice
        self._max_moments = max_moments
        self._result = SessionResult(session_id(), Status.COMPLETED)
        self._answers = SessionAnswers(journal, self._result.answer_ids)
        self._interrupted = interrupted  # the service is stopping: store what was said, say no more
        self._opening = opening          # said after the greeting (earlier notes of the day)
        self._gate_closed = False        # a gate question was answered no: the script ends kindly
        self._closing = closing          # False: the caller has more to say (a dilemma's read-back)

    def run(self) -> SessionResult:
        self._voice.prepare(session_prompts(self._pack, self._script))
        self._voice.say(self._text(self._script.greeting or self._pack.phrases["greeting"]))
        for line in self._opening:
            self._voice.say(line)
        try:
            status = self._walk()
        except InputExhausted:
            status = Status.ENDED
        self._result.status = status
        if self._closing and not self._interrupted():
            text = closing_text(self._pack, self._script, status, self._gate_closed)
            self._voice.say(self._text(text))
        return self._result

    def _walk(self) -> Status:
        questions = self._script.questions
        moment, index = 1, 0
        while True:
            if self._interrupted():
                return Status.STOPPED
            if index == len(questions):
                if moment >= self._max_moments:
                    return Status.COMPLETED
                step = self._another_moment()
                if step.flow is _Flow.ENOUGH:
                    return Status.COMPLETED
                if step.flow is _Flow.MORE:
                    moment, index = moment + 1, 0
                    self._voice.say(self._text(self._pack.phrases["next_moment"]))
                    continue
            else:
                step = self._ask(moment, index, questions[index])
                if questions[index].kind is Kind.GATE and step.closes_gate(self._pack):
                    self._gate_closed = True
                    return Status.COMPLETED
            if step.flow in _ENDINGS:
                return _ENDINGS[step.flow]
            if step.flow is _Flow.UNDO:
                moment, index = self._undo(moment, index)
            elif step.flow in (_Flow.ANSWERED, _Flow.SKIPPED):
                index += 1

    def _ask(self, moment: int, index: int, question: Question) -> _Step:
        """Ask until there is an answer (kept) or a command that moves the session.

        The question as asked (itself or its re-ask, never its help) is stored with the answer.
        "Keep it" at the question whose answer was just undone brings that answer back.
        """
        def keeps_asking(command: Command) -> bool:
            if command is Command.KEEP and self._answers.can_bring_back(moment, index):
                return False
            return self._in_place(command)

        reply = ask(self._voice, self._listener, self._text(question.ask),
                    reask=reask_text(self._pack, question), help=self._text(question.help),
                    short_reply=question.kind in SHORT_REPLIES, understand=as_text,
                    keeps_asking=keeps_asking)
        if reply.outcome is Outcome.GAVE_UP:
            self._voice.say(self._text(self._pack.phrases["skipped"]))
            return _Step(_Flow.SKIPPED)
        if reply.command is Command.KEEP:
            kept = self._answers.bring_back()
            self._voice.say(self._text(self._pack.phrases["restored"]))
            return _Step(_Flow.ANSWERED, kept.answer.transcript)
        if reply.command is not None:
            return _Step(self._moved(reply.command))
        answer = answer_from(reply.heard, self._pack, self._script, question, asked=reply.asked,
                             session_id=self._result.session_id, moment=moment)
        self._answers.add(moment, index, answer, reply.heard.audio)
        if reply.heard.capped:
            self._voice.say(self._text(self._pack.phrases["cap_notice"]))
        return _Step(_Flow.ANSWERED, reply.heard.text)

    def _another_moment(self) -> _Step:
        """Yes or no to one more moment; skip, silence or an unclear answer twice means no."""
        reply = ask_yes_no(self._voice, self._listener, self._pack,
                           self._text(self._pack.phrases["another_moment"]), tries=2,
                           keeps_asking=self._in_place)
        if reply.outcome is Outcome.ANSWERED:
            return _Step(_Flow.MORE if reply.meaning else _Flow.ENOUGH)
        if reply.command is None:
            return _Step(_Flow.ENOUGH)
        flow = self._moved(reply.command)
        return _Step(_Flow.ENOUGH if flow is _Flow.SKIPPED else flow)

    def _in_place(self, command: Command) -> bool:
        """Carry out a command that leaves the question open ("forget that", "keep it" with
        nothing to bring back); False for the commands that move the session."""
        if command is Command.FORGET:
            self._forget()
            return True
        if command is Command.KEEP:
            self._voice.say(self._text(self._pack.phrases["nothing_to_restore"]))
            return True
        return command not in _MOVES

    def _moved(self, command: Command) -> _Flow:
        if command is Command.SKIP:
            self._voice.say(self._text(self._pack.phrases["skipped"]))
        return _MOVES[command]

    def _forget(self) -> None:
        """Erase the last kept answer for good, after a yes (a misheard word must not erase);
        the current question is asked again either way."""
        if not self._answers:
            self._voice.say(self._text(self._pack.phrases["nothing_to_undo"]))
            return
        reply = ask_yes_no(self._voice, self._listener, self._pack,
                           self._text(self._pack.phrases["confirm_forget"]))
        if reply.meaning is not True:
            self._voice.say(self._text(self._pack.phrases["not_forgotten"]))
            return
        self._answers.erase_last()
        self._voice.say(self._text(self._pack.phrases["forgotten"]))

    def _undo(self, moment: int, index: int) -> tuple[int, int]:
        """Erase the last kept answer and go back to its question, saying what was erased;
        "keep it" at that question brings it back (a misheard undo loses nothing)."""
        kept = self._answers.take_back()
        if kept is None:
            self._voice.say(self._text(self._pack.phrases["nothing_to_undo"]))
            return moment, index
        quote = " ".join(kept.answer.transcript.split()[:QUOTE_WORDS])
        self._voice.say(self._text(self._pack.phrases["undone"]).replace("{answer}", quote))
        return kept.moment, kept.index

    def _text(self, text: str) -> str:
        return spoken(self._pack, text)


def closing_text(pack: Pack, script: Script, status: Status, gate_closed: bool) -> str:
    """The last words of a session: the script's own closing, or the pack's for how it ended;
    a gate answered no closes kindly with the script's gate closing."""
    if gate_closed:
        return script.gate_closing
    if status is Status.COMPLETED and script.closing:
        return script.closing
    return pack.phrases[{Status.COMPLETED: "closing", Status.LATER: "later"}.get(status, "stopped")]


def answer_from(heard: Heard, pack: Pack, script: Script, question: Question, *, asked: str,
                session_id: str, moment: int) -> Answer:
    """The answer to store: the words heard, and what they mean for this kind of question."""
    text = heard.text
    return Answer(
        session_id=session_id, script=script.name, language=pack.language, moment=moment,
        question_id=question.id, question=asked, transcript=text.strip(),
        confidence=heard.confidence, audio_seconds=round(heard.audio_seconds, 2),
        started_at=heard.started_at, ended_at=heard.ended_at, capped=heard.capped,
        value=normalise_value(text, pack) if question.kind is Kind.VALUE else None,
        authentic=classify_authentic(text, pack) if question.kind is Kind.AUTHENTIC else None,
        resistance=classify_resistance(text, pack) if question.kind is Kind.RESISTANCE else None,
        words=timed_words(heard),
    )


def timed_words(heard: Heard) -> list[list[str | float]] | None:
    """[word, start, end] of each word, kept with its audio (so a quote can be cut from it)."""
    if not heard.audio or not heard.words:
        return None
    return [[w.word, round(w.start, 3), round(w.end, 3)] for w in heard.words]
