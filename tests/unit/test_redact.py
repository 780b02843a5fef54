"""Names left out as names: whole, as a surname with its particles, or a part standing as a name;
never the little words (de, van, der, the) that names are made of."""

from __future__ import annotations

import pytest

from assistant.conversation.redact import leave_out, names_from

L = "[…]"


def test_dutch_name_with_de_keeps_every_other_de(nl):
    text = "Jan de Vries vroeg mij de regels te buigen. De Vries had gelijk, zei Jan, maar de baas niet."
    assert leave_out(text, ["Jan de Vries"], nl.function_words) == (
        f"{L} vroeg mij de regels te buigen. {L} had gelijk, zei {L}, maar de baas niet.")


def test_dutch_name_with_van_der_keeps_van_and_der_elsewhere(nl):
    text = "Anna van der Berg kwam van de gang. Mevrouw Van der Berg wil der dingen van Anna niet."
    assert leave_out(text, ["Anna van der Berg"], nl.function_words) == (
        f"{L} kwam van de gang. Mevrouw {L} wil der dingen van {L} niet.")


def test_english_name_with_the_keeps_the_word_the_and_a_lowercase_rock(en):
    text = "The Rock told me the garden rock must go; Rock was right, the rest of the team not."
    assert leave_out(text, ["The Rock"], en.function_words) == (
        f"{L} told me the garden rock must go; {L} was right, the rest of the team not.")


def test_in_a_transcript_without_capitals_each_part_goes_as_a_whole_word(nl):
    heard = "jan de vries zei dat de vries en jan de regels kennen maar jansen niet"
    assert leave_out(heard, ["jan de vries"], nl.function_words) == (
        f"{L} zei dat {L} en {L} de regels kennen maar jansen niet")


def test_a_whole_name_goes_in_any_case_a_lone_part_only_capitalised_in_typed_text(en):
    text = "Mark said JAN DE VRIES was late; mark my words, Jan."
    assert leave_out(text, ["Jan de Vries", "Mark"], en.function_words) == (
        f"{L} said {L} was late; {L} my words, {L}.")  # "Mark" is a whole name: every case
    assert leave_out("I will vries the jan", ["Jan de Vries"], en.function_words) == "I will vries the jan"


def test_names_said_one_after_another_without_and_still_go_with_their_particles(nl):
    heard = "jan de vries en anna van der berg zaten in de kamer van de baas"
    assert leave_out(heard, ["jan de vries anna van der berg"], nl.function_words) == (
        f"{L} en {L} zaten in de kamer van de baas")


def test_a_name_of_only_little_words_removes_nothing(en):
    assert leave_out("the end of the day", ["the"], en.function_words) == "the end of the day"


def test_names_are_split_on_the_joiners_and_commas_but_keep_their_little_words():
    assert names_from("Jan de Vries and Anna van der Berg, Piet", ("and", "or")) == [
        "Jan de Vries", "Anna van der Berg", "Piet"]
    assert names_from("jan de vries en the rock", ("en", "of")) == ["jan de vries", "the rock"]


@pytest.mark.parametrize("said", ["", " , ", "a"])
def test_no_name_given_gives_no_names(said):
    assert names_from(said, ("and",)) == []
