"""The use cases behind the commands: reflect, summary, export, list, edit, report, play, run.

Each takes its parts from the wiring (parts.py: microphone or WAV files or keyboard, speaker or
print; journals.py: the journal) and its conversation from conversations.py, and turns what a
failing disk or a missing device does into the one line the person reads.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import parts
from assistant.clock import local_now
from assistant.config import Config
from assistant.conversation.prompts import session_prompts
from assistant.conversation.roles import Listener, Voice
from assistant.conversation.session import SessionResult
from assistant.conversations import conversation
from assistant.errors import UserError
from assistant.faults import READ_ONLY, StorageFault
from assistant.journal.pending import PatientJournal
from assistant.journals import (
    existing_journal,
    open_existing_journal,
    service_journal,
    writable_journal,
)
from assistant.packs import Pack, load_pack
from assistant.weeks import week_name

if TYPE_CHECKING:
    from assistant.conversation.dialogue import StoredSummary
    from assistant.conversation.ownvoice import Clip
    from assistant.journal.tinyjournal import TinyJournal
    from assistant.service.daemon import Service
    from assistant.service.device import DeviceActivities


SERVICE_LOG = logging.getLogger("assistant.service")  # what the service does, for journald


def reflect(config: Config, pack: Pack, *, script: str | None = None, text: bool = False,
            quiet: bool = False, input_wavs: list[Path] | None = None) -> SessionResult:
    """Run one reflection session through the chosen front door."""
    chosen = pack.script(script or config.session.script)
    with ExitStack() as stack:
        journal = writable_journal(config)
        _expire_audio(journal, config)
        listener: Listener
        if text:
            listener = parts.typed_listener(pack)
            voice = parts.voice_or_print(config, pack, stack, quiet=quiet, strict=False)
        else:  # the model loads while the voice loads and renders the first prompts
            listener, voice = parts.listener_and_voice(config, pack, input_wavs or [], stack, quiet=quiet,
                                                       strict=not input_wavs, ahead=session_prompts(pack, chosen))
        talk = conversation(pack, chosen, listener, voice, journal, config.data_dir,
                            max_moments=config.session.max_moments,
                            shared_device=config.dilemma.shared_device)
        try:
            result = talk.run()
        except StorageFault as fault:  # an erase (undo, "forget that") the disk refused
            journal.flush()
            raise UserError(fault.session_line(len(journal.kept), journal.unsaved, REFLECT)) from None
        except KeyboardInterrupt:  # "every finished answer is kept" must stay true
            if not journal.flush():
                assert journal.fault is not None  # flush() failed: the fault says why
                raise UserError(journal.fault.session_line(len(journal.kept), journal.unsaved, REFLECT)) from None
            raise
        return _kept_result(journal, result, voice, pack)


REFLECT = "assistant reflect"


def _expire_audio(journal: PatientJournal, config: Config) -> None:
    """Old WAVs go at the start of a session; on a full disk that waits for another day."""
    try:
        journal.expire_audio(timedelta(days=config.session.keep_audio_days), local_now())
    except StorageFault as fault:  # the session's answers matter more; the first one will say it
        logging.getLogger(__name__).info("old audio not expired: %s", fault)


def _kept_result(journal: PatientJournal, result: SessionResult, voice: Voice, pack: Pack) -> SessionResult:
    """Answers held back by a failing disk are tried once more; what is still unwritten is said."""
    line = journal.finish(voice, pack, REFLECT)
    if line is not None:
        raise UserError(line)
    result.answer_ids = journal.stored_ids(result.answer_ids)
    if journal.fault is not None:
        result.note = f"a write failed ({journal.fault.reason}) and succeeded when tried again"
    elif journal.backup_trouble is not None:
        result.note = (f"a daily backup could not be refreshed ({journal.backup_trouble.reason}); "
                       "the answers are kept")
    return result


@dataclass
class SummaryResult:
    week: str
    lines: list[str]
    intention_id: int | None = None
    wrote: Path | None = None


def summary(config: Config, pack: Pack, *, week: str | None = None, text: bool = False,
            quiet: bool = False, out: Path | None = None, replay: bool = False,
            input_wavs: list[Path] | None = None, now: datetime | None = None) -> SummaryResult:
    """Compose (or replay) one week's summary and speak, print or write it; then ask the intention.

    The summary is stored before it is said, so --replay can say it again. Next week's intention
    is asked only when that week has not ended, and never for --replay or --out.
    """
    from assistant.conversation.ownvoice import summary_recordings
    from assistant.conversation.weekly import chosen_week, intention_wanted, next_week

    now = now or local_now()
    year, number = chosen_week(week, now.date())
    with ExitStack() as stack:
        journal = existing_journal(config)
        stored, pack = _stored_summary(config, pack, journal, week, (year, number), now, replay=replay)
        result = SummaryResult(stored.week, list(stored.lines))
        recordings = summary_recordings(config, journal, stored, now)  # quotes in their own voice
        if out is not None:
            result.wrote = _write_summary_audio(config, pack, result.lines, out, recordings)
            return result
        asks = not replay and intention_wanted(year, number, now.date()) and not journal.read_only
        result.intention_id = _say_and_ask(
            config, pack, stack, journal, result.lines, recordings,
            for_week=week_name(*next_week(year, number)) if asks else None,
            text=text, quiet=quiet, input_wavs=input_wavs or [])
        return result


def _stored_summary(config: Config, pack: Pack, journal: TinyJournal, week: str | None,
                    chosen: tuple[int, int], now: datetime, *, replay: bool) -> tuple[StoredSummary, Pack]:
    """The summary to say, stored: composed now, or for --replay the one stored (of --week, or the
    latest) with the pack of the language it was made in, so it is said in its own voice."""
    from assistant.conversation.weekly import compose_stored

    year, number = chosen
    if not replay:
        return compose_stored(journal, pack, year, number, now), pack
    stored = journal.summary(year, number) if week else journal.last_summary()
    if stored is None:
        which = f"of {week_name(year, number)} " if week else ""
        raise UserError(f"no summary {which}is stored yet; run `assistant summary` first")
    if stored.language not in (None, pack.language):
        pack = load_pack(stored.language, config.lang_dirs)
    return stored, pack


def _say_and_ask(config: Config, pack: Pack, stack: ExitStack, journal: TinyJournal, lines: list[str],
                 recordings: dict[int, Clip], *, for_week: str | None, text: bool, quiet: bool,
                 input_wavs: list[Path]) -> int | None:
    """Say the summary (or print it), then ask for the intention of `for_week` when given: the
    stored intention's id, or None."""
    from assistant.conversation.weekly import WeeklyTalk

    listener = _intention_listener(config, pack, stack, asks=for_week is not None, text=text,
                                   input_wavs=input_wavs)
    voice = parts.voice_or_print(config, pack, stack, quiet=quiet, strict=not (text or input_wavs))
    talk = WeeklyTalk(pack, lines, voice, journal, listener, for_week=for_week,
                      reask_on_silence=not text, recordings=recordings)
    return talk.run().intention_id


def _intention_listener(config: Config, pack: Pack, stack: ExitStack, *, asks: bool, text: bool,
                        input_wavs: list[Path]) -> Listener | None:
    """Who answers the intention question: the keyboard, or the microphone (or WAV files) with
    the model loading while the summary is said; nobody when it is not asked."""
    if asks and text:
        return parts.typed_listener(pack)
    if asks:
        return parts.listener_when_ready(config, pack, input_wavs, stack)
    return None


def _write_summary_audio(config: Config, pack: Pack, lines: list[str], out: Path,
                         recordings: dict[int, Clip] | None = None) -> Path:
    """The summary as one WAV (mono, at the voice's own rate), private like everything holding
    the person's words.

    A quote with a recording is that recording, at the loudness of the line before it.
    """
    from assistant.conversation.ownvoice import match_level
    from assistant.paths import write_chosen
    from assistant.wav import RATE, resample, wav_bytes

    recordings = recordings or {}
    renderer = parts.renderer(config, pack)
    try:
        renderer.prepare(line for n, line in enumerate(lines) if n not in recordings)
        pieces: list[bytes] = []
        for n, line in enumerate(lines):
            own = resample(recordings[n].pcm(), RATE, renderer.rate) if n in recordings else b""
            pieces.append(renderer.render(line) if not own else
                          match_level(own, pieces[-1]) if pieces else own)
        pcm = bytes(int(renderer.rate * 0.4) * 2).join(pieces)
    finally:
        renderer.close()
    write_chosen(out, wav_bytes(pcm, renderer.rate))
    return out


def export_answers(config: Config, fmt: str, since: date | None = None, until: date | None = None,
                   script: str | None = None) -> str:
    """The stored answers (since..until inclusive, of one script) in one of the export formats."""
    from assistant.journal.export import export

    journal = existing_journal(config)
    return export(journal.answers(since=since, until=until, script=script), fmt)


def export_dilemmas(config: Config, pack: Pack, fmt: str, since: date | None = None) -> str:
    """The workshop sheets of the recorded dilemmas (since that day) as md or csv; or, for the
    moderator's `assistant workshop import`, as json (the confirmed dilemmas and nothing else)."""
    from assistant.pages.workshop import SCRIPT, dilemmas, to_csv, to_markdown

    journal = open_existing_journal(config)
    found = dilemmas(journal.answers(since=since, script=SCRIPT) if journal else [])
    if fmt == "json":
        from assistant.journal.profile import Profile
        from assistant.workshop.exchange import DEVICE_KEY, ExportKeys, export_json, export_keys

        profile = Profile(config.data_dir)  # with nothing to export, nothing is written
        keys = export_keys(profile) if found else ExportKeys(profile.get(DEVICE_KEY) or "none", "")
        return export_json(found, keys, config.dilemma.shared_device)
    return to_markdown(found, pack) if fmt == "md" else to_csv(found)


def write_export(out: Path, text: str) -> Path:
    """An export in a file only its owner can read (0600), whole or not at all: a shell's
    `> office.json` gives it the umask's mode, often readable by every user of the machine."""
    from assistant.paths import write_chosen

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"cannot write --out {out}: a text in it is not valid Unicode") from None
    write_chosen(out, data, named=f"--out {out}")
    return out


def run_service(config: Config, pack: Pack) -> int:
    """`assistant run`: load the model once, serve triggers and the schedule until SIGTERM.

    The loop runs on a worker thread so the main thread is always free to take a signal at once
    (a Python signal handler waits for the main thread's current C call, e.g. a speaker write).
    """
    import signal
    import threading

    from assistant.service.control import ControlServer

    activities, service = _service(config, pack)
    server = ControlServer(config.service.socket, service.request_and_wait)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: service.shutdown())
    worker = threading.Thread(target=service.run, name="service")
    server.start()
    worker.start()
    SERVICE_LOG.info("running (language %s); trigger with `assistant trigger reflect|summary|prompt|stop`",
                     pack.language)
    try:
        while worker.is_alive():
            worker.join(0.2)
    finally:
        server.close()
        activities.close()
    SERVICE_LOG.info("stopped")
    return 0


def _service(config: Config, pack: Pack) -> tuple[DeviceActivities, Service]:
    """The service and the device it talks through, the model loaded once for every conversation.

    Every script the schedule names is looked up first: a misspelt one is said now, not on the
    evening it is due.
    """
    from assistant.clock import local_zone
    from assistant.service.daemon import Service
    from assistant.service.device import DeviceActivities
    from assistant.service.notify import SystemdNotifier
    from assistant.service.starts import Starts
    from assistant.speech.engine import prepare_voice
    from assistant.speech.models import find_model, load_model

    for name in {config.session.script, *config.schedule.evening_scripts.values()}:
        pack.script(name)
    prepare_voice(config, pack)
    model = load_model(find_model(config, pack))
    journal = service_journal(config)
    starts = Starts()  # tells `assistant trigger` whether its conversation could start
    activities = DeviceActivities(config, pack, parts.device_parts(config, pack, model), journal,
                                  started=starts.started)
    service = Service(config.schedule, local_zone(), activities, SystemdNotifier(),
                      seed=str(config.data_dir),
                      idle=activities.watch if config.service.wake_phrase else None, starts=starts)
    return activities, service


def trigger(config: Config, pack: Pack, action: str, script: str | None = None) -> str:
    """`assistant trigger ACTION [--script NAME]`: the running service's one-line reply."""
    from assistant.names import Activity
    from assistant.service.control import send

    if script:
        if action != Activity.REFLECT:
            raise UserError("--script goes with `assistant trigger reflect` only")
        pack.script(script)
        action = f"reflect {script}"
    reply = send(config.service.socket, action)
    if not reply.ok:
        raise UserError(f"the service says: {reply.message}")
    return reply.message


def list_sessions(config: Config, fmt: str = "text", since: date | None = None,
                  until: date | None = None, script: str | None = None) -> str:
    """`assistant list`: sessions with date, script, answers and their ids and audio."""
    from assistant.journal.listing import sessions, to_json, to_text

    journal = existing_journal(config)
    found = sessions(journal.answers(since=since, until=until, script=script), config.data_dir)
    return to_json(found) if fmt == "json" else to_text(found)


def edit_answer(config: Config, answer_id: int, text: str | None = None) -> str:
    """`assistant edit ANSWER_ID [--text ...]`: the one line saying what changed."""
    from assistant.journal.editing import edit_answer as edit

    journal = existing_journal(config)
    if journal.read_only:
        raise StorageFault(READ_ONLY, config.data_dir, "read-only")
    answer, changed = edit(journal, answer_id, text, config.lang_dirs)
    if not changed:
        return f"answer {answer_id} is unchanged"
    return f"answer {answer_id} changed ({answer.question_id} of session {answer.session_id})"


def write_report(config: Config, pack: Pack, *, weeks: int, out: Path | None = None,
                 now: datetime | None = None) -> Path:
    """`assistant report`: the page of the last `weeks` weeks (up to this one), private (0600).

    Reading never creates a journal: with nothing stored, the page says so.
    """
    from assistant.pages.page import render
    from assistant.pages.report import MAX_WEEKS, gather
    from assistant.paths import write_chosen
    from assistant.weeks import week_of_date

    if not 1 <= weeks <= MAX_WEEKS:
        raise UserError(f"--weeks {weeks}: give a number of weeks from 1 to {MAX_WEEKS}")
    now = now or local_now()
    last = week_of_date(now.date())
    out = out or Path(f"report-{week_name(*last)}.html")
    page = render(gather(open_existing_journal(config), pack, last, weeks), pack, now)
    write_chosen(out, page.encode("utf-8"))
    return out


def play(config: Config, answer_id: str | None = None, session: str | None = None) -> list[str]:
    """`assistant play ANSWER_ID | --session ID`: the kept recordings, through the speaker.

    Returns the transcripts played. No audio (never kept, expired, erased) is one line saying so.
    """
    from assistant.conversation.ownvoice import playable

    journal = open_existing_journal(config)
    if journal is None:
        raise UserError("nothing is kept yet: there is no answer to play")
    found = playable(journal, config.data_dir, answer_id, session, config.session.keep_audio_days,
                     local_now())

    with ExitStack() as stack:
        speaker = parts.speaker(config)
        stack.callback(speaker.close)
        for text, pcm in found:
            print(text, flush=True)
            speaker.play(pcm)
    return [text for text, _ in found]


def enroll_wake(config: Config, pack: Pack, *, quiet: bool = False,
                input_wavs: list[Path] | None = None) -> Path:
    """`assistant wake enroll`: three takes of the wake phrase in the person's voice, kept as
    features (0600) for the service's wake watcher. Nothing is kept unless all three were heard."""
    from assistant.errors import InputExhausted
    from assistant.paths import private_dir
    from assistant.speech.enroll import TAKES, enroll
    from assistant.speech.wake_match import TAKES_FILE, save_takes

    folder = private_dir(config.data_dir)
    with ExitStack() as stack:
        mic = parts.microphone(config, input_wavs)
        stack.callback(mic.close)
        voice = parts.voice_or_print(config, pack, stack, quiet=quiet, strict=not input_wavs)
        try:
            takes = enroll(mic, voice, pack, config.listen)
        except InputExhausted:
            raise UserError(f"the recordings ran out before {TAKES} clear takes; give one "
                            "--input-wav per take (nothing was kept)") from None
    path = folder / TAKES_FILE
    save_takes(path, pack.wake.phrases[0], takes)
    return path


def forget_wake(config: Config) -> bool:
    """`assistant wake forget`: the enrolled takes erased; False when there were none."""
    from assistant.speech.wake_match import TAKES_FILE

    try:
        (config.data_dir / TAKES_FILE).unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise UserError(f"cannot erase {config.data_dir / TAKES_FILE} ({error.strerror})") from None
    return True
