"""The answers one session kept: undo takes the last back, "keep it" stores it again with its
audio, a new answer makes the undone one unreachable, forget erases for good."""

from __future__ import annotations

from assistant.conversation.kept import SessionAnswers
from tests.unit.unit_helpers import MemoryJournal, make_answer


def test_undo_then_keep_it_stores_the_same_answer_and_audio_again():
    journal, ids = MemoryJournal(), []
    answers = SessionAnswers(journal, ids)
    answers.add(1, 0, make_answer(transcript="a walk"), b"\x01\x02")
    taken = answers.take_back()
    assert taken is not None and journal.rows == {} and ids == []
    assert answers.can_bring_back(1, 0) and not answers.can_bring_back(1, 1)
    kept = answers.bring_back()
    assert ids == [kept.answer_id] and journal.rows[kept.answer_id].transcript == "a walk"
    assert journal.audio[kept.answer_id] == b"\x01\x02"
    assert not answers.can_bring_back(1, 0)  # once


def test_a_new_answer_means_the_undone_one_cannot_come_back():
    answers = SessionAnswers(MemoryJournal(), [])
    answers.add(1, 0, make_answer(), None)
    answers.take_back()
    answers.add(1, 0, make_answer(transcript="said again"), None)
    assert not answers.can_bring_back(1, 0)


def test_nothing_to_take_back_is_none():
    answers = SessionAnswers(MemoryJournal(), [])
    assert not answers and answers.take_back() is None


def test_forget_erases_the_last_answer_for_good():
    journal, ids = MemoryJournal(), []
    answers = SessionAnswers(journal, ids)
    first = answers.add(1, 0, make_answer(), None)
    second = answers.add(1, 1, make_answer(), None)
    answers.erase_last()
    assert journal.forgotten == [second.answer_id] and ids == [first.answer_id]
    assert answers.take_back() == first  # the one before is the last now
