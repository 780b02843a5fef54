"""Recording a workshop dilemma: made to be shared, so nothing is kept before the person has
heard all of it read back (each part shortened, and what was not read named) and said yes; or
"without names", then which names, then the text without them read back and asked about again.

The questions run as an ordinary session whose answers are held back (HeldJournal); the function
family is asked once and remembered (the Remembered role), and every kept dilemma carries it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from assistant.conversation.asking import as_text, ask
from assistant.conversation.dialogue import Answer, Command, Kind
from assistant.conversation.redact import leave_out, names_from
from assistant.conversation.roles import Journal, Listener, Remembered, Voice
from assistant.conversation.session import Session, SessionResult, new_session_id
from assistant.conversation.understand import match_yes_no, normalise
from assistant.errors import InputExhausted
from assistant.names import DilemmaQuestion
from assistant.packs import Pack, Script

FAMILY_KEY = "function_family"
SHARED = tuple(DilemmaQuestion)  # what the sheets show
READBACK_WORDS = 40   # of each part read back; the rest is named as not read
MAX_ROUNDS = 5        # "without names" said again and again: then nothing is kept
WITHOUT_NAMES = "without names"  # the consent question's third answer


class HeldJournal:
    """Takes answers like a journal but keeps them in memory until they are confirmed."""

    def __init__(self) -> None:
        self.answers: dict[int, Answer] = {}

    def add(self, answer: Answer, audio: bytes | None = None) -> int:
        answer_id = max(self.answers, default=0) + 1
        self.answers[answer_id] = answer
        return answer_id

    def remove(self, answer_id: int) -> None:
        self.answers.pop(answer_id, None)

    def remove_many(self, answer_ids: Iterable[int]) -> None:
        for answer_id in answer_ids:
            self.answers.pop(answer_id, None)


class DilemmaRecorder:
    def __init__(self, pack: Pack, script: Script, listener: Listener, voice: Voice,
                 journal: Journal, profile: Remembered, session_id: Callable[[], str] = new_session_id,
                 interrupted: Callable[[], bool] = lambda: False):
        self._pack, self._script, self._listener, self._voice = pack, script, listener, voice
        self._journal, self._profile, self._session_id = journal, profile, session_id
        self._interrupted = interrupted  # the service is stopping: ask no more, keep nothing unconfirmed

    def run(self) -> SessionResult:
        family = self._profile.get(FAMILY_KEY)
        script = self._script
        if family:  # asked once: not again
            script = replace(script, questions=tuple(q for q in script.questions if q.kind is not Kind.FAMILY))
        held = HeldJournal()
        result = Session(self._pack, script, self._listener, self._voice, held, max_moments=1,
                         session_id=self._session_id, interrupted=self._interrupted, closing=False).run()
        answers = list(held.answers.values())
        result.answer_ids = []
        if not answers or self._interrupted():  # never read back and confirmed: nothing is kept
            return result
        if family and not any(q.kind is Kind.FAMILY for q in script.questions):
            answers.append(replace(answers[-1], question_id=DilemmaQuestion.FAMILY, transcript=family,
                                   question=self._family_question(), confidence=None, audio_seconds=0.0))
        self._voice.say(self.readback(answers))
        names = self._consent(answers)
        if names is None:
            self._voice.say(self._pack.dilemma["dropped"])
            return result
        answers = self._without(answers, names)
        result.answer_ids = [self._journal.add(a) for a in answers]
        told = next((a.transcript for a in answers if a.question_id == DilemmaQuestion.FAMILY), None)
        if told and told != family:
            self._profile.set(FAMILY_KEY, told)
        self._voice.say(self._pack.dilemma["kept"])
        return result

    def readback(self, answers: list[Answer]) -> str:
        """Everything that will be shared, each part shortened to its first words; and, plainly,
        which parts were not read in full (or at all, when the pack's sentence leaves them out)."""
        texts = self._pack.dilemma
        said = {a.question_id: a.transcript for a in answers}
        parts = {k: shortened(said.get(k, "")) for k in SHARED}
        sentence = texts["summary"].format(**{k: text or "…" for k, (text, _) in parts.items()})
        unread = [k for k, (text, cut) in parts.items()
                  if cut or (text and "{" + k + "}" not in texts["summary"])]
        if not unread:
            return sentence
        labels = [self._label(k) for k in unread]
        return f"{sentence} {texts['not_read'].format(parts=self._pack.joined(labels))}"

    def _label(self, part: str) -> str:
        texts = self._pack.dilemma
        label = texts["family_heading"] if part == DilemmaQuestion.FAMILY else texts[f"label_{part}"]
        return label[:1].lower() + label[1:]

    def _consent(self, answers: list[Answer]) -> list[str] | None:
        """The names to leave out (maybe none) once the person says keep it; None: do not keep.
        Every time names are given, the text without them is read back and asked about again.
        Unclear twice, skip, stop or later, or input that ends: nothing is kept."""
        texts, names = self._pack.dilemma, list[str]()
        for _ in range(MAX_ROUNDS):  # "without names" again and again: then nothing is kept
            try:
                reply = ask(self._voice, self._listener, texts["confirm"], short_reply=True,
                            understand=self._keep_or_not,
                            keeps_asking=self._nothing_kept_yet)
            except InputExhausted:
                return None
            if reply.meaning is not WITHOUT_NAMES:
                return names if reply.meaning is True else None
            more = self._which_names()
            if more is None:
                return None
            names += [n for n in more if n not in names]
            self._voice.say(texts["redacted"])
            self._voice.say(self.readback(self._without(answers, names)))
        return None

    def _nothing_kept_yet(self, command: Command) -> bool:
        """Undo, forget or keep at "shall I keep it?": nothing is kept yet, and all five parts
        were just read back, so "nothing to undo" would mislead: say how to change it instead."""
        if command not in (Command.UNDO, Command.FORGET, Command.KEEP):
            return False
        self._voice.say(self._pack.dilemma["start_over"])
        return True

    def _keep_or_not(self, text: str) -> bool | str | None:
        """Yes (keep it), no, or "without names"; None when unclear."""
        said = normalise(text)
        if any(normalise(w) in said for w in self._pack.without_names):
            return WITHOUT_NAMES
        return match_yes_no(text, self._pack)

    def _which_names(self) -> list[str] | None:
        """The names said (none, after silence); None when input ended."""
        try:
            reply = ask(self._voice, self._listener, self._pack.dilemma["which_names"], tries=1,
                        understand=as_text)
        except InputExhausted:
            return None
        joiners = (self._pack.summary["list_and"], self._pack.phrases["list_or"])
        return names_from(reply.heard.text, joiners)

    def _without(self, answers: list[Answer], names: list[str]) -> list[Answer]:
        if not names:
            return [replace(a, words=None) for a in answers]
        little = self._pack.function_words
        # No audio is kept of a dilemma, so neither are word timings (they would keep the names).
        return [replace(a, transcript=leave_out(a.transcript, names, little), words=None) for a in answers]

    def _family_question(self) -> str:
        return next(q.ask for q in self._script.questions if q.kind is Kind.FAMILY)


def shortened(text: str, limit: int = READBACK_WORDS) -> tuple[str, bool]:
    """The text, or its first `limit` words and '…'; and whether it was cut."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words).rstrip("."), False
    return " ".join(words[:limit]) + "…", True
