"""The fixed names the modules share: kinds of conversation, consent, script names, dilemma
question ids.

Each was once a string literal written in several modules, so a typo in one of them was a
silent mismatch. They are StrEnums: a member *is* its text (`Activity.REFLECT == "reflect"`),
so the config, the language packs, the journal and the control socket keep exactly the words
they always had, and a plain string read from any of them compares equal to its member.
"""

from __future__ import annotations

from enum import StrEnum


class Activity(StrEnum):
    """A kind of conversation the service holds (the schedule's, a trigger's, the wake phrase's)."""

    REFLECT = "reflect"   # the evening reflection: the configured script, or the day's
    SUMMARY = "summary"   # the weekly summary, and next week's intention
    PROMPT = "prompt"     # a short daytime question (the prompt script)
    WAKE = "wake"         # the wake phrase was heard: ask what to do


# What the schedule sets and `assistant trigger` may start (waking is the wake phrase's alone).
SCHEDULED = (Activity.REFLECT, Activity.SUMMARY, Activity.PROMPT)


class Consent(StrEnum):
    """The person's word on "is now a good moment?", and on going on (a session's "later")."""

    YES = "yes"
    NO = "no"
    LATER = "later"


class ScriptName(StrEnum):
    """The script names the code relies on (a language pack may add others of its own)."""

    COMPASS = "compass"   # the values exercise: the default reflection, the summary's subject
    VERZET = "verzet"     # "klein verzet": what did not sit right, and how it was acted on
    PROMPT = "prompt"     # the daytime prompt's one short question
    DILEMMA = "dilemma"   # a workshop dilemma, read back and confirmed before it is kept
    SUMMARY = "summary"   # not a pack script: the intention said during a weekly summary


class DilemmaQuestion(StrEnum):
    """The question ids of the dilemma script: the parts a workshop sheet shows, in that order.

    The pack's `dilemma.summary` sentence names them as placeholders, and its labels are
    `label_<id>` (the family's is `family_heading`)."""

    SITUATION = "situation"
    GOALS = "goals"
    OPTIONS = "options"
    LAST_TIME = "last_time"
    FAMILY = "family"
