"""The {placeholders} a language pack's texts may hold: a misspelt one is refused when the pack
loads, instead of being said aloud as "{qestion}".
"""

from __future__ import annotations

import string
from pathlib import Path

from assistant.errors import UserError
from assistant.names import DilemmaQuestion

# The {placeholders} each text may hold, as the code fills them in: `session.spoken` puts the
# example values in for {values} in everything a session or the weekly talk says through it;
# the others are filled by str.format where that text is said (summary.py, weekly.py, device.py,
# dilemma.py). A text not named here may hold none.
_SPOKEN = frozenset({"values"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "phrases.reask": frozenset({"question", "values"}),
    "phrases.earlier_notes": frozenset({"notes"}),
    "phrases.undone": frozenset({"answer", "values"}),
    "summary.opening_past": frozenset({"week"}),
    "summary.moments": frozenset({"moments", "days"}),
    "summary.values": frozenset({"values"}),
    "summary.new_values": frozenset({"values"}),
    "summary.returned_values": frozenset({"values"}),
    "summary.authentic_mixed": frozenset({"authentic", "adapted"}),
    "summary.more": frozenset({"count"}),
    "summary.fewer": frozenset({"count"}),
    "summary.quote": frozenset({"text"}),
    "summary.intention_met": frozenset({"value", "count"}),
    "summary.intention_missed": frozenset({"value"}),
    "summary.intention_text": frozenset({"text"}),
    "summary.intention_kept": frozenset({"value"}),
    "summary.intention_noted": frozenset({"text"}),
    "summary.verzet_tension": frozenset({"count"}),
    "summary.verzet_acted": frozenset({"quiet", "active"}),
    "summary.ask_intention": _SPOKEN,
    "summary.reask_intention": _SPOKEN,
    "summary.goodbye": _SPOKEN,
    "wake.keep_reply": frozenset({"answers", "days"}),
    "wake.keep_audio": frozenset({"answers", "days"}),
    "wake.enroll": frozenset({"phrase"}),
    "wake.enroll_again": frozenset({"phrase"}),
    "wake.enroll_unheard": frozenset({"phrase"}),
    "wake.enroll_done": frozenset({"phrase"}),
    "report.period": frozenset({"first", "last"}),
    "report.made": frozenset({"date", "time"}),
    "report.intention_met": frozenset({"count"}),
    "report.week": frozenset({"week"}),
    "report.week_short": frozenset({"week"}),
    "report.date": frozenset({"day", "month", "year"}),
    "dilemma.summary": frozenset(DilemmaQuestion),
    "dilemma.family_known": frozenset({DilemmaQuestion.FAMILY}),
    "dilemma.not_read": frozenset({"parts"}),
    "workshop.session": frozenset({"family", "number", "count"}),
    "workshop.participants": frozenset({"count"}),
    "workshop.too_few": frozenset({"minimum"}),
    "workshop.dilemma": frozenset({"id"}),
    "workshop.each": frozenset({"minutes"}),
    "workshop.source": frozenset({"date", "source"}),
    "workshop.made": frozenset({"date"}),
}


def allowed_placeholders(key: str) -> frozenset[str]:
    """What {…} the text at this key may hold: other phrases and a script's texts get {values}."""
    if key in PLACEHOLDERS:
        return PLACEHOLDERS[key]
    if key.startswith("phrases.") or (key.startswith("scripts.") and not key.endswith(".title")
                                      and not key.endswith("].id")):
        return _SPOKEN
    return frozenset()


def check_placeholders(file: Path, key: str, text: str) -> None:
    """A misspelt {qestion} is refused when the pack loads, instead of being said aloud."""
    allowed = allowed_placeholders(key)
    what = ", ".join("{" + p + "}" for p in sorted(allowed)) or "none"
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        raise UserError(f"{file}: {key}: a lone '{{' or '}}'; placeholders allowed here: {what}") from None
    for field in sorted(used):
        if field not in allowed:
            raise UserError(f"{file}: {key}: unknown placeholder {{{field}}}; allowed here: {what}")
