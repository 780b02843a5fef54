"""Command line: argument parsing only; each command calls one function.

Each command group adds its own subparser (in the order `--help` lists them), and a table maps
each command name to the one function it calls. The heavy modules are imported inside those
functions, so `--help`, `--version` and a usage error stay quick on the device.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from assistant import __version__
from assistant.errors import UserError
from assistant.escape import visible
from assistant.service.control import ACTIONS

if TYPE_CHECKING:
    from assistant.config import Config
    from assistant.packs import Pack

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler: TypeAlias = "Callable[[argparse.Namespace, Config, Pack], int]"


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH",
                        help="config file (default: ~/.config/assistant/config.toml, or ASSISTANT_CONFIG)")
    common.add_argument("--data-dir", metavar="PATH", help="where answers are kept (or ASSISTANT_DATA_DIR)")
    common.add_argument("--lang", metavar="LANG", help="language pack: nl or en (default from config: nl)")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="assistant", description="Offline voice companion for spoken reflection.")
    parser.add_argument("--version", action="version", version=f"assistant {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_conversations, _add_report_and_play, _add_service, _add_dilemmas, _add_workshop,
                _add_doctor, _add_export, _add_forget, _add_list, _add_edit, _add_downloads, _add_wake):
        add(commands, common)
    return parser


def _add_conversations(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`reflect` and `summary`: the two conversations a person starts by hand."""
    reflect = commands.add_parser("reflect", parents=[common], help="run the evening reflection")
    reflect.add_argument("--script", help="script from the language pack (default from config: compass)")
    source = reflect.add_mutually_exclusive_group()
    source.add_argument("--text", action="store_true", help="type answers in the terminal (also piped)")
    reflect.add_argument("--quiet", action="store_true", help="never speak; print the questions")
    source.add_argument("--input-wav", action="append", type=Path, metavar="FILE", default=[],
                        help="replay a recorded answer (repeat: one file per answer)")

    summary = commands.add_parser("summary", parents=[common], help="the weekly summary, spoken")
    summary.add_argument("--week", metavar="YYYY-Www", help="an ISO week such as 2026-W47 (default: this week so far)")
    summary.add_argument("--replay", action="store_true",
                         help="say the stored summary again (of --week, or the latest)")
    summary.add_argument("--out", type=Path, metavar="FILE.wav",
                         help="write the summary as a WAV file instead of saying it")
    ways = summary.add_mutually_exclusive_group()
    ways.add_argument("--text", action="store_true", help="print it and type next week's value (an empty line skips)")
    ways.add_argument("--input-wav", action="append", type=Path, metavar="FILE", default=[],
                      help="a recorded answer to the closing question, instead of the microphone")
    summary.add_argument("--quiet", action="store_true", help="never speak; print the summary")


def _add_report_and_play(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`report` and `play`: the weeks on a page, and a kept answer in the person's own voice."""
    report = commands.add_parser("report", parents=[common],
                                 help="a page of the weeks (HTML, charts, your words)")
    report.add_argument("--weeks", type=int, default=12, metavar="N",
                        help="how many weeks, up to this one (default 12)")
    report.add_argument("--out", type=Path, metavar="FILE.html",
                        help="where to write it (default: report-YYYY-Www.html here)")

    play = commands.add_parser("play", parents=[common], help="hear a kept answer again (when its audio is kept)")
    heard = play.add_mutually_exclusive_group(required=True)
    heard.add_argument("answer_id", nargs="?", metavar="ANSWER_ID", help="an answer id, as assistant export shows")
    heard.add_argument("--session", metavar="ID", help="every kept answer of one session")


def _add_service(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`run` and `trigger`: the always-on service, and the way to ask it something."""
    commands.add_parser("run", parents=[common], help="the always-on service: schedule and triggers")
    trigger = commands.add_parser("trigger", parents=[common], help="ask the running service to start or stop")
    trigger.add_argument("action", choices=[str(a) for a in ACTIONS])  # plain words in its errors
    trigger.add_argument("--script", metavar="NAME", help="with reflect: a script of the language pack, e.g. verzet")


def _add_dilemmas(commands: Commands, common: argparse.ArgumentParser) -> None:
    workshop = commands.add_parser("dilemmas", help="the workshop dilemmas people recorded")
    workshop_commands = workshop.add_subparsers(dest="dilemmas_command", required=True, metavar="ACTION")
    sheet = workshop_commands.add_parser("export", parents=[common],
                                         help="the moderator's sheet and ballot cards (md) or a table (csv)")
    sheet.add_argument("--format", choices=("md", "csv", "json"), default="md",
                       help="md or csv; json: the file for the moderator's `assistant workshop import`")
    sheet.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only dilemmas from this day on")
    sheet.add_argument("--out", type=Path, metavar="FILE",
                       help="write it to FILE, readable by you only (0600), instead of printing it")


def _add_workshop(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`workshop ...`: the moderator's side, from the devices' exports to the board's ballots."""
    kept = argparse.ArgumentParser(add_help=False, parents=[common])
    kept.add_argument("--file", type=Path, metavar="PATH",
                      help="the workshop file (default: <data-dir>/workshop/workshop.toml)")
    workshop = commands.add_parser("workshop", help="the moderator's workshop: import, plan, decide, pages")
    actions = workshop.add_subparsers(dest="workshop_command", required=True, metavar="ACTION")
    merge = actions.add_parser("import", parents=[kept], help="merge the devices' dilemma exports")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help="from `assistant dilemmas export --format json` on each device")
    plan = actions.add_parser("plan", parents=[kept], help="sessions of 4-8 participants, and their agenda")
    plan.add_argument("--family", metavar="F", help="plan only this function family")
    plan.add_argument("--start", metavar="HH:MM", help="show the agenda in clock times from this time")
    plan.add_argument("--replan", action="store_true",
                      help="deal every dilemma over the sessions afresh (by default only those without a session)")
    scenario = actions.add_parser("scenario", parents=[kept], help="write one of a dilemma's three scenarios")
    scenario.add_argument("id", type=_number, metavar="ID", help="the dilemma's number in the workshop file")
    scenario.add_argument("number", type=_number, metavar="N", help="1, 2 or 3 (3: in line with the strategy)")
    scenario.add_argument("text", metavar="TEXT")
    decide = actions.add_parser("decide", parents=[kept], help="the group's outcome for a dilemma")
    decide.add_argument("id", type=_number, metavar="ID")
    decide.add_argument("--consensus", choices=("yes", "no"), required=True)
    decide.add_argument("--scenario", type=_number, metavar="N", help="with consensus: the scenario agreed on")
    pages = actions.add_parser("pages", parents=[kept],
                               help="the moderator's sheet, the board's agenda and ballot cards (HTML, A4)")
    pages.add_argument("--out", type=Path, metavar="DIR", help="where to write them (default: here)")
    pages.add_argument("--start", metavar="HH:MM", help="agenda times from this clock time")


def _add_doctor(commands: Commands, common: argparse.ArgumentParser) -> None:
    commands.add_parser("doctor", parents=[common], help="check microphone, speaker, model, espeak-ng and data dir")


def _add_export(commands: Commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", parents=[common], help="print the stored answers")
    export.add_argument("--format", choices=("json", "csv", "md"), default="json")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only answers from this day on")
    export.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only answers up to this day (inclusive)")
    export.add_argument("--script", metavar="NAME", help="only answers of this script")


def _add_forget(commands: Commands, common: argparse.ArgumentParser) -> None:
    forget = commands.add_parser("forget", parents=[common], help="erase stored answers for good")
    which = forget.add_mutually_exclusive_group(required=True)
    which.add_argument("--last", action="store_true", help="the answers of the most recent session")
    which.add_argument("--session", metavar="ID", help="the answers of one session")
    which.add_argument("--before", type=_date, metavar="YYYY-MM-DD", help="every answer before this day")
    which.add_argument("--all", dest="everything", action="store_true", help="every answer")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _add_list(commands: Commands, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser("list", parents=[common], help="the stored sessions with their answer ids")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only sessions from this day on")
    listing.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only sessions up to this day")
    listing.add_argument("--script", metavar="NAME", help="only sessions of this script")


def _add_edit(commands: Commands, common: argparse.ArgumentParser) -> None:
    edit = commands.add_parser("edit", parents=[common], help="correct the transcript of one answer")
    edit.add_argument("answer_id", type=_answer_id, metavar="ANSWER_ID", help="as shown by `assistant list`")
    edit.add_argument("--text", metavar="TEXT", help="the corrected words (default: open $EDITOR)")


def _add_downloads(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`model` and `voice`: what the device needs to hear and to speak, fetched once."""
    model = commands.add_parser("model", help="manage speech models")
    model_commands = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    download = model_commands.add_parser("download", parents=[common], help="fetch the small Vosk model of a language")
    download.add_argument("language", metavar="LANG", help="nl or en")

    voice = commands.add_parser("voice", help="manage the natural (Piper) voices")
    voice_commands = voice.add_subparsers(dest="voice_command", required=True, metavar="ACTION")
    fetch = voice_commands.add_parser("download", parents=[common], help="fetch the Piper voice of a language")
    fetch.add_argument("language", metavar="LANG", help="nl or en")
    voice_commands.add_parser("list", parents=[common], help="show the installed Piper voices")


def _add_wake(commands: Commands, common: argparse.ArgumentParser) -> None:
    """`wake enroll` and `wake forget`: the wake phrase as the person says it."""
    wake = commands.add_parser("wake", help="teach the device how you say the wake phrase")
    actions = wake.add_subparsers(dest="wake_command", required=True, metavar="ACTION")
    enroll = actions.add_parser("enroll", parents=[common],
                                help="say the wake phrase three times, so it is heard even with a TV on")
    enroll.add_argument("--quiet", action="store_true", help="never speak; print what to do")
    enroll.add_argument("--input-wav", action="append", type=Path, metavar="FILE", default=[],
                        help="a recorded take instead of the microphone (repeat: one file per take)")
    actions.add_parser("forget", parents=[common], help="erase the kept takes of the wake phrase")


def _number(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number like 3")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None


def _answer_id(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an answer id like 20264700005 "
                                         "(`assistant list` shows them)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Logs go to stderr (journald on the device); debug logs include transcripts: opt-in only.
    level = os.environ.get("ASSISTANT_LOG", _default_log_level(args.command)).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        print(f"assistant: ASSISTANT_LOG={level.lower()} is not debug, info, warning or error; "
              "using warning", file=sys.stderr)
        level = "WARNING"
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return _run(args)
    except UserError as error:  # its text may hold a file's or a person's words: shown, never obeyed
        print(f"assistant: {visible(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nassistant: stopped; every finished answer is kept", file=sys.stderr)
        return 130


def _default_log_level(command: str) -> str:
    """The service logs what it does (started, each conversation, stopped) at INFO for journald;
    the other commands only what went wrong."""
    return "info" if command == "run" else "warning"


def _run(args: argparse.Namespace) -> int:
    """Every command gets the config and its language pack first: a bad one is said at once."""
    from assistant.config import load_config
    from assistant.packs import load_pack

    language = getattr(args, "language", None) or args.lang
    config = load_config(args.config, args.data_dir, language)
    pack = load_pack(config.language, config.lang_dirs)
    return _HANDLERS[args.command](args, config, pack)


def _reflect(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import reflect

    result = reflect(config, pack, script=args.script, text=args.text, quiet=args.quiet,
                     input_wavs=args.input_wav)
    kept = len(result.answer_ids)
    note = f" ({result.note})" if result.note else ""
    print(f"assistant: session {result.session_id} {result.status.value}; "
          f"{kept} answer{'' if kept == 1 else 's'} kept in {config.data_dir}{note}", file=sys.stderr)
    return 0


def _summary(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import summary

    done = summary(config, pack, week=args.week, text=args.text, quiet=args.quiet, out=args.out,
                   replay=args.replay, input_wavs=args.input_wav)
    if done.wrote is not None:
        print(f"assistant: the summary of {done.week} is in {done.wrote}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import write_report

    print(f"assistant: the page is in {write_report(config, pack, weeks=args.weeks, out=args.out)}",
          file=sys.stderr)
    return 0


def _play(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import play

    play(config, answer_id=args.answer_id, session=args.session)
    return 0


def _service(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import run_service

    return run_service(config, pack)


def _trigger(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import trigger

    print(f"assistant: {trigger(config, pack, args.action, args.script)}")
    return 0


def _dilemmas(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import export_dilemmas, write_export

    text = export_dilemmas(config, pack, args.format, since=args.since)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(f"assistant: the dilemmas are in {write_export(args.out, text)}", file=sys.stderr)
    return 0


def _doctor(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.doctor import doctor

    return doctor(config, pack)


def _export(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import export_answers

    sys.stdout.write(export_answers(config, args.format, since=args.since, until=args.until,
                                    script=args.script))
    return 0


def _forget(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.journal.forget import forget
    from assistant.journal.profile import Profile
    from assistant.journals import open_existing_journal

    return forget(open_existing_journal(config), Profile(config.data_dir), last=args.last,
                  session=args.session, before=args.before, everything=args.everything,
                  yes=args.yes)


def _list(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import list_sessions

    sys.stdout.write(list_sessions(config, args.format, since=args.since, until=args.until,
                                   script=args.script))
    return 0


def _workshop(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant import workshops

    action = args.workshop_command
    if action == "plan":
        print(workshops.make_plan(config, pack, args.family, args.start, args.file, args.replan))
        return 0
    if action == "pages":
        written = workshops.write_pages(config, pack, args.out, args.start, args.file)
        print(f"assistant: the pages are in {', '.join(map(str, written))}", file=sys.stderr)
        return 0
    if action == "import":
        line = workshops.import_exports(config, args.files, args.file)
    elif action == "scenario":
        line = workshops.write_scenario(config, args.id, args.number, args.text, args.file)
    else:
        line = workshops.decide(config, args.id, args.consensus, args.scenario, args.file)
    print(f"assistant: {line}", file=sys.stderr)
    return 0


def _edit(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import edit_answer

    print(f"assistant: {edit_answer(config, args.answer_id, args.text)}", file=sys.stderr)
    return 0


def _model(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.speech.models import download_model

    download_model(config, pack)
    return 0


def _voice(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.packs import available_languages, load_pack
    from assistant.speech.voices import download_voice, list_voices

    if args.voice_command == "download":
        download_voice(config, pack)
        return 0
    packs = [load_pack(language, config.lang_dirs) for language in available_languages(config.lang_dirs)]
    print(list_voices(config, packs))
    return 0


def _wake(args: argparse.Namespace, config: Config, pack: Pack) -> int:
    from assistant.app import enroll_wake, forget_wake

    if args.wake_command == "enroll":
        path = enroll_wake(config, pack, quiet=args.quiet, input_wavs=args.input_wav)
        print(f"assistant: three takes of '{pack.wake.phrases[0]}' kept in {path}; "
              "restart the service to use them", file=sys.stderr)
    else:
        erased = forget_wake(config)
        print("assistant: the takes of the wake phrase are erased" if erased else
              "assistant: no takes of the wake phrase were kept", file=sys.stderr)
    return 0


_HANDLERS: dict[str, Handler] = {
    "reflect": _reflect, "summary": _summary, "report": _report, "play": _play, "run": _service,
    "trigger": _trigger, "dilemmas": _dilemmas, "workshop": _workshop, "doctor": _doctor, "export": _export,
    "forget": _forget, "list": _list, "edit": _edit, "model": _model, "voice": _voice, "wake": _wake,
}
