"""The evidence locker: content checks, private storage, access-checked downloads."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artsmark.accounts.models import User
from artsmark.common.activity import activity_for
from journeys.enums import EvidenceKind, Stage
from journeys.models import EvidenceItem
from journeys.services import evidence
from journeys.tests.delivery_permission_cases import certified_journey, png_bytes
from journeys.tests.factories import GoalFactory, JourneyFactory

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _image_bytes(fmt):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (10, 120, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx(extra=None):
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
            **(extra or {}),
        }
    )


def _odt():
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _stored_files():
    root = Path(settings.EVIDENCE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def journey(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.CERTIFIED)
    GoalFactory(journey=journey)
    return journey


def _add(journey, user, upload, **kwargs):
    return evidence.add_evidence_file(
        journey=journey,
        actor=user,
        upload=upload,
        title=kwargs.get("title", ""),
        description="",
        goals=kwargs.get("goals", []),
        strands=kwargs.get("strands", []),
        quality_principles=kwargs.get("quality_principles", []),
    )


# --- Content checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.png", png_bytes(), "image/png"),
        ("photo.jpg", _image_bytes("JPEG"), "image/jpeg"),
        ("photo.JPEG", _image_bytes("JPEG"), "image/jpeg"),
        ("photo.webp", _image_bytes("WEBP"), "image/webp"),
        ("plan.pdf", PDF, "application/pdf"),
        (
            "plan.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan.odt", _odt(), "application/vnd.oasis.opendocument.text"),
        ("plan.doc", OLE, "application/msword"),
        ("budget.xls", OLE, "application/vnd.ms-excel"),
    ],
)
def test_inspect_upload_accepts_allowed_types_by_content(name, data, content_type):
    checked = evidence.inspect_upload(_upload(name, data, content_type="text/html"))
    assert checked.content_type == content_type
    assert checked.size == len(data)


def test_inspect_upload_tells_xlsx_and_pptx_apart():
    xlsx = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"})
    pptx = _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
    assert evidence.inspect_upload(_upload("a.xlsx", xlsx)).kind == "xlsx"
    assert evidence.inspect_upload(_upload("a.pptx", pptx)).kind == "pptx"


def _refusal(name, data, content_type="application/octet-stream"):
    with pytest.raises(ValidationError) as error:
        evidence.inspect_upload(_upload(name, data, content_type))
    return " ".join(error.value.messages)


def test_png_renamed_pdf_is_refused_naming_both():
    message = _refusal("report.pdf", png_bytes(), "application/pdf")
    assert message.startswith("This file is a PNG image, but its name ends in .pdf.")
    assert "Rename it to end in .png" in message


def test_html_renamed_png_is_refused():
    message = _refusal("photo.png", HTML, "image/png")
    assert message.startswith("This file is a web page (HTML), which we do not accept.")
    assert "JPEG, PNG or WebP" in message


def test_svg_with_script_is_refused_even_named_svg_or_png():
    for name in ("drawing.svg", "drawing.png"):
        message = _refusal(name, SVG, "image/svg+xml")
        assert message.startswith("This file is an SVG image, which we do not accept.")
        assert "a PDF, or an office document" in message


def test_empty_file_is_refused():
    assert _refusal("empty.pdf", b"") == (
        "The file is empty. Choose the file again, or another file."
    )


def test_oversized_file_is_refused_with_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    message = _refusal("big.pdf", PDF + b"0" * 2000)
    assert "larger than the limit of 1 KB" in message


def test_default_limit_is_20_mb_in_words():
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024
    assert evidence.human_size(settings.EVIDENCE_MAX_BYTES) == "20 MB"


@pytest.mark.parametrize(
    ("name", "data", "start"),
    [
        ("anim.gif", b"GIF89a" + b"\x00" * 20, "This file is a GIF image"),
        ("notes.png", b"just some text", "This file is of a type we cannot recognise"),
        ("archive.docx", _zip({"a.txt": "x"}), "This file is a ZIP archive"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "This image could not be opened"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "This file looks like a ZIP archive"),
        ("macro.docx", _docx({"word/vbaProject.bin": "x"}), "This document contains macros"),
        ("photo", png_bytes(), "This file is a PNG image, but its name has no extension"),
    ],
)
def test_other_bad_files_are_refused_clearly(name, data, start):
    assert _refusal(name, data).startswith(start)


def test_jpeg_bytes_with_a_png_body_are_refused():
    # Starts like a JPEG but Pillow finds something else: not what it claims to be.
    assert _refusal("x.jpg", b"\xff\xd8\xff" + png_bytes()).startswith("This image could not")


# --- Services -------------------------------------------------------------------------------


def test_add_evidence_file_stores_privately_with_detected_type(world, journey):
    goal = journey.goals.get()
    item = _add(
        journey,
        world.teacher_a,
        _upload("Class photo.png", png_bytes(), content_type="application/pdf"),
        goals=[goal],
        strands=["partnerships"],
        quality_principles=["inclusive"],
    )
    assert item.kind == EvidenceKind.FILE
    assert item.content_type == "image/png"
    assert item.size == len(png_bytes())
    assert item.title == "Class photo"
    assert item.original_name == "Class photo.png"
    assert item.file.startswith(f"{journey.pk}/")
    assert item.file.endswith(".png")
    assert len(Path(item.file).stem) == 32
    stored = Path(settings.EVIDENCE_ROOT) / item.file
    assert stored.read_bytes() == png_bytes()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert list(item.goals.all()) == [goal]
    assert item.strands == ["partnerships"]
    assert item.quality_principles == ["inclusive"]
    assert [e.verb for e in activity_for(journey)] == ["evidence_added"]


def test_refused_upload_changes_nothing(world, journey):
    with pytest.raises(ValidationError):
        _add(journey, world.teacher_a, _upload("photo.png", HTML, content_type="image/png"))
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []
    assert list(activity_for(journey)) == []


def test_file_is_removed_when_the_database_write_fails(journey):
    # An unsaved user cannot be saved as the uploader: the insert fails after the file
    # was written, and the file must not be left behind.
    ghost = User(email="ghost@example.test", is_superuser=True)
    with pytest.raises(ValueError):
        _add(journey, ghost, _upload("photo.png", png_bytes()))
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_add_evidence_refused_outside_delivery(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT)
    with pytest.raises(ValidationError) as error:
        _add(journey, world.teacher_a, _upload("photo.png", png_bytes()))
    assert "only while the school is delivering its plan" in error.value.messages[0]
    assert _stored_files() == []


def test_add_evidence_refused_for_a_reviewer_and_another_school(world, journey):
    for user in (world.reviewer_a, world.teacher_b):
        with pytest.raises(ValidationError) as error:
            _add(journey, user, _upload("photo.png", png_bytes()))
        assert error.value.messages == ["Only members of the school can change its evidence."]
    assert EvidenceItem.objects.count() == 0


def test_add_evidence_refuses_another_journeys_goal_and_unknown_tags(world, journey):
    other_goal = GoalFactory(journey=JourneyFactory(school=world.school_b))
    with pytest.raises(ValidationError, match="goals of this journey"):
        _add(journey, world.teacher_a, _upload("p.png", png_bytes()), goals=[other_goal])
    with pytest.raises(ValidationError, match="strands"):
        _add(journey, world.teacher_a, _upload("p.png", png_bytes()), strands=["nope"])
    with pytest.raises(ValidationError, match="Quality Principles"):
        _add(journey, world.teacher_a, _upload("p.png", png_bytes()), quality_principles=["x"])
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_add_arts_award_records_level_and_pupils(world, journey):
    item = evidence.add_arts_award(
        journey=journey, actor=world.teacher_a, level="silver", pupils=7, strands=["cpd"]
    )
    assert item.kind == EvidenceKind.ARTS_AWARD
    assert item.title == "Arts Award Silver: 7 pupils"
    assert (item.arts_award_level, item.arts_award_pupils, item.file) == ("silver", 7, "")


@pytest.mark.parametrize(("level", "pupils"), [("diamond", 3), ("bronze", 0), ("bronze", None)])
def test_add_arts_award_refuses_bad_level_or_pupils(world, journey, level, pupils):
    with pytest.raises(ValidationError):
        evidence.add_arts_award(journey=journey, actor=world.teacher_a, level=level, pupils=pupils)
    assert EvidenceItem.objects.count() == 0


def test_update_evidence_tags(world, journey):
    item = _add(journey, world.teacher_a, _upload("p.png", png_bytes()))
    goal = journey.goals.get()
    evidence.update_evidence_tags(
        item=item,
        actor=world.teacher_a,
        title="Our mural",
        description="Painted by Year 6.",
        goals=[goal],
        strands=["curriculum"],
        quality_principles=["authentic", "authentic"],
    )
    item.refresh_from_db()
    assert (item.title, item.strands, item.quality_principles) == (
        "Our mural",
        ["curriculum"],
        ["authentic"],
    )
    assert list(item.goals.all()) == [goal]


def test_remove_evidence_deletes_the_file_on_commit(
    world, journey, django_capture_on_commit_callbacks
):
    item = _add(journey, world.teacher_a, _upload("p.png", png_bytes()))
    stored = Path(settings.EVIDENCE_ROOT) / item.file
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence.remove_evidence(item=item, actor=world.teacher_a)
    assert stored.exists()  # not before the commit
    for callback in callbacks:
        callback()
    assert not stored.exists()
    assert EvidenceItem.objects.count() == 0


# --- Views ----------------------------------------------------------------------------------


def _post_upload(client, journey, name, data, content_type="application/octet-stream", **extra):
    url = reverse("journeys:evidence_add", kwargs={"pk": journey.pk})
    upload = _upload(name, data, content_type)
    return client.post(url, {"file": upload, "title": "", "description": "", **extra})


def test_upload_view_adds_evidence(world, client_for, journey):
    goal = journey.goals.get()
    response = _post_upload(
        client_for(world.teacher_a),
        journey,
        "plan.pdf",
        PDF,
        "image/png",
        goals=[goal.pk],
        strands=["leadership"],
        quality_principles=["excellence"],
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.content_type, item.strands, item.quality_principles) == (
        "application/pdf",
        ["leadership"],
        ["excellence"],
    )
    assert list(item.goals.all()) == [goal]


@pytest.mark.parametrize(
    "case",
    [
        ("photo.pdf", png_bytes(), "application/pdf", "This file is a PNG image, but its name"),
        ("photo.png", HTML, "image/png", "This file is a web page (HTML)"),
        ("logo.svg", SVG, "image/svg+xml", "This file is an SVG image"),
        ("empty.pdf", b"", "application/pdf", "The file is empty"),
    ],
)
def test_upload_view_refuses_bad_files_with_a_clear_message(world, client_for, journey, case):
    name, data, content_type, message = case
    response = _post_upload(client_for(world.teacher_a), journey, name, data, content_type)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body.replace("&#x27;", "'")
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_upload_view_refuses_oversized_file(world, client_for, journey, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    response = _post_upload(client_for(world.teacher_a), journey, "big.pdf", PDF + b"0" * 4096)
    assert response.status_code == 200
    assert "larger than the limit of 2 KB" in response.content.decode()
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_upload_view_without_a_file_says_so(world, client_for, journey):
    url = reverse("journeys:evidence_add", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(url, {"title": "x"})
    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()


def test_reviewer_cannot_upload(world, client_for, journey):
    response = _post_upload(client_for(world.reviewer_a), journey, "p.png", png_bytes())
    assert response.status_code == 403
    assert EvidenceItem.objects.count() == 0


def _file_url(item):
    return reverse("journeys:evidence_file", kwargs={"pk": item.journey_id, "item_pk": item.pk})


def test_image_is_served_inline_with_safe_headers(world, client_for, journey):
    item = _add(journey, world.teacher_a, _upload("photo.png", png_bytes()))
    for user in (world.teacher_a, world.reviewer_a, world.admin):
        response = client_for(user).get(_file_url(item))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == png_bytes()
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    ("name", "data"), [("plan.pdf", PDF), ("plan.docx", _docx()), ("plan.doc", OLE)]
)
def test_non_images_are_always_attachments(world, client_for, journey, name, data):
    item = _add(journey, world.teacher_a, _upload(name, data, content_type="image/png"))
    response = client_for(world.teacher_a).get(_file_url(item))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == item.content_type
    assert not response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_file_is_not_served_to_another_school_or_region_or_anonymous(world, client_for, journey):
    item = _add(journey, world.teacher_a, _upload("photo.png", png_bytes()))
    assert EvidenceItem.objects.filter(pk=item.pk).exists()  # the data that could leak exists
    for user in (world.teacher_b, world.reviewer_other, world.partner, None):
        assert client_for(user).get(_file_url(item)).status_code == 404


def test_file_of_another_journey_is_404_under_your_own_journey(world, client_for, journey):
    other = certified_journey(school=world.school_b, lead=world.teacher_b)
    theirs = other.evidence.get(kind="file")
    url = reverse("journeys:evidence_file", kwargs={"pk": journey.pk, "item_pk": theirs.pk})
    assert client_for(world.teacher_a).get(url).status_code == 404


def test_arts_award_has_no_file_to_download(world, client_for, journey):
    item = evidence.add_arts_award(journey=journey, actor=world.teacher_a, level="gold", pupils=2)
    assert client_for(world.teacher_a).get(_file_url(item)).status_code == 404


def test_arts_award_view_records_achievement(world, client_for, journey):
    url = reverse("journeys:evidence_arts_award", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(url, {"level": "explore", "pupils": "15"})
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.kind, item.arts_award_level, item.arts_award_pupils) == (
        "arts_award",
        "explore",
        15,
    )


def test_edit_view_changes_tags(world, client_for, journey):
    item = _add(journey, world.teacher_a, _upload("photo.png", png_bytes()))
    url = reverse("journeys:evidence_edit", kwargs={"pk": journey.pk, "item_pk": item.pk})
    client = client_for(world.teacher_a)
    page = client.get(url).content.decode()
    assert "Values and ethos" in page and "Being authentic" in page  # labels, not slugs
    response = client.post(url, {"title": "Renamed", "strands": ["values-ethos"]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.strands) == ("Renamed", ["values-ethos"])


def test_delete_view_asks_first_then_removes_item_and_file(
    world, client_for, journey, django_capture_on_commit_callbacks
):
    item = _add(journey, world.teacher_a, _upload("photo.png", png_bytes()))
    url = reverse("journeys:evidence_delete", kwargs={"pk": journey.pk, "item_pk": item.pk})
    client = client_for(world.teacher_a)
    assert "Remove “photo” from your evidence?" in client.get(url).content.decode()
    assert EvidenceItem.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_evidence_list_empty_state_says_what_to_do(world, client_for, journey):
    url = reverse("journeys:evidence", kwargs={"pk": journey.pk})
    body = client_for(world.teacher_a).get(url).content.decode()
    assert "Your evidence locker is empty. Upload photos" in body


def test_evidence_list_query_count_same_with_1_and_5_items(world, client_for, journey):
    client = client_for(world.teacher_a)
    url = reverse("journeys:evidence", kwargs={"pk": journey.pk})
    goal = journey.goals.get()
    counts = []
    for total in (1, 5):
        while EvidenceItem.objects.count() < total:
            _add(journey, world.teacher_a, _upload("p.png", png_bytes()), goals=[goal])
            evidence.add_arts_award(
                journey=journey, actor=world.teacher_a, level="bronze", pupils=3, goals=[goal]
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
