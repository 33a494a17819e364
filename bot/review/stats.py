"""Counts per day for the admin overview, and a bar chart of them as plain SVG."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from bot.review.conversations import Conversation, local_time


@dataclass(frozen=True)
class Day:
    day: dt.date
    conversations: int = 0
    messages: int = 0
    fallbacks: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.messages if self.messages else 0.0


def per_day(
    conversations: Iterable[Conversation],
    votes: Iterable[tuple[str, dt.datetime]],
    first: dt.date,
    last: dt.date,
) -> list[Day]:
    """One row per day from `first` to `last` (Norwegian dates), empty days included."""
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    senders: dict[dt.date, set[str]] = {d: set() for d in days}
    counts: dict[dt.date, dict[str, int]] = {d: {} for d in days}

    def bump(day: dt.date, key: str) -> None:
        if day in counts:
            counts[day][key] = counts[day].get(key, 0) + 1

    for conversation in conversations:
        for turn in conversation.turns:
            day = turn.time.date()
            if day in senders:
                senders[day].add(conversation.sender_id)
            bump(day, "messages")
            if turn.is_fallback:
                bump(day, "fallbacks")
    for value, created in votes:
        aware = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
        bump(local_time(aware.timestamp()).date(), f"thumbs_{value}")
    return [Day(d, conversations=len(senders[d]), **counts[d]) for d in days]


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    percent: bool = False,
) -> Markup:
    """Grouped bars, one group per label; `series` is (name, CSS class, values).

    Server-rendered so the admin needs no JavaScript; colours come from admin.css.
    """
    height, top, bottom, left = 180, 12, 34, 40
    group = max(12, 8 * len(series) + 6)
    legend_width = left + sum(14 + 7 * len(name) for name, _, _ in series)
    width = max(left + group * max(1, len(labels)) + 10, legend_width)
    peak = max([v for _, _, values in series for v in values] + [0.0])
    scale = 1.0 if percent else max(1.0, peak)
    plot = height - top - bottom

    def fmt(value: float) -> str:
        return f"{value:.0%}" if percent else f"{value:g}"

    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot}" x2="{width}" y2="{top + plot}"/>',
        f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{fmt(scale)}</text>',
        f'<text class="tick" x="{left - 4}" y="{top + plot}" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * group + 3
        for j, (name, css, values) in enumerate(series):
            value = values[i]
            bar = plot * value / scale
            parts.append(
                f'<rect class="{html.escape(css)}" x="{x0 + j * 8}" y="{top + plot - bar:.1f}" '
                f'width="7" height="{bar:.1f}"><title>{html.escape(label)} · '
                f"{html.escape(name)}: {fmt(value)}</title></rect>"
            )
        if len(labels) <= 16 or i % max(1, len(labels) // 8) == 0:
            y = height - bottom + 14
            parts.append(f'<text class="tick" x="{x0}" y="{y}">{html.escape(label)}</text>')
    legend_x = left
    for name, css, _ in series:
        parts.append(
            f'<rect class="{html.escape(css)}" x="{legend_x}" y="{height - 12}" '
            f'width="8" height="8"/><text class="legend" x="{legend_x + 11}" '
            f'y="{height - 4}">{html.escape(name)}</text>'
        )
        legend_x += 14 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))
