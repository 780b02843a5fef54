"""Is this utterance one of the pack's phrases? The grammar proposes, the free-form words confirm.

Grammar mode forces every sound onto some phrase, so "I expected" can come back as the forget
word plus another, and "stop by" as "stop" plus a scrap. An utterance is a phrase only when
- the grammar heard that phrase, and besides it only artefacts (an onset click, a breath: too
  short to be a syllable) or politeness words ("stop please"), and
- every word the free-form recogniser heard lies inside the time span of what the grammar
  heard: free-form words reaching past it are more speech than the phrase ("stop" + "by").
Pure functions of words with timings, so each rule is tested without audio.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from assistant.conversation.dialogue import Word
from assistant.conversation.understand import normalise

ARTEFACT_SECONDS = 0.25  # shorter than a spoken syllable: a click, a breath, a word's tail
LEAD = 0.15              # without timings: "clearly less sure" is this far below the surest word
SURE = 0.8               # the phrase itself must be at least this sure when others are dropped
SPAN_SLACK_SECONDS = 0.15  # the two recognisers' word edges differ by a few frames


def is_artefact(word: Word, top: Word) -> bool:
    """A sound forced onto a word beside a surer one; longer words are speech, however unsure
    ("I expected": the forget word and 0.45 s of speech forced onto "no")."""
    if word.confidence >= top.confidence:
        return False
    if word.seconds <= 0.0:  # the recogniser gave no timing: only confidence can tell
        return top.confidence - word.confidence >= LEAD
    return word.seconds < ARTEFACT_SECONDS


def spoken_words(words: Sequence[Word]) -> tuple[Word, ...]:
    """The words that were speech: all of them, or the one sure word beside artefacts."""
    if len(words) < 2:
        return tuple(words)
    top = max(words, key=lambda w: w.confidence)
    kept = tuple(w for w in words if w is top or not is_artefact(w, top))
    if len(kept) < len(words) and top.confidence < SURE:
        return tuple(words)  # nothing sure enough to stand alone
    return kept


def grammar_phrase(words: Sequence[Word], phrases: Collection[str],
                   polite: Collection[str] = ()) -> tuple[str, tuple[Word, ...]] | None:
    """The phrase the grammar heard, with the words it is made of, or None."""
    kept = spoken_words(words)
    for candidate in (kept, tuple(w for w in kept if normalise(w.word) not in polite)):
        said = normalise(" ".join(w.word for w in candidate))
        if said and said in phrases:
            return said, kept
    return None


def free_form_agrees(grammar_words: Sequence[Word], free_words: Sequence[Word]) -> bool:
    """No free-form word lies outside the utterance the grammar heard (its phrase and the
    artefacts beside it: the same sounds); words without timing have no say."""
    timed = [w for w in grammar_words if w.seconds > 0]
    if not timed:
        return True
    start = min(w.start for w in timed) - SPAN_SLACK_SECONDS
    end = max(w.end for w in timed) + SPAN_SLACK_SECONDS
    return all(start <= w.start and w.end <= end for w in free_words if w.seconds > 0)


def phrase_within(words: Sequence[Word], phrases: Collection[str]) -> str | None:
    """A phrase the grammar heard as a run of its words, whatever came before or after.

    For the wake phrase: with a TV talking, the grammar forces the talk's syllables at the
    phrase's edges onto other short words ("yes compass no"); the phrase itself still stands.
    Ordinary speech is never forced onto a phrase that sits among the pack's other phrases.
    """
    said = [normalise(w.word) for w in words]
    for phrase in phrases:
        size = len(phrase.split())
        if any(" ".join(said[i:i + size]) == phrase for i in range(len(said) - size + 1)):
            return phrase
    return None


def confirmed_phrase(grammar: Sequence[Word], free: Sequence[Word], phrases: Collection[str],
                     polite: Collection[str] = ()) -> tuple[str, tuple[Word, ...]] | None:
    found = grammar_phrase(grammar, phrases, polite)
    if found is None or not free_form_agrees(grammar, free):
        return None
    return found
