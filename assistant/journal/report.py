"""The report page: one self-contained, printable Dutch HTML page of a few weeks.

A line chart of the check-ins per day, practice minutes per day, a calendar of the
days practised, the tension before and after each practice, patterns, averages per
week and month, and the week's MBSR registration form (``export.form_rows``) at the
end, linked from the top. Charts are inline SVG (``assistant.journal.charts``); the
page has no script, no web font and no reference to anything outside itself, and a
Content-Security-Policy that forbids loading anything. Reflection texts never appear
except in the form, which leaves out flagged entries. ``adempauze journal report``
writes it; ``adempauze dashboard`` serves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from html import escape

from assistant.journal import insights
from assistant.journal.charts import Series, bar_chart, line_chart
from assistant.journal.export import form_rows
from assistant.journal.spoken_insights import best_practice_line, pattern_facts, recent_lines
from assistant.journal.store import Entries
from assistant.journal.summary import date_label, number, week_bounds
from assistant.messages import Messages

CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
"""Nothing may be fetched, run or sent from the page (also sent as a header by the dashboard)."""
COLORS = {"stress": "#b03a2e", "energie": "#1f618d", "motivatie": "#1e8449",
          "stemming": "#7d3c98"}
DASHES = {"stress": "", "energie": "7 4", "motivatie": "2 4", "stemming": "9 3 2 3"}
MINUTES_COLOR = "#2e86c1"


def period_of(today: date, weeks: int) -> tuple[date, date]:
    """The first and last day of a report of ``weeks`` weeks ending ``today``."""
    return today - timedelta(days=7 * weeks - 1), today


def _within(entries: Entries, first: date, last: date) -> Entries:
    def inside(moment: datetime) -> bool:
        return first <= moment.date() <= last

    return Entries(reflections=[r for r in entries.reflections if inside(r.created_at)],
                   sessions=[s for s in entries.sessions if inside(s.started_at)],
                   checkins=[c for c in entries.checkins if inside(c.created_at)])


def _signed(value: float) -> str:
    text = number(abs(value))
    if text == "0":
        return "0"
    return ("\u2212" if value < 0 else "+") + text


def _short(day: date) -> str:
    return f"{day.day}-{day.month}"


def report_page(entries: Entries, first: date, last: date, messages: Messages,
                practice_titles: Mapping[str, str]) -> str:
    """The page for ``first`` to ``last``; ``entries`` may reach further back (for trends)."""
    labels = messages.insights.report
    period = _within(entries, first, last)
    days = insights.days_between(first, last)
    subtitle = labels.subtitle.format(first=date_label(first, messages),
                                      last=date_label(last, messages))
    body = [
        f"<header><h1>{escape(labels.title)}</h1><p class=\"sub\">{escape(subtitle)}</p>",
        f'<p class="link"><a href="#formulier">{escape(labels.form_link)}</a></p></header>',
        _summary(entries, period, last, messages, practice_titles),
        _measures(period, days, messages),
        _minutes(period, days, messages),
        _calendar(period, first, last, messages),
        _practices(period, messages, practice_titles),
        _patterns(period, messages),
        _periods(entries, first, last, messages),
        _form(entries, last, messages, practice_titles),
        f"<footer>{escape(labels.footer)}</footer>",
    ]
    return _PAGE.format(policy=CONTENT_POLICY, title=escape(labels.title),
                        body="\n".join(body), style=_STYLE)


def _summary(entries: Entries, period: Entries, last: date, messages: Messages,
             titles: Mapping[str, str]) -> str:
    labels = messages.insights.report
    facts = recent_lines(entries, last, messages)
    best = best_practice_line(period, messages, titles)
    facts += [best] if best else []
    facts += pattern_facts(period, messages)
    if insights.sustained_stress(entries.checkins, last):
        facts.append(messages.insights.help_advice)
    items = "".join(f"<li>{escape(fact)}</li>" for fact in facts)
    return f"<section><h2>{escape(labels.summary)}</h2><ul>{items}</ul></section>"


def _measures(period: Entries, days: list[date], messages: Messages) -> str:
    labels = messages.insights.report
    heading = f"<h2>{escape(labels.measures_chart)}</h2>"
    present = {c.measure for c in period.checkins}
    series = []
    for measure in [m for m in messages.checkin.measures if m in present]:
        levels = insights.daily_levels(period.checkins, measure)
        name = labels.measure_labels.get(measure, measure)
        values = [levels.get(day) for day in days]
        tips = [labels.measure_tip.format(day=date_label(day, messages), name=name,
                                          value=number(value)) if value is not None else ""
                for day, value in zip(days, values, strict=True)]
        series.append(Series(name, values, COLORS.get(measure, "#555"),
                             DASHES.get(measure, "4 2"), tips))
    if not series:
        return f'<section class="chart">{heading}<p>{escape(labels.no_checkins)}</p></section>'
    chart = line_chart(labels.measures_chart, [_short(d) for d in days], series)
    return f'<section class="chart">{heading}{chart}</section>'


def _minutes(period: Entries, days: list[date], messages: Messages) -> str:
    labels = messages.insights.report
    heading = f"<h2>{escape(labels.minutes_chart)}</h2>"
    per_day = insights.minutes_per_day(period.sessions)
    if not per_day:
        return f'<section class="chart">{heading}<p>{escape(labels.no_practice)}</p></section>'
    values = [per_day.get(day, 0.0) for day in days]
    tips = [labels.minutes_tip.format(day=date_label(day, messages), minutes=number(value))
            for day, value in zip(days, values, strict=True)]
    chart = bar_chart(labels.minutes_chart, [_short(d) for d in days], values, MINUTES_COLOR,
                      tips)
    return f'<section class="chart">{heading}{chart}</section>'


def _calendar(period: Entries, first: date, last: date, messages: Messages) -> str:
    labels = messages.insights.report
    done = insights.consistency(period.sessions, first, last)
    caption = labels.calendar_caption.format(days=done.days_practised, total=done.days,
                                             percent=done.percent,
                                             minutes=round(done.minutes))
    head = "".join(f"<th>{escape(d)}</th>" for d in labels.weekdays)
    rows = []
    monday = week_bounds(first)[0]
    while monday <= last:
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if not first <= day <= last:
                cells.append('<td class="out"></td>')
            elif day in done.practised_days:
                cells.append(f'<td class="done">{day.day} \u2713</td>')
            else:
                cells.append(f"<td>{day.day}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
        monday += timedelta(days=7)
    return (f'<section><h2>{escape(labels.calendar)}</h2><p class="caption">{escape(caption)}'
            f'</p><table class="calendar"><thead><tr>{head}</tr></thead><tbody>'
            f'{"".join(rows)}</tbody></table></section>')


def _practices(period: Entries, messages: Messages, titles: Mapping[str, str]) -> str:
    labels = messages.insights.report
    effects = insights.practice_effects(period.sessions)
    heading = f"<h2>{escape(labels.practices)}</h2>"
    if not effects:
        return f"<section>{heading}<p>{escape(labels.no_practice)}</p></section>"
    head = "".join(f"<th>{escape(text)}</th>" for text in (
        labels.practice, labels.sessions, labels.minutes, labels.pairs, labels.before,
        labels.after, labels.change))
    rows = []
    for effect in effects:
        cells = [f'<td class="name">{escape(titles.get(effect.practice_id, effect.practice_id))}'
                 "</td>",
                 f'<td class="num">{effect.sessions}</td>',
                 f'<td class="num">{round(effect.minutes)}</td>',
                 f'<td class="num">{effect.pairs}</td>']
        if effect.shown and effect.mean_before is not None and effect.mean_after is not None:
            cells += [f'<td class="num">{number(effect.mean_before)}</td>',
                      f'<td class="num">{number(effect.mean_after)}</td>',
                      f'<td class="num">{_signed(effect.mean_after - effect.mean_before)}</td>']
        else:
            cells.append(f'<td colspan="3" class="few">{escape(labels.too_few)}</td>')
        rows.append(f'<tr data-practice="{escape(effect.practice_id)}">{"".join(cells)}</tr>')
    return (f'<section>{heading}<table class="practices"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><p class="note">'
            f"{escape(labels.practices_note)}</p></section>")


def _patterns(period: Entries, messages: Messages) -> str:
    labels = messages.insights.report
    lines = pattern_facts(period, messages) or [messages.insights.spoken.patterns_none]
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<section><h2>{escape(labels.patterns)}</h2><ul>{items}</ul></section>"


def _periods(entries: Entries, first: date, last: date, messages: Messages) -> str:
    labels = messages.insights.report
    measures = [m for m in messages.checkin.measures
                if any(c.measure == m for c in entries.checkins
                       if first <= c.created_at.date() <= last)]
    if not measures:
        return ""
    head = f"<th>{escape(labels.period)}</th>" + "".join(
        f"<th>{escape(labels.measure_labels.get(m, m))}</th>" for m in measures)
    rows = []
    for kind in ("week", "month"):
        starts: dict[date, dict[str, insights.PeriodAverage]] = {}
        for measure in measures:
            for average in insights.period_averages(entries.checkins, measure, kind):
                if average.start >= insights.period_start(first, kind) and average.start <= last:
                    starts.setdefault(average.start, {})[measure] = average
        for start in sorted(starts):
            if kind == "week":
                label = labels.week.format(week=start.isocalendar()[1])
            else:
                label = labels.month.format(month=messages.journal.days.months[start.month - 1],
                                            year=start.year)
            cells = []
            for measure in measures:
                found = starts[start].get(measure)
                if found is None:
                    cells.append("<td></td>")
                    continue
                word = getattr(labels.trends, found.trend) if found.trend else ""
                extra = f" ({escape(word)})" if word else ""
                cells.append(f'<td class="num">{number(found.mean)}{extra}</td>')
            rows.append(f"<tr><td>{escape(label)}</td>{''.join(cells)}</tr>")
    return (f'<section><h2>{escape(labels.periods)}</h2><table class="periods"><thead><tr>'
            f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def _form(entries: Entries, last: date, messages: Messages, titles: Mapping[str, str]) -> str:
    form = messages.journal.form
    monday, next_monday = week_bounds(last)
    start, end = datetime.combine(monday, time()), datetime.combine(next_monday, time())
    week = Entries(reflections=[r for r in entries.reflections if start <= r.created_at < end],
                   sessions=[s for s in entries.sessions if start <= s.started_at < end],
                   checkins=[])
    year, number_, _ = monday.isocalendar()
    subtitle = form.subtitle.format(week=f"{year}-W{number_:02d}",
                                    first=date_label(monday, messages),
                                    last=date_label(next_monday - timedelta(days=1), messages))
    head = "".join(f"<th>{escape(text)}</th>" for text in (
        form.day, form.practice, form.activity, form.experiences))
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in form_rows(week, monday, messages, dict(titles)))
    return (f'<section class="form" id="formulier"><h2>{escape(form.title)}</h2>'
            f'<p class="sub">{escape(subtitle)}</p><p class="name">{escape(form.name)}: '
            f'<span>&nbsp;</span></p><table class="form"><colgroup><col class="day">'
            f'<col class="practice"><col class="activity"><col></colgroup><thead><tr>{head}'
            f"</tr></thead><tbody>{rows}</tbody></table><p class=\"note\">"
            f"{escape(form.footer)}</p></section>")


_STYLE = """
  @page { size: A4; margin: 14mm; }
  @page form { size: A4 landscape; margin: 14mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
  body { font-family: "DejaVu Sans", Arial, sans-serif; color: #111; background: #fff;
         margin: 0 auto; padding: 6mm; max-width: 190mm; font-size: 10.5pt; line-height: 1.4; }
  h1 { font-size: 20pt; margin: 0 0 1mm 0; }
  h2 { font-size: 13pt; margin: 6mm 0 2mm 0; }
  p.sub { margin: 0 0 2mm 0; }
  section { break-inside: avoid; }
  svg.chart { display: block; width: 100%; height: auto; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #888; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; white-space: nowrap; }
  td.few { color: #555; font-style: italic; }
  table.calendar td { text-align: center; width: 14.28%; height: 9mm; }
  table.calendar td.done { background: #cde5cf; font-weight: bold; }
  table.calendar td.out { background: #f7f7f7; }
  p.note, footer { font-size: 9pt; color: #333; }
  footer { margin-top: 6mm; }
  section.form { page: form; break-before: page; }
  table.form td { height: 16mm; }
  table.form col.day { width: 16%; } table.form col.practice { width: 22%; }
  table.form col.activity { width: 22%; }
  p.name span { display: inline-block; width: 80mm; border-bottom: 1px solid #000; }
  @media print { body { max-width: none; padding: 0; }
                 a { color: inherit; text-decoration: none; } }
"""

_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
{body}
</body>
</html>
"""
