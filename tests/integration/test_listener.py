"""The listener with the real Vosk model: commands and short answers in grammar mode, long
answers joined across Vosk results, silence, the cap, and kept audio."""

from __future__ import annotations

import pytest

from assistant.config import load_config
from assistant.packs import load_pack
from assistant.speech.audio import WavMicrophone
from assistant.speech.listen import VoskListener
from assistant.speech.models import load_model
from assistant.wav import write_wav
from tests.integration.support import LANG_DIR, silence

pytestmark = pytest.mark.integration

KO = load_pack("ko", (LANG_DIR,))
COMMANDS = {phrase: command for command, phrases in KO.commands.items() for phrase in phrases}
SHORT_ANSWERS = [*KO.yes, *KO.no, *KO.authentic, *KO.adapted, *(v.name for v in KO.values)]
SENTENCES = ["오늘 회사에서 동료가 도움을 요청했어요.", "저는 하던 일을 멈추고 같이 문제를 해결했습니다.",
             "그래서 조금 늦게 집에 왔지만 기분이 좋았어요."]


@pytest.fixture(scope="module")
def model(ko_model):
    return load_model(ko_model)


def listener_for(model, tmp_path, clips: list[bytes], **listen) -> VoskListener:
    files = []
    for number, pcm in enumerate(clips):
        files.append(tmp_path / f"turn{number}.wav")
        write_wav(files[-1], pcm)
    config = load_config(data_dir=tmp_path, language="ko").listen
    config = type(config)(**{**config.__dict__, **listen})
    return VoskListener(model, WavMicrophone(files), KO, config, keep_audio=True)


# Where a word starts relative to the 0.1 s chunks changes how grammar mode hears its onset.
OFFSETS = (0.3, 0.3267, 0.4533, 0.58)


def test_every_command_is_recognised_whatever_its_alignment(model, speech, tmp_path):
    clips = [silence(offset) + speech(phrase) for phrase in COMMANDS for offset in OFFSETS]
    listener = listener_for(model, tmp_path, clips)
    heard = [listener.listen().command for _ in clips]
    assert heard == [COMMANDS[phrase] for phrase in COMMANDS for _ in OFFSETS]


def test_short_answers_come_back_as_their_exact_word(model, speech, tmp_path):
    clips = [silence(offset) + speech(word) for word in SHORT_ANSWERS for offset in OFFSETS]
    listener = listener_for(model, tmp_path, clips)
    heard = [(listener.listen().text) for _ in clips]
    assert heard == [word for word in SHORT_ANSWERS for _ in OFFSETS]


def test_answer_with_pauses_shorter_than_the_pause_setting_is_one_answer(model, speech, tmp_path):
    parts = [speech(s) for s in SENTENCES]
    answer = silence(0.5) + (silence(1.6)).join(parts)
    listener = listener_for(model, tmp_path, [answer] + [silence(0.5) + p for p in parts])
    whole = listener.listen()
    alone = [listener.listen() for _ in parts]
    assert whole.command is None and not whole.capped
    assert whole.audio_seconds >= len(answer) / 32000  # listened past every inner pause
    assert len(whole.words) >= sum(len(a.words) for a in alone) * 0.8
    assert len(whole.text.split()) > max(len(a.text.split()) for a in alone)


def test_pause_longer_than_the_setting_ends_the_answer(model, speech, tmp_path):
    first, second = speech(SENTENCES[0]), speech(SENTENCES[1])
    listener = listener_for(model, tmp_path, [silence(0.5) + first + silence(2.5) + second],
                            pause_seconds=1.0)
    heard = listener.listen()
    assert heard.text and heard.audio_seconds < (len(first) + len(second)) / 32000


def test_silence_is_heard_as_silence_after_the_timeout(model, tmp_path):
    listener = listener_for(model, tmp_path, [silence(1.0)], silence_seconds=2.0)
    heard = listener.listen()
    assert heard.silent and heard.audio is None
    assert heard.audio_seconds == pytest.approx(2.0, abs=0.15)


def test_cap_ends_a_long_answer_keeping_what_was_said(model, speech, tmp_path):
    talk = silence(0.3) + b"".join(speech(s) + silence(0.4) for s in SENTENCES * 3)
    listener = listener_for(model, tmp_path, [talk], answer_cap_seconds=6.0)
    heard = listener.listen()
    assert heard.capped and heard.text and heard.command is None
    assert heard.audio_seconds == pytest.approx(6.3, abs=0.3)
    assert len(heard.audio) == pytest.approx(heard.audio_seconds * 32000, abs=3200)


def test_a_sentence_starting_with_a_command_word_is_an_answer(model, speech, tmp_path):
    listener = listener_for(model, tmp_path, [silence(0.4) + speech("다시 " + SENTENCES[1])])
    heard = listener.listen()
    assert heard.command is None and heard.text
