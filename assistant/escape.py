"""A person's words on their way out: into a spreadsheet, a Markdown sheet, or a terminal.

An answer is whatever was typed or heard, so it may hold `=HYPERLINK(...)`, `# Heading`,
`<script>`, an ANSI escape or a right-to-left override. The journal keeps the exact text (it is
the person's own, and `forget` and editing work on it; nothing prints it raw). These helpers
make it harmless where it is shown, one place per kind of harm:

- `csv_cell`: a cell that a spreadsheet would run as a formula gets a leading `'` (OWASP).
- `markdown`: Markdown and HTML in the text are escaped, so it can never add structure.
- `visible`: control characters and bidi overrides become visible escapes (`\\x1b`, `\\u202e`).
- `json_text`: the same characters as JSON escapes, so JSON stays exact for a JSON reader.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Every C0/C1 control except newline and tab, and the bidi controls that reorder what is shown.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~!{}])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")


def csv_cell(value: Any) -> Any:
    """A cell as OWASP recommends against formula injection: text starting with = + - @, a tab
    or a carriage return gets a leading apostrophe; the rest of the text is kept exactly."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def visible(text: str) -> str:
    """The text with control characters and bidi overrides shown as escapes, never obeyed."""
    return _HIDDEN.sub(lambda m: _escape_code(m.group(0)), text)


def json_text(dumped: str) -> str:
    """JSON (from json.dumps) with those characters as JSON escapes: the same text when read."""
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def markdown(text: str) -> str:
    """The text as one line of plain Markdown: no heading, emphasis, link, list, table cell,
    code or HTML can come from it (and control characters are shown, not obeyed)."""
    text = _LINE_BREAKS.sub(" ", str(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = re.sub(r"(?<=:)//", r"\/\/", text)                    # no bare https:// autolink
    text = re.sub(r"(?i)\b(www)\.", r"\1\\.", text)              # nor www. autolink
    text = text.replace("@", "\\@")                             # nor an e-mail autolink
    text = _LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), text)
    return visible(text)


def _escape_start(marker: str) -> str:
    """A block marker at the start ('#', '>', '-', '1.') made plain: '\\#', '1\\.' ."""
    return marker + "\\" if marker.isdigit() else "\\" + marker


def _escape_code(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
