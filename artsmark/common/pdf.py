"""Turning print HTML into a PDF: the one place that knows WeasyPrint.

Static files (the print stylesheet, images) are read from disk through Django's static
file finders; WeasyPrint never makes an HTTP request and never reads any other file.
"""

import mimetypes
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Every print template is laid out with this stylesheet (parsed once per process).
PRINT_STYLESHEET = "css/pdf.css"
# Relative URLs in print templates ("/static/css/pdf.css") resolve against this base;
# the fetcher then maps the path to a file found by the static file finders.
BASE_URL = "file:///"


class RefusedFetchError(ValueError):
    """A print template asked for something other than one of our static files."""


class PdfRenderError(Exception):
    """WeasyPrint stopped: a print template referred to a file it may not or cannot read."""


def find_static_file(url):
    """The path on disk of a `/static/...` URL (or file:///static/...), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "file") or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path.removeprefix(settings.STATIC_URL)
    if not relative or ".." in relative.split("/"):
        return None
    return finders.find(relative)


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Reads /static/ files from disk; data: URLs are inline; everything else refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = find_static_file(url)
            if found is None:
                raise RefusedFetchError(f"print templates may only use static files, not {url}")
            with open(found, "rb") as handle:  # noqa: PTH123 (bytes for WeasyPrint)
                body = handle.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(
                f"file://{found}", body=body, headers={"Content-Type": content_type}
            )

    return StaticFileFetcher


_font_config = {}  # pid -> FontConfiguration


def shared_font_config():
    """One WeasyPrint font configuration per process, kept from render to render.

    A fresh one per render (WeasyPrint's default) loads fontconfig's view of the fonts and
    Pango's font caches again every time: about a tenth of a four-page report's render. A
    worker renders one report at a time, and print templates use no @font-face (only the
    Debian fonts installed system-wide), so nothing accumulates in it. Keyed by process id
    so that a forked worker child builds its own rather than use its parent's.
    """
    from weasyprint.text.fonts import FontConfiguration

    pid = os.getpid()
    if pid not in _font_config:
        _font_config.clear()
        _font_config[pid] = FontConfiguration()
    return _font_config[pid]


_stylesheets = {}  # (pid, path, modified) -> weasyprint.CSS


def parsed_stylesheet(relative, url_fetcher):
    """A static stylesheet parsed once per process (again if the file changes on disk).

    Parsing the print stylesheet on every render cost about 4% of a four-page report.
    """
    from weasyprint import CSS

    found = finders.find(relative)
    if found is None:
        raise PdfRenderError(f"no static file {relative}")
    key = (os.getpid(), found, os.stat(found).st_mtime_ns)  # noqa: PTH116
    if key not in _stylesheets:
        _stylesheets.clear()
        with open(found, encoding="utf-8") as handle:  # noqa: PTH123
            css = handle.read()
        _stylesheets[key] = CSS(
            string=css,
            base_url=f"file://{settings.STATIC_URL}{relative}",
            url_fetcher=url_fetcher,
            font_config=shared_font_config(),
        )
    return _stylesheets[key]


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(html, *, tagged=True, stylesheets=(PRINT_STYLESHEET,)):
    """PDF bytes and page count for a print HTML document (A4 and the rest come from CSS).

    `stylesheets` are static files applied as well as any the HTML links to; by default the
    print stylesheet, which the print templates therefore do not link themselves.

    `tagged` asks for a PDF/UA-1 document (structure tags, title, language), which screen
    readers can follow; the HTML must then carry <title> and <html lang>.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _static_fetcher_class()(allowed_protocols=("file", "data"), fail_on_errors=True)
    variant = "pdf/ua-1" if tagged else None
    try:
        sheets = [parsed_stylesheet(relative, fetcher) for relative in stylesheets]
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            stylesheets=sheets, pdf_variant=variant, font_config=shared_font_config()
        )
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: make it ordinary
        raise PdfRenderError(f"{error}: {error.__cause__}") from error
    content = document.write_pdf(pdf_variant=variant)
    return RenderedPdf(content=content, pages=len(document.pages))
