"""Small SVG charts drawn on the server, for print (WeasyPrint) and for pages.

Each function returns safe SVG markup with a <title> and an aria-label, so the chart has a
text alternative; the report beside it always gives the same figures as a table too.
Colours are dark enough for text-level contrast on white (WCAG 2.2 AA).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

SERIES_COLOURS = ["#4a1a6b", "#00695c", "#b3400b", "#1f4e99"]
TEXT = "#1b1b1b"
MUTED = "#5a5a5a"
GRID = "#d0d0d0"
FONT = "Liberation Sans, DejaVu Sans, sans-serif"


def _text(x, y, content, *, size=10, anchor="start", colour=TEXT, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}">{escape(content)}</text>'
    )


def _svg(width, height, title, body):
    return mark_safe(  # noqa: S308 (every piece of text in `body` went through escape)
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}"><title>{escape(title)}</title>{body}</svg>'
    )


def _legend(series_names, x, y):
    parts = []
    for index, name in enumerate(series_names):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, name))
        x += 24 + 6.2 * len(name)
    return "".join(parts)


def _svg_part(width, height, label, body):
    """One SVG of a chart made of several: a picture with its own text alternative."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}"><title>{escape(label)}</title>{body}</svg>'
    )


def horizontal_bars(*, title, categories, series, scale_max, scale_labels=None, width=480):
    """One group of bars per category, the category's name written above its bars.

    `series` is a list of (name, values), one value per category (None: no bar).
    `scale_labels` names the ticks 1..scale_max (e.g. a self-assessment scale).

    The names are HTML text between one small SVG per category (bars and grid lines), not
    SVG text: WeasyPrint lays SVG text out a letter at a time, which cost more than the
    rest of a four-page report's chart put together. Returns safe HTML: a <div class="chart">.
    """
    step = 1
    if not scale_labels:  # a count: at most five ticks, on round numbers
        step = max(1, -(-scale_max // 4))
        scale_max = step * 4
    bar_height, bar_gap = 9, 2
    left, right = 4, 16
    plot_width = width - left - right
    ticks = range(0, scale_max + 1, step)

    def value_label(value):
        return scale_labels[value - 1] if scale_labels else str(value)

    parts = [f'<div class="chart" role="group" aria-label="{escape(title)}">']
    if len(series) > 1:
        legend = _legend([name for name, _ in series], left, 12)
        parts.append(_svg_part(width, 16, f"Key: {', '.join(n for n, _ in series)}", legend))
    for index, category in enumerate(categories):
        unrated = [name for name, values in series if values[index] is None]
        note = f" ({', '.join(unrated)}: not rated)" if unrated else ""
        parts.append(f'<p class="chart-label">{escape(category)}{escape(note)}</p>')
        height = len(series) * (bar_height + bar_gap) + 2
        body = []
        for tick in ticks:
            x = left + plot_width * tick / scale_max
            body.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{GRID}"/>')
        said = []
        y = 1
        for series_index, (name, values) in enumerate(series):
            value = values[index]
            if value is not None:
                colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
                bar = max(plot_width * value / scale_max, 1.5)
                body.append(
                    f'<rect x="{left}" y="{y:.1f}" width="{bar:.1f}" height="{bar_height}" '
                    f'fill="{colour}"/>'
                )
                said.append(f"{name} {value_label(value)}")
            y += bar_height + bar_gap
        label = f"{category}: {', '.join(said) if said else 'not rated'}"
        parts.append(_svg_part(width, height, label, "".join(body)))
    # The scale under the last group: short labels, so SVG text costs little here.
    axis = []
    for tick in ticks:
        if scale_labels and not tick:
            continue
        x = left + plot_width * tick / scale_max
        anchor = "end" if tick == scale_max else ("start" if tick == 0 else "middle")
        text = value_label(tick) if tick else "0"
        axis.append(_text(x, 11, text, size=8.5, anchor=anchor, colour=MUTED))
    scale_words = ", ".join(value_label(t) for t in ticks if t) if scale_labels else ""
    axis_label = f"Scale: {scale_words}" if scale_labels else f"Scale: 0 to {scale_max}"
    parts.append(_svg_part(width, 16 if scale_labels else 14, axis_label, "".join(axis)))
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text went through escape)


def columns(*, title, periods, series, width=480, height=180):
    """Grouped columns per period (e.g. month), with a value axis starting at zero."""
    left, right, top, bottom = 30, 6, 24 if len(series) > 1 else 8, 30
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max([value for _, values in series for value in values] + [1])
    step = max(1, -(-peak // 4))
    axis_max = step * 4
    parts = [_legend([name for name, _ in series], left, 12)] if len(series) > 1 else []
    for tick in range(0, axis_max + 1, step):
        y = top + plot_height - plot_height * tick / axis_max
        x_end = left + plot_width
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{x_end}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 4, y + 3, str(tick), size=8.5, anchor="end", colour=MUTED))
    slot = plot_width / max(len(periods), 1)
    bar = min(18, (slot - 4) / max(len(series), 1))
    label_every = max(1, -(-len(periods) // 12))
    for index, period in enumerate(periods):
        x0 = left + index * slot + (slot - bar * len(series)) / 2
        for series_index, (name, values) in enumerate(series):
            value = values[index]
            bar_height = plot_height * value / axis_max
            colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{x0 + series_index * bar:.1f}" y="{top + plot_height - bar_height:.1f}" '
                f'width="{bar - 1:.1f}" height="{bar_height:.1f}" fill="{colour}">'
                f"<title>{escape(period)}, {escape(name)}: {value}</title></rect>"
            )
        if index % label_every == 0:
            centre = left + index * slot + slot / 2
            parts.append(
                _text(centre, top + plot_height + 13, period, size=8, anchor="middle", colour=MUTED)
            )
    return _svg(width, height, title, "".join(parts))


# --- Charts for pages: one SVG each, its labels drawn in it ---------------------------------


def _count_axis(peak, ticks=4):
    """A count axis from zero on round numbers: (step, axis maximum)."""
    step = max(1, -(-peak // ticks))
    return step, step * ticks


def _shorten(text, characters):
    return text if len(text) <= characters else text[: max(characters - 1, 1)].rstrip() + "…"


def labelled_bars(*, title, rows, width=600, colour=SERIES_COLOURS[0]):
    """One horizontal bar per row, its name left of it and its value right of it.

    `rows` is a list of (name, count). Names too long for the label column are shortened in
    the picture (each bar's <title> has it whole); the page's table beside it has every
    figure. Returns safe SVG.
    """
    row_height, bar_height, top, bottom = 26, 16, 4, 22
    letter = 7.0  # the average width of a 13-unit letter, for the label column
    peak = max([value for _, value in rows] + [1])
    step, axis_max = _count_axis(peak)
    longest = max((len(name) for name, _ in rows), default=0)
    label_width = min(max(60, letter * longest + 10), width * 0.48)
    value_width = letter * len(str(peak)) + 12
    plot_left, plot_width = label_width, width - label_width - value_width
    height = top + row_height * max(len(rows), 1) + bottom
    parts = []
    for tick in range(0, axis_max + 1, step):
        x = plot_left + plot_width * tick / axis_max
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, height - 6, str(tick), size=11, anchor="middle", colour=MUTED))
    characters = int((label_width - 10) / letter)
    for index, (name, value) in enumerate(rows):
        y = top + index * row_height
        bar = plot_width * value / axis_max
        parts.append(f"<g><title>{escape(name)}: {value}</title>")
        shown = _shorten(name, characters)
        parts.append(_text(label_width - 6, y + 17.5, shown, size=13, anchor="end"))
        if value:
            parts.append(
                f'<rect x="{plot_left:.1f}" y="{y + 5:.1f}" width="{max(bar, 1.5):.1f}" '
                f'height="{bar_height}" fill="{colour}"/>'
            )
        parts.append(_text(plot_left + bar + 5, y + 17.5, str(value), size=13))
        parts.append("</g>")
    return _svg(width, height, title, "".join(parts))


def stacked_columns(*, title, periods, series, colours, width=600, height=260):
    """Columns per period (e.g. quarter), each stacked from its series (e.g. award levels).

    `series` is a list of (name, values), one value per period; `colours` one colour per
    series, each with 3:1 contrast on white. Segments are parted by a white gap, so that
    neighbouring colours need not contrast with each other (WCAG 2.2, 1.4.11).
    """
    left, right, top, bottom = 40, 8, 34, 34
    plot_width, plot_height = width - left - right, height - top - bottom
    totals = [sum(values[index] for _, values in series) for index in range(len(periods))]
    step, axis_max = _count_axis(max([*totals, 1]))
    parts = []
    x = left
    for (name, _), colour in zip(series, colours, strict=True):
        parts.append(f'<rect x="{x:.1f}" y="6" width="13" height="13" fill="{colour}"/>')
        parts.append(_text(x + 18, 17.5, name, size=13))
        x += 40 + 7.5 * len(name)
    for tick in range(0, axis_max + 1, step):
        y = top + plot_height - plot_height * tick / axis_max
        x_end = left + plot_width
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{x_end}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, str(tick), size=11, anchor="end", colour=MUTED))
    slot = plot_width / max(len(periods), 1)
    column = min(36, slot * 0.6)
    for index, period in enumerate(periods):
        x0 = left + index * slot + (slot - column) / 2
        base = top + plot_height
        for (name, values), colour in zip(series, colours, strict=True):
            value = values[index]
            if not value:
                continue
            segment = plot_height * value / axis_max
            parts.append(
                f'<rect x="{x0:.1f}" y="{base - segment:.1f}" width="{column:.1f}" '
                f'height="{segment:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{escape(period)}, {escape(name)}: {value}</title></rect>"
            )
            base -= segment
        centre = x0 + column / 2
        if totals[index]:
            parts.append(_text(centre, base - 5, str(totals[index]), size=12, anchor="middle"))
        parts.append(_text(centre, height - 13, period, size=11, anchor="middle", colour=MUTED))
    return _svg(width, height, title, "".join(parts))
