"""What the workshop's printed pages share: one self-contained HTML file each, for A4, with no
scripts, fonts or images of their own and a Content-Security-Policy that loads nothing.

Every text that came from a teller or the moderator passes `text`: HTML-escaped, and control or
bidi characters shown as escapes, so no answer can ever become markup or reorder a line.
"""

from __future__ import annotations

from datetime import date
from html import escape

from assistant.escape import visible
from assistant.packs import Pack
from assistant.pages.page import document, written_date

CSP = "default-src 'none'; style-src 'unsafe-inline'"
STYLE = """
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
  background: #fff; margin: 0 auto; max-width: 46rem; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.2rem 0; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.4rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.05rem; margin: 1rem 0 0.2rem; }
.intro, .made, .source { color: #444; font-size: 0.9rem; }
.flag { font-weight: bold; color: #8a1c00; }
table.agenda { border-collapse: collapse; width: 100%; }
table.agenda td { padding: 0.2rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.time { white-space: nowrap; width: 7rem; font-variant-numeric: tabular-nums; }
dl { margin: 0.3rem 0; } dt { font-weight: bold; } dd { margin: 0 0 0.3rem 1rem; }
ol.scenarios { padding-left: 0; list-style: none; }
ol.scenarios li { border: 1px solid #999; border-radius: 4px; padding: 0.4rem 0.6rem; margin: 0.3rem 0;
  min-height: 2.2rem; }
.number { font-weight: bold; margin-right: 0.4rem; }
.blank { color: #777; }
.box { display: inline-block; width: 0.9em; height: 0.9em; border: 1.5px solid #1d1d1f;
  vertical-align: -0.1em; margin: 0 0.3em 0 0.8em; text-align: center; line-height: 0.9em; }
.card { border: 2px solid #1d1d1f; border-radius: 8px; padding: 1rem 1.2rem; margin: 1rem 0; }
.card ol.scenarios li { font-size: 1.1rem; }
.card .number { font-size: 1.8rem; vertical-align: middle; margin-right: 0.8rem; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; }
  article, section.list, tr, li { break-inside: avoid; } h2, h3 { break-after: avoid; }
  section.session + section.session { break-before: page; } .card { break-after: page; } }
"""


def text(value: str) -> str:
    return escape(visible(value))


def box(ticked: bool = False) -> str:
    return f'<span class="box">{"✕" if ticked else ""}</span>'


def page(title: str, intro: str, made: date, pack: Pack, body: list[str]) -> str:
    made_line = pack.workshop["made"].format(date=written_date(made, pack))
    header = [f"<header><h1>{escape(title)}</h1>", f'<p class="intro">{escape(intro)}</p>',
              f'<p class="made">{escape(made_line)}</p></header>']
    return document(pack.language, CSP, STYLE, title, [*header, *body])
