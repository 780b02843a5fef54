"""Engine choice, rate mapping, sentence pieces and the on-disk cache of rendered fixed phrases.

The renderer here is a stand-in for the logic around rendering; the real engines are tested in
tests/integration (test_piper_voice.py, test_voice.py).
"""

from __future__ import annotations

import logging
import stat
import threading

import pytest
from unit_helpers import one_line, write_toml

from assistant.config import load_config
from assistant.conversation.prompts import fixed_texts, session_prompts
from assistant.errors import UserError
from assistant.speech.engine import renderer_for
from assistant.speech.piper_tts import length_scale
from assistant.speech.tts_cache import RenderCache
from assistant.speech.voice import AheadRenderer, Pyttsx3Renderer, SpokenVoice, sentences


class CountingRenderer(AheadRenderer):
    """Renders text as one byte per character; can hold a text back to show what plays first."""

    engine, splits, rate = "test", True, 22050

    def __init__(self, hold: str = ""):
        super().__init__()
        self.rendered: list[str] = []
        self.hold, self.release = hold, threading.Event()

    def _render(self, text: str) -> bytes:
        if text == self.hold:
            self.release.wait(5)
        self.rendered.append(text)
        return text.encode()


class Speaker:
    def __init__(self, on_play=None):
        self.played: list[tuple[bytes, int]] = []
        self._on_play = on_play

    def play(self, pcm: bytes, rate: int = 16000) -> None:
        self.played.append((pcm, rate))
        if self._on_play:
            self._on_play()


def test_sentences_split_after_end_marks_only():
    assert sentences("Fijn. Echt waar? Ja! 3.5 keer… daarna") == ["Fijn.", "Echt waar?", "Ja!", "3.5 keer…", "daarna"]
    assert sentences("One sentence, with a comma.") == ["One sentence, with a comma."]


def test_rate_in_words_per_minute_maps_to_a_bounded_length_scale():
    assert length_scale(210) == 1.0
    assert length_scale(105) == 2.0 and length_scale(150) > 1 > length_scale(250)
    assert length_scale(60) == 2.5 and length_scale(1000) == 0.4  # bounded: Piper garbles beyond


def test_a_long_text_plays_its_first_sentence_while_the_next_renders():
    renderer = CountingRenderer(hold="Second one.")
    speaker = Speaker(on_play=renderer.release.set)  # the second is released by the first playing
    try:
        SpokenVoice(renderer, speaker).say("First one. Second one. Third one.")
    finally:
        renderer.close()
    assert speaker.played[0] == (b"First one.", 22050)
    assert b"".join(p for p, _ in speaker.played) == b"First one.Second one.Third one."


def test_rendered_pieces_are_played_together_without_a_gap():
    renderer = CountingRenderer()
    renderer.render("First one. Second one.")  # both ready
    speaker = Speaker()
    SpokenVoice(renderer, speaker).say("First one. Second one.")
    renderer.close()
    assert speaker.played == [(b"First one.Second one.", 22050)]


def test_fixed_phrases_are_kept_on_disk_privately_and_survive_a_restart(tmp_path):
    folder = tmp_path / "voice-cache"
    first = CountingRenderer()
    first.attach(RenderCache(folder, "voice-a|150", {"Goedenavond. Fijn dat je er bent."}))
    first.render("Goedenavond. Fijn dat je er bent.")
    first.render("Jouw eigen woorden. Blijven hier.")  # not a fixed phrase: never on disk
    first.close()
    files = list(folder.rglob("*.pcm"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert all(stat.S_IMODE(d.stat().st_mode) == 0o700 for d in (folder, files[0].parent))
    assert first.rendered == ["Goedenavond. Fijn dat je er bent.", "Jouw eigen woorden.", "Blijven hier."]

    again = CountingRenderer()
    again.attach(RenderCache(folder, "voice-a|150", {"Goedenavond. Fijn dat je er bent."}))
    assert again.render("Goedenavond. Fijn dat je er bent.") == b"Goedenavond. Fijn dat je er bent."
    again.close()
    assert again.rendered == []


def test_changed_settings_prune_the_old_renderings_and_a_damaged_file_is_rendered_again(tmp_path):
    folder = tmp_path / "voice-cache"
    old = CountingRenderer()
    old.attach(RenderCache(folder, "voice-a|150", {"Hallo.", "Weg."}))
    old.prepare(["Hallo.", "Weg."])
    old.render("Weg.")  # rendered in order: both are done
    old.close()
    damaged = next(f for f in folder.rglob("*.pcm"))
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    same = CountingRenderer()
    same.attach(RenderCache(folder, "voice-a|150", {"Hallo.", "Weg."}))
    same.prepare(["Hallo.", "Weg."])
    same.render("Weg.")
    same.close()
    assert len(same.rendered) == 1  # only the damaged one
    newer = CountingRenderer()
    newer.attach(RenderCache(folder, "voice-a|120", {"Hallo."}))  # another rate
    newer.render("Hallo.")
    newer.close()
    assert len(list(folder.iterdir())) == 1 and len(list(folder.rglob("*.pcm"))) == 1


def test_a_read_only_cache_costs_speed_not_speech(tmp_path, caplog):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    renderer = CountingRenderer()
    renderer.attach(RenderCache(blocked / "cache", "k", {"Hallo.", "Dag."}))
    with caplog.at_level(logging.WARNING):
        assert renderer.render("Hallo.") == b"Hallo." and renderer.render("Dag.") == b"Dag."
    renderer.close()
    assert len([r for r in caplog.records if "not keeping rendered prompts" in r.message]) == 1


def test_fixed_texts_hold_every_session_prompt_but_no_placeholder(en):
    fixed = fixed_texts(en)
    assert set(session_prompts(en, en.script("compass"))) <= fixed
    assert not any("{" in text for text in fixed)
    assert en.wake.texts["reply"] in fixed and en.summary["goodbye"] in fixed


def test_auto_without_an_installed_voice_speaks_espeak_and_says_why_at_info(tmp_path, en, caplog):
    config = load_config(data_dir=tmp_path, language="en")
    with caplog.at_level(logging.INFO, logger="assistant.speech.engine"):
        renderer = renderer_for(config, en)
    renderer.close()
    assert isinstance(renderer, Pyttsx3Renderer)
    [record] = caplog.records
    assert record.levelno == logging.INFO and "is not installed" in record.message
    assert "assistant voice download en" in record.message and one_line(record.message)


def test_engine_piper_with_no_voice_warns_once_and_still_speaks(tmp_path, en, caplog):
    file = write_toml(tmp_path / "c.toml", '[voice]\nengine = "piper"\n')
    config = load_config(file, data_dir=tmp_path, language="en")
    with caplog.at_level(logging.INFO, logger="assistant.speech.engine"):
        renderer = renderer_for(config, en)
    renderer.close()
    assert isinstance(renderer, Pyttsx3Renderer)
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "speaking with espeak-ng, not Piper" in record.message


def test_engine_espeak_never_looks_for_a_voice(tmp_path, en, caplog):
    file = write_toml(tmp_path / "c.toml", '[voice]\nengine = "espeak"\npiper_voice = "/nowhere/x.onnx"\n')
    with caplog.at_level(logging.INFO, logger="assistant.speech.engine"):
        renderer = renderer_for(load_config(file, data_dir=tmp_path, language="en"), en)
    renderer.close()
    assert isinstance(renderer, Pyttsx3Renderer)
    assert [r.message for r in caplog.records] == ["speaking with espeak-ng (voice.engine = espeak)"]


@pytest.mark.parametrize("line, expected", [
    ('engine = "neural"', 'one of "auto", "piper", "espeak"'),
    ('download_url = "https://example.org/voices"', "containing {file}"),
    ("piper_voice = 3", "a text in quotes"),
])
def test_voice_settings_are_checked(tmp_path, line, expected):
    file = write_toml(tmp_path / "c.toml", f"[voice]\n{line}\n")
    with pytest.raises(UserError) as caught:
        load_config(file)
    assert expected in str(caught.value) and one_line(str(caught.value))


def test_packs_name_their_piper_voice(en):
    from assistant.packs import load_pack

    assert en.piper_voice == "en_US-joe-medium"
    assert load_pack("nl").piper_voice == "nl_NL-pim-medium"
