"""What the device says as it stands, whoever listens: the pack's questions and phrases.

Only these may be kept on disk as rendered audio (speech/tts_cache.py): they hold no person's
words. A text with a placeholder ({answer}, {value}) is filled with someone's words, so it is
never among them.
"""

from __future__ import annotations

from assistant.conversation.session import session_prompts, spoken
from assistant.packs import Pack


def fixed_texts(pack: Pack) -> frozenset[str]:
    """Every text of the pack that is said as it stands: safe to keep on disk (no person's words)."""
    texts = {t for script in pack.scripts.values() for t in session_prompts(pack, script)}
    for group in (pack.phrases, pack.summary, pack.wake.texts, pack.dilemma):
        texts.update(spoken(pack, text) for text in group.values())
    return frozenset(t for t in texts if "{" not in t)
