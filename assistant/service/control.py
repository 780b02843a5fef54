"""The local control socket: `assistant trigger X` asks the running service to do X.

One line each way over a Unix socket that only its owner may use (0600, in the private data
dir): the request is an action word, the reply "ok <what happens>" or "no <why not>". That reply
is a ControlReply on both ends; only `line()` and `read()` know its text.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import UserError
from assistant.names import SCHEDULED

STOP = "stop"  # end the conversation in progress
ACTIONS = (*SCHEDULED, STOP)
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ControlReply:
    """The service's answer to one request: whether it goes ahead, and what to tell the person."""

    ok: bool       # it starts, started, ran or stops; False: it does not (message says why)
    message: str   # "starting a reflect", "busy with a summary; try again when it is over"

    def line(self) -> str:
        """As it travels over the socket: "ok <message>" or "no <message>"."""
        return f"{'ok' if self.ok else 'no'} {self.message}"

    @classmethod
    def read(cls, line: str) -> ControlReply:
        """The reply a line says; anything but "ok ..." is a refusal with the line as its reason."""
        word, _, rest = line.strip().partition(" ")
        if word == "ok":
            return cls(True, rest.strip())
        return cls(False, rest.strip() if word == "no" else line.strip())


class ControlServer:
    """Accepts one-line requests on a thread; `handle(action) -> reply` answers each."""

    def __init__(self, path: Path, handle: Callable[[str], ControlReply]):
        self._path, self._handle = Path(path), handle
        self._socket = _bind(self._path)
        self._thread = threading.Thread(target=self._serve, name="control", daemon=True)
        self._closed = False

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return  # closed
            # each on its own thread: a trigger waiting to hear "started" never holds up a stop
            threading.Thread(target=self._answer, args=(connection,), name="control-request",
                             daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(TIMEOUT_SECONDS)
            try:
                action = connection.makefile("r", encoding="utf-8").readline().strip()
                known = action.split(" ")[0] in ACTIONS
                reply = self._handle(action) if known else ControlReply(False, f"unknown action '{action}'")
                connection.sendall((reply.line() + "\n").encode("utf-8"))
            except OSError:
                pass

    def close(self) -> None:
        self._closed = True
        self._socket.close()
        self._path.unlink(missing_ok=True)


def _bind(path: Path) -> socket.socket:
    """Bind the socket 0600 from the start; a stale one is replaced, a live one refused."""
    if path.exists():
        try:
            send(path, "")  # anyone there?
        except UserError:
            path.unlink(missing_ok=True)
        else:
            raise UserError(f"an assistant service is already running (socket {path}); "
                            "stop it first, or set service.socket to another path")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        server.bind(str(path))
    except OSError as error:
        server.close()
        raise UserError(f"cannot create the control socket {path} ({error.strerror}); "
                        "check service.socket and the data dir") from None
    finally:
        os.umask(old)
    server.listen(4)
    return server


def send(path: Path, action: str) -> ControlReply:
    """Send one action to the service and return its reply."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(TIMEOUT_SECONDS)
    try:
        client.connect(str(path))
        client.sendall((action + "\n").encode("utf-8"))
        return ControlReply.read(client.makefile("r", encoding="utf-8").readline())
    except (FileNotFoundError, ConnectionRefusedError):
        raise UserError(f"no assistant service is running (nothing at {path}); start it with "
                        "`assistant run` or `systemctl start assistant`") from None
    except OSError as error:
        raise UserError(f"cannot reach the assistant service at {path} ({error}); is it running?") from None
    finally:
        client.close()
