"""Understanding short answers: commands, yes/no, authentic or adapted, the value named."""

from __future__ import annotations

import pytest

from assistant.conversation.dialogue import Command
from assistant.conversation.understand import (
    classify_authentic,
    match_command,
    match_yes_no,
    normalise,
    normalise_value,
)


def test_normalise_lower_cases_drops_punctuation_and_squeezes_spaces():
    assert normalise("  Stop!  Now,   PLEASE. ") == "stop now please"
    assert normalise("I don't know") == "i don't know"
    assert normalise("self-care") == "self-care"
    assert normalise("Oké?") == "oké"


# --- commands ---------------------------------------------------------------------------------

@pytest.mark.parametrize("said, command", [
    ("Stop!", Command.STOP),
    ("stop", Command.STOP),
    ("  STOP. ", Command.STOP),
    ("Say that again?", Command.REPEAT),
    ("skip this one", Command.SKIP),
    ("Undo.", Command.UNDO),
    ("not now", Command.LATER),
    ("I don't know", Command.HELP),
])
def test_english_command_phrases_match_case_and_punctuation_insensitively(en, said, command):
    assert match_command(said, en) is command


@pytest.mark.parametrize("said, command", [
    ("Stop!", Command.STOP),
    ("Herhaal de vraag!", Command.REPEAT),
    ("sla over", Command.SKIP),
    ("Wis dat.", Command.UNDO),
    ("niet nu", Command.LATER),
    ("Ik weet het niet", Command.HELP),
])
def test_dutch_command_phrases_match(nl, said, command):
    assert match_command(said, nl) is command


@pytest.mark.parametrize("said", [
    "stop the car now", "I wanted to stop", "please help", "", "later that day I went out",
])
def test_command_only_when_the_whole_utterance_is_the_phrase(en, said):
    assert match_command(said, en) is None


def test_command_of_the_other_language_is_not_a_command(en, nl):
    assert match_command("sla over", en) is None
    assert match_command("skip", nl) is None


# --- yes / no ---------------------------------------------------------------------------------

@pytest.mark.parametrize("said, wanted", [
    ("yes", True), ("Yes, please!", True), ("one more", True), ("sure", True),
    ("no", False), ("No thanks.", False), ("that's all", False),
    ("yes no", None), ("maybe", None), ("", None),
])
def test_match_yes_no_in_english(en, said, wanted):
    assert match_yes_no(said, en) is wanted


@pytest.mark.parametrize("said, wanted", [
    ("ja", True), ("Ja graag", True), ("nee", False), ("nee hoor", False),
    ("liever niet", False), ("ja of nee", None),
])
def test_match_yes_no_in_dutch(nl, said, wanted):
    assert match_yes_no(said, nl) is wanted


def test_longer_no_phrase_uses_its_words_once(en):
    # "no thank you" is one no, not "no" plus "no thank you"; with one yes it is still a tie
    assert match_yes_no("yes, no thank you", en) is None


# --- authentic or adapted ---------------------------------------------------------------------

@pytest.mark.parametrize("said, authentic", [
    ("authentic", True),
    ("It felt genuine, like me.", True),
    ("my own", True),
    ("not adapted", True),
    ("not authentic", False),
    ("adapted to the others", False),
    ("not really", False),
    ("not like me", False),
])
def test_classify_authentic_in_english(en, said, authentic):
    assert classify_authentic(said, en) is authentic


@pytest.mark.parametrize("said, authentic", [
    ("niet aangepast", True),
    ("echt van mij", True),
    ("Het was echt van mij.", True),
    ("trouw aan mezelf", True),
    ("niet echt", False),
    ("aangepast", False),
    ("meer aan de verwachtingen van anderen", False),
    ("niet van mij", False),
])
def test_classify_authentic_in_dutch_handles_negations(nl, said, authentic):
    assert classify_authentic(said, nl) is authentic


@pytest.mark.parametrize("said", [
    "authentic and adapted", "a bit of both: my own but also to please", "I went for a walk", "",
])
def test_classify_authentic_is_none_for_both_or_neither(en, said):
    assert classify_authentic(said, en) is None


def test_classify_authentic_counts_yes_and_no(en):
    assert classify_authentic("yes", en) is True
    assert classify_authentic("no", en) is False


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("said, key", [
    ("courage", "courage"),
    ("It was about Honesty.", "honesty"),
    ("being clear", "clarity"),
    ("I wanted some peace", "calm"),
    ("self-care", "health"),
    ("taking care of myself", "health"),
])
def test_value_by_name_or_synonym_in_english(en, said, key):
    assert normalise_value(said, en) == key


@pytest.mark.parametrize("said, key", [
    ("ik koos voor eerlijk zijn", "honesty"),
    ("kalmte", "calm"),
    ("rust", "calm"),
    ("helderheid", "clarity"),
    ("ik was zorgzaam voor haar", "care"),
    ("moed", "courage"),
])
def test_value_by_name_or_synonym_in_dutch(nl, said, key):
    assert normalise_value(said, nl) == key


@pytest.mark.parametrize("said, key", [("curage", "courage"), ("honesti", "honesty"),
                                       ("respekt", "respect")])
def test_small_misrecognitions_still_find_the_value(en, said, key):
    assert normalise_value(said, en) == key


def test_short_value_words_match_only_exactly(nl, en):
    assert normalise_value("lust", nl) is None   # not "rust"
    assert normalise_value("lef", nl) == "courage"
    assert normalise_value("lief", nl) is None   # not "lef"
    assert normalise_value("fare", en) is None   # not "fair"


def test_first_mentioned_value_wins(en):
    assert normalise_value("courage and honesty", en) == "courage"
    assert normalise_value("honesty, then courage", en) == "honesty"


def test_exact_match_beats_fuzzy_match_at_the_same_place(en, nl):
    # "daring" (courage) and "caring" (care) are 0.83 alike: the exact one must win either way
    assert normalise_value("daring", en) == "courage"
    assert normalise_value("caring", en) == "care"
    assert normalise_value("waarheid", nl) == "honesty"       # not "waardigheid" (respect)
    assert normalise_value("waardigheid", nl) == "respect"


@pytest.mark.parametrize("said", ["", "nothing comes to mind", "I went for a walk"])
def test_no_value_named_is_none(en, said):
    assert normalise_value(said, en) is None


def test_higher_cutoff_refuses_misrecognitions(en):
    assert normalise_value("curage", en, cutoff=0.95) is None
    assert normalise_value("courage", en, cutoff=0.95) == "courage"


@pytest.mark.parametrize("text, expected", [
    ("ik paste me echt aan", False),   # "echt" as an intensifier is not "authentic"
    ("ik paste me aan", False),
    ("echt van mij", True),
])
def test_dutch_authentic_answers_found_in_review(nl, text, expected):
    assert classify_authentic(text, nl) is expected


@pytest.mark.parametrize("text", ["your own", "it was mine"])
def test_english_authentic_answers_offered_by_the_help_text(en, text):
    assert classify_authentic(text, en) is True


@pytest.mark.parametrize("pack_name, text", [
    ("en", "I had to clean the kitchen"),   # not "clarity"
    ("en", "a place to think"),             # not "calm"
    ("nl", "zorgen voor duidelijkheid"),    # "ensure clarity": clarity, not care
])
def test_ordinary_words_are_not_taken_for_values(request, pack_name, text):
    pack = request.getfixturevalue(pack_name)
    assert normalise_value(text, pack) in (None, "clarity")
    if "duidelijkheid" in text:
        assert normalise_value(text, pack) == "clarity"


def test_no_with_a_reassurance_is_no(en, nl):
    assert match_yes_no("no, I'm okay", en) is False
    assert match_yes_no("nee het is goed zo", nl) is False
