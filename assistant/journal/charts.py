"""Small inline SVG charts for the report page: a line chart and a bar chart.

Plain SVG written here rather than a charting library: the page needs two simple
charts, must not run scripts or fetch anything, and must print well. Each point
and bar carries a ``<title>`` (a tooltip without script); every series also has a
dash pattern, so the lines stay apart on a black-and-white print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 270
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 34, 36
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line: a value (or None: no data) per x position."""

    label: str
    values: Sequence[float | None]
    color: str
    dash: str = ""
    """An SVG ``stroke-dasharray`` ("" is a solid line)."""
    tips: Sequence[str] | None = None
    """A tooltip per value (defaults to label and value)."""


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _x_positions(count: int) -> list[float]:
    width = WIDTH - LEFT - RIGHT
    if count == 1:
        return [LEFT + width / 2]
    return [LEFT + width * i / (count - 1) for i in range(count)]


def _slot_positions(count: int) -> tuple[list[float], float]:
    """Centres of ``count`` equal slots and the slot width (for bars)."""
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return [LEFT + slot * (i + 0.5) for i in range(count)], slot


def _y(value: float, y_max: float) -> float:
    height = HEIGHT - TOP - BOTTOM
    return TOP + height * (1 - value / y_max)


def _axes(y_max: float, y_step: float, x_labels: Sequence[str], xs: Sequence[float],
          title: str) -> list[str]:
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>",
             f'<g {FONT} font-size="12" fill="#222">']
    steps = int(round(y_max / y_step))
    for n in range(steps + 1):
        value = n * y_step
        y = _y(value, y_max)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    every = max(1, math.ceil(len(x_labels) / 10))
    last = len(x_labels) - 1
    for index, (label, x) in enumerate(zip(x_labels, xs, strict=True)):
        regular = index % every == 0 and (index == last or last - index >= every / 2)
        if regular or index == last:
            anchor = "end" if index == last and last > 0 and x > WIDTH - RIGHT - 20 else "middle"
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                         f'text-anchor="{anchor}">{escape(label)}</text>')
    parts.append("</g>")
    return parts


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series],
               y_max: float = 10, y_step: float = 2) -> str:
    """Lines over days; a missing value breaks the line, a lone value is a dot."""
    xs = _x_positions(len(x_labels))
    parts = _axes(y_max, y_step, x_labels, xs, title)
    legend_x = LEFT
    for line in series:
        if len(line.values) != len(x_labels):
            raise ValueError(f"series {line.label!r} has {len(line.values)} values "
                             f"for {len(x_labels)} days")
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for x, value in zip(xs, line.values, strict=True):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{x:.1f},{_y(value, y_max):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" '
                             f'stroke="{line.color}" stroke-width="2.5"{dash}/>')
        tips = line.tips or [f"{line.label}: {_fmt(v)}" if v is not None else ""
                             for v in line.values]
        for x, value, tip in zip(xs, line.values, tips, strict=True):
            if value is not None:
                parts.append(f'<circle cx="{x:.1f}" cy="{_y(value, y_max):.1f}" r="3.5" '
                             f'fill="{line.color}"><title>{escape(tip)}</title></circle>')
        parts.append(f'<line x1="{legend_x}" y1="14" x2="{legend_x + 28}" y2="14" '
                     f'stroke="{line.color}" stroke-width="3"{dash}/>')
        parts.append(f'<text x="{legend_x + 34}" y="18" {FONT} font-size="13" '
                     f'fill="#222">{escape(line.label)}</text>')
        legend_x += 44 + 8 * len(line.label)
    parts.append("</svg>")
    return "".join(parts)


def nice_maximum(value: float) -> tuple[float, float]:
    """An axis maximum at or above ``value`` and a step for about five grid lines."""
    for top, step in ((5, 1), (10, 2), (15, 5), (20, 5), (30, 10), (40, 10), (60, 15),
                      (90, 30), (120, 30), (180, 60), (240, 60)):
        if value <= top:
            return float(top), float(step)
    big_step = 60.0 * math.ceil(value / 240)
    return big_step * math.ceil(value / big_step), big_step


def bar_chart(title: str, x_labels: Sequence[str], values: Sequence[float], color: str,
              tips: Sequence[str] | None = None) -> str:
    """One bar per day (0: no bar); the axis grows to the largest value."""
    if len(values) != len(x_labels):
        raise ValueError(f"{len(values)} values for {len(x_labels)} days")
    y_max, y_step = nice_maximum(max(values, default=0.0))
    xs, slot = _slot_positions(len(x_labels))
    parts = _axes(y_max, y_step, x_labels, xs, title)
    width = max(2.0, slot * 0.7)
    base = _y(0, y_max)
    texts = tips or [_fmt(v) for v in values]
    for x, value, tip in zip(xs, values, texts, strict=True):
        if value <= 0:
            continue
        top = _y(value, y_max)
        parts.append(f'<rect x="{x - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
                     f'height="{base - top:.1f}" fill="{color}"><title>{escape(tip)}</title>'
                     "</rect>")
    parts.append("</svg>")
    return "".join(parts)
