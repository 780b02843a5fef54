"""When an answer is over (audio time only) and what counts as speech."""

from __future__ import annotations

import numpy as np

from assistant.speech.turns import TurnState, TurnTimer

CHUNK = 0.25  # seconds; a binary fraction, so sums of chunks are exact


def run(timer: TurnTimer, pattern: list[bool]) -> list[TurnState]:
    return [timer.process(CHUNK, speech) for speech in pattern]


def timer(pause=2.0, silence=8.0, cap=30.0) -> TurnTimer:
    return TurnTimer(pause_seconds=pause, silence_seconds=silence, cap_seconds=cap)


def square(dbfs: float, samples: int = 1600) -> bytes:
    """16-bit audio whose every sample has the magnitude of the given level: exact RMS."""
    amplitude = int(round(32768 * 10 ** (dbfs / 20)))
    return np.resize(np.array([amplitude, -amplitude], dtype="<i2"), samples).tobytes()


# --- TurnTimer --------------------------------------------------------------------------------

def test_no_speech_is_silent_exactly_at_the_silence_timeout():
    states = run(timer(silence=8.0), [False] * 32)  # 32 * 0.25 = 8 s
    assert states[:-1] == [TurnState.LISTENING] * 31
    assert states[-1] is TurnState.SILENT


def test_speech_then_full_pause_is_answered_after_exactly_pause_seconds():
    t = timer(pause=2.0)
    assert run(t, [True] * 4) == [TurnState.LISTENING] * 4
    states = run(t, [False] * 8)  # 2 s of pause
    assert states[:-1] == [TurnState.LISTENING] * 7
    assert states[-1] is TurnState.ANSWERED
    assert t.speech == 1.0
    assert t.elapsed == 3.0


def test_shorter_mid_answer_pause_does_not_end_the_answer():
    t = timer(pause=2.0)
    pattern = [True] * 4 + [False] * 7 + [True] * 4 + [False] * 7  # two pauses of 1.75 s
    assert set(run(t, pattern)) == {TurnState.LISTENING}
    assert t.process(CHUNK, False) is TurnState.ANSWERED  # the pause now reaches 2 s


def test_pause_counts_only_continuous_non_speech():
    t = timer(pause=1.0)
    # 0.75 s quiet, a breath of speech, 0.75 s quiet: 1.5 s quiet in all, never 1 s at a stretch
    assert set(run(t, [True, False, False, False, True, False, False, False])) == {TurnState.LISTENING}


def test_late_starter_is_not_cut_off_by_the_silence_timeout():
    t = timer(pause=2.0, silence=8.0)
    assert set(run(t, [False] * 31 + [True])) == {TurnState.LISTENING}  # speech at 7.75 s
    assert set(run(t, [True] * 8 + [False] * 7)) == {TurnState.LISTENING}  # past 8 s: still answering
    assert t.process(CHUNK, False) is TurnState.ANSWERED


def test_long_answer_is_capped_counting_from_the_first_speech():
    t = timer(pause=2.0, silence=8.0, cap=5.0)
    assert set(run(t, [False] * 8)) == {TurnState.LISTENING}  # 2 s before speaking
    states = run(t, [True] * 21)  # first speech chunk, then 20 more = 5 s since it started
    assert states[:-1] == [TurnState.LISTENING] * 20
    assert states[-1] is TurnState.CAPPED


def test_cap_wins_over_a_pause_ending_at_the_same_moment():
    t = timer(pause=1.0, cap=2.0)
    states = run(t, [True] * 5 + [False] * 4)
    assert states[-1] is TurnState.CAPPED


def test_tenth_second_chunks_add_up_to_whole_seconds():
    # the microphone delivers 0.1 s chunks; ten of them sum to 0.9999999999999999 as floats,
    # which must still count as 1 s (and fifty as 5 s)
    silent = TurnTimer(pause_seconds=1.0, silence_seconds=1.0, cap_seconds=5.0)
    assert [silent.process(0.1, False) for _ in range(10)][-2:] == [TurnState.LISTENING,
                                                                     TurnState.SILENT]
    paused = TurnTimer(pause_seconds=1.0, silence_seconds=8.0, cap_seconds=60.0)
    paused.process(0.1, True)
    assert [paused.process(0.1, False) for _ in range(10)][-2:] == [TurnState.LISTENING,
                                                                     TurnState.ANSWERED]
    capped = TurnTimer(pause_seconds=1.0, silence_seconds=8.0, cap_seconds=5.0)
    capped.process(0.1, True)
    assert [capped.process(0.1, True) for _ in range(50)][-2:] == [TurnState.LISTENING,
                                                                   TurnState.CAPPED]
