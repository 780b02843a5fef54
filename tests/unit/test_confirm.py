"""A command needs the grammar and the free-form words to agree: words and timings, no audio."""

from __future__ import annotations

from assistant.conversation.dialogue import Word
from assistant.speech.confirm import confirmed_phrase, grammar_phrase, phrase_within, spoken_words

PHRASES = {"stop", "help", "later", "forget that", "다시", "감사합니다"}
POLITE = {"please", "thanks"}


def w(word: str, start: float, end: float, conf: float = 1.0) -> Word:
    return Word(word, conf, end - start, start)


def test_a_command_said_alone_is_confirmed_by_garbled_free_form_words_inside_it():
    grammar = [w("감사합니다", 0.48, 1.47)]
    free = [w("넘", 0.48, 0.7), w("[4]", 0.7, 1.0), w("다", 1.1, 1.47)]
    assert confirmed_phrase(grammar, free, PHRASES)[0] == "감사합니다"


def test_free_form_words_after_the_phrase_make_it_an_answer():
    """'stop by': the grammar's scrap for "by" is short, but the free-form word is outside."""
    grammar = [w("stop", 0.50, 0.85), w("help", 0.85, 1.0, conf=0.6)]
    free = [w("stop", 0.50, 0.85), w("by", 0.9, 1.2)]
    assert grammar_phrase(grammar, PHRASES) is not None
    assert confirmed_phrase(grammar, free, PHRASES) is None


def test_an_onset_click_beside_the_phrase_is_dropped_and_its_free_form_word_agrees():
    grammar = [w("stop", 0.45, 0.61, conf=0.86), w("다시", 0.61, 0.84)]
    free = [w("러시", 0.45, 0.84)]
    assert confirmed_phrase(grammar, free, PHRASES)[0] == "다시"


def test_a_long_unsure_word_beside_a_command_is_speech_so_it_is_no_command():
    """'I expected': the forget word and 0.45 s more, forced onto another phrase."""
    grammar = [w("stop", 0.45, 0.82), w("later", 0.84, 1.29, conf=0.7)]
    assert spoken_words(grammar) == tuple(grammar)
    assert grammar_phrase(grammar, PHRASES) is None


def test_a_politeness_word_may_stand_beside_a_command():
    grammar = [w("stop", 0.5, 0.8), w("please", 0.8, 1.2)]
    free = [w("stop", 0.5, 0.8), w("please", 0.8, 1.2)]
    assert confirmed_phrase(grammar, free, PHRASES, POLITE)[0] == "stop"


def test_two_sure_words_are_not_one_phrase():
    grammar = [w("help", 0.4, 0.8), w("stop", 0.8, 1.2)]
    assert grammar_phrase(grammar, PHRASES) is None


def test_nothing_heard_is_no_phrase():
    assert confirmed_phrase([], [], PHRASES) is None


def test_free_form_that_heard_nothing_does_not_veto_the_grammar():
    assert confirmed_phrase([w("later", 0.3, 0.7)], [], PHRASES)[0] == "later"


def test_the_wake_phrase_is_found_among_the_scraps_of_talk_around_it():
    words = [w("자유", 0.0, 0.3), w("안녕하세요", 0.3, 0.97), w("네", 1.0, 1.2, conf=0.4)]
    assert phrase_within(words, {"안녕하세요"}) == "안녕하세요"


def test_a_phrase_of_several_words_must_be_heard_as_one_run():
    phrases = {"forget that"}
    assert phrase_within([w("stop", 0, 0.3), w("forget", 0.3, 0.6), w("that", 0.6, 0.8)], phrases) == "forget that"
    assert phrase_within([w("forget", 0, 0.3), w("stop", 0.3, 0.6), w("that", 0.6, 0.8)], phrases) is None
    assert phrase_within([], phrases) is None
