"""Piper voices on disk: which one a pack wants, where it is, `assistant voice download|list`.

A voice is two files, NAME.onnx and NAME.onnx.json, kept in <data_dir>/voices. Besides
`assistant model download`, `assistant voice download` is the only network access the assistant
makes. config/voices.toml holds the published size and MD5 digest of the voices it knows.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import sys
import tempfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from assistant import paths
from assistant.config import Config
from assistant.errors import UserError
from assistant.packs import Pack

SUFFIXES = (".onnx.json", ".onnx")  # the small config first: a model alone never counts
_NAME = re.compile(r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Za-z]{2,3})-(?P<speaker>[^-/]+)-"
                   r"(?P<quality>x_low|low|medium|high)$")


class VoiceMissing(UserError):
    """No Piper voice named, or the one named is not installed (not an error in `auto`)."""


@dataclass(frozen=True)
class VoiceFiles:
    name: str
    model: Path
    config: Path


@dataclass(frozen=True)
class Published:
    """A voice as its collection publishes it: each file's size and MD5 digest, and its license."""

    name: str
    license: str
    files: dict[str, tuple[int, str]]  # suffix -> (size, md5)


def wanted(config: Config, pack: Pack) -> str:
    """The voice to use: [voice] piper_voice (a name or an .onnx path), else the pack's."""
    return config.voice.piper_voice or pack.piper_voice


def find_voice(config: Config, pack: Pack) -> VoiceFiles:
    name = wanted(config, pack)
    if not name:
        raise VoiceMissing(f"the '{pack.language}' language pack names no Piper voice; set voice.piper_voice")
    if name.endswith(".onnx") or os.sep in name:
        model = Path(name).expanduser()
        name = model.name.removesuffix(".onnx")
    else:
        model = voices_dir(config) / f"{name}.onnx"
    found = VoiceFiles(name, model, model.with_name(model.name + ".json"))
    fix = f"run `assistant voice download {pack.language}`" if model.parent == voices_dir(config) \
        else "fix voice.piper_voice"
    if not model.is_file():
        raise VoiceMissing(f"the Piper voice {name} is not installed (no {model}); {fix}")
    if not found.config.is_file():
        raise UserError(f"the Piper voice {name} has no {found.config.name} beside its model; {fix}")
    return found


def voices_dir(config: Config) -> Path:
    return config.data_dir / "voices"


def voice_language(settings: dict[str, Any]) -> str:
    """The language family a voice config says it speaks ("nl" for nl_NL), or ""."""
    language = settings.get("language")
    if isinstance(language, dict) and isinstance(language.get("family"), str):
        return str(language["family"])
    espeak = settings.get("espeak")
    if isinstance(espeak, dict) and isinstance(espeak.get("voice"), str):
        return str(espeak["voice"]).split("-")[0]
    return ""


def published(name: str) -> Published | None:
    """What config/voices.toml knows of a voice (None: downloaded unverified, said so)."""
    file = paths.shipped_config_dir() / "voices.toml"
    try:
        entry = tomllib.loads(file.read_text(encoding="utf-8")).get(name)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{file}: cannot read the voice list ({error}); reinstall the assistant") from None
    if entry is None:
        return None
    try:
        return Published(name, str(entry["license"]),
                         {s: (int(entry[k][0]), str(entry[k][1]))
                          for s, k in ((".onnx", "onnx"), (".onnx.json", "json"))})
    except (KeyError, IndexError, TypeError, ValueError):
        raise UserError(f"{file}: [{name}] needs license, onnx = [size, md5] and json = [size, md5]") from None


def download_voice(config: Config, pack: Pack) -> Path:
    """Fetch the pack's voice into <data_dir>/voices: progress bar, size and checksum checked,
    each file put in place only when whole (the model last, so a half voice never counts); then
    split it for windowed decoding (piper_parts.py)."""
    name = wanted(config, pack)
    fields = _url_fields(name, pack)
    paths.private_dir(config.data_dir)
    target = voices_dir(config)
    target.mkdir(mode=0o700, exist_ok=True)
    known = published(name)
    model = target / f"{name}.onnx"
    if known and all(_matches(target / (name + s), known.files[s][0]) for s in SUFFIXES):
        print(f"{name} is already in {target}")
    else:
        _install(config.voice.download_url, fields, name, target, known)
        note = f" ({known.license})" if known else " (not in the known voice list: size and checksum unchecked)"
        print(f"voice ready: {model}{note}")
    from assistant.speech.piper_parts import ensure_parts

    ensure_parts(model, config.data_dir)  # now, not at the first conversation
    return model


def _url_fields(name: str, pack: Pack) -> dict[str, str]:
    """The parts of a voice name its download URL is made of; a name with nothing to download
    (none, or a file path) is a UserError."""
    if not name:
        raise UserError(f"the '{pack.language}' language pack names no Piper voice; set voice.piper_voice")
    parts = _NAME.match(name)
    if parts is None:
        raise UserError(f"voice.piper_voice = '{name}' is not a Piper voice name like nl_NL-pim-medium "
                        "(a file path is used as it is: nothing to download)")
    return {"family": parts["family"], "code": f"{parts['family']}_{parts['region']}",
            "speaker": parts["speaker"], "quality": parts["quality"]}


def _install(url_template: str, fields: dict[str, str], name: str, target: Path, known: Published | None) -> None:
    """Both files fetched and checked, then put in place (never one alone, never half of one)."""
    fetched: list[Path] = []
    try:
        for suffix in SUFFIXES:
            fetched.append(_fetch_verified(url_template.format(**fields, file=name + suffix), target,
                                           known.files[suffix] if known else None))
        for tmp, suffix in zip(fetched, SUFFIXES, strict=True):  # both whole: the config first, the model last
            os.replace(tmp, target / (name + suffix))
        paths.fsync_dir(target)
    finally:
        for tmp in fetched:
            tmp.unlink(missing_ok=True)


def _matches(path: Path, size: int) -> bool:
    return path.is_file() and path.stat().st_size == size


def _fetch_verified(url: str, folder: Path, expected: tuple[int, str] | None) -> Path:
    """The download as a temp file in `folder`, durable, with the published size and checksum."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".download-", delete=False) as out:
        tmp = Path(out.name)
        try:
            size, digest = _fetch(url, out, folder)
            out.flush()
            os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    if expected and (size, digest) != expected:
        tmp.unlink(missing_ok=True)
        what = f"{size} bytes" if size != expected[0] else "its checksum"
        raise UserError(f"the download from {url} is damaged ({what} differs from the published "
                        f"{expected[0]} bytes, md5 {expected[1]}); try again later")
    return tmp


def _fetch(url: str, out: IO[bytes], folder: Path) -> tuple[int, str]:
    """Copy a URL into a file with a progress bar; its size and MD5, or one line without internet."""
    from tqdm import tqdm

    digest, size = hashlib.md5(), 0
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=Path(url).name[:30], file=sys.stderr) as bar:
                while block := response.read(1 << 16):
                    out.write(block)
                    digest.update(block)
                    size += len(block)
                    bar.update(len(block))
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise UserError(f"cannot download {url} ({getattr(error, 'reason', error)}); check the internet "
                        f"connection, or copy the voice's .onnx and .onnx.json into {folder} by hand") from None
    return size, digest.hexdigest()


def installed(config: Config) -> list[tuple[str, str, int]]:
    """(name, language, size in bytes) of every whole voice in <data_dir>/voices."""
    found = []
    folder = voices_dir(config)
    for model in sorted(folder.glob("*.onnx")) if folder.is_dir() else []:
        settings_file = model.with_name(model.name + ".json")
        try:
            settings = json.loads(settings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            settings = None
        language = voice_language(settings) if isinstance(settings, dict) else "?"
        found.append((model.name.removesuffix(".onnx"), language, model.stat().st_size))
    return found


def list_voices(config: Config, packs: list[Pack]) -> str:
    """`assistant voice list`: the installed voices, and what each pack wants."""
    have = installed(config)
    lines = [f"{name}  ({language}, {size / 1e6:.0f} MB)" for name, language, size in have] \
        or [f"no Piper voice installed in {voices_dir(config)}"]
    names = {name for name, _, _ in have}
    for pack in packs:
        voice = wanted(config, pack) if pack.language == config.language else pack.piper_voice
        if voice and voice not in names and not voice.endswith(".onnx"):
            lines.append(f"{pack.language}: wants {voice}: `assistant voice download {pack.language}`")
    return "\n".join(lines)
