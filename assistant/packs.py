"""Language packs: every word the device says or listens for, per language, as TOML data.

Adding a language is adding a file; a test adds a Korean pack through config alone. What a pack
holds is here; reading and checking its file is packfile.py, its {placeholders} placeholders.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant import paths
from assistant.conversation.dialogue import Command, Question
from assistant.errors import UserError
from assistant.names import SCHEDULED

PHRASES = ("greeting", "reask", "skipped", "cap_notice", "another_moment", "next_moment",
           "closing", "stopped", "later", "undone", "forgotten", "nothing_to_undo", "examples",
           "list_or", "good_moment", "good_moment_summary", "earlier_notes", "confirm_forget",
           "not_forgotten", "restored", "nothing_to_restore",
           "not_kept")  # not_kept: some answers could not be written (a full or read-only card)
SUMMARY_PHRASES = ("opening_current", "opening_past", "empty", "moments", "values", "new_values",
                   "returned_values", "authentic_all", "adapted_all", "authentic_mixed", "more",
                   "fewer", "same", "quotes", "quote", "intention_met", "intention_missed",
                   "intention_text", "ask_intention", "reask_intention", "intention_kept",
                   "intention_noted", "no_intention", "goodbye", "list_and", "verzet_tension",
                   "verzet_acted")
SUMMARY_NOUNS = ("moment", "day", "time", "answer")  # each [one, many]: "1 day", "3 days"
TOP_KEYS = {"language", "name", "espeak_voice", "piper_voice", "clause_words", "model", "phrases", "commands",
            "answers", "authentic", "values", "scripts", "summary", "wake", "resistance", "dilemma", "report",
            "workshop"}
RESISTANCE = ("quiet", "active", "none")
DILEMMA_TEXTS = ("summary", "confirm", "which_names", "kept", "dropped", "family_known",
                 "sheet_title", "sheet_intro", "family_heading", "scenario", "scenario_strategy",
                 "consensus", "to_board", "board_empty", "ballot_title", "ballot_intro", "ballot_vote",
                 "label_situation", "label_goals", "label_options", "label_last_time",
                 "not_read", "redacted",
                 "family_shared",  # on a shared device: whose function family this dilemma is
                 "start_over")     # undo at "shall I keep it?": how to change what was said
KEEP = "keep"  # after the wake phrase: "what do you keep?" is answered there and then
WAKE_ACTIONS = (*SCHEDULED, KEEP)  # what can follow the wake phrase
WAKE_TEXTS = ("reply", "unclear", "keep_reply", "keep_audio",
              "enroll", "enroll_again", "enroll_unheard", "enroll_done")  # `assistant wake enroll`
REPORT_TEXTS = ("title", "period", "made", "private", "empty", "moments_heading", "moments_label",
                "days_label", "values_heading", "values_none", "value_column", "total_column",
                "authentic_heading", "authentic_label", "adapted_label", "share_label",
                "intention_heading", "intention_met", "intention_missed", "intention_none",
                "verzet_heading", "tension_label", "quiet_label", "active_label", "verzet_none",
                "quotes_heading", "weeks_heading", "week", "week_short", "week_column",
                "no_summary", "date")
# The moderator's pages and agenda (`assistant workshop`): printed, never spoken.
WORKSHOP_TEXTS = ("moderator_title", "moderator_intro", "board_title", "board_intro",
                  "ballots_title", "ballot_instruction", "session", "participants", "too_few",
                  "agenda", "where_are_we", "dilemma", "conclusion", "each", "later", "not_planned",
                  "empty_scenario", "agreed", "approval", "vote", "undecided", "off_strategy",
                  "none", "source", "made")


@dataclass(frozen=True)
class Value:
    key: str                     # the same in every language: what the journal stores
    name: str                    # how this language says it
    synonyms: tuple[str, ...]
    example: bool = True         # offered as an example when someone asks for help


@dataclass(frozen=True)
class Script:
    name: str
    title: str
    questions: tuple[Question, ...]
    greeting: str = ""   # instead of the pack's greeting (a short daytime prompt has its own)
    closing: str = ""    # instead of the pack's closing, when the script is completed
    gate_closing: str = ""  # said when a gate question is answered no: a short, kind close
    shared: bool = False    # made to be shared (a workshop dilemma): read back and confirmed first


@dataclass(frozen=True)
class Wake:
    phrases: tuple[str, ...]                  # said while the device is idle
    actions: Mapping[str, tuple[str, ...]]    # WAKE_ACTIONS or a script name -> what may be said
    texts: Mapping[str, str]                  # WAKE_TEXTS -> what the device says


@dataclass(frozen=True)
class Pack:
    language: str
    name: str
    espeak_voice: str
    model: str                   # Vosk model folder name for this language
    phrases: Mapping[str, str]
    commands: Mapping[Command, tuple[str, ...]]
    polite: tuple[str, ...]                    # may stand beside a command: "stop please"
    yes: tuple[str, ...]
    no: tuple[str, ...]
    authentic: tuple[str, ...]
    adapted: tuple[str, ...]
    values: tuple[Value, ...]
    scripts: Mapping[str, Script]
    summary: Mapping[str, str]                 # the weekly summary's sentences
    nouns: Mapping[str, tuple[str, str]]       # counted nouns, singular and plural
    wake: Wake
    resistance: Mapping[str, tuple[str, ...]]  # RESISTANCE -> words that say it
    dilemma: Mapping[str, str]                 # DILEMMA_TEXTS: read-back, confirmation, sheets
    without_names: tuple[str, ...]             # "keep it, but leave out the names"
    report: Mapping[str, str]                  # REPORT_TEXTS: the page of the weeks
    months: tuple[str, ...]                    # the twelve month names, for dates on that page
    workshop: Mapping[str, str]                # WORKSHOP_TEXTS: the moderator's and board's pages
    function_words: tuple[str, ...] = ()       # de, van, the: never left out on their own
    piper_voice: str = ""                      # its natural voice (`assistant voice download`)
    clause_words: tuple[str, ...] = ()         # and, because: a long clause is cut before one for Piper

    def script(self, name: str) -> Script:
        if name not in self.scripts:
            raise UserError(f"language pack '{self.language}' has no script '{name}'; "
                            f"choose one of: {', '.join(self.scripts)}")
        return self.scripts[name]

    def value_name(self, key: str) -> str:
        """How this language says a stored value key (the key itself when the pack lacks it)."""
        return next((v.name for v in self.values if v.key == key), key)

    def counted(self, count: int, noun: str) -> str:
        """'1 day', '3 days': a number with the noun in the right form."""
        one, many = self.nouns[noun]
        return f"{count} {one if count == 1 else many}"

    def joined(self, items: list[str]) -> str:
        """'calm, care and courage' in this language."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.summary['list_and']} {items[-1]}"

    def value_names(self) -> str:
        """The example values as one spoken list: 'respect, calm or care'."""
        names = [v.name for v in self.values if v.example]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.phrases['list_or']} {names[-1]}"

    def listen_phrases(self) -> tuple[str, ...]:
        """Everything a short utterance may be recognised as in grammar mode."""
        found = [p for phrases in self.commands.values() for p in phrases]
        found += [*self.yes, *self.no, *self.authentic, *self.adapted]
        found += [*self.without_names, *self.polite]
        return tuple(dict.fromkeys(found))


def pack_dirs(extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    return (*extra, paths.shipped_config_dir() / "lang")


def available_languages(extra: tuple[Path, ...] = ()) -> list[str]:
    return sorted({f.stem for d in pack_dirs(extra) if d.is_dir() for f in d.glob("*.toml")})


def load_pack(language: str, extra: tuple[Path, ...] = ()) -> Pack:
    """Find <language>.toml in the extra dirs first, then the shipped packs."""
    for folder in pack_dirs(extra):
        file = folder / f"{language}.toml"
        if file.is_file():
            return parse_pack(file)
    known = ", ".join(available_languages(extra)) or "none"
    raise UserError(f"no language pack '{language}' (looked in {', '.join(map(str, pack_dirs(extra)))}); "
                    f"use one of: {known}, or add {language}.toml to a folder in lang_dirs")


def parse_pack(file: Path) -> Pack:
    """Read one pack file, checked whole (packfile.py): every complaint names the file and key."""
    from assistant.packfile import read_pack

    return read_pack(file)
