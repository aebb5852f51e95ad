"""CSV exports streamed row by row: a national export never holds its rows in memory.

The rows come from a server-side cursor (insight.selectors `*_export_rows`), are written
with csv.writer into a buffer that only hands back what it was given, and leave in chunks
of a few hundred rows.
"""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone

# A cell starting with one of these is read as a formula by spreadsheet programs
# (OWASP "CSV injection"): such a cell gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


class Echo:
    """A file-like object whose write() returns what it is given (for csv.writer)."""

    def write(self, value):
        return value


def cell(value):
    """A value as CSV text: dates as ISO dates, booleans as Yes/No, formulas neutralised."""
    kind = type(value)
    if kind is str:  # most cells: checked first
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if kind is bool:
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_chunks(headers, rows):
    writer = csv.writer(Echo())
    yield BOM + writer.writerow(headers)
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([cell(value) for value in row]))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_response(*, headers, rows, filename):
    response = StreamingHttpResponse(
        csv_chunks(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_filename(kind, scope_slug, today=None):
    today = today or timezone.localdate()
    return f"artsmark-{kind}-{scope_slug}-{today.isoformat()}.csv"
