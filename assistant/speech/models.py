"""Finding, checking and fetching the Vosk model of a language.

The only network access the assistant ever makes is `assistant model download`.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
import types
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from assistant import paths
from assistant.config import Config
from assistant.errors import UserError
from assistant.escape import visible
from assistant.packs import Pack

REQUIRED = ("am/final.mdl", "conf/model.conf")


def candidates(config: Config, pack: Pack) -> list[Path]:
    """Where the model for this pack may be, in the order they are tried."""
    found = []
    if pack.language in config.model.paths:
        found.append(Path(config.model.paths[pack.language]))
    found += [config.data_dir / "models" / pack.model, paths.source_models_dir() / pack.model]
    return found


def find_model(config: Config, pack: Pack) -> Path:
    places = candidates(config, pack)
    for place in places:
        if place.is_dir():
            missing = [r for r in REQUIRED if not (place / r).is_file()]
            if missing:
                raise UserError(f"the Vosk model in {place} is incomplete (no {missing[0]}); "
                                f"remove it and run `assistant model download {pack.language}`")
            return place
    raise UserError(f"no Vosk model for '{pack.language}' (looked in {', '.join(map(str, places))}); "
                    f"run `assistant model download {pack.language}` or set model.paths.{pack.language}")


class ModelError(UserError):
    """A model that does not load; `complaint` is Kaldi's first error line, if it gave one."""

    def __init__(self, path: Path, complaint: str):
        self.complaint = complaint
        why = complaint or "damaged or not a Vosk model"
        super().__init__(f"the Vosk model in {path} could not be loaded ({why}); remove it and "
                         "download it again with `assistant model download`")


def load_model(path: Path) -> Any:  # a vosk.Model (vosk has no types)
    """The model, proven by making a recognizer from it: Vosk returns a model even when its
    decoding graph failed to read, and only the first recognizer would then fail."""
    from assistant.wav import RATE

    vosk = import_vosk()
    vosk.SetLogLevel(-2)  # Kaldi's warnings are noise to a user; errors still show
    with _kaldi_said() as said:
        try:
            model = vosk.Model(str(path))
            vosk.KaldiRecognizer(model, RATE)
        except Exception:
            model = None
    if model is None:
        complaint = next((line for line in said if line.startswith("ERROR")), "")
        raise ModelError(path, visible(complaint[:160]))
    if said:  # loaded after all: what Kaldi said is passed on, not lost
        print("\n".join(said), file=sys.stderr)
    return model


@contextmanager
def _kaldi_said() -> Iterator[list[str]]:
    """What Kaldi writes while the model loads: it writes straight to file descriptor 2, so a
    damaged model would print several raw lines before the one line that says what to do."""
    said: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield said
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            said += [line for line in held.read().decode("utf-8", "replace").splitlines() if line.strip()]


def import_vosk() -> types.ModuleType:
    """vosk, without the network code it imports for its own downloads.

    vosk's __init__ imports requests, and urllib3 (under requests) opens an AF_INET6 socket on
    [::1] at import to probe for IPv6. The assistant never lets vosk download, so a stand-in
    takes requests' place while vosk is imported: it imports the real one only if something
    uses it, which at run time nothing does.
    """
    if "vosk" not in sys.modules and "requests" not in sys.modules:
        sys.modules["requests"] = _OnFirstUse("requests")
    import vosk

    return cast(types.ModuleType, vosk)  # vosk has no types


class _OnFirstUse(types.ModuleType):
    """A module that is really imported when one of its attributes is first asked for."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def download_model(config: Config, pack: Pack) -> Path:
    """Fetch the pack's official model into <data_dir>/models, with a progress bar."""
    paths.private_dir(config.data_dir)  # mkdir's mode does not apply to missing parents
    target_dir = config.data_dir / "models"  # public model data: no need to tighten an old one
    target_dir.mkdir(mode=0o700, exist_ok=True)
    target = target_dir / pack.model
    if target.is_dir():
        print(f"{pack.model} is already in {target_dir}")
        return target
    url = config.model.download_url.format(name=pack.model)
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".download-") as tmp:
        archive = Path(tmp) / "model.zip"
        _fetch(url, archive)
        try:
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(tmp)
        except zipfile.BadZipFile:
            raise UserError(f"the download from {url} is not a zip archive; try again later") from None
        unpacked = Path(tmp) / pack.model
        if not all((unpacked / r).is_file() for r in REQUIRED):
            raise UserError(f"the archive from {url} does not hold a Vosk model named {pack.model}")
        shutil.move(str(unpacked), target)
    print(f"model ready: {target}")
    return target


def _fetch(url: str, destination: Path) -> None:
    import http.client  # the network code is imported only by the one command that uses it
    import urllib.request

    from tqdm import tqdm

    try:
        with urllib.request.urlopen(url, timeout=30) as response, open(destination, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc="downloading",
                      file=sys.stderr) as bar:
                while block := response.read(1 << 16):
                    out.write(block)
                    bar.update(len(block))
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise UserError(f"cannot download {url} ({getattr(error, 'reason', error)}); check the "
                        "internet connection, or copy the model into the data dir by hand") from None
