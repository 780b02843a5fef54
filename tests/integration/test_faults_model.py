"""Faults in the speech model and the replayed audio, on the real stack: `assistant doctor`
loads the model (files that look right prove nothing), and `reflect --input-wav` names a WAV
format it cannot use. One line each, the exit code, and nothing stored."""

from __future__ import annotations

import json
import struct

import pytest

from tests.integration.support import run_assistant, write_config

pytestmark = pytest.mark.integration


def args(config, data) -> list[str]:
    return ["--lang", "ko", "--config", str(config), "--data-dir", str(data)]


def model_line(stdout: str) -> str:
    (line,) = [line for line in stdout.splitlines() if "speech model:" in line]
    return line


def garbage_model(folder):
    """A folder that has the files a Vosk model has, holding nothing of one."""
    (folder / "am").mkdir(parents=True)
    (folder / "conf").mkdir()
    (folder / "am" / "final.mdl").write_bytes(bytes(range(256)) * 40)
    (folder / "conf" / "model.conf").write_text("not a kaldi config\n")
    return folder


def damaged_graph(ko_model, folder):
    """The real Korean model with its decoding graph cut short (a failing SD card)."""
    folder.mkdir()
    for part in ko_model.iterdir():
        if part.name != "graph":
            (folder / part.name).symlink_to(part)
    (folder / "graph").mkdir()
    for part in (ko_model / "graph").iterdir():
        (folder / "graph" / part.name).symlink_to(part)
    (folder / "graph" / "HCLr.fst").unlink()
    (folder / "graph" / "HCLr.fst").write_bytes((ko_model / "graph" / "HCLr.fst").read_bytes()[:4096])
    return folder


@pytest.mark.parametrize("make", [garbage_model, damaged_graph])
def test_doctor_fails_a_model_folder_that_does_not_load(tmp_path, ko_model, alsa_rig, make):
    broken = make(tmp_path / "model") if make is garbage_model else make(ko_model, tmp_path / "model")
    config = write_config(tmp_path, broken)

    done = run_assistant(["doctor", *args(config, tmp_path / "data")], env=alsa_rig.env())

    assert done.returncode == 1
    line = model_line(done.stdout)
    assert line.startswith(f"FAIL  speech model: the Vosk model in {broken} does not load (ERROR")
    assert line.endswith("); remove it and run `assistant model download ko`")
    assert done.stderr == ""  # Kaldi's complaints stay in the child process
    assert not (tmp_path / "data").exists()  # the doctor only looks


def test_doctor_says_ok_for_the_real_model_because_it_loads(tmp_path, ko_model, alsa_rig):
    config = write_config(tmp_path, ko_model)
    done = run_assistant(["doctor", *args(config, tmp_path / "data")], env=alsa_rig.env())
    assert model_line(done.stdout) == f"ok    speech model: {ko_model} (loads)"
    assert "ok    scripts: compass (default)" in done.stdout


def test_reflect_refuses_a_model_whose_graph_is_damaged_in_one_line(tmp_path, ko_model, alsa_rig):
    config = write_config(tmp_path, damaged_graph(ko_model, tmp_path / "model"))
    wav = tmp_path / "a.wav"
    wav.write_bytes(_wav(1, 16))
    done = run_assistant(["reflect", "--input-wav", str(wav), "--quiet", *args(config, tmp_path / "data")],
                         env=alsa_rig.env())
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()  # Kaldi's own complaints are held back, the first one quoted
    assert line.startswith(f"assistant: the Vosk model in {tmp_path / 'model'} could not be loaded (ERROR")
    assert line.endswith("); remove it and download it again with `assistant model download`")
    exported = run_assistant(["export", *args(config, tmp_path / "data")], env=alsa_rig.env())
    assert json.loads(exported.stdout or "[]") == []  # nothing stored


@pytest.mark.parametrize("tag, bits, words", [(3, 32, "32-bit float"), (7, 8, "µ-law"), (6, 8, "A-law")])
def test_reflect_input_wav_names_the_format_and_stores_nothing(tmp_path, ko_model, alsa_rig, tag, bits, words):
    config = write_config(tmp_path, ko_model)
    wav = tmp_path / "answer.wav"
    wav.write_bytes(_wav(tag, bits))
    done = run_assistant(["reflect", "--input-wav", str(wav), "--quiet", *args(config, tmp_path / "data")],
                         env=alsa_rig.env())
    assert done.returncode == 1
    assert done.stderr == (f"assistant: {wav}: {words} audio; convert it to 16-bit PCM WAV "
                           f"(sox {wav} -b 16 -e signed-integer OUT.wav)\n")
    exported = run_assistant(["export", *args(config, tmp_path / "data")], env=alsa_rig.env())
    assert json.loads(exported.stdout or "[]") == []


def _wav(tag: int, bits: int) -> bytes:
    block = bits // 8
    fmt = struct.pack("<HHIIHH", tag, 1, 16000, 16000 * block, block, bits) + (b"" if tag == 1 else b"\0\0")
    data = bytes(block * 16000)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body
