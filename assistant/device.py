"""The service's conversations on the real device: one loaded model, the audio devices, the journal.

Audio devices are opened when a conversation starts and dropped when they fail, so an unplugged
microphone is one clear log line and the next attempt (the service retries) opens it afresh.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from collections.abc import Callable

from assistant.clock import local_now
from assistant.config import Config
from assistant.dialogue import Command
from assistant.errors import UserError
from assistant.journal import TinyJournal
from assistant.faults import StorageFault
from assistant.pending import PatientJournal
from assistant.packs import Pack
from assistant.dilemma import conversation
from assistant.ownvoice import summary_recordings
from assistant.session import Status
from assistant.understand import match_yes_no, normalise
from assistant.weekly import WeeklyTalk, compose_stored, next_week
from assistant.weeks import local_date, week_name, week_of_date

log = logging.getLogger(__name__)

PROMPT_SCRIPT = "prompt"


@dataclass(frozen=True)
class _Devices:
    """What a conversation needs, opened together and dropped together."""

    microphone: Any
    speaker: Any
    listener: Any   # answers and commands
    voice: Any
    renderer: Any
    watcher: Any    # the wake phrase, while idle
    actions: Any    # what to do, after the wake phrase


class DeviceActivities:
    def __init__(self, config: Config, pack: Pack, model, journal: TinyJournal | PatientJournal,
                 started: Callable[[], None] = lambda: None):
        self._config, self._pack, self._model = config, pack, model
        # answers a full or read-only card refuses are held and retried, across sessions too
        self._journal = journal if isinstance(journal, PatientJournal) else PatientJournal(journal)
        self._started = started  # the devices are open: a waiting trigger hears "started"
        self._stopping = threading.Event()
        self._parts: _Devices | None = None  # opened on demand

    def good_moment(self, kind: str) -> str | None:
        listener, voice = self._open()
        phrase = "good_moment_summary" if kind == "summary" else "good_moment"
        try:
            voice.say(self._pack.phrases[phrase])
            heard = listener.listen(short_reply=True)
        except UserError:
            self._drop()
            raise
        if heard.command is Command.LATER:
            return "later"
        if heard.command in (Command.STOP, Command.SKIP):
            return "no"
        wants = None if heard.silent or heard.command else match_yes_no(heard.text, self._pack)
        return "yes" if wants is True else "no" if wants is False else None

    def run(self, kind: str, script: str = "") -> str | None:
        self._stopping.clear()
        listener, voice = self._open()
        self._started()
        try:
            if kind == "wake":
                woken, script = self._woken(voice)
                kind = woken or ""  # nothing asked: nothing to run
            if kind == "summary":
                self._summary(listener, voice)
            elif kind in ("reflect", "prompt"):
                return self._session(kind, listener, voice, script)
            return None
        except UserError:
            self._drop()
            raise

    def watch(self, seconds: float, stop) -> bool:
        """Idle listening for the wake phrase (the service's `idle`)."""
        self._open()
        assert self._parts is not None  # opened
        try:
            return self._parts.watcher.watch(seconds, stop)
        except UserError:
            self._drop()
            raise

    def _woken(self, voice) -> tuple[str | None, str]:
        """After the wake phrase: what to do (a kind, and a script when one was named).
        'What do you keep?' is answered here."""
        wake = self._pack.wake
        voice.say(wake.texts["reply"])
        assert self._parts is not None  # opened by run()
        heard = self._parts.actions.listen(short_reply=True)
        said = normalise(heard.text)
        action = next((a for a, words in wake.actions.items() if said in {normalise(w) for w in words}), None)
        if action == "keep":
            voice.say(self._keep_text())
        elif action is None and not heard.command:
            voice.say(wake.texts["unclear"])
        log.info("woken: %s", action or "nothing asked")
        if action is not None and action in self._pack.scripts:
            return "reflect", action
        return (action if action != "keep" else None), ""

    def _keep_text(self) -> str:
        return keep_text(self._pack, self._journal.answers(), self._config.session.keep_audio_days)

    def interrupt(self) -> None:
        self._stopping.set()
        if self._parts is not None:
            self._parts.listener.interrupt()
            self._parts.speaker.hush()

    def close(self) -> None:
        self._drop()

    def _session(self, kind: str, listener, voice, script: str = "") -> str | None:
        """A reflection (its script, or the default) or a daytime prompt; "later" when asked."""
        now = local_now()
        try:
            self._journal.expire_audio(timedelta(days=self._config.session.keep_audio_days), now)
        except StorageFault as fault:  # a full card: old audio waits, the session does not
            log.info("old audio not expired: %s", fault)
        name = PROMPT_SCRIPT if kind == "prompt" else script or self._config.session.script
        chosen = self._pack.script(name)
        opening = () if kind == "prompt" or chosen.shared else self._earlier_notes(now.date())
        self._journal.new_session()
        result = conversation(self._pack, chosen, listener, voice, self._journal, self._config.data_dir,
                              max_moments=1 if kind == "prompt" else self._config.session.max_moments,
                              interrupted=self._stopping.is_set, opening=opening).run()
        unwritten = self._journal.finish(voice, self._pack, "assistant reflect")
        if unwritten:
            log.warning("%s (held in memory: tried again at the next answer)", unwritten)
        result.answer_ids = self._journal.stored_ids(result.answer_ids)
        log.info("%s %s: %d answers kept", name if chosen.shared else kind, result.status.value,
                 len(result.answer_ids))
        return "later" if result.status is Status.LATER else None

    def _summary(self, listener, voice) -> None:
        now = local_now()
        year, week = week_of_date(now.date())
        stored = compose_stored(self._journal, self._pack, year, week, now)
        WeeklyTalk(self._pack, stored["lines"], voice, self._journal, listener,
                   for_week=week_name(*next_week(year, week)),
                   recordings=summary_recordings(self._config, self._journal, stored, now)).run()

    def _earlier_notes(self, today: date) -> tuple[str, ...]:
        """'Earlier today you noted: courage, before the meeting.' from today's daytime prompts."""
        prompts: dict[str, dict[str, dict]] = {}
        for answer in self._journal.answers(since=today, until=today, script=PROMPT_SCRIPT):
            prompts.setdefault(answer["session_id"], {})[answer["question_id"]] = answer
        notes = []
        for parts in prompts.values():
            value, note = parts.get("value"), parts.get("note")
            name = (self._pack.value_name(value["value"]) if value.get("value") else value["transcript"]) \
                if value else ""
            text = ", ".join(p for p in (name, note["transcript"] if note else "") if p)
            if text:
                notes.append(text)
        if not notes:
            return ()
        return (self._pack.phrases["earlier_notes"].format(notes="; ".join(notes)),)

    def _open(self):
        if self._parts is None:
            from assistant.audio import SoundDeviceMicrophone, SoundDeviceSpeaker
            from assistant.listen import VoskListener
            from assistant.speech import renderer_for
            from assistant.voice import SpokenVoice
            from assistant.wake import WakeWatcher

            microphone = SoundDeviceMicrophone(self._config.listen.input_device)
            speaker = SoundDeviceSpeaker(self._config.voice.output_device)
            renderer = renderer_for(self._config, self._pack)
            listener = VoskListener(self._model, microphone, self._pack, self._config.listen,
                                    keep_audio=self._config.session.keep_audio)
            voice = SpokenVoice(renderer, speaker, echo=_SaidToLog())
            watcher = WakeWatcher(self._model, microphone, self._pack, self._config.listen)
            wake = self._pack.wake
            actions = VoskListener(self._model, microphone, self._pack, self._config.listen, phrases=[
                *(w for words in wake.actions.values() for w in words),
                *self._pack.commands[Command.STOP], *self._pack.commands[Command.SKIP]])
            self._parts = _Devices(microphone, speaker, listener, voice, renderer, watcher, actions)
        self._parts.listener.resume()
        self._parts.speaker.resume()
        return self._parts.listener, self._parts.voice

    def _drop(self) -> None:
        """Forget the devices (one may be unplugged): the next conversation opens them afresh."""
        if self._parts is None:
            return
        parts, self._parts = self._parts, None
        for close in (parts.listener.close, parts.actions.close, parts.microphone.close,
                      parts.speaker.close, parts.renderer.close):
            try:
                close()
            except Exception:  # already gone
                pass


class _SaidToLog:
    """What the device says, in the debug log (which may hold the person's words: opt-in)."""

    def write(self, text: str) -> None:
        if text.strip():
            log.debug("said: %s", text.strip())

    def flush(self) -> None:
        pass


def keep_text(pack: Pack, answers: list[dict], keep_audio_days: int) -> str:
    """'What do you keep?': how many answers from how many days, and any recordings kept."""
    days = len({local_date(a["started_at"]) for a in answers})
    reply = pack.wake.texts["keep_reply"].format(answers=pack.counted(len(answers), "answer"),
                                                 days=pack.counted(days, "day"))
    recorded = sum(1 for a in answers if a.get("audio_file"))
    if not recorded:
        return reply
    return reply + " " + pack.wake.texts["keep_audio"].format(
        answers=pack.counted(recorded, "answer"), days=pack.counted(keep_audio_days, "day"))
