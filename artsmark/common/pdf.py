"""Turning print HTML into a PDF: the one place that knows WeasyPrint.

Static files (the print stylesheet, images) are read from disk through Django's static
file finders; WeasyPrint never makes an HTTP request and never reads any other file.
"""

import mimetypes
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

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


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(html, *, tagged=True):
    """PDF bytes and page count for a print HTML document (A4 and the rest come from CSS).

    `tagged` asks for a PDF/UA-1 document (structure tags, title, language), which screen
    readers can follow; the HTML must then carry <title> and <html lang>.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _static_fetcher_class()(allowed_protocols=("file", "data"), fail_on_errors=True)
    variant = "pdf/ua-1" if tagged else None
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            pdf_variant=variant
        )
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: make it ordinary
        raise PdfRenderError(f"{error}: {error.__cause__}") from error
    content = document.write_pdf(pdf_variant=variant)
    return RenderedPdf(content=content, pages=len(document.pages))
