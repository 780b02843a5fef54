"""Where things live, and private files and folders."""

from __future__ import annotations

import os
import stat

import pytest

from assistant import paths
from assistant.errors import UserError


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_user_config_file_follows_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert paths.user_config_file() == tmp_path / "assistant" / "config.toml"


def test_default_data_dir_follows_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.default_data_dir() == tmp_path / "assistant"


def test_without_xdg_vars_home_dot_dirs_are_used(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.user_config_file() == tmp_path / ".config" / "assistant" / "config.toml"
    assert paths.default_data_dir() == tmp_path / ".local" / "share" / "assistant"


def test_shipped_config_dir_holds_defaults_and_packs():
    folder = paths.shipped_config_dir()
    assert (folder / "default.toml").is_file()
    assert (folder / "lang" / "en.toml").is_file()


def test_private_dir_is_created_or_tightened_to_0700(tmp_path):
    created = paths.private_dir(tmp_path / "new")
    assert mode(created) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir()
    os.chmod(loose, 0o777)
    paths.private_dir(loose)
    assert mode(loose) == 0o700


def test_every_folder_the_app_creates_is_0700_missing_parents_too(tmp_path):
    old = os.umask(0o022)  # the usual umask: mkdir's mode alone would leave the parents 0755
    try:
        paths.private_dir(tmp_path / "share" / "assistant" / "workshop")
        paths.made_dir(tmp_path / "own" / "folder")
    finally:
        os.umask(old)
    for folder in ("share", "share/assistant", "share/assistant/workshop", "own", "own/folder"):
        assert mode(tmp_path / folder) == 0o700, folder


def test_made_dir_leaves_an_existing_folder_as_it_is(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    os.chmod(mine, 0o755)
    assert paths.made_dir(mine) == mine and mode(mine) == 0o755


def test_an_open_folder_holding_other_files_is_refused_and_left_unchanged(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    os.chmod(home, 0o755)
    with pytest.raises(UserError) as error:
        paths.private_dir(home)
    assert str(home) in str(error.value) and "--data-dir" in str(error.value)
    assert mode(home) == 0o755


def test_a_path_that_cannot_be_a_folder_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError) as error:
        paths.private_dir(blocker / "data")
    assert "--data-dir" in str(error.value) and "\n" not in str(error.value)


def test_write_private_writes_0600_replacing_old_content_without_temp_file(tmp_path):
    target = tmp_path / "f.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    paths.write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]
