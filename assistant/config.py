"""Configuration: shipped defaults + the user's TOML + environment + flags, checked once.

Every key has a default in config/default.toml; unknown keys and wrong values are one-line
errors naming the file, the key and what is expected.
"""

from __future__ import annotations

import os
import tomllib
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from assistant import paths
from assistant.errors import UserError
from assistant.schedule import DAYS, ScheduleConfig, clock_time, span

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Table: TypeAlias = dict[str, Any]  # a TOML table: checked against the defaults' keys and types
_Section = TypeVar("_Section", bound="DataclassInstance")


@dataclass(frozen=True)
class SessionConfig:
    script: str
    max_moments: int
    keep_audio: bool
    keep_audio_days: int


@dataclass(frozen=True)
class ListenConfig:
    pause_seconds: float
    answer_cap_seconds: float
    silence_seconds: float
    command_max_seconds: float
    short_pause_seconds: float
    detector: str
    background_margin_db: float
    speech_margin_db: float
    min_speech_dbfs: float
    input_device: str


@dataclass(frozen=True)
class VoiceConfig:
    rate: int
    volume: float
    espeak_voice: str
    output_device: str
    engine: str        # auto | piper | espeak
    piper_voice: str   # a Piper voice name or an .onnx path; empty: the pack's
    download_url: str  # where `assistant voice download` fetches voices from


@dataclass(frozen=True)
class JournalConfig:
    backups: int


@dataclass(frozen=True)
class ModelConfig:
    paths: Mapping[str, str]
    download_url: str


@dataclass(frozen=True)
class ServiceConfig:
    wake_phrase: bool
    socket: Path


@dataclass(frozen=True)
class DilemmaConfig:
    shared_device: bool  # several people record here: the function family is asked every time


@dataclass(frozen=True)
class Config:
    language: str
    lang_dirs: tuple[Path, ...]
    data_dir: Path
    session: SessionConfig
    listen: ListenConfig
    voice: VoiceConfig
    journal: JournalConfig
    model: ModelConfig
    schedule: ScheduleConfig
    service: ServiceConfig
    dilemma: DilemmaConfig


# Checks beyond the type: key -> (test, what is expected).
_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "session.max_moments": (lambda v: 1 <= v <= 10, "a whole number from 1 to 10"),
    "session.keep_audio_days": (lambda v: 1 <= v <= 3650, "a whole number of days from 1 to 3650"),
    "listen.pause_seconds": (lambda v: 0.3 <= v <= 30, "seconds from 0.3 to 30"),
    "listen.answer_cap_seconds": (lambda v: 5 <= v <= 3600, "seconds from 5 to 3600"),
    "listen.silence_seconds": (lambda v: 1 <= v <= 120, "seconds from 1 to 120"),
    "listen.command_max_seconds": (lambda v: 0.5 <= v <= 10, "seconds from 0.5 to 10"),
    "listen.short_pause_seconds": (lambda v: 0.3 <= v <= 5, "seconds from 0.3 to 5"),
    "listen.detector": (lambda v: v in ("auto", "neural", "energy"), '"auto", "neural" or "energy"'),
    "listen.background_margin_db": (lambda v: 1 <= v <= 40, "dB from 1 to 40"),
    "listen.speech_margin_db": (lambda v: 0 <= v <= 60, "dB from 0 to 60"),
    "listen.min_speech_dbfs": (lambda v: -90 <= v <= 0, "dBFS from -90 to 0"),
    "voice.rate": (lambda v: 60 <= v <= 400, "words per minute from 60 to 400"),
    "voice.volume": (lambda v: 0 <= v <= 1, "a number from 0.0 to 1.0"),
    "voice.engine": (lambda v: v in ("auto", "piper", "espeak"), 'one of "auto", "piper", "espeak"'),
    "voice.download_url": (lambda v: _url_template(v, "file"), "an http(s) or file URL containing {file}"),
    "journal.backups": (lambda v: 1 <= v <= 365, "a whole number of days from 1 to 365"),
    "model.download_url": (lambda v: _url_template(v), "an http(s) URL containing {name}"),
    "schedule.reflect_at": (lambda v: _parses(clock_time, v), "a time like \"20:30\""),
    "schedule.summary_at": (lambda v: _parses(clock_time, v), "a time like \"19:30\""),
    "schedule.reflect_days": (lambda v: all(d in DAYS for d in v), "a list of mon tue wed thu fri sat sun"),
    "schedule.summary_day": (lambda v: v in (*DAYS, ""), "one of mon tue wed thu fri sat sun, or \"\""),
    "schedule.prompts_per_day": (lambda v: 0 <= v <= 12, "a whole number from 0 to 12"),
    "schedule.prompt_windows": (lambda v: all(_parses(span, w) for w in v),
                                "a list of windows like \"09:00-12:00\""),
    "schedule.quiet_hours": (lambda v: v == "" or _parses(span, v), "hours like \"22:00-08:00\", or \"\""),
    "schedule.snooze_minutes": (lambda v: 1 <= v <= 240, "minutes from 1 to 240"),
    "schedule.max_snoozes": (lambda v: 0 <= v <= 10, "a whole number from 0 to 10"),
    "schedule.evening_scripts": (lambda v: all(k in DAYS and isinstance(x, str) and x for k, x in v.items()),
                                 'day = "script" pairs, e.g. { wed = "verzet" }'),
}


def _parses(parse: Callable[[Any], object], value: object) -> bool:
    try:
        parse(value)
        return True
    except (ValueError, TypeError, AttributeError):
        return False


def _url_template(value: str, field: str = "name") -> bool:
    try:
        url = urllib.parse.urlsplit(value.format(name="model", file="voice.onnx", family="nl",
                                                 code="nl_NL", speaker="pim", quality="medium"))
    except (KeyError, IndexError, ValueError):
        return False
    return "{" + field + "}" in value and url.scheme in ("http", "https", "file") and bool(url.path)


_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number",
               str: "a text in quotes", list: "a list", dict: "a table"}


def load_config(config_file: str | Path | None = None, data_dir: str | Path | None = None,
                language: str | None = None) -> Config:
    """Build the config; explicit arguments (from flags) beat the environment, which beats files."""
    defaults = _read_toml(paths.shipped_config_dir() / "default.toml")
    chosen = config_file or os.environ.get("ASSISTANT_CONFIG")
    user_file = Path(chosen) if chosen else paths.user_config_file()
    if chosen and not user_file.is_file():
        raise UserError(f"config file {user_file} does not exist: create it or fix --config / ASSISTANT_CONFIG")
    merged = defaults
    if user_file.is_file():
        merged = _merge(defaults, _read_toml(user_file), user_file)
    data = data_dir or os.environ.get("ASSISTANT_DATA_DIR")
    if data:
        folder = Path(data).expanduser()
    elif merged["data_dir"]:
        folder = user_file.parent / Path(merged["data_dir"]).expanduser()  # relative to the file
    else:
        folder = paths.default_data_dir()
    return _build(merged, user_file, folder, language or merged["language"])


def _read_toml(path: Path) -> Table:
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not valid TOML ({error}); fix the syntax") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None


def _merge(defaults: Table, user: Table, source: Path, prefix: str = "") -> Table:
    """Overlay user values on defaults, refusing keys and types the defaults do not have."""
    merged = dict(defaults)
    for key, value in user.items():
        name = prefix + key
        if key not in defaults:
            known = ", ".join(sorted(prefix + k for k in defaults))
            raise UserError(f"{source}: unknown key '{name}'; known keys: {known}")
        default = defaults[key]
        if isinstance(default, dict) and default and isinstance(value, dict):
            merged[key] = _merge(default, value, source, name + ".")
            continue
        _check(name, value, default, source)
        merged[key] = value
    return merged


def _check(name: str, value: Any, default: Any, source: Path) -> None:
    expected = type(default)
    ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        raise UserError(f"{source}: {name}: expected {_TYPE_NAMES[expected]}, got {value!r}")
    rule = _RULES.get(name)
    if rule and not rule[0](value):
        raise UserError(f"{source}: {name}: expected {rule[1]}, got {value!r}")
    if name == "model.paths" and not all(isinstance(v, str) for v in value.values()):
        raise UserError(f"{source}: model.paths: expected language = \"folder\" pairs, got {value!r}")
    if name == "lang_dirs" and not all(isinstance(v, str) for v in value):
        raise UserError(f"{source}: lang_dirs: expected a list of folder names, got {value!r}")


def _section(cls: type[_Section], values: Table) -> _Section:
    """One [section] of the merged config as its dataclass (a whole number may stand for a float)."""
    return cls(**{f.name: (float(values[f.name]) if f.type == "float" else values[f.name])
                  for f in fields(cls)})


def _build(merged: Table, source: Path, data_dir: Path, language: str) -> Config:
    model = merged["model"]
    base = source.parent
    return Config(
        language=language,
        lang_dirs=tuple((base / Path(d).expanduser()) for d in merged["lang_dirs"]),
        data_dir=data_dir,
        session=_section(SessionConfig, merged["session"]),
        listen=_section(ListenConfig, merged["listen"]),
        voice=_section(VoiceConfig, merged["voice"]),
        journal=_section(JournalConfig, merged["journal"]),
        model=ModelConfig(paths=MappingProxyType({k: str(base / Path(v).expanduser())
                                                  for k, v in model["paths"].items()}),
                          download_url=model["download_url"]),
        schedule=_schedule(merged["schedule"]),
        service=ServiceConfig(merged["service"]["wake_phrase"],
                              Path(merged["service"]["socket"]).expanduser() if merged["service"]["socket"]
                              else data_dir / "control.sock"),
        dilemma=_section(DilemmaConfig, merged["dilemma"]),
    )


def _schedule(values: Table) -> ScheduleConfig:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else
                              MappingProxyType(dict(v)) if isinstance(v, dict) else v for k, v in values.items()}
    return ScheduleConfig(**fields)
