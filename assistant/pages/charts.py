"""Charts for the page of the weeks: matplotlib (Agg, no display) to SVG, as data URIs.

matplotlib is imported only here, and only when a page is made, so the voice commands never pay
for it. Output is deterministic: a fixed hash salt for SVG ids, no date in the metadata, glyphs
drawn as paths (DejaVu Sans ships with matplotlib), so the same data gives the same bytes and the
page looks the same in every browser, without fonts of its own.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from assistant.errors import UserError

if TYPE_CHECKING:  # matplotlib is imported only when a page is made
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_INCHES, HEIGHT_INCHES = 5.6, 2.5  # narrow enough that labels stay legible on a phone
MAX_TICKS = 13          # week labels shown under a chart; more weeks get every n-th label
PALETTE = ("#1b6ca8", "#e0822f", "#3a9a5b", "#c6413b", "#8a63b8", "#8c564b", "#d46aa9",
           "#6f6f6f", "#a8a82c", "#1fa3b5", "#3b3b98", "#b07d2b")  # colour-blind-friendly first


@dataclass(frozen=True)
class Series:
    """One row of numbers over the weeks, with the label shown in the legend."""

    label: str
    values: tuple[float, ...]
    colour: str


def _pyplot() -> ModuleType:
    """matplotlib.pyplot, set up for deterministic SVG."""
    try:
        import matplotlib
    except ImportError:
        raise UserError("the report needs matplotlib; install it with `pip install matplotlib`") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "assistant-report", "svg.fonttype": "path",
                         "font.family": "DejaVu Sans", "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def grouped(weeks: list[str], series: list[Series], ylabel: str = "") -> str:
    """Bars side by side per week (moments and days; tension, quiet, active)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_INCHES, HEIGHT_INCHES))
    width = 0.8 / max(1, len(series))
    for n, one in enumerate(series):
        offset = (n - (len(series) - 1) / 2) * width
        ax.bar([i + offset for i in range(len(weeks))], one.values, width, label=one.label,
               color=one.colour)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _finish(plt, fig, ax, weeks, ylabel, len(series))


def stacked(weeks: list[str], series: list[Series], ylabel: str = "", percent: bool = False) -> str:
    """Bars stacked per week (values followed; authentic and adapted shares)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_INCHES, HEIGHT_INCHES))
    bottom = [0.0] * len(weeks)
    for one in series:
        ax.bar(range(len(weeks)), one.values, 0.7, bottom=bottom, label=one.label, color=one.colour)
        bottom = [b + v for b, v in zip(bottom, one.values, strict=True)]
    if percent:
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter("{x:.0f}%")
    else:
        ax.yaxis.get_major_locator().set_params(integer=True)
    return _finish(plt, fig, ax, weeks, ylabel, len(series))


def _finish(plt: ModuleType, fig: Figure, ax: Axes, weeks: list[str], ylabel: str,
            entries: int) -> str:
    step = max(1, -(-len(weeks) // MAX_TICKS))
    ax.set_xticks(range(0, len(weeks), step), weeks[::step])
    ax.set_xlim(-0.6, len(weeks) - 0.4)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), ncol=min(entries, 4), frameon=False)
    fig.tight_layout()
    return _data_uri(plt, fig)


def _data_uri(plt: ModuleType, fig: Figure) -> str:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "assistant"})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
