"""Recording a workshop dilemma: made to be shared, so nothing is kept before the person has
heard all of it read back (each part shortened, and what was not read named) and said yes; or
"without names", then which names, then the text without them read back and asked about again.

The questions run as an ordinary session whose answers are held back (HeldJournal); the function
family is asked once and remembered (Profile), and every kept dilemma carries it.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable

from assistant.dialogue import Answer, Kind
from assistant.errors import InputExhausted
from assistant.packs import Pack, Script
from assistant.profile import Profile
from assistant.redact import leave_out, names_from
from assistant.roles import Journal, Listener, Voice
from assistant.session import Session, SessionResult, new_session_id
from assistant.understand import match_yes_no, normalise

FAMILY_KEY = "function_family"
SHARED = ("situation", "goals", "options", "last_time", "family")  # what the sheets show
READBACK_WORDS = 40   # of each part read back; the rest is named as not read
MAX_ROUNDS = 5        # "without names" said again and again: then nothing is kept


class HeldJournal:
    """Takes answers like a journal but keeps them in memory until they are confirmed."""

    def __init__(self):
        self.answers: dict[int, Answer] = {}

    def add(self, answer: Answer, audio: bytes | None = None) -> int:
        answer_id = max(self.answers, default=0) + 1
        self.answers[answer_id] = answer
        return answer_id

    def remove(self, answer_id: int) -> None:
        self.answers.pop(answer_id, None)

    def remove_many(self, answer_ids) -> None:
        for answer_id in answer_ids:
            self.answers.pop(answer_id, None)


class DilemmaRecorder:
    def __init__(self, pack: Pack, script: Script, listener: Listener, voice: Voice,
                 journal: Journal, profile: Profile, session_id: Callable[[], str] = new_session_id):
        self._pack, self._script, self._listener, self._voice = pack, script, listener, voice
        self._journal, self._profile, self._session_id = journal, profile, session_id

    def run(self) -> SessionResult:
        family = self._profile.get(FAMILY_KEY)
        script = self._script
        if family:  # asked once: not again
            script = replace(script, questions=tuple(q for q in script.questions if q.kind is not Kind.FAMILY))
        held = HeldJournal()
        result = Session(self._pack, script, self._listener, self._voice, held, max_moments=1,
                         session_id=self._session_id, closing=False).run()
        answers = list(held.answers.values())
        result.answer_ids = []
        if not answers:
            return result
        if family and not any(q.kind is Kind.FAMILY for q in script.questions):
            answers.append(replace(answers[-1], question_id="family", transcript=family,
                                   question=self._family_question(), confidence=None, audio_seconds=0.0))
        self._voice.say(self.readback(answers))
        names = self._consent(answers)
        if names is None:
            self._voice.say(self._pack.dilemma["dropped"])
            return result
        answers = self._without(answers, names)
        result.answer_ids = [self._journal.add(a) for a in answers]
        told = next((a.transcript for a in answers if a.question_id == "family"), None)
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
        label = texts["family_heading"] if part == "family" else texts[f"label_{part}"]
        return label[:1].lower() + label[1:]

    def _consent(self, answers: list[Answer]) -> list[str] | None:
        """The names to leave out (maybe none) once the person says keep it; None: do not keep.
        Every time names are given, the text without them is read back and asked about again."""
        texts, names, unclear, rounds = self._pack.dilemma, [], 0, 0
        while unclear < 2 and rounds < MAX_ROUNDS:  # unclear twice: nothing is kept
            self._voice.say(texts["confirm"])
            try:
                heard = self._listener.listen(short_reply=True)
            except InputExhausted:
                return None
            said = normalise(heard.text)
            if said and any(normalise(w) in said for w in self._pack.without_names):
                more = self._which_names()
                if more is None:
                    return None
                names += [n for n in more if n not in names]
                rounds += 1
                self._voice.say(texts["redacted"])
                self._voice.say(self.readback(self._without(answers, names)))
                continue
            wants = match_yes_no(heard.text, self._pack) if said else None
            if wants is not None:
                return names if wants else None
            unclear += 1
        return None

    def _which_names(self) -> list[str] | None:
        self._voice.say(self._pack.dilemma["which_names"])
        try:
            heard = self._listener.listen()
        except InputExhausted:
            return None
        joiners = (self._pack.summary["list_and"], self._pack.phrases["list_or"])
        return names_from(heard.text, joiners)

    def _without(self, answers: list[Answer], names: list[str]) -> list[Answer]:
        if not names:
            return [replace(a, words=None) for a in answers]
        little = self._pack.function_words
        # No audio is kept of a dilemma, so neither are word timings (they would keep the names).
        return [replace(a, transcript=leave_out(a.transcript, names, little), words=None) for a in answers]

    def _family_question(self) -> str:
        return next(q.ask for q in self._script.questions if q.kind is Kind.FAMILY)


def conversation(pack: Pack, script: Script, listener: Listener, voice: Voice, journal: Journal,
                 data_dir, **session_options) -> Session | DilemmaRecorder:
    """What runs a script: a Session, or for a shared script (a workshop dilemma) the recorder
    that reads it back and asks before keeping anything."""
    if script.shared:
        return DilemmaRecorder(pack, script, listener, voice, journal, Profile(data_dir))
    return Session(pack, script, listener, voice, journal, **session_options)


def shortened(text: str, limit: int = READBACK_WORDS) -> tuple[str, bool]:
    """The text, or its first `limit` words and '…'; and whether it was cut."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words).rstrip("."), False
    return " ".join(words[:limit]) + "…", True
