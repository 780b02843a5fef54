"""The service's conversations: waking, the good-moment question, a reflection or a daytime
prompt (with the day's earlier notes), the weekly summary, and "what do you keep?".

The parts they talk through are injected, as the daemon's activities are: `open_parts` opens them
when a conversation starts (on the device: parts.device_parts, one loaded model and the audio
devices), and they are dropped when they fail, so an unplugged microphone is one clear log line
and the next attempt (the service retries) opens them afresh. With fake parts, the dialogue here
is unit-tested without a microphone (tests/unit/test_device.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from assistant.clock import local_now
from assistant.config import Config
from assistant.conversation.asking import Outcome, ask, ask_yes_no
from assistant.conversation.dialogue import Command, StoredAnswer
from assistant.conversation.ownvoice import summary_recordings
from assistant.conversation.roles import Listener, Voice
from assistant.conversation.session import Status
from assistant.conversation.understand import normalise
from assistant.conversation.weekly import WeeklyTalk, compose_stored, next_week
from assistant.conversations import conversation
from assistant.errors import UserError
from assistant.faults import StorageFault
from assistant.journal.pending import PatientJournal
from assistant.journal.tinyjournal import TinyJournal
from assistant.names import Activity, Consent, ScriptName
from assistant.packs import KEEP, Pack
from assistant.weeks import local_date, week_name, week_of_date

log = logging.getLogger(__name__)


class Watcher(Protocol):
    def watch(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """Listen for up to `seconds`; True as soon as the wake phrase was said."""


class Parts(Protocol):
    """What a conversation needs, opened together and dropped together."""

    @property
    def listener(self) -> Listener:
        """Answers and commands."""

    @property
    def voice(self) -> Voice: ...

    @property
    def watcher(self) -> Watcher:
        """The wake phrase, while idle."""

    @property
    def actions(self) -> Listener:
        """What to do, after the wake phrase."""

    def resume(self) -> None:
        """Listen and speak again: a new conversation after an interrupt."""

    def interrupt(self) -> None:
        """The service is stopping: end the turn in progress, hush the speaker (until resume)."""

    def close(self) -> None:
        """Close them all; never raises (one may be unplugged already)."""


OpenParts = Callable[[], Parts]  # may raise UserError: no microphone, no speaker


class DeviceActivities:
    def __init__(self, config: Config, pack: Pack, open_parts: OpenParts,
                 journal: TinyJournal | PatientJournal, started: Callable[[], None] = lambda: None):
        self._config, self._pack, self._open_parts = config, pack, open_parts
        # answers a full or read-only card refuses are held and retried, across sessions too
        self._journal = journal if isinstance(journal, PatientJournal) else PatientJournal(journal)
        self._started = started  # the devices are open: a waiting trigger hears "started"
        self._stopping = threading.Event()
        self._parts: Parts | None = None  # opened on demand

    def good_moment(self, kind: Activity) -> Consent | None:
        """Is now a good moment? Yes, no (stop and skip too), later, or None: no clear answer."""
        parts = self._open()
        phrase = "good_moment_summary" if kind == Activity.SUMMARY else "good_moment"
        try:
            reply = ask_yes_no(parts.voice, parts.listener, self._pack, self._pack.phrases[phrase])
        except UserError:
            self._drop()
            raise
        if reply.command is Command.LATER:
            return Consent.LATER
        if reply.command in (Command.STOP, Command.SKIP):
            return Consent.NO
        return {True: Consent.YES, False: Consent.NO}.get(reply.meaning)  # type: ignore[arg-type]

    def run(self, kind: Activity, script: str = "") -> Consent | None:
        self._stopping.clear()
        parts = self._open()
        listener, voice = parts.listener, parts.voice
        self._started()
        try:
            if kind == Activity.WAKE:
                woken, script = self._woken(voice, parts.actions)
                if woken is None:  # nothing asked: nothing to run
                    return None
                kind = woken
            if kind == Activity.SUMMARY:
                self._summary(listener, voice)
            elif kind in (Activity.REFLECT, Activity.PROMPT):
                return self._session(kind, listener, voice, script)
            return None
        except UserError:
            self._drop()
            raise

    def watch(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """Idle listening for the wake phrase (the service's `idle`)."""
        parts = self._open()
        try:
            return parts.watcher.watch(seconds, stop)
        except UserError:
            self._drop()
            raise

    def _woken(self, voice: Voice, actions: Listener) -> tuple[Activity | None, str]:
        """After the wake phrase: what to do (a kind, and a script when one was named).
        'What do you keep?' is answered here. A kind is looked up before a script of the same
        name: "prompt" is the daytime prompt, not a reflection over the prompt script."""
        wake = self._pack.wake
        reply = ask(voice, actions, wake.texts["reply"], tries=1, short_reply=True,
                    understand=self._action)
        action = reply.meaning
        if action == KEEP:
            voice.say(self._keep_text())
        elif reply.outcome is Outcome.GAVE_UP:
            voice.say(wake.texts["unclear"])
        log.info("woken: %s", action or "nothing asked")
        if action in set(Activity):
            return Activity(action), ""
        if action is not None and action in self._pack.scripts:
            return Activity.REFLECT, action
        return None, ""

    def _action(self, text: str) -> str | None:
        """The wake action (a kind, a script, or keep) these words name, if any."""
        said = normalise(text)
        return next((a for a, words in self._pack.wake.actions.items()
                     if said in {normalise(w) for w in words}), None)

    def _keep_text(self) -> str:
        return keep_text(self._pack, self._journal.answers(), self._config.session.keep_audio_days)

    def interrupt(self) -> None:
        self._stopping.set()
        if self._parts is not None:
            self._parts.interrupt()

    def close(self) -> None:
        self._drop()

    def _session(self, kind: Activity, listener: Listener, voice: Voice, script: str = "") -> Consent | None:
        """A reflection (its script, or the default) or a daytime prompt; "later" when asked."""
        now = local_now()
        try:
            self._journal.expire_audio(timedelta(days=self._config.session.keep_audio_days), now)
        except StorageFault as fault:  # a full card: old audio waits, the session does not
            log.info("old audio not expired: %s", fault)
        name = ScriptName.PROMPT if kind == Activity.PROMPT else script or self._config.session.script
        chosen = self._pack.script(name)
        opening = () if kind == Activity.PROMPT or chosen.shared else self._earlier_notes(now.date())
        self._journal.new_session()
        result = conversation(self._pack, chosen, listener, voice, self._journal, self._config.data_dir,
                              max_moments=1 if kind == Activity.PROMPT else self._config.session.max_moments,
                              interrupted=self._stopping.is_set, opening=opening,
                              shared_device=self._config.dilemma.shared_device).run()
        unwritten = self._journal.finish(voice, self._pack, "assistant reflect")
        if unwritten:
            log.warning("%s (held in memory: tried again at the next answer)", unwritten)
        result.answer_ids = self._journal.stored_ids(result.answer_ids)
        log.info("%s %s: %d answers kept", name if chosen.shared else kind, result.status.value,
                 len(result.answer_ids))
        return Consent.LATER if result.status is Status.LATER else None

    def _summary(self, listener: Listener, voice: Voice) -> None:
        now = local_now()
        year, week = week_of_date(now.date())
        stored = compose_stored(self._journal, self._pack, year, week, now)
        WeeklyTalk(self._pack, stored.lines, voice, self._journal, listener,
                   for_week=week_name(*next_week(year, week)),
                   recordings=summary_recordings(self._config, self._journal, stored, now)).run()

    def _earlier_notes(self, today: date) -> tuple[str, ...]:
        """'Earlier today you noted: courage, before the meeting.' from today's daytime prompts."""
        prompts: dict[str, dict[str, StoredAnswer]] = {}
        for answer in self._journal.answers(since=today, until=today, script=ScriptName.PROMPT):
            prompts.setdefault(answer.session_id, {})[answer.question_id] = answer
        notes = []
        for parts in prompts.values():
            value, note = parts.get("value"), parts.get("note")
            name = (self._pack.value_name(value.value) if value.value else value.transcript) \
                if value else ""
            text = ", ".join(p for p in (name, note.transcript if note else "") if p)
            if text:
                notes.append(text)
        if not notes:
            return ()
        return (self._pack.phrases["earlier_notes"].format(notes="; ".join(notes)),)

    def _open(self) -> Parts:
        if self._parts is None:
            self._parts = self._open_parts()
        self._parts.resume()
        return self._parts

    def _drop(self) -> None:
        """Forget the parts (one may be unplugged): the next conversation opens them afresh."""
        if self._parts is None:
            return
        parts, self._parts = self._parts, None
        parts.close()


def keep_text(pack: Pack, answers: list[StoredAnswer], keep_audio_days: int) -> str:
    """'What do you keep?': how many answers from how many days, and any recordings kept."""
    days = len({local_date(a.started_at) for a in answers})
    reply = pack.wake.texts["keep_reply"].format(answers=pack.counted(len(answers), "answer"),
                                                 days=pack.counted(days, "day"))
    recorded = sum(1 for a in answers if a.audio_file)
    if not recorded:
        return reply
    return reply + " " + pack.wake.texts["keep_audio"].format(
        answers=pack.counted(recorded, "answer"), days=pack.counted(keep_audio_days, "day"))
