"""(i) WebRTC noise suppression and gain before Vosk: does it help recognition? (It does not.)

`webrtc-noise-gain` (the audio processing Rhasspy's satellites use) was measured as a stage
between the microphone and Vosk, at each noise-suppression level and with auto gain:
1. the wake phrase over TV talk 10 dB below, at 40 alignments (as bench_wake), each stretch
   decoded with the idle grammar;
2. each of the pack's one-word phrases said alone in a quiet room.
The talk is speech, which a stationary-noise suppressor cannot take out; what it does take is
part of the person's own consonants. It is not a dependency: install it to run this bench
(`pip install webrtc-noise-gain`).

Run: python bench/bench_webrtc.py [--quick]
"""

from __future__ import annotations

import argparse
import json

import common
import numpy as np
from bench_wake import background, level, pcm, voiced

SETTINGS = [(0, None), (0, 1), (0, 2), (0, 3), (0, 4), (31, 2)]  # (auto gain dBFS, suppression)


def processed(data: bytes, gain: int, suppression: int | None) -> bytes:
    if suppression is None:
        return data
    from webrtc_noise_gain import AudioProcessor

    processor, frame = AudioProcessor(gain, suppression), 320  # 10 ms of 16-bit mono
    return b"".join(processor.Process10ms(data[i:i + frame]).audio
                    for i in range(0, len(data) - frame + 1, frame))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 alignments, 2 settings")
    args = parser.parse_args()
    try:
        import webrtc_noise_gain  # noqa: F401
    except ImportError:
        print("webrtc-noise-gain is not installed (it is not a dependency): "
              "pip install webrtc-noise-gain, then run this again")
        return
    from vosk import KaldiRecognizer

    from assistant.conversation.understand import normalise
    from assistant.speech.listen import value_phrases

    model, pack = common.load_model(), common.load_pack()
    wake = normalise(pack.wake.phrases[0])
    phrases = {wake} | {normalise(p) for p in [*pack.listen_phrases(), *value_phrases(pack)]}
    grammar = json.dumps(sorted(phrases) + ["[unk]"], ensure_ascii=False)

    def heard(data: bytes) -> list[str]:
        recognizer = KaldiRecognizer(model, common.RATE, grammar)
        recognizer.AcceptWaveform(data)
        return json.loads(recognizer.FinalResult()).get("text", "").split()

    tries, settings = (5, SETTINGS[:2]) if args.quick else (40, SETTINGS)
    phrase = level(voiced(wake, "ko"), -20.0)
    scene = background(tries * 8.0 + 4.0, -30.0)
    starts = [int((8.0 * i + 6.0 + (i % 10) * 0.0267) * common.RATE) for i in range(tries)]
    for start in starts:
        scene[start:start + phrase.size] += phrase
    words = sorted(p for p in phrases - {wake} if " " not in p)
    quiet = np.random.default_rng(1).normal(0.0, common.NOISE_RMS, common.RATE // 2)
    alone = [pcm(np.concatenate([quiet, level(voiced(w, "ko"), -20.0) + quiet[0], quiet]))
             for w in words]
    print(f"{'auto gain':>10}{'suppression':>13}{'wake over TV':>16}{'words alone':>14}")
    for gain, suppression in settings:
        stream = processed(pcm(scene), gain, suppression)  # one stream, as a microphone's
        hits = sum(wake in heard(stream[2 * (s - 5600):2 * (s + phrase.size + 4800)]) for s in starts)
        right = sum(heard(processed(a, gain, suppression)) == [w] for w, a in zip(words, alone, strict=False))
        print(f"{gain or 'off':>10}{suppression if suppression is not None else 'off':>13}"
              f"{f'{hits}/{tries}':>16}{f'{right}/{len(words)}':>14}")


if __name__ == "__main__":
    main()
