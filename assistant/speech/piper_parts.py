"""A Piper voice in two parts, so speech of any length is decoded in windows of one size.

A Piper voice (VITS) turns phonemes into a latent spectrogram (text encoder, durations, flow:
~192 numbers per frame of 256 samples) and that into audio (the HiFi-GAN decoder, whose tensors
are per sample: ~34 MB per second of speech). Run whole, one call's memory grows with its
sentence, and onnxruntime's arena keeps the most it has held: +261-290 MB (bench_voice (d)).
So the voice is split once, where the decoder starts, and the decoder runs over WINDOW frames at a
time with CONTEXT frames of the neighbours on each side. Its receptive field is shorter than
CONTEXT, so the audio is the same as one whole decode; `split` checks that on the voice itself
before the parts are used, and anything it cannot check (a voice of another shape) is spoken
whole instead. Mush42's streaming Piper and sherpa-onnx decode VITS in windows the same way.

The split needs the `onnx` library and ~300 MB of memory for a medium voice, once: it runs in a
child process (`python -m assistant.speech.piper_parts MODEL FOLDER`), so the long-running
service never holds that peak. The parts (~the voice's size, 0600) live in
<data_dir>/voices/parts/<voice>-<key>/, the key made of the voice file's path, size and time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import paths

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

# Frames of audio each decoder call yields (86 frames a second at 22,050 Hz): a call then holds
# ~0.75 s of samples whatever the sentence (bench_voice (d), beside Vosk: +143-154 MB at 45, median
# 146; +150 at 60; Piper alone: +130 at 45, +155 at 90).
WINDOW = 45
# Frames of context decoded on each side and dropped: the decoder's receptive field is under 10
# frames (en_US-joe-medium: 5 frames differ by 0.01, 10 by nothing), so a window's middle is exact.
CONTEXT = 10
# Where the decoder begins, as Piper's VITS export names it: the convolution with this weight.
DECODER_WEIGHT = "dec.conv_pre.weight"
# Chunked and whole decodes of the same latent may differ by rounding only.
EXACT = 1e-4
# Writing and checking the parts takes ~2 s here (a Pi 4 perhaps 10 s). More than this is a stuck
# child; it also keeps the service's start (which splits before the Vosk model loads, so the two
# peaks never meet) inside systemd's default 90 s start timeout.
SPLIT_SECONDS = 60
FILES = ("encoder.onnx", "decoder.onnx", "parts.json")


def parts_folder(model: Path, data_dir: Path) -> Path:
    """Where this voice file's parts are kept: a new file (or a changed one) gets a new folder."""
    stamp = model.stat()
    key = hashlib.sha256(f"{model.resolve()}|{stamp.st_size}|{stamp.st_mtime_ns}".encode()).hexdigest()[:12]
    return data_dir / "voices" / "parts" / f"{model.name.removesuffix('.onnx')}-{key}"


def ensure_parts(model: Path, data_dir: Path) -> Path | None:
    """The folder of this voice's checked parts, split now (in a child) if they are not there
    yet; None when it cannot be split, said in one line: the voice is then spoken whole."""
    folder = parts_folder(model, data_dir)
    if _complete(folder):
        return folder
    try:
        paths.made_dir(folder.parent)
    except OSError as error:
        log.warning("cannot keep the Piper voice's parts in %s (%s); speaking it whole, which takes "
                    "more memory", folder.parent, error.strerror)
        return None
    _prune(folder)
    log.info("splitting the Piper voice %s once, so long texts take no more memory than short ones",
             model.name)
    failed = _split_in_child(model, folder)
    if failed:
        log.warning("could not split the Piper voice %s (%s); speaking it whole, which takes more memory",
                    model.name, failed)
        return None
    return folder


def _split_in_child(model: Path, folder: Path) -> str:
    """Run `split` in its own process; why it failed, or "" when the parts are in place."""
    try:
        done = subprocess.run([sys.executable, "-m", "assistant.speech.piper_parts", str(model), str(folder)],
                              capture_output=True, text=True, timeout=SPLIT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return f"it took over {SPLIT_SECONDS} s"
    except OSError as error:
        return str(error)
    if done.returncode != 0 or not _complete(folder):
        return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:160]
    return ""


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in FILES)


def _prune(folder: Path) -> None:
    """Parts of older copies of this voice (a new download, a moved file) go: each is its size."""
    stem = folder.name.rsplit("-", 1)[0]
    for old in folder.parent.glob(f"{stem}-*"):
        if old != folder and old.name.rsplit("-", 1)[0] == stem:
            shutil.rmtree(old, ignore_errors=True)


class ChunkedSession:
    """Duck-types onnxruntime.InferenceSession.run for PiperVoice: the encoder once per text,
    then the decoder window by window, the windows' middles joined into the whole audio."""

    def __init__(self, encoder: Any, decoder: Any, layout: dict[str, Any], hop: int):
        self._encoder, self._decoder, self.hop = encoder, decoder, hop
        self._latent = str(layout["latent"])
        self._passed = [str(name) for name in layout["passed"]]  # the decoder's other inputs (a speaker)

    @classmethod
    def load(cls, folder: Path, options: Any) -> ChunkedSession:
        layout = json.loads((folder / "parts.json").read_text(encoding="utf-8"))
        return cls(*_sessions(folder, options), layout, int(layout["hop"]))

    def input_names(self) -> list[str]:
        return [given.name for given in self._encoder.get_inputs()]

    def encode(self, feeds: dict[str, Any]) -> tuple[Any, dict[str, Any], list[Any]]:
        """The latent, the decoder's other inputs by name, and the voice's other outputs."""
        outputs = self._encoder.run(None, feeds)
        count = 1 + len(self._passed)
        return outputs[0], dict(zip(self._passed, outputs[1:count], strict=True)), outputs[count:]

    def decode(self, latent: Any, passed: dict[str, Any]) -> Any:
        """One decoder call over all of `latent`."""
        return self._decoder.run(None, {self._latent: latent, **passed})[0]

    def run(self, output_names: object, feeds: dict[str, Any]) -> list[Any]:
        latent, passed, extra = self.encode(feeds)
        return [decode_in_windows(lambda part: self.decode(part, passed), latent, self.hop), *extra]


def _sessions(folder: Path, options: Any = None) -> tuple[Any, Any]:
    """The encoder and decoder parts in `folder`, loaded by onnxruntime."""
    import onnxruntime

    encoder, decoder = (onnxruntime.InferenceSession(str(folder / name), options, providers=["CPUExecutionProvider"])
                        for name in ("encoder.onnx", "decoder.onnx"))
    return encoder, decoder


def windows(frames: int, window: int = WINDOW, context: int = CONTEXT) -> list[tuple[int, int, int, int]]:
    """(decode from, decode to, keep from, keep to) in frames, covering 0..frames once. Every
    decode is window + 2 * context frames long (the last and first take more of their one
    neighbour), so onnxruntime sees one input size and its arena holds one set of blocks."""
    width = window + 2 * context
    if frames <= width:
        return [(0, frames, 0, frames)]
    spans = []
    for keep in range(0, frames, window):
        start = max(0, min(keep - context, frames - width))
        spans.append((start, start + width, keep, min(keep + window, frames)))
    return spans


def decode_in_windows(decode: Any, latent: NDArray[Any], hop: int) -> NDArray[Any]:
    """The decoder's audio for `latent` ([1, channels, frames]) from window-sized calls."""
    import numpy as np

    pieces = []
    for start, end, keep, stop in windows(int(latent.shape[-1])):
        audio = decode(latent[..., start:end])
        pieces.append(audio[..., (keep - start) * hop:(stop - start) * hop])
    return np.concatenate(pieces, axis=-1)


def split(model: Path, folder: Path) -> None:
    """Write the checked parts of `model` into `folder` (whole or not at all); ValueError if the
    voice is not of the shape this knows, or its windows would not sound like a whole decode."""
    from assistant.speech.piper_graph import cut_at_decoder

    made = Path(tempfile.mkdtemp(prefix=".split-", dir=folder.parent))
    try:
        layout = cut_at_decoder(model, made / "encoder.onnx", made / "decoder.onnx", DECODER_WEIGHT)
        layout["hop"] = _checked_hop(made, layout)
        for name in ("encoder.onnx", "decoder.onnx"):
            os.chmod(made / name, 0o600)
        paths.write_private(made / "parts.json", json.dumps(layout).encode("utf-8"))
        os.chmod(made, 0o700)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(made, folder)
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _checked_hop(made: Path, layout: dict[str, Any]) -> int:
    """Samples per frame, after checking on a real latent (the encoder's, of a made-up phoneme
    run) that decoding it in windows gives the audio of decoding it whole."""
    import numpy as np

    parts = ChunkedSession(*_sessions(made), layout, hop=0)
    feeds: dict[str, Any] = {"input": np.array([[1, *range(8, 48), 2]], dtype=np.int64),
                             "input_lengths": np.array([42], dtype=np.int64),
                             "scales": np.array([0.667, 1.0, 0.8], dtype=np.float32)}
    if "sid" in parts.input_names():
        feeds["sid"] = np.array([0], dtype=np.int64)
    latent, passed, _ = parts.encode(feeds)
    latent = np.concatenate([latent] * (1 + 3 * (WINDOW + 2 * CONTEXT) // latent.shape[-1]), axis=-1)
    whole = parts.decode(latent, passed)
    hop, rest = divmod(int(whole.shape[-1]), int(latent.shape[-1]))
    if hop <= 0 or rest:
        raise ValueError(f"the decoder gives {whole.shape[-1]} samples for {latent.shape[-1]} frames")
    chunked = decode_in_windows(lambda part: parts.decode(part, passed), latent, hop)
    difference = float(np.abs(chunked - whole).max())
    if difference > EXACT:
        raise ValueError(f"decoded in windows it differs from whole by {difference:.4f}")
    return hop


def main(argv: list[str]) -> int:
    """The child `ensure_parts` runs: one line on stderr and exit 1 when the voice cannot be split."""
    try:
        split(Path(argv[0]), Path(argv[1]))
    except (ImportError, OSError, ValueError, KeyError, StopIteration) as error:
        print(f"{type(error).__name__}: {error}"[:300], file=sys.stderr)
        return 1
    except Exception as error:  # onnx's and onnxruntime's own errors: a damaged or strange voice
        print(f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
