"""The evidence locker: uploaded files and Arts Award achievements, tagged to the plan.

An upload is judged by its bytes, never by its name or by the content type the browser
sent: we find what the file really is (`inspect_upload`), refuse anything that is not an
image (JPEG, PNG, WebP), a PDF or an office document, and refuse a name whose extension
disagrees with the content (a PNG named .pdf could be served as something it is not).
Accepted files are stored under settings.EVIDENCE_ROOT by a random name and are served
only through the access-checked download view.
"""

import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from artsmark.common import vocab
from artsmark.common.activity import record_activity
from artsmark.schools.access import is_member
from journeys.enums import DELIVERY_STAGES, ArtsAwardLevel, EvidenceKind
from journeys.models import EvidenceItem

ALLOWED_TYPES_TEXT = (
    "an image (JPEG, PNG or WebP), a PDF, or an office document (Word, Excel or "
    "PowerPoint, or OpenDocument text, spreadsheet or presentation)"
)
MAX_PUPILS = 100_000


@dataclass(frozen=True)
class FileType:
    label: str  # in the users' words: "a PNG image"
    content_type: str
    extensions: tuple  # the first is the usual one
    is_image: bool = False


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
TYPES = {
    "jpeg": FileType("a JPEG image", "image/jpeg", (".jpg", ".jpeg"), is_image=True),
    "png": FileType("a PNG image", "image/png", (".png",), is_image=True),
    "webp": FileType("a WebP image", "image/webp", (".webp",), is_image=True),
    "pdf": FileType("a PDF document", "application/pdf", (".pdf",)),
    "docx": FileType("a Word document", f"{_OOXML}.wordprocessingml.document", (".docx",)),
    "xlsx": FileType("an Excel spreadsheet", f"{_OOXML}.spreadsheetml.sheet", (".xlsx",)),
    "pptx": FileType(
        "a PowerPoint presentation", f"{_OOXML}.presentationml.presentation", (".pptx",)
    ),
    "odt": FileType("an OpenDocument text", f"{_ODF}.text", (".odt",)),
    "ods": FileType("an OpenDocument spreadsheet", f"{_ODF}.spreadsheet", (".ods",)),
    "odp": FileType("an OpenDocument presentation", f"{_ODF}.presentation", (".odp",)),
    # Legacy Office files share one container format (OLE2); the name tells which one it is.
    "ole": FileType("an older Office document", "application/msword", (".doc", ".xls", ".ppt")),
}
_OLE_CONTENT_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


@dataclass(frozen=True)
class CheckedUpload:
    """What an upload was found to be."""

    kind: str  # a key of TYPES
    content_type: str
    extension: str
    size: int
    is_image: bool


# --- Finding out what a file is -------------------------------------------------------------


def human_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _not_accepted(what):
    _refuse(
        f"This file is {what}, which we do not accept. Upload {ALLOWED_TYPES_TEXT}.",
        "type",
    )


def _looks_like_markup(head):
    """Name the markup files people most often try (for a clearer refusal)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return None
    if b"<svg" in text:
        return "an SVG image"
    if b"<html" in text or b"<!doctype html" in text or b"<script" in text:
        return "a web page (HTML)"
    return "a text file with markup (XML or HTML)"


def _zip_kind(fileobj):
    """docx/xlsx/pptx or odt/ods/odp, from the archive's list of contents."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    kind = _ODF_MIMETYPES.get(entry.read(100).strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    _refuse(
                        "This document contains macros, which we do not accept. Save it "
                        "without macros (for example as .docx, .xlsx or .pptx) and upload "
                        "it again.",
                        "macros",
                    )
                for folder, kind in _OOXML_FOLDERS:
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        _refuse("This file looks like a ZIP archive but it could not be read.", "damaged")
    return None


# Magic numbers at the start of the file; WebP is "RIFF", a 4-byte size, then "WEBP".
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)


def _sniff(head, fileobj):
    """The key of TYPES the bytes say the file is, or a refusal."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fileobj)
        if kind:
            return kind
        _not_accepted("a ZIP archive")
    markup = _looks_like_markup(head)
    if markup:
        _not_accepted(markup)
    if head.startswith(b"GIF8"):
        _not_accepted("a GIF image")
    return _not_accepted("of a type we cannot recognise")


def _verify_image(kind, fileobj):
    """Open the image with Pillow: a damaged or disguised image is refused."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                found = image.format
                image.verify()
    except Exception:  # Pillow raises many kinds of errors for bad images.
        _refuse(
            "This image could not be opened: it may be damaged or too large. Save it again "
            "as JPEG, PNG or WebP and upload it.",
            "damaged",
        )
    if found != _PILLOW_FORMATS[kind]:
        _refuse("This image is not what its first bytes say it is.", "damaged")


def _check_name(kind, name):
    file_type = TYPES[kind]
    extension = PurePath(name or "").suffix.lower()
    if extension not in file_type.extensions:
        ends = f"its name ends in {extension}" if extension else "its name has no extension"
        usual = " or ".join(file_type.extensions)
        _refuse(
            f"This file is {file_type.label}, but {ends}. Rename it to end in {usual}, or "
            "choose the file you meant to upload.",
            "extension",
        )
    return extension


def inspect_upload(upload):
    """Check an uploaded file by its content; return a CheckedUpload or raise ValidationError.

    The browser's content type (`upload.content_type`) is never looked at.
    """
    limit = settings.EVIDENCE_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        _refuse("The file is empty. Choose the file again, or another file.", "empty")
    if size > limit:
        _refuse(
            f"The file is {human_size(size)}, larger than the limit of {human_size(limit)}. "
            "Make it smaller (for example by saving images at a lower resolution or a PDF "
            "with compressed images) and upload it again.",
            "size",
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    kind = _sniff(head, upload)
    upload.seek(0)
    extension = _check_name(kind, upload.name)
    if TYPES[kind].is_image:
        _verify_image(kind, upload)
        upload.seek(0)
    content_type = TYPES[kind].content_type
    if kind == "ole":
        content_type = _OLE_CONTENT_TYPES[extension]
    return CheckedUpload(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=size,
        is_image=TYPES[kind].is_image,
    )


# --- Writes --------------------------------------------------------------------------------


def _check_writer(journey, actor):
    if not (actor.is_superuser or is_member(actor, journey.school)):
        raise ValidationError("Only members of the school can change its evidence.")
    if journey.stage not in DELIVERY_STAGES:
        raise ValidationError(
            "Evidence can be added or changed only while the school is delivering its plan "
            "(from Artsmark Certified until the Statement of Impact is submitted)."
        )


def _clean_tags(journey, goals, strands, quality_principles):
    goals = list(goals or [])
    if any(goal.journey_id != journey.pk for goal in goals):
        raise ValidationError("Choose goals of this journey only.")
    strand_slugs = {slug for slug, _ in vocab.STRANDS}
    principle_slugs = {slug for slug, _ in vocab.QUALITY_PRINCIPLES}
    strands = list(dict.fromkeys(strands or []))
    quality_principles = list(dict.fromkeys(quality_principles or []))
    if set(strands) - strand_slugs:
        raise ValidationError("Choose strands from the framework's list.")
    if set(quality_principles) - principle_slugs:
        raise ValidationError("Choose Quality Principles from the list.")
    return goals, strands, quality_principles


def _clean_text(title, description):
    title = (title or "").strip()
    if not title:
        raise ValidationError("Give the evidence a title.")
    if len(title) > 200:
        raise ValidationError("The title must be 200 characters or fewer.")
    return title, (description or "").strip()


def evidence_root():
    # Read at call time: tests (and deployments) point it elsewhere.
    return Path(settings.EVIDENCE_ROOT)


def evidence_path(item):
    """The stored file of an item, refusing any path that would leave EVIDENCE_ROOT."""
    root = evidence_root().resolve()
    path = (root / item.file).resolve()
    if not item.file or root not in path.parents:
        return None
    return path


def _write_file(journey, upload, checked):
    relative = f"{journey.pk}/{uuid.uuid4().hex}{checked.extension}"
    path = evidence_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return relative, path


def add_evidence_file(
    *, journey, actor, upload, title, description, goals, strands, quality_principles
):
    """Check an upload by its content, store it privately and add it to the locker."""
    _check_writer(journey, actor)
    goals, strands, quality_principles = _clean_tags(journey, goals, strands, quality_principles)
    original_name = PurePath(upload.name or "").name[:255]
    title, description = _clean_text(title or PurePath(original_name).stem[:200], description)
    checked = inspect_upload(upload)
    relative, path = _write_file(journey, upload, checked)
    try:
        with transaction.atomic():
            item = EvidenceItem.objects.create(
                journey=journey,
                kind=EvidenceKind.FILE,
                title=title,
                description=description,
                file=relative,
                original_name=original_name,
                content_type=checked.content_type,
                size=checked.size,
                strands=strands,
                quality_principles=quality_principles,
                uploaded_by=actor,
            )
            item.goals.set(goals)
            record_activity(subject=journey, actor=actor, verb="evidence_added", note=title)
    except BaseException:
        # Nothing points at the file any more: do not leave it behind.
        path.unlink(missing_ok=True)
        raise
    return item


def _clean_arts_award(level, pupils):
    if level not in ArtsAwardLevel.values:
        raise ValidationError("Choose the Arts Award level.")
    if pupils is None or not 1 <= pupils <= MAX_PUPILS:
        raise ValidationError("Enter how many pupils achieved it (at least 1).")
    return ArtsAwardLevel(level), pupils


def add_arts_award(
    *,
    journey,
    actor,
    level,
    pupils,
    title="",
    description="",
    goals=(),
    strands=(),
    quality_principles=(),
):
    """Record pupils' Arts Award achievement as an item of evidence."""
    _check_writer(journey, actor)
    level, pupils = _clean_arts_award(level, pupils)
    goals, strands, quality_principles = _clean_tags(journey, goals, strands, quality_principles)
    default_title = f"Arts Award {level.label}: {pupils} pupil{'s' if pupils != 1 else ''}"
    title, description = _clean_text(title or default_title, description)
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            journey=journey,
            kind=EvidenceKind.ARTS_AWARD,
            title=title,
            description=description,
            arts_award_level=level,
            arts_award_pupils=pupils,
            strands=strands,
            quality_principles=quality_principles,
            uploaded_by=actor,
        )
        item.goals.set(goals)
        record_activity(subject=journey, actor=actor, verb="arts_award_recorded", note=title)
    return item


def update_evidence_tags(
    *,
    item,
    actor,
    title,
    description,
    goals,
    strands,
    quality_principles,
    arts_award_level=None,
    arts_award_pupils=None,
):
    """Change an item's title, description and tags (and an Arts Award's level and pupils)."""
    journey = item.journey
    _check_writer(journey, actor)
    goals, strands, quality_principles = _clean_tags(journey, goals, strands, quality_principles)
    title, description = _clean_text(title, description)
    fields = ["title", "description", "strands", "quality_principles"]
    if item.kind == EvidenceKind.ARTS_AWARD:
        level, pupils = _clean_arts_award(arts_award_level, arts_award_pupils)
        item.arts_award_level, item.arts_award_pupils = level, pupils
        fields += ["arts_award_level", "arts_award_pupils"]
    item.title, item.description = title, description
    item.strands, item.quality_principles = strands, quality_principles
    with transaction.atomic():
        item.save(update_fields=fields)
        item.goals.set(goals)
        record_activity(subject=journey, actor=actor, verb="evidence_updated", note=title)
    return item


def remove_evidence(*, item, actor):
    """Take an item out of the locker; its file is deleted once the removal is committed."""
    journey = item.journey
    _check_writer(journey, actor)
    if item.chosen_for.exists():
        raise ValidationError(
            "This item is chosen as evidence in your Statement of Impact. Take it out of the "
            "Statement of Impact first."
        )
    path = evidence_path(item) if item.kind == EvidenceKind.FILE else None
    with transaction.atomic():
        title = item.title
        item.delete()
        record_activity(subject=journey, actor=actor, verb="evidence_removed", note=title)
        if path is not None:
            transaction.on_commit(lambda: path.unlink(missing_ok=True))


__all__ = [
    "TYPES",
    "CheckedUpload",
    "add_arts_award",
    "add_evidence_file",
    "evidence_path",
    "human_size",
    "inspect_upload",
    "remove_evidence",
    "update_evidence_tags",
]
