"""Speech synthesis with the real espeak-ng through pyttsx3's binding."""

from __future__ import annotations

import os

import pytest

from assistant.errors import UserError
from assistant.speech.voice import Pyttsx3Renderer
from tests.integration.support import loudness, render_prompts

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("voice, text", [("gmw/nl", "Welke waarde was voor jou leidend?"),
                                         ("gmw/en-US", "Which value guided you?"),
                                         ("ko", "그 순간 어떤 가치를 따르고 싶었나요?")])
def test_renders_audible_speech_of_plausible_length_at_espeaks_own_rate(voice, text):
    renderer = Pyttsx3Renderer(voice, 150, 1.0)
    try:
        pcm, rate = renderer.render(text), renderer.rate
    finally:
        renderer.close()
    assert rate == 22050  # espeak-ng's own rate: never squeezed through the microphone's 16 kHz
    assert 1.0 < len(pcm) / (2 * rate) < 6.0
    assert loudness(pcm) > 300


def test_the_same_prompts_render_to_the_same_audio_in_every_process():
    """Reproducible speech: what a session plays can be checked against a fresh rendering."""
    texts = ["Goedenavond.", "Welke waarde was voor jou leidend?", "Dank je. Slaap lekker."]
    first = render_prompts(texts, "gmw/nl", dict(os.environ))
    assert render_prompts(texts, "gmw/nl", dict(os.environ)) == first
    assert all(loudness(pcm) > 300 for pcm in first)


def test_slower_rate_gives_longer_speech():
    fast, slow = Pyttsx3Renderer("gmw/en-US", 220, 1.0), Pyttsx3Renderer("gmw/en-US", 100, 1.0)
    try:
        assert len(slow.render("Take your time.")) > 1.5 * len(fast.render("Take your time!"))
    finally:
        fast.close()
        slow.close()


def test_unknown_voice_is_one_line_naming_the_setting():
    renderer = Pyttsx3Renderer("xx/none", 150, 1.0)
    try:
        with pytest.raises(UserError) as error:
            renderer.render("hello")
    finally:
        renderer.close()
    assert "xx/none" in str(error.value) and "voice.espeak_voice" in str(error.value)
