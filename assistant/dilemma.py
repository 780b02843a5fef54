"""Recording a workshop dilemma: made to be shared, so nothing is kept before the person has
heard it read back in one sentence and said yes (or "without names", then which names).

The questions run as an ordinary session whose answers are held back (HeldJournal); the function
family is asked once and remembered (Profile), and every kept dilemma carries it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from assistant.dialogue import Answer, Kind
from assistant.errors import InputExhausted
from assistant.packs import Pack, Script
from assistant.profile import Profile
from assistant.roles import Journal, Listener, Voice
from assistant.session import Session, SessionResult, new_session_id
from assistant.summary import one_sentence
from assistant.understand import match_yes_no, normalise

FAMILY_KEY = "function_family"
LEFT_OUT = "[…]"


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
        said = {a.question_id: a.transcript for a in answers}
        self._voice.say(self._readback(said))
        names = self._consent()
        if names is None:
            self._voice.say(self._pack.dilemma["dropped"])
            return result
        if family and not any(q.kind is Kind.FAMILY for q in script.questions):
            answers.append(replace(answers[-1], question_id="family", transcript=family,
                                   question=self._family_question(), confidence=None, audio_seconds=0.0))
        # No audio is kept of a dilemma, so neither are word timings (they would keep the names).
        answers = [replace(a, transcript=leave_out(a.transcript, names), words=None) for a in answers]
        result.answer_ids = [self._journal.add(a) for a in answers]
        told = next((a.transcript for a in answers if a.question_id == "family"), None)
        if told and told != family:
            self._profile.set(FAMILY_KEY, told)
        self._voice.say(self._pack.dilemma["kept"])
        return result

    def _readback(self, said: dict[str, str]) -> str:
        parts = {k: one_sentence(said.get(k, "")) or "…" for k in ("situation", "goals", "options")}
        return self._pack.dilemma["summary"].format(**parts)

    def _consent(self) -> list[str] | None:
        """The names to leave out (maybe none) once the person says keep it; None: do not keep."""
        texts = self._pack.dilemma
        for _ in range(2):  # an unclear answer is asked once more; then nothing is kept
            self._voice.say(texts["confirm"])
            try:
                heard = self._listener.listen()
            except InputExhausted:
                return None
            said = normalise(heard.text)
            if said and any(normalise(w) in said for w in self._pack.without_names):
                self._voice.say(texts["which_names"])
                try:
                    words = normalise(self._listener.listen().text).split()
                except InputExhausted:
                    return None
                joiners = {normalise(self._pack.summary["list_and"]), normalise(self._pack.phrases["list_or"])}
                return [w for w in words if len(w) > 1 and w not in joiners]
            wants = match_yes_no(heard.text, self._pack) if said else None
            if wants is not None:
                return [] if wants else None
        return None

    def _family_question(self) -> str:
        return next(q.ask for q in self._script.questions if q.kind is Kind.FAMILY)


def conversation(pack: Pack, script: Script, listener: Listener, voice: Voice, journal: Journal,
                 data_dir, **session_options) -> Session | DilemmaRecorder:
    """What runs a script: a Session, or for a shared script (a workshop dilemma) the recorder
    that reads it back and asks before keeping anything."""
    if script.shared:
        return DilemmaRecorder(pack, script, listener, voice, journal, Profile(data_dir))
    return Session(pack, script, listener, voice, journal, **session_options)


def leave_out(text: str, names: list[str]) -> str:
    """The text with every given name (whole words, any case) replaced by '[…]'."""
    for name in names:
        text = re.sub(rf"\b{re.escape(name)}\b", LEFT_OUT, text, flags=re.IGNORECASE)
    return text
