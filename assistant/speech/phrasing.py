"""A sentence cut into the short phrases Piper renders one at a time (pure: strings in, strings out).

Piper's memory grows with the length of one inference, and onnxruntime keeps the largest it has
seen (bench_voice (d): 32 words in one call +258 MB, 16 words +182, 10 words +141). So every call
gets at most PHRASE_WORDS words. Where a sentence has pauses (, ; :) it is cut there; a
clause still longer (a read-back of a Vosk transcript has no punctuation at all) is cut before a
word that starts a new clause in its language (the pack's `clause_words`: and, but, because...),
nearest the middle; and only where there is none, into near-even runs (12 words: 6 + 6, never
10 + 2), because a cut between two ordinary words breaks a phrase the voice would say in one go.
Each phrase says whether a pause follows it (the sentence had one there), so the join can keep a
pause or close the gap (piper_tts.py). A sentence longer than BREATH_WORDS is also played in
breaths, cut the same way but longer, so its first words are heard while the rest renders.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

# Measured with bench_voice (d)'s texts, Piper alone over a bare process: phrases of up to 10
# words +241..275 MB, up to 8 words +201..254, 6 words no lower than 8 (onnxruntime's arena keeps
# the largest call it has seen, and the voice's random durations make each run differ by ~30 MB).
PHRASE_WORDS = 8
# A sentence longer than this is played in parts (breaths), each rendered as one: the first is
# heard after two Piper calls, not after all of them.
BREATH_WORDS = 2 * PHRASE_WORDS
# Neither side of a cut at a clause word is shorter than this: "and" as the second word of a
# clause would leave a one-word phrase, which sounds like a stammer.
SHORTEST_SIDE = 3
_PAUSE_AFTER = re.compile(r"(?<=[,;:])\s+")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]¿¡"


@dataclass(frozen=True)
class Phrase:
    text: str
    pause_after: bool   # the sentence pauses here (a comma...); False: mid-clause, or its end


def phrases(sentence: str, clause_words: Collection[str] = (), most: int = PHRASE_WORDS) -> list[Phrase]:
    """The sentence as phrases of at most `most` words: whole clauses where they fit (short ones
    merged), longer clauses cut before a clause word, else evenly."""
    runs, pauses = _runs(sentence, clause_words, most)
    return [Phrase(" ".join(run), pause) for run, pause in zip(runs, pauses, strict=True)]


def _runs(sentence: str, clause_words: Collection[str], most: int) -> tuple[list[list[str]], list[bool]]:
    """Runs of at most `most` words, and whether the sentence pauses after each."""
    runs: list[list[str]] = []
    pauses: list[bool] = []
    for clause in _PAUSE_AFTER.split(sentence.strip()):
        words = clause.split()
        if not words:
            continue
        if runs and len(runs[-1]) + len(words) <= most:
            runs[-1] += words
            continue
        if runs:
            pauses[-1] = True
        cut = cut_clause(words, clause_words, most)
        runs += cut
        pauses += [False] * len(cut)
    return runs, pauses


def breaths(sentence: str, clause_words: Collection[str] = (), most: int = BREATH_WORDS) -> list[str]:
    """A long sentence in the parts that are rendered and played one after the other, so its
    first words are heard while the rest renders: cut at its pauses (short clauses merged), and
    a longer clause before a clause word, like phrases but longer. A dilemma's read-back is one
    sentence of up to ~180 words: whole, Piper renders it for 3 s here (15 s on a Pi 4) before a
    word is heard."""
    return [" ".join(run) for run in _runs(sentence, clause_words, most)[0]]


def cut_clause(words: list[str], clause_words: Collection[str], most: int = PHRASE_WORDS) -> list[list[str]]:
    """One clause (no pause inside) in runs of at most `most` words."""
    if len(words) <= most:
        return [words]
    at = _clause_word_cut(words, clause_words)
    if at is None:
        return even_runs(words, most)
    return cut_clause(words[:at], clause_words, most) + cut_clause(words[at:], clause_words, most)


def _clause_word_cut(words: list[str], clause_words: Collection[str]) -> int | None:
    """The index of the clause word nearest the middle that leaves both sides long enough."""
    starts = {word.lower() for word in clause_words}
    found = [i for i in range(SHORTEST_SIDE, len(words) - SHORTEST_SIDE + 1)
             if words[i].strip(_EDGE_PUNCTUATION).lower() in starts]
    return min(found, key=lambda i: abs(2 * i - len(words)), default=None)


def even_runs(words: list[str], most: int = PHRASE_WORDS) -> list[list[str]]:
    """As few runs as fit in `most` words each, their lengths differing by one at most."""
    count = math.ceil(len(words) / most)
    size, longer = divmod(len(words), count)
    bounds = [i * size + min(i, longer) for i in range(count + 1)]
    return [words[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
