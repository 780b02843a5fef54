"""What a conversation says: the pack's texts as spoken, everything a session may say (rendered
ahead), and the texts said as they stand, whoever listens.

Only those last ones may be kept on disk as rendered audio (speech/tts_cache.py): they hold no
person's words. A text with a placeholder ({answer}, {value}) is filled with someone's words, so
it is never among them.
"""

from __future__ import annotations

from assistant.conversation.dialogue import Question
from assistant.packs import Pack, Script


def spoken(pack: Pack, text: str) -> str:
    """A pack text as it is said: {values} becomes the example values."""
    return text.replace("{values}", pack.value_names())


def reask_text(pack: Pack, question: Question) -> str:
    """What is said after the first silence: the question's own re-ask, or the pack's."""
    if question.reask:
        return spoken(pack, question.reask)
    return spoken(pack, pack.phrases["reask"].replace("{question}", question.ask))


def session_prompts(pack: Pack, script: Script) -> list[str]:
    """Everything a session may say, in the order it is likely needed (rendered ahead): every
    question before any re-ask or help, so a slow voice (Piper on a Pi) is ready with the next
    question even after short answers."""
    texts = [script.greeting or pack.phrases["greeting"]]
    texts += [question.ask for question in script.questions]
    for question in script.questions:
        texts += [reask_text(pack, question), question.help]
    texts += [pack.phrases[k] for k in ("another_moment", "next_moment", "skipped", "cap_notice",
                                        "forgotten", "nothing_to_undo", "closing",
                                        "stopped", "later", "confirm_forget", "not_forgotten",
                                        "restored", "nothing_to_restore")]
    texts += [t for t in (script.closing, script.gate_closing) if t]
    return [spoken(pack, t) for t in dict.fromkeys(texts)]


def fixed_texts(pack: Pack) -> frozenset[str]:
    """Every text of the pack that is said as it stands: safe to keep on disk (no person's words)."""
    texts = {t for script in pack.scripts.values() for t in session_prompts(pack, script)}
    for group in (pack.phrases, pack.summary, pack.wake.texts, pack.dilemma):
        texts.update(spoken(pack, text) for text in group.values())
    return frozenset(t for t in texts if "{" not in t)
