"""How a sentence is cut into the phrases Piper renders one at a time, and how they are joined.

Each Piper call holds at most PHRASE_WORDS (8) words (its memory grows with one call's length); the
cuts fall where the sentence pauses, else before a word that starts a clause, else evenly.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.packs import load_pack
from assistant.speech.phrasing import (
    BREATH_WORDS,
    PHRASE_WORDS,
    Phrase,
    breaths,
    cut_clause,
    even_runs,
    phrases,
)
from assistant.speech.piper_tts import WORD_JOIN_SECONDS, joined, trimmed

EN = load_pack("en").clause_words
NL = load_pack("nl").clause_words


def texts(found: list[Phrase]) -> list[str]:
    return [p.text for p in found]


def test_a_short_sentence_is_one_phrase_commas_and_all():
    assert phrases("Take your time, I will wait.", EN) == [Phrase("Take your time, I will wait.", False)]


def test_a_sentence_with_commas_is_cut_at_them_and_says_a_pause_follows():
    found = phrases("Twice you felt the choice was yours; once you adapted to what others expected.", EN)
    assert found == [Phrase("Twice you felt the choice was yours;", True),
                     Phrase("once you adapted to what others expected.", False)]


def test_short_clauses_are_merged_up_to_the_limit():
    assert texts(phrases("Say reflect, summary, value, or what do you keep, or stop.", EN)) == [
        "Say reflect, summary, value,", "or what do you keep, or stop."]


def test_an_unpunctuated_read_back_is_cut_before_clause_words_nearest_the_middle():
    heard = "i talked to my friend today and i told her what i felt because i wanted to be honest"
    assert texts(phrases(heard, EN)) == ["i talked to my friend today", "and i told her what i felt",
                                         "because i wanted to be honest"]
    assert not any(p.pause_after for p in phrases(heard, EN))  # no pause was there: joined as words


def test_a_dutch_answer_is_cut_before_dutch_clause_words():
    heard = "ik heb vandaag met mijn vriendin gepraat omdat ik het wilde"
    assert texts(phrases(heard, NL)) == ["ik heb vandaag met mijn vriendin gepraat", "omdat ik het wilde"]
    assert texts(phrases(heard, EN)) != texts(phrases(heard, NL))  # the words are the pack's


def test_without_a_clause_word_a_clause_is_cut_into_near_even_runs():
    twelve = " ".join(f"w{i}" for i in range(12))
    assert [len(p.text.split()) for p in phrases(twelve, EN)] == [6, 6]  # never 10 + 2
    assert [len(run) for run in even_runs(list("abcdefghijk"), 10)] == [6, 5]
    assert [len(run) for run in even_runs(list("abcdefghijklmnopq"), 8)] == [6, 6, 5]


def test_a_forty_word_run_becomes_phrases_of_at_most_eight_words_in_order():
    words = [f"w{i}" for i in range(40)]
    runs = cut_clause(words, EN)
    assert PHRASE_WORDS == 8 and [len(run) for run in runs] == [8, 8, 8, 8, 8]
    assert sum(runs, []) == words


def test_every_phrase_of_long_text_stays_within_the_limit_and_keeps_every_word():
    heard = " ".join(["and i said what i thought but nobody listened so i stopped"] * 4)
    found = phrases(heard, EN)
    assert max(len(p.text.split()) for p in found) <= PHRASE_WORDS
    assert " ".join(texts(found)) == heard


@pytest.mark.parametrize("heard", [
    "and one two three four five six seven eight nine ten eleven",   # at the very start: no cut there
    "one two three four five six seven eight nine ten eleven and",   # at the very end: none either
    "one and two three four five six seven eight nine ten eleven",   # second word: a one-word phrase
])
def test_a_clause_word_at_an_edge_leaves_no_stub_and_the_clause_is_cut_evenly(heard):
    assert [len(p.text.split()) for p in phrases(heard, EN)] == [6, 6]


def test_a_clause_word_keeps_its_capital_and_punctuation_when_matched():
    found = phrases("I stayed there for a long time quietly, \"Because she needed me there all evening\" she said",
                    EN, most=8)
    assert found[0] == Phrase("I stayed there for a long time quietly,", True)
    assert found[1].text.startswith("\"Because")


def test_a_pack_without_clause_words_still_cuts_evenly():
    assert [len(p.text.split()) for p in phrases(" ".join(["x"] * 15), ())] == [8, 7]


def sound(seconds: float, rate: int) -> np.ndarray:
    return np.full(round(seconds * rate), 0.5, dtype=np.float32)


def quiet(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def test_a_join_inside_a_clause_is_closed_to_a_word_gap_and_a_pause_keeps_its_silence():
    rate = 1000
    phrase = np.concatenate([quiet(0.06, rate), sound(1, rate), quiet(0.13, rate)])
    mid, pause, end = trimmed([(phrase, False), (phrase, True), (phrase, False)], rate)
    gap = round(WORD_JOIN_SECONDS * rate)
    assert mid.size == 60 + 1000 + gap // 2          # its end closed in; its start as Piper made it
    assert pause.size == gap // 2 + 1000 + 130       # the pause after it stays whole
    assert end.size == phrase.size                   # after a pause: the silence before it stays too
    assert joined([(phrase, False)], rate).size == phrase.size


def test_a_silent_phrase_is_left_out_of_the_join():
    rate = 1000
    assert joined([(quiet(0.5, rate), False), (sound(1, rate), False)], rate).size == 1000


def test_a_long_sentence_is_played_in_breaths_so_its_first_words_come_soon():
    part = ("i was at the front desk when a customer asked me to let him skip the queue because his "
            "mother was waiting in the car and i knew the rule says everyone waits")
    readback = f"{part}; what pulls in different directions: {part}; your function family: rentals."
    found = breaths(readback, EN)
    assert found[0] == "i was at the front desk" and " ".join(found) == readback
    assert max(len(b.split()) for b in found) <= BREATH_WORDS == 16
    assert breaths("Take your time, I will wait.", EN) == ["Take your time, I will wait."]


def test_a_breath_that_stops_mid_clause_has_its_end_closed_too():
    rate = 1000
    phrase = np.concatenate([quiet(0.06, rate), sound(1, rate), quiet(0.13, rate)])
    gap = round(WORD_JOIN_SECONDS * rate)
    assert joined([(phrase, False)], rate, open_end=True).size == 60 + 1000 + gap // 2
    assert joined([(phrase, True)], rate, open_end=True).size == phrase.size  # it ends at a pause
