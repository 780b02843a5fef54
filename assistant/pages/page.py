"""The page of the weeks as one self-contained HTML file: charts inline, no scripts, no fonts.

Every text from the journal goes through html.escape, so a transcript can never become markup;
every word of the page's own comes from the pack. A Content-Security-Policy allows nothing but
inline styles and data-URI images, so even a browser that followed a link could fetch nothing.
The page reads on a phone (one column, images scale) and prints on A4 (sections stay whole).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from html import escape

from assistant.packs import Pack
from assistant.pages import charts
from assistant.pages.report import ReportData, ReportWeek

STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
  background: #fff; margin: 0 auto; max-width: 46rem; padding: 1rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.2rem; }
.period { font-size: 1.1rem; margin: 0; }
.private, .made, .dates { color: #555; font-size: 0.9rem; }
img.chart { display: block; width: 100%; max-width: 38rem; height: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; }
td.n, th.n { text-align: right; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; }
blockquote { margin: 0.8rem 0; padding: 0.2rem 1rem; border-left: 4px solid #3a9a5b; }
blockquote p { margin: 0; font-style: italic; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; }
  section, article, tr { break-inside: avoid; } h2, h3 { break-after: avoid; } }
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def render(data: ReportData, pack: Pack, made: datetime) -> str:
    """The whole page; `made` appears only in its one "made on" line."""
    say = pack.report
    body = [_header(data, pack, made)]
    if data.empty:
        body.append(f'<p class="empty">{escape(say["empty"])}</p>')
    else:
        body += [_moments(data, pack), _values(data, pack), _authentic(data, pack),
                 _intentions(data, pack), _verzet(data, pack), _quotes(data, pack), _weeks(data, pack)]
    return document(pack.language, CSP, STYLE, say["title"], body)


def document(language: str, csp: str, style: str, title: str, body: list[str]) -> str:
    """A whole self-contained HTML page: its policy, its one inline style, its body as given."""
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{escape(language)}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        f"<title>{escape(title)}</title>", f"<style>{style}</style>", "</head>", "<body>",
        *body, "</body>", "</html>", ""])


def written_date(day: date, pack: Pack) -> str:
    """A date in the pack's language: "16 november 2026", "16 November 2026"."""
    return pack.report["date"].format(day=day.day, month=pack.months[day.month - 1], year=day.year)


def _header(data: ReportData, pack: Pack, made: datetime) -> str:
    say = pack.report
    first, last = data.weeks[0].monday, data.weeks[-1].monday + timedelta(days=6)
    period = say["period"].format(first=written_date(first, pack), last=written_date(last, pack))
    made_line = say["made"].format(date=written_date(made.date(), pack), time=made.strftime("%H:%M"))
    return "\n".join([f"<header><h1>{escape(say['title'])}</h1>",
                      f'<p class="period">{escape(period)}</p>',
                      f'<p class="private">{escape(say["private"])}</p>',
                      f'<p class="made">{escape(made_line)}</p></header>'])


def _labels(data: ReportData, pack: Pack) -> list[str]:
    """Tick labels: "W47"; with the year under it once the span passes a year."""
    long = len(data.weeks) > 52
    short = pack.report["week_short"]
    return [short.format(week=w.week) + (f"\n{w.year}" if long else "") for w in data.weeks]


def _section(heading: str, *parts: str) -> str:
    return "\n".join([f"<section><h2>{escape(heading)}</h2>", *parts, "</section>"])


def _chart(uri: str, alt: str) -> str:
    return f'<img class="chart" src="{uri}" alt="{escape(alt)}">'


def _moments(data: ReportData, pack: Pack) -> str:
    say = pack.report
    uri = charts.grouped(_labels(data, pack), [
        charts.Series(say["moments_label"], tuple(w.facts.moments for w in data.weeks), charts.PALETTE[0]),
        charts.Series(say["days_label"], tuple(w.facts.days for w in data.weeks), charts.PALETTE[1])])
    return _section(say["moments_heading"], _chart(uri, say["moments_heading"]))


def _value_totals(data: ReportData, pack: Pack) -> list[tuple[str, int]]:
    """Values followed in the span, in the pack's order (keys it does not know last)."""
    totals: Counter[str] = Counter()
    for w in data.weeks:
        totals.update(dict(w.facts.values))
    order = {v.key: i for i, v in enumerate(pack.values)}
    return sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def _colour(key: str, pack: Pack) -> str:
    keys = [v.key for v in pack.values]
    index = keys.index(key) if key in keys else len(keys) + sum(map(ord, key))
    return charts.PALETTE[index % len(charts.PALETTE)]


def _values(data: ReportData, pack: Pack) -> str:
    say = pack.report
    totals = _value_totals(data, pack)
    if not totals:
        return _section(say["values_heading"], f"<p>{escape(say['values_none'])}</p>")
    uri = charts.stacked(_labels(data, pack), [
        charts.Series(pack.value_name(key), tuple(dict(w.facts.values).get(key, 0) for w in data.weeks),
                      _colour(key, pack)) for key, _ in totals])
    rows = [f'<tr><td><span class="swatch" style="background:{_colour(key, pack)}"></span>'
            f'{escape(pack.value_name(key))}</td><td class="n">{count}</td></tr>' for key, count in totals]
    table = "\n".join([f'<table class="values"><thead><tr><th>{escape(say["value_column"])}</th>'
                       f'<th class="n">{escape(say["total_column"])}</th></tr></thead><tbody>',
                       *rows, "</tbody></table>"])
    return _section(say["values_heading"], _chart(uri, say["values_heading"]), table)


def _authentic(data: ReportData, pack: Pack) -> str:
    say = pack.report

    def share(w: ReportWeek, own: bool) -> float:
        weighed = w.facts.authentic + w.facts.adapted
        part = w.facts.authentic if own else w.facts.adapted
        return round(100 * part / weighed, 1) if weighed else 0.0

    uri = charts.stacked(_labels(data, pack), [
        charts.Series(say["authentic_label"], tuple(share(w, True) for w in data.weeks), charts.PALETTE[2]),
        charts.Series(say["adapted_label"], tuple(share(w, False) for w in data.weeks), charts.PALETTE[1])],
        ylabel=say["share_label"], percent=True)
    return _section(say["authentic_heading"], _chart(uri, say["authentic_heading"]))


def _intentions(data: ReportData, pack: Pack) -> str:
    say = pack.report
    rows = []
    for w in data.weeks:
        if not (w.facts.moments or w.facts.intention):
            continue
        wish, showed = escape(say["intention_none"]), ""
        if w.facts.intention is not None:
            it = w.facts.intention
            wish = escape(pack.value_name(it.value) if it.value else it.text)
            showed = escape(say["intention_met"].format(count=pack.counted(it.times, "time"))
                            if it.times else say["intention_missed"]) if it.value else ""
        rows.append(f"<tr><td>{escape(say['week'].format(week=w.week))} {w.year}</td>"
                    f"<td>{wish}</td><td>{showed}</td></tr>")
    table = "\n".join([f'<table class="intentions"><thead><tr><th>{escape(say["week_column"])}</th>'
                       f"<th></th><th></th></tr></thead><tbody>", *rows, "</tbody></table>"])
    return _section(say["intention_heading"], table)


def _verzet(data: ReportData, pack: Pack) -> str:
    say = pack.report
    if not any(w.tension for w in data.weeks):
        return _section(say["verzet_heading"], f"<p>{escape(say['verzet_none'])}</p>")
    uri = charts.grouped(_labels(data, pack), [
        charts.Series(say["tension_label"], tuple(w.tension for w in data.weeks), charts.PALETTE[3]),
        charts.Series(say["quiet_label"], tuple(w.quiet for w in data.weeks), charts.PALETTE[4]),
        charts.Series(say["active_label"], tuple(w.active for w in data.weeks), charts.PALETTE[0])])
    totals = (sum(w.tension for w in data.weeks), sum(w.quiet for w in data.weeks),
              sum(w.active for w in data.weeks))
    labels = (say["tension_label"], say["quiet_label"], say["active_label"])
    rows = [f'<tr><td>{escape(label)}</td><td class="n">{n}</td></tr>' for label, n in zip(labels, totals, strict=True)]
    table = "\n".join(['<table class="verzet"><tbody>', *rows, "</tbody></table>"])
    return _section(say["verzet_heading"], _chart(uri, say["verzet_heading"]), table)


def _quotes(data: ReportData, pack: Pack) -> str:
    if not data.quotes:
        return ""
    quotes = [f'<blockquote><p>{escape(q.text)}</p><footer class="dates">'
              f"{escape(written_date(q.said_on, pack))}</footer></blockquote>" for q in data.quotes]
    return _section(pack.report["quotes_heading"], *quotes)


def _weeks(data: ReportData, pack: Pack) -> str:
    say = pack.report
    cards = []
    for w in reversed(data.weeks):
        if not (w.facts.moments or w.tension or w.summary_lines):
            continue
        dates = say["period"].format(first=written_date(w.monday, pack),
                                     last=written_date(w.monday + timedelta(days=6), pack))
        text = " ".join(w.summary_lines) if w.summary_lines else say["no_summary"]
        cards.append("\n".join([f'<article><h3>{escape(say["week"].format(week=w.week))} {w.year}</h3>',
                                f'<p class="dates">{escape(dates)}</p>', f"<p>{escape(text)}</p></article>"]))
    return _section(say["weeks_heading"], *cards)
