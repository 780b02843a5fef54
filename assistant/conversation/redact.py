"""Leaving names out of text that is to be shared: as names, never as the words they are made of.

"Jan de Vries" must take "Jan de Vries", "De Vries", "Jan" and "Vries" with it, but never the
"de" of "de regels": the little words of a language that names borrow (de, van, der, the, of)
are the pack's `dilemma.function_words` and are never removed on their own.

Where a part of a name stands alone it is taken only when it stands as a name. Typed text has
capitals, so there a part counts when it is capitalised ("Rock" is a name, "rock" a stone).
A transcript (Vosk writes everything in lower case) has no capitals to tell by, so there a part
counts wherever it is a whole word.
"""

from __future__ import annotations

import re

LEFT_OUT = "[…]"
_SEPARATORS = re.compile(r"[,;/]+")
_RUNS = re.compile(re.escape(LEFT_OUT) + r"(?:\s+" + re.escape(LEFT_OUT) + ")+")


def names_from(said: str, joiners: tuple[str, ...]) -> list[str]:
    """The names in 'Jan de Vries and Anna van der Berg' (commas and the joiners separate them)."""
    words = "|".join(re.escape(j) for j in joiners if j.strip())
    parts = _SEPARATORS.split(said)
    if words:
        parts = [p for part in parts for p in re.split(rf"\s+(?:{words})\s+", part, flags=re.IGNORECASE)]
    names = (" ".join(re.findall(r"[\w'’-]+", part)) for part in parts)
    return [n for n in names if len(n) > 1]


def leave_out(text: str, names: list[str], function_words: tuple[str, ...] = ()) -> str:
    """The text with each name, and each part of it that stands as a name, replaced by '[…]'."""
    little = {w.casefold() for w in function_words}
    cased = text != text.lower()
    for phrase in _candidates(names, little):
        whole = phrase in names
        text = _replace(text, phrase, little, need_capitals=cased and not whole)
    return _RUNS.sub(LEFT_OUT, text)  # "Jan" and "de Vries" left out side by side: one gap


def _candidates(names: list[str], little: set[str]) -> list[str]:
    """Each name, each surname with its particles ('de Vries', 'van der Berg'), and each word of
    it that is not a little word; longest first, so a whole name goes before its parts."""
    found: list[str] = []
    for name in names:
        tokens = name.split()
        is_little = [t.casefold() in little for t in tokens]
        if all(is_little):
            continue  # a name made only of little words would take them everywhere
        found.append(name)
        for start in range(len(tokens)):
            if is_little[start] and (start == 0 or not is_little[start - 1]):
                end = next((i for i in range(start, len(tokens)) if not is_little[i]), None)
                if end is not None:
                    found.append(" ".join(tokens[start:end + 1]))
        found += [t for t, small in zip(tokens, is_little, strict=True) if not small and len(t) > 1]
    unique = dict.fromkeys(found)
    return sorted(unique, key=lambda p: len(p.split()), reverse=True)


def _replace(text: str, phrase: str, little: set[str], need_capitals: bool) -> str:
    tokens = phrase.split()
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in tokens) + r"(?!\w)", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        if need_capitals and not _capitalised(match.group(0), little):
            return match.group(0)
        return LEFT_OUT

    return pattern.sub(swap, text)


def _capitalised(found: str, little: set[str]) -> bool:
    """Every word of it that is not a little word starts with a capital: it stands as a name."""
    return all(word[0].isupper() for word in found.split() if word.casefold() not in little)
