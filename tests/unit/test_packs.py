"""Language packs: the shipped ones agree with each other; broken ones are one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from unit_helpers import KO_PACK, one_line

from assistant import paths
from assistant.conversation.dialogue import Command, Kind
from assistant.errors import UserError
from assistant.packs import PHRASES, available_languages, load_pack, parse_pack

SHIPPED = paths.shipped_config_dir() / "lang"
EN_TEXT = (SHIPPED / "en.toml").read_text(encoding="utf-8")


def spoken_texts(pack) -> list[str]:
    texts = list(pack.phrases.values())
    for script in pack.scripts.values():
        texts.append(script.title)
        for question in script.questions:
            texts += [question.ask, question.help]
            if question.reask:
                texts.append(question.reask)
    return texts


def broken_pack(tmp_path: Path, old: str, new: str) -> str:
    """The English pack with one piece of text replaced; returns the one-line error it causes."""
    assert old in EN_TEXT, old
    file = tmp_path / "xx.toml"
    file.write_text(EN_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        parse_pack(file)
    message = str(caught.value)
    assert one_line(message), message
    assert str(file) in message
    return message


def test_shipped_packs_load_with_their_own_language(en, nl):
    assert (en.language, en.name, en.model) == ("en", "English", "vosk-model-small-en-us-0.15")
    assert (nl.language, nl.name, nl.model) == ("nl", "Nederlands", "vosk-model-small-nl-0.22")


def test_en_and_nl_have_the_same_script_question_ids_and_kinds(en, nl):
    assert set(en.scripts) == set(nl.scripts) == {"compass", "prompt", "verzet", "dilemma"}
    for name in en.scripts:
        en_questions = [(q.id, q.kind) for q in en.script(name).questions]
        nl_questions = [(q.id, q.kind) for q in nl.script(name).questions]
        assert en_questions == nl_questions
    assert [q.id for q in en.script("compass").questions] == [
        "situation", "value", "choice", "effect", "authentic", "direction"]


def test_en_and_nl_have_the_same_value_keys_and_examples(en, nl):
    assert [v.key for v in en.values] == [v.key for v in nl.values]
    assert [v.example for v in en.values] == [v.example for v in nl.values]


def test_en_and_nl_have_every_command_with_phrases(en, nl):
    assert set(en.commands) == set(nl.commands) == set(Command)
    for pack in (en, nl):
        assert all(pack.commands[c] for c in Command)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_spoken_phrase_is_non_empty(language):
    pack = load_pack(language)
    assert set(pack.phrases) == set(PHRASES)
    texts = spoken_texts(pack)
    assert texts and all(t.strip() for t in texts)
    listened = [*pack.listen_phrases(), *pack.authentic, *pack.adapted]
    listened += [p for v in pack.values for p in (v.name, *v.synonyms)]
    assert all(p.strip() for p in listened)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_phrase_means_two_things(language):
    pack = load_pack(language)
    commands = [p for phrases in pack.commands.values() for p in phrases]
    assert len(commands) == len(set(commands)), "a phrase belongs to two commands"
    assert not set(commands) & {*pack.yes, *pack.no}
    assert not set(pack.yes) & set(pack.no)
    assert not set(pack.authentic) & set(pack.adapted)
    value_words = [p for v in pack.values for p in (v.name, *v.synonyms)]
    assert len(value_words) == len(set(value_words)), "a word names two values"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_placeholders_are_where_the_session_fills_them(language):
    pack = load_pack(language)
    assert "{question}" in pack.phrases["reask"]
    assert "{values}" in pack.phrases["examples"]
    value_question = next(q for q in pack.script("compass").questions if q.kind is Kind.VALUE)
    assert "{values}" in value_question.help


def test_listen_phrases_are_commands_then_short_answers_without_duplicates(en):
    phrases = en.listen_phrases()
    assert len(phrases) == len(set(phrases))
    assert phrases[0] == en.commands[Command.REPEAT][0]
    assert set(phrases) == {*[p for ps in en.commands.values() for p in ps], *en.yes, *en.no,
                            *en.authentic, *en.adapted, *en.without_names, *en.polite}


def test_value_names_joins_examples_with_the_packs_or_word(en, nl):
    assert en.value_names() == "respect, clarity, calm, courage, honesty or care"
    assert nl.value_names() == "respect, helderheid, rust, moed, eerlijkheid of zorgzaamheid"


def test_value_names_leaves_out_non_example_values(en):
    assert "freedom" not in en.value_names()
    assert not next(v for v in en.values if v.key == "freedom").example


def test_value_names_with_one_example_is_just_that_name(tmp_path):
    text = EN_TEXT
    for key in ("clarity", "calm", "courage", "honesty", "care"):
        text = text.replace(f'key = "{key}"\n', f'key = "{key}"\nexample = false\n', 1)
    file = tmp_path / "one.toml"
    file.write_text(text, encoding="utf-8")
    assert parse_pack(file).value_names() == "respect"


def test_unknown_language_lists_the_available_ones(tmp_path):
    with pytest.raises(UserError) as caught:
        load_pack("xx")
    message = str(caught.value)
    assert one_line(message)
    assert "no language pack 'xx'" in message
    assert "use one of: en, nl" in message
    assert str(SHIPPED) in message


def test_pack_in_an_extra_dir_is_found_and_listed(tmp_path):
    shutil.copy(KO_PACK, tmp_path / "ko.toml")
    pack = load_pack("ko", (tmp_path,))
    assert pack.language == "ko"
    assert pack.commands[Command.STOP] == ("감사합니다",)
    assert pack.value_names() == "용기, 정직, 자유 또는 인내"
    assert available_languages((tmp_path,)) == ["en", "ko", "nl"]


def test_extra_dir_pack_wins_over_shipped_pack_of_same_language(tmp_path):
    (tmp_path / "en.toml").write_text(EN_TEXT.replace('name = "English"', 'name = "Mine"'),
                                      encoding="utf-8")
    assert load_pack("en", (tmp_path,)).name == "Mine"
    assert load_pack("en").name == "English"


def test_missing_extra_dir_is_ignored():
    assert available_languages((Path("/no/such/dir"),)) == ["en", "nl"]


def test_script_that_does_not_exist_names_the_ones_that_do(en):
    with pytest.raises(UserError, match="no script 'evening'; choose one of: compass"):
        en.script("evening")


def test_misspelt_phrase_key_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'closing = "Thank you', 'closingx = "Thank you')
    assert "unknown key 'phrases.closingx'" in message


def test_missing_phrase_line_names_the_phrase(tmp_path):
    start = EN_TEXT.index("closing = ")
    end = EN_TEXT.index("\n", start) + 1
    message = broken_pack(tmp_path, EN_TEXT[start:end], "")
    assert "phrases.closing: expected a non-empty text" in message


def test_empty_phrase_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'list_or = "or"', 'list_or = "  "')
    assert "phrases.list_or: expected a non-empty text" in message


def test_unknown_top_level_key_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'name = "English"', 'name = "English"\ncolour = "blue"')
    assert "unknown key 'colour'" in message


def test_unknown_question_key_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'id = "situation"', 'id = "situation"\nasks = "x"')
    assert "unknown key 'scripts.compass.questions[0].asks'" in message


def test_bad_question_kind_names_file_key_and_kinds(tmp_path):
    message = broken_pack(tmp_path, 'kind = "value"', 'kind = "number"')
    assert "scripts.compass.questions[1].kind: expected one of text, value, authentic" in message


def test_empty_command_list_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'stop = ["stop", "quit", "end the session"]', "stop = []")
    assert "commands.stop: expected a non-empty list of texts" in message


def test_missing_command_names_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'later = ["later", "not now", "ask me later"]\n', "")
    assert "commands.later: expected a non-empty list of texts" in message


def test_value_example_must_be_a_boolean(tmp_path):
    message = broken_pack(tmp_path, 'key = "respect"', 'key = "respect"\nexample = "yes"')
    assert "values[0].example: expected true or false" in message


def test_pack_without_values_names_the_missing_table(tmp_path):
    text = EN_TEXT[:EN_TEXT.index("[[values]]")] + EN_TEXT[EN_TEXT.index("[scripts.compass]"):]
    message = broken_pack(tmp_path, EN_TEXT, text)
    assert "values: expected one or more [[values]] entries" in message


def test_invalid_pack_toml_is_one_line(tmp_path):
    message = broken_pack(tmp_path, "[phrases]", "[phrases")
    assert "not valid TOML" in message


def test_phrases_and_words_are_stripped_and_command_words_lower_cased(tmp_path):
    file = tmp_path / "xx.toml"
    file.write_text(EN_TEXT.replace('stop = ["stop",', 'stop = ["  STOP  ",')
                    .replace('list_or = "or"', 'list_or = " or "'), encoding="utf-8")
    pack = parse_pack(file)
    assert pack.commands[Command.STOP][0] == "stop"
    assert pack.phrases["list_or"] == "or"


def test_two_questions_with_the_same_id_are_refused(tmp_path):
    message = broken_pack(tmp_path, 'id = "choice"', 'id = "value"')
    assert "scripts.compass.questions: expected a different id for every question" in message


def test_both_exercises_can_be_asked_for_after_the_wake_phrase(en, nl):
    for pack in (en, nl):
        assert {"verzet", "dilemma"} <= set(pack.wake.actions)
        assert set(pack.wake.actions) <= {"reflect", "summary", "prompt", "keep", *pack.scripts}


def test_clause_words_are_the_packs_own_and_optional(en, nl):
    assert {"and", "because", "which"} <= set(en.clause_words)
    assert {"en", "omdat", "terwijl"} <= set(nl.clause_words) and "and" not in nl.clause_words
    assert parse_pack(KO_PACK).clause_words == ()  # a pack without them: long clauses cut evenly


def test_clause_words_that_are_not_a_list_of_words_name_file_and_key(tmp_path):
    message = broken_pack(tmp_path, 'clause_words = ["and",', 'clause_words = [3, "and",')
    assert "clause_words: expected a non-empty list of texts" in message
