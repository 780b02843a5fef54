"""How a long sentence is cut into breaths (the parts Piper renders and plays one after the
other), and how a breath that stops mid-clause is closed at its end.

The cuts fall where the sentence pauses, else before a word that starts a clause, else evenly.
Most tests cut at 8 words (`most`) so the sentences stay short enough to read.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.packs import load_pack
from assistant.speech.phrasing import BREATH_WORDS, breaths, cut_clause, even_runs
from assistant.speech.piper_tts import WORD_JOIN_SECONDS, closed_end

EN = load_pack("en").clause_words
NL = load_pack("nl").clause_words


def test_a_short_sentence_is_one_breath_commas_and_all():
    assert breaths("Take your time, I will wait.", EN) == ["Take your time, I will wait."]


def test_a_sentence_with_pauses_is_cut_at_them():
    found = breaths("Twice you felt the choice was yours; once you adapted to what others expected.", EN, 8)
    assert found == ["Twice you felt the choice was yours;", "once you adapted to what others expected."]


def test_short_clauses_are_merged_up_to_the_limit():
    assert breaths("Say reflect, summary, value, or what do you keep, or stop.", EN, 8) == [
        "Say reflect, summary, value,", "or what do you keep, or stop."]


def test_an_unpunctuated_read_back_is_cut_before_clause_words_nearest_the_middle():
    heard = "i talked to my friend today and i told her what i felt because i wanted to be honest"
    assert breaths(heard, EN, 8) == ["i talked to my friend today", "and i told her what i felt",
                                     "because i wanted to be honest"]


def test_a_dutch_answer_is_cut_before_dutch_clause_words():
    heard = "ik heb vandaag met mijn vriendin gepraat omdat ik het wilde"
    assert breaths(heard, NL, 8) == ["ik heb vandaag met mijn vriendin gepraat", "omdat ik het wilde"]
    assert breaths(heard, EN, 8) != breaths(heard, NL, 8)  # the words are the pack's


def test_without_a_clause_word_a_clause_is_cut_into_near_even_runs():
    twenty = " ".join(f"w{i}" for i in range(20))
    assert [len(b.split()) for b in breaths(twenty, EN)] == [10, 10]  # never 16 + 4
    assert [len(run) for run in even_runs(list("abcdefghijk"), 10)] == [6, 5]
    assert [len(run) for run in even_runs(list("abcdefghijklmnopq"), 8)] == [6, 6, 5]


def test_an_eighty_word_run_becomes_breaths_of_at_most_sixteen_words_in_order():
    words = [f"w{i}" for i in range(80)]
    runs = cut_clause(words, EN)
    assert BREATH_WORDS == 16 and [len(run) for run in runs] == [16, 16, 16, 16, 16]
    assert sum(runs, []) == words


def test_every_breath_of_long_text_stays_within_the_limit_and_keeps_every_word():
    heard = " ".join(["and i said what i thought but nobody listened so i stopped"] * 4)
    found = breaths(heard, EN)
    assert max(len(b.split()) for b in found) <= BREATH_WORDS
    assert " ".join(found) == heard


@pytest.mark.parametrize("heard", [
    "and one two three four five six seven eight nine ten eleven",   # at the very start: no cut there
    "one two three four five six seven eight nine ten eleven and",   # at the very end: none either
    "one and two three four five six seven eight nine ten eleven",   # second word: a one-word breath
])
def test_a_clause_word_at_an_edge_leaves_no_stub_and_the_clause_is_cut_evenly(heard):
    assert [len(b.split()) for b in breaths(heard, EN, 8)] == [6, 6]


def test_a_clause_word_keeps_its_capital_and_punctuation_when_matched():
    found = breaths("I stayed there for a long time quietly, \"Because she needed me there all evening\" she said",
                    EN, 8)
    assert found[0] == "I stayed there for a long time quietly,"
    assert found[1].startswith("\"Because")


def test_a_pack_without_clause_words_still_cuts_evenly():
    assert [len(b.split()) for b in breaths(" ".join(["x"] * 30), ())] == [15, 15]


def test_a_long_sentence_is_played_in_breaths_so_its_first_words_come_soon():
    part = ("i was at the front desk when a customer asked me to let him skip the queue because his "
            "mother was waiting in the car and i knew the rule says everyone waits")
    readback = f"{part}; what pulls in different directions: {part}; your function family: rentals."
    found = breaths(readback, EN)
    assert found[0] == "i was at the front desk" and " ".join(found) == readback
    assert max(len(b.split()) for b in found) <= BREATH_WORDS == 16


def sound(seconds: float, rate: int) -> np.ndarray:
    return np.full(round(seconds * rate), 0.5, dtype=np.float32)


def quiet(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def test_a_breath_that_stops_mid_clause_keeps_half_a_word_gap_at_its_end():
    rate = 1000
    breath = np.concatenate([quiet(0.06, rate), sound(1, rate), quiet(0.13, rate)])
    gap = round(WORD_JOIN_SECONDS * rate)
    assert closed_end(breath, rate).size == 60 + 1000 + gap // 2  # its start as Piper made it


def test_a_silent_or_empty_breath_is_left_as_it_is():
    rate = 1000
    assert closed_end(quiet(0.5, rate), rate).size == 500
    assert closed_end(np.zeros(0, dtype=np.float32), rate).size == 0
