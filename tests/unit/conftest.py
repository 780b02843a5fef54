"""Shared fixtures for the unit tests: an isolated environment and the shipped packs.

Plain helper functions live in unit_helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import paths
from assistant.packs import load_pack


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test sees the real user's config or data: env vars cleared, XDG dirs point to tmp."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("ASSISTANT_CONFIG", raising=False)
    monkeypatch.delenv("ASSISTANT_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


@pytest.fixture(scope="session")
def en():
    return load_pack("en")


@pytest.fixture(scope="session")
def nl():
    return load_pack("nl")


@pytest.fixture
def source_models(tmp_path, monkeypatch) -> Path:
    """The source checkout's models/ folder, moved to tmp so the real one is never used."""
    folder = tmp_path / "source-models"
    folder.mkdir()
    monkeypatch.setattr(paths, "source_models_dir", lambda: folder)
    return folder
