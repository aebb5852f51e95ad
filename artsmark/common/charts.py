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
