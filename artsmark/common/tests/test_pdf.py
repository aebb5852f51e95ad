import shutil
import subprocess

import pytest

from artsmark.common.pdf import PdfRenderError, find_static_file, render_pdf

PAGE = '<html lang="en-GB"><head><title>Test</title>{head}</head><body>{body}</body></html>'


def _text_of(path):
    command = [shutil.which("pdftotext"), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_find_static_file_maps_static_urls_to_disk():
    found = find_static_file("file:///static/css/pdf.css")

    assert found is not None
    assert found.endswith("static/css/pdf.css")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/pdf.css",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "file:///etc/passwd",
        "file:///static/../artsmark/settings.py",
        "file:///static/",
    ],
)
def test_find_static_file_refuses_anything_else(url):
    assert find_static_file(url) is None


def test_render_pdf_uses_the_print_stylesheet_from_disk():
    html = PAGE.format(head='<link rel="stylesheet" href="/static/css/pdf.css">', body="<p>Hi</p>")

    rendered = render_pdf(html)

    assert rendered.content.startswith(b"%PDF-1.7")
    assert rendered.pages == 1


def test_render_pdf_applies_the_print_stylesheet_unless_told_not_to(tmp_path):
    html = PAGE.format(head="", body="<p>Hi</p>")
    styled, bare = tmp_path / "styled.pdf", tmp_path / "bare.pdf"

    styled.write_bytes(render_pdf(html).content)
    bare.write_bytes(render_pdf(html, stylesheets=()).content)

    assert "Page 1 of 1" in _text_of(styled)  # the print stylesheet's footer
    assert "Page 1 of 1" not in _text_of(bare)


def test_render_pdf_refuses_to_fetch_over_http():
    html = PAGE.format(head='<link rel="stylesheet" href="https://example.com/x.css">', body="")

    with pytest.raises(PdfRenderError):
        render_pdf(html)


def test_render_pdf_is_byte_for_byte_repeatable():
    html = PAGE.format(head="", body="<p>Same text</p>" * 50)

    assert render_pdf(html).content == render_pdf(html).content
