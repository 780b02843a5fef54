"""Where things live: XDG config and data dirs, the shipped config, private file creation."""

from __future__ import annotations

import os
from pathlib import Path

APP = "assistant"


def shipped_config_dir() -> Path:
    """The config/ shipped with the program: inside the wheel, or the source checkout."""
    inside = Path(__file__).parent / "config"
    return inside if inside.is_dir() else Path(__file__).parent.parent / "config"


def source_models_dir() -> Path:
    return Path(__file__).parent.parent / "models"


def user_config_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / APP / "config.toml"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP


def private_dir(path: Path) -> Path:
    """Create (or tighten) a directory only its owner can enter: reflections are intimate."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, durably and atomically."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
