"""Configuration: shipped defaults, user TOML, environment and flags; every mistake is one line."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from unit_helpers import one_line, write_toml

from assistant.config import load_config
from assistant.errors import UserError


def config_error(path: Path, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        load_config(path, **kwargs)
    message = str(caught.value)
    assert one_line(message), message
    return message


def test_defaults_load_when_there_is_no_user_file(isolated_env):
    config = load_config()
    assert config.language == "nl"
    assert config.lang_dirs == ()
    assert config.data_dir == isolated_env / "data" / "assistant"
    assert config.session.script == "compass"
    assert config.session.max_moments == 2
    assert config.session.keep_audio is False
    assert config.listen.pause_seconds == 2.0
    assert config.listen.silence_seconds == 8.0
    assert config.listen.answer_cap_seconds == 180.0
    assert config.voice.rate == 150
    assert dict(config.model.paths) == {}
    assert "{name}" in config.model.download_url


def test_user_file_overrides_only_the_keys_it_sets(tmp_path):
    file = write_toml(tmp_path / "c.toml", """
        language = "en"
        [listen]
        pause_seconds = 3.5
        [session]
        keep_audio = true
    """)
    config = load_config(file)
    assert config.language == "en"
    assert config.listen.pause_seconds == 3.5
    assert config.session.keep_audio is True
    assert config.listen.silence_seconds == 8.0  # untouched default
    assert config.session.max_moments == 2


def test_unknown_key_is_one_line_naming_file_and_key(tmp_path):
    file = write_toml(tmp_path / "c.toml", "[listen]\npause_secnds = 2.0\n")
    message = config_error(file)
    assert str(file) in message
    assert "'listen.pause_secnds'" in message
    assert "listen.pause_seconds" in message  # the known keys are offered


def test_unknown_top_level_key_is_refused(tmp_path):
    file = write_toml(tmp_path / "c.toml", 'langauge = "en"\n')
    message = config_error(file)
    assert str(file) in message and "'langauge'" in message


def test_wrong_type_is_one_line_naming_file_key_and_expectation(tmp_path):
    file = write_toml(tmp_path / "c.toml", '[listen]\npause_seconds = "abc"\n')
    message = config_error(file)
    assert str(file) in message
    assert "listen.pause_seconds" in message
    assert "expected a number" in message
    assert "'abc'" in message


def test_out_of_range_is_one_line_naming_file_key_and_range(tmp_path):
    file = write_toml(tmp_path / "c.toml", "[listen]\npause_seconds = 0\n")
    message = config_error(file)
    assert str(file) in message
    assert "listen.pause_seconds" in message
    assert "seconds from 0.3 to 30" in message


@pytest.mark.parametrize("line, key, expected", [
    ("[session]\nmax_moments = 11", "session.max_moments", "a whole number from 1 to 10"),
    ("[session]\nmax_moments = 2.5", "session.max_moments", "a whole number"),
    ("[session]\nkeep_audio = 1", "session.keep_audio", "true or false"),
    ("[listen]\npause_seconds = true", "listen.pause_seconds", "a number"),
    ("[voice]\nvolume = 1.5", "voice.volume", "a number from 0.0 to 1.0"),
    ("[voice]\nrate = 150.0", "voice.rate", "a whole number"),
    ('[model]\ndownload_url = "https://example.org/x.zip"', "model.download_url",
     "URL containing {name}"),
    ("[model]\npaths = { nl = 3 }", "model.paths", 'language = "folder" pairs'),
    ("lang_dirs = [1]", "lang_dirs", "a list of folder names"),
    ("lang_dirs = \"packs\"", "lang_dirs", "a list"),
    ("session = 3", "session", "a table"),
    ('[schedule]\nreflect_at = "8pm"', "schedule.reflect_at", 'a time like "20:30"'),
    ('[schedule]\nreflect_at = "25:00"', "schedule.reflect_at", 'a time like "20:30"'),
    ('[schedule]\nreflect_days = ["monday"]', "schedule.reflect_days", "a list of mon tue"),
    ('[schedule]\nsummary_day = "zondag"', "schedule.summary_day", "one of mon tue"),
    ('[schedule]\nprompt_windows = ["9-12"]', "schedule.prompt_windows", 'like "09:00-12:00"'),
    ('[schedule]\nquiet_hours = "night"', "schedule.quiet_hours", 'like "22:00-08:00"'),
    ("[schedule]\nprompts_per_day = 20", "schedule.prompts_per_day", "from 0 to 12"),
    ("[service]\nwake_phrase = \"yes\"", "service.wake_phrase", "true or false"),
])
def test_bad_values_name_key_and_expectation(tmp_path, line, key, expected):
    file = write_toml(tmp_path / "c.toml", line + "\n")
    message = config_error(file)
    assert str(file) in message
    assert key in message
    assert expected in message


def test_int_is_accepted_for_a_float_key_and_becomes_float(tmp_path):
    file = write_toml(tmp_path / "c.toml", "[listen]\npause_seconds = 3\n[voice]\nvolume = 1\n")
    config = load_config(file)
    assert config.listen.pause_seconds == 3.0
    assert isinstance(config.listen.pause_seconds, float)
    assert isinstance(config.voice.volume, float)


def test_config_path_that_does_not_exist_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "nowhere.toml"
    message = config_error(missing)
    assert str(missing) in message
    assert "does not exist" in message


def test_assistant_config_env_var_is_used(tmp_path, monkeypatch):
    file = write_toml(tmp_path / "env.toml", 'language = "en"\n')
    monkeypatch.setenv("ASSISTANT_CONFIG", str(file))
    assert load_config().language == "en"


def test_assistant_config_env_var_pointing_nowhere_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(UserError, match="gone.toml does not exist"):
        load_config()


def test_explicit_config_file_beats_assistant_config_env(tmp_path, monkeypatch):
    env_file = write_toml(tmp_path / "env.toml", 'language = "en"\n')
    flag_file = write_toml(tmp_path / "flag.toml", "[session]\nmax_moments = 5\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(env_file))
    config = load_config(flag_file)
    assert config.session.max_moments == 5
    assert config.language == "nl"  # env file not read at all


def test_assistant_data_dir_env_var_beats_config_file(tmp_path, monkeypatch):
    file = write_toml(tmp_path / "c.toml", f'data_dir = "{tmp_path / "from-file"}"\n')
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "from-env"))
    assert load_config(file).data_dir == tmp_path / "from-env"


def test_explicit_data_dir_beats_assistant_data_dir_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "from-env"))
    assert load_config(data_dir=tmp_path / "from-flag").data_dir == tmp_path / "from-flag"


def test_data_dir_from_config_file_is_used_without_env_or_flag(tmp_path):
    file = write_toml(tmp_path / "c.toml", f'data_dir = "{tmp_path / "from-file"}"\n')
    assert load_config(file).data_dir == tmp_path / "from-file"


def test_explicit_language_beats_config_file(tmp_path):
    file = write_toml(tmp_path / "c.toml", 'language = "en"\n')
    assert load_config(file, language="nl").language == "nl"


def test_xdg_config_home_user_file_is_picked_up(isolated_env):
    write_toml(isolated_env / "config" / "assistant" / "config.toml", "[voice]\nrate = 200\n")
    assert load_config().voice.rate == 200


def test_invalid_toml_syntax_is_one_line_naming_the_file(tmp_path):
    file = write_toml(tmp_path / "c.toml", "[listen\npause_seconds = = 2\n")
    message = config_error(file)
    assert str(file) in message
    assert "not valid TOML" in message


def test_lang_dirs_and_model_paths_are_relative_to_the_config_folder(tmp_path):
    folder = tmp_path / "etc"
    file = write_toml(folder / "c.toml", """
        lang_dirs = ["packs", "/abs/packs"]
        [model]
        paths = { nl = "models/vosk-nl" }
    """)
    config = load_config(file)
    assert config.lang_dirs == (folder / "packs", Path("/abs/packs"))
    assert config.model.paths["nl"] == str(folder / "models" / "vosk-nl")


def test_config_is_frozen():
    config = load_config()
    with pytest.raises(FrozenInstanceError):
        config.language = "en"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.model.paths["nl"] = "x"  # type: ignore[index]


def test_keep_audio_days_defaults_to_30_and_is_checked(tmp_path):
    assert load_config().session.keep_audio_days == 30
    seven = write_toml(tmp_path / "c.toml", "[session]\nkeep_audio_days = 7\n")
    assert load_config(seven).session.keep_audio_days == 7
    for bad in ("0", "3651", "2.5"):
        file = write_toml(tmp_path / "bad.toml", f"[session]\nkeep_audio_days = {bad}\n")
        assert "session.keep_audio_days: expected a whole number" in config_error(file)
