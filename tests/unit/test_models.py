"""Finding and fetching the Vosk model, without ever loading one or touching the network."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from unit_helpers import one_line, write_toml

from assistant.config import load_config
from assistant.errors import UserError
from assistant.speech.models import REQUIRED, candidates, download_model, find_model

NAME = "vosk-model-small-en-us-0.15"  # the English pack's model


def make_model(folder: Path, complete: bool = True) -> Path:
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"mdl")
    if complete:
        (folder / "conf").mkdir()
        (folder / "conf" / "model.conf").write_text("--x=1\n")
    return folder


def config_for(tmp_path: Path, model_toml: str = ""):
    file = write_toml(tmp_path / "etc" / "config.toml", "[model]\n" + model_toml)
    return load_config(file, data_dir=tmp_path / "data", language="en")


def zip_url(tmp_path: Path, model_toml_extra: str = "") -> str:
    return f'download_url = "file://{tmp_path}/{{name}}.zip"\n' + model_toml_extra


def build_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


def error_of(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    message = str(caught.value)
    assert one_line(message), message
    return message


def test_candidates_are_config_path_then_data_dir_then_source(tmp_path, en, source_models):
    config = config_for(tmp_path, f'paths = {{ en = "{tmp_path}/mine" }}\n')
    assert candidates(config, en) == [tmp_path / "mine", tmp_path / "data" / "models" / NAME,
                                      source_models / NAME]


def test_config_path_is_tried_first(tmp_path, en, source_models):
    mine = make_model(tmp_path / "mine")
    make_model(tmp_path / "data" / "models" / NAME)
    make_model(source_models / NAME)
    config = config_for(tmp_path, f'paths = {{ en = "{mine}" }}\n')
    assert find_model(config, en) == mine


def test_data_dir_model_is_used_before_the_source_one(tmp_path, en, source_models):
    make_model(tmp_path / "data" / "models" / NAME)
    make_model(source_models / NAME)
    assert find_model(config_for(tmp_path), en) == tmp_path / "data" / "models" / NAME


def test_source_models_folder_is_the_last_resort(tmp_path, en, source_models):
    make_model(source_models / NAME)
    assert find_model(config_for(tmp_path), en) == source_models / NAME


def test_config_path_of_another_language_is_not_used(tmp_path, en, source_models):
    make_model(tmp_path / "dutch")
    make_model(source_models / NAME)
    config = config_for(tmp_path, f'paths = {{ nl = "{tmp_path}/dutch" }}\n')
    assert find_model(config, en) == source_models / NAME


def test_incomplete_model_names_the_place_and_the_download_command(tmp_path, en, source_models):
    broken = make_model(tmp_path / "data" / "models" / NAME, complete=False)
    make_model(source_models / NAME)  # a good one later must not hide the broken one
    message = error_of(lambda: find_model(config_for(tmp_path), en))
    assert str(broken) in message
    assert "conf/model.conf" in message
    assert "`assistant model download en`" in message


def test_no_model_names_every_place_looked_and_the_command(tmp_path, en, source_models):
    config = config_for(tmp_path, f'paths = {{ en = "{tmp_path}/mine" }}\n')
    message = error_of(lambda: find_model(config, en))
    for place in (tmp_path / "mine", tmp_path / "data" / "models" / NAME, source_models / NAME):
        assert str(place) in message
    assert "`assistant model download en`" in message
    assert "model.paths.en" in message


def test_download_from_a_file_url_extracts_into_the_data_dir(tmp_path, en, capsys):
    build_zip(tmp_path / f"{NAME}.zip", {f"{NAME}/am/final.mdl": b"mdl",
                                         f"{NAME}/conf/model.conf": b"--x=1\n",
                                         f"{NAME}/README": b"hello"})
    config = config_for(tmp_path, zip_url(tmp_path))
    target = download_model(config, en)
    models = tmp_path / "data" / "models"
    assert target == models / NAME
    assert all((target / r).is_file() for r in REQUIRED)
    assert (target / "README").read_bytes() == b"hello"
    assert [p.name for p in models.iterdir()] == [NAME]  # the temp download folder is gone
    assert f"model ready: {target}" in capsys.readouterr().out
    assert find_model(config, en) == target


def test_non_zip_download_is_a_clear_error_leaving_nothing_behind(tmp_path, en):
    (tmp_path / f"{NAME}.zip").write_text("<html>Not found</html>")
    config = config_for(tmp_path, zip_url(tmp_path))
    message = error_of(lambda: download_model(config, en))
    assert "is not a zip archive" in message
    assert f"file://{tmp_path}/{NAME}.zip" in message
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_zip_without_the_named_model_is_refused_leaving_nothing_behind(tmp_path, en):
    build_zip(tmp_path / f"{NAME}.zip", {"other-model/am/final.mdl": b"mdl"})
    config = config_for(tmp_path, zip_url(tmp_path))
    message = error_of(lambda: download_model(config, en))
    assert f"does not hold a Vosk model named {NAME}" in message
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_unreachable_url_is_a_clear_error_leaving_nothing_behind(tmp_path, en):
    config = config_for(tmp_path, f'download_url = "file://{tmp_path}/missing/{{name}}.zip"\n')
    message = error_of(lambda: download_model(config, en))
    assert "cannot download" in message
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_model_already_present_is_not_downloaded_again(tmp_path, en, capsys):
    present = make_model(tmp_path / "data" / "models" / NAME)
    # the URL points nowhere: any download attempt would fail
    config = config_for(tmp_path, f'download_url = "file://{tmp_path}/missing/{{name}}.zip"\n')
    assert download_model(config, en) == present
    assert "already in" in capsys.readouterr().out


def test_models_folder_is_private(tmp_path, en):
    build_zip(tmp_path / f"{NAME}.zip", {f"{NAME}/am/final.mdl": b"m",
                                         f"{NAME}/conf/model.conf": b"c"})
    download_model(config_for(tmp_path, zip_url(tmp_path)), en)
    assert (tmp_path / "data" / "models").stat().st_mode & 0o777 == 0o700
