"""Understanding short answers: commands, yes/no, the value named, authentic or adapted.

Pure functions of text and the language pack, so every rule is tested without audio.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from assistant.conversation.dialogue import Command
from assistant.packs import Pack

_NON_WORD = re.compile(r"[^\w\s'-]+")


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces: how transcripts and phrases are compared."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def match_command(text: str, pack: Pack) -> Command | None:
    """A command only when the whole utterance is one of the command phrases."""
    said = normalise(text)
    for command, phrases in pack.commands.items():
        if said in (normalise(p) for p in phrases):
            return command
    return None


def match_yes_no(text: str, pack: Pack) -> bool | None:
    yes, no = _count(normalise(text), pack.yes, pack.no)
    return None if yes == no else yes > no


def classify_authentic(text: str, pack: Pack) -> bool | None:
    """True for authentic, False for adapted to others, None when unclear or both.

    A bare yes or no (the whole answer) counts too: the question can be heard as
    "did it feel like your own?"; a yes-word inside a sentence ("not sure") does not.
    """
    said = normalise(text)
    authentic, adapted = _count(said, pack.authentic, pack.adapted)
    if authentic == adapted == 0 and said in {normalise(p) for p in (*pack.yes, *pack.no)}:
        return match_yes_no(said, pack)
    return None if authentic == adapted else authentic > adapted


def classify_resistance(text: str, pack: Pack) -> str | None:
    """quiet, active or none: the kind named most (longest phrases first); None when unclear."""
    said = normalise(text)
    counts = {kind: _count(said, words, ())[0] for kind, words in pack.resistance.items()}
    best = max(counts.values())
    found = [kind for kind, count in counts.items() if count == best]
    return found[0] if best and len(found) == 1 else None


def normalise_value(text: str, pack: Pack, cutoff: float = 0.8) -> str | None:
    """The key of the first value named (by name or synonym), allowing small misrecognitions."""
    words = normalise(text).split()
    best: tuple[int, float, str] | None = None  # (position, -score, key): earliest, then closest
    for value in pack.values:
        for phrase in (value.name, *value.synonyms):
            target = normalise(phrase)
            size = len(target.split())
            for position in range(len(words) - size + 1):
                candidate = " ".join(words[position:position + size])
                score = 1.0 if candidate == target else _similarity(candidate, target)
                if score >= cutoff and (best is None or (position, -score) < best[:2]):
                    best = (position, -score, value.key)
    return best[2] if best else None


def _similarity(candidate: str, target: str) -> float:
    if min(len(candidate), len(target)) < 6:  # short words: exact only ("moe" is not "moed")
        return 0.0
    return difflib.SequenceMatcher(None, candidate, target).ratio()


def _count(said: str, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[int, int]:
    """Count phrase hits, longest phrases first, each stretch of words used once ('not really')."""
    phrases = sorted({(normalise(p), 0) for p in first} | {(normalise(p), 1) for p in second},
                     key=lambda item: -len(item[0]))
    counts = [0, 0]
    padded = f" {said} "
    for phrase, side in phrases:
        needle = f" {phrase} "
        while needle in padded:
            counts[side] += 1
            padded = padded.replace(needle, " | ", 1)
    return counts[0], counts[1]
