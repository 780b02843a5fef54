"""A long sentence cut into breaths, the parts Piper renders and plays one after the other (pure).

A dilemma's read-back is one sentence of up to ~180 words with no punctuation (Vosk's words).
Rendered whole, nothing is heard for 3 s here (~15 s on a Pi 4); in breaths of at most
BREATH_WORDS, the first is heard while the rest renders. Where the sentence pauses (, ; :) it is
cut there (short clauses merged); a clause still longer is cut before a word that starts a new
clause in its language (the pack's `clause_words`: and, but, because...), nearest the middle; and
only where there is none, into near-even runs (20 words: 10 + 10, never 16 + 4), because a cut
between two ordinary words breaks a phrase the voice would say in one go. A breath's length no
longer matters for memory: the voice decodes in windows (piper_parts.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

# A sentence longer than this is played in parts (breaths), each rendered as one Piper call: the
# first is heard after one call, not after all of them.
BREATH_WORDS = 16
# Neither side of a cut at a clause word is shorter than this: "and" as the second word of a
# clause would leave a one-word phrase, which sounds like a stammer.
SHORTEST_SIDE = 3
_PAUSE_AFTER = re.compile(r"(?<=[,;:])\s+")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]¿¡"


def _runs(sentence: str, clause_words: Collection[str], most: int) -> list[list[str]]:
    """Runs of at most `most` words: whole clauses where they fit (short ones merged)."""
    runs: list[list[str]] = []
    for clause in _PAUSE_AFTER.split(sentence.strip()):
        words = clause.split()
        if not words:
            continue
        if runs and len(runs[-1]) + len(words) <= most:
            runs[-1] += words
            continue
        runs += cut_clause(words, clause_words, most)
    return runs


def breaths(sentence: str, clause_words: Collection[str] = (), most: int = BREATH_WORDS) -> list[str]:
    """The sentence in breaths of at most `most` words, cut at its pauses, else before a clause
    word, else evenly; every word kept, in order."""
    return [" ".join(run) for run in _runs(sentence, clause_words, most)]


def cut_clause(words: list[str], clause_words: Collection[str], most: int = BREATH_WORDS) -> list[list[str]]:
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


def even_runs(words: list[str], most: int = BREATH_WORDS) -> list[list[str]]:
    """As few runs as fit in `most` words each, their lengths differing by one at most."""
    count = math.ceil(len(words) / most)
    size, longer = divmod(len(words), count)
    bounds = [i * size + min(i, longer) for i in range(count + 1)]
    return [words[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
