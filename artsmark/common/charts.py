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


def horizontal_bars(*, title, categories, series, scale_max, scale_labels=None, width=480):
    """One group of bars per category, the category's name written above its bars.

    `series` is a list of (name, values), one value per category (None: no bar).
    `scale_labels` names the ticks 1..scale_max (e.g. a self-assessment scale).
    """
    step = 1
    if not scale_labels:  # a count: at most five ticks, on round numbers
        step = max(1, -(-scale_max // 4))
        scale_max = step * 4
    label_gap, bar_height, bar_gap, group_gap = 12, 9, 2, 7
    left, right = 4, 16
    plot_width = width - left - right
    top = 22 if len(series) > 1 else 6
    group_height = label_gap + len(series) * (bar_height + bar_gap) + group_gap
    axis_y = top + group_height * len(categories)
    height = axis_y + (30 if scale_labels else 18)
    parts = [_legend([name for name, _ in series], left, 12)] if len(series) > 1 else []

    for tick in range(0, scale_max + 1, step):
        x = left + plot_width * tick / scale_max
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}"/>')
        label = scale_labels[tick - 1] if scale_labels and tick else str(tick)
        if scale_labels and not tick:
            continue
        anchor = "end" if tick == scale_max else ("start" if tick == 0 else "middle")
        parts.append(_text(x, axis_y + 13, label, size=8.5, anchor=anchor, colour=MUTED))

    for index, category in enumerate(categories):
        y = top + index * group_height
        parts.append(_text(left, y + 9, category, size=9, weight="bold"))
        y += label_gap
        for series_index, (name, values) in enumerate(series):
            value = values[index]
            colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
            if value is None:
                parts.append(_text(left + 2, y + 9, f"{name}: not rated", size=8.5, colour=MUTED))
            else:
                bar = max(plot_width * value / scale_max, 1.5)
                parts.append(
                    f'<rect x="{left}" y="{y:.1f}" width="{bar:.1f}" height="{bar_height}" '
                    f'fill="{colour}"><title>{escape(category)}, {escape(name)}: '
                    f"{value}</title></rect>"
                )
            y += bar_height + bar_gap
    return _svg(width, height, title, "".join(parts))


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
