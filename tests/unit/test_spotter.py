"""Which grammar results count as one phrase: the rules that keep sentences from becoming commands."""

from __future__ import annotations

import json

from assistant.speech.listen import CommandSpotter


class GrammarResult:
    """Stands in for a grammar-mode recognizer that heard the given (word, confidence) pairs."""

    def __init__(self, words):
        self._words = words

    def AcceptWaveform(self, chunk):  # noqa: N802 (Vosk's name)
        return False

    def FinalResult(self):  # noqa: N802
        result, at = [], 0.0
        for word, conf, *seconds in self._words:
            result.append({"word": word, "conf": conf, "start": at, "end": at + (seconds or [0.3])[0]})
            at = result[-1]["end"]
        return json.dumps({"text": " ".join(w["word"] for w in result), "result": result})


PHRASES = {"stop", "later", "repeat", "calm", "say that again", "다시", "취소"}


def spotted(*words):
    spotter = CommandSpotter(lambda: GrammarResult(words), PHRASES, max_speech_seconds=2.5)
    spotter.feed(b"\x00" * 3200, True, 0.1)
    found = spotter.phrase()
    return found[0] if found else None


def test_an_exact_phrase_is_spotted():
    assert spotted(("say", 1.0), ("that", 1.0), ("again", 0.9)) == "say that again"


def test_a_short_unsure_scrap_beside_a_phrase_is_dropped():
    assert spotted(("stop", 1.0), ("[unk]", 0.7, 0.15)) == "stop"


def test_a_spoken_word_beside_a_command_makes_it_an_answer_however_unsure():
    """"I expected": the forget word, then 0.45 s of speech forced onto another phrase."""
    assert spotted(("취소", 1.0, 0.37), ("다시", 0.7, 0.45)) is None
    assert spotted(("stop", 1.0), ("[unk]", 0.7)) is None


def test_a_sentence_ending_in_a_command_word_is_not_a_command():
    assert spotted(("[unk]", 1.0), ("[unk]", 1.0), ("[unk]", 1.0), ("later", 1.0)) is None


def test_a_sentence_with_a_value_word_is_not_that_word_alone():
    assert spotted(("[unk]", 0.9), ("[unk]", 0.9), ("calm", 1.0)) is None


def test_an_unsure_onset_artefact_before_a_sure_word_is_dropped():
    assert spotted(("네", 0.78, 0.22), ("다시", 1.0)) == "다시"


def test_a_short_onset_click_is_dropped_even_when_nearly_as_sure():
    assert spotted(("네", 0.87, 0.14), ("다시", 1.0, 0.25)) == "다시"


def test_a_short_word_as_sure_as_the_phrase_is_not_an_artefact():
    assert spotted(("네", 1.0, 0.14), ("다시", 1.0, 0.25)) is None


def test_a_nearly_as_sure_spoken_word_keeps_two_words_apart():
    assert spotted(("네", 0.87, 0.3), ("다시", 1.0, 0.25)) is None


def test_two_equally_sure_words_are_not_one_phrase():
    assert spotted(("취소", 0.95), ("다시", 0.9)) is None


def test_three_known_words_are_never_reduced_to_one():
    assert spotted(("네", 0.5), ("다시", 1.0), ("취소", 0.5)) is None


def test_nothing_is_spotted_in_a_long_utterance():
    spotter = CommandSpotter(lambda: GrammarResult((("stop", 1.0),)), PHRASES, max_speech_seconds=0.5)
    for _ in range(10):
        spotter.feed(b"\x00" * 3200, True, 0.1)
    assert spotter.phrase() is None
