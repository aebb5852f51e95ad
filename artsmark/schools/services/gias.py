"""Importing schools from DfE's Get Information About Schools (GIAS) establishment CSV.

The file is read as GIAS publishes it (Windows-1252, about 130 columns, one row per
establishment). Schools are matched by URN: new ones are created, changed ones updated,
and none is ever deleted. Rows that cannot be imported are skipped with their line number
and the reason, and the file as a whole is refused (nothing changed) if it is not a GIAS
establishment CSV at all.
"""

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from artsmark.schools.models import LocalAuthority, Region, School
from artsmark.schools.reference_data import REGION_ALIASES

# Our name for each column we read -> GIAS's column header.
COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "number_of_pupils": "NumberOfPupils",
    "postcode": "Postcode",
    "town": "Town",
    "region": "GOR (name)",
}

# The School fields an import sets, in the order rows are compared.
SCHOOL_FIELDS = (
    "name",
    "establishment_type",
    "phase",
    "local_authority_id",
    "town",
    "postcode",
    "number_of_pupils",
    "status",
    "is_open",
)

# What GIAS gives for establishments outside England's nine regions.
OUTSIDE_ENGLAND = {"wales (pseudo)", "not applicable"}

CLOSED_STATUS = "closed"
MAX_INTEGER = 2_147_483_647  # PostgreSQL integer, which PositiveIntegerField uses
CHUNK = 1 << 20
CREATE_BATCH = 2000
UPDATE_BATCH = 2000
# Serialises imports: two at once would race to create the same URNs.
ADVISORY_LOCK_KEY = 0x61_72_74_67_69_61_73  # "artgias"


class GiasFileError(Exception):
    """The file as a whole cannot be imported; nothing has been changed."""


@dataclass(frozen=True)
class SkippedRow:
    line: int
    urn: str
    reason: str

    def __str__(self):
        urn = f" (URN {self.urn})" if self.urn else ""
        return f"Line {self.line}{urn}: skipped, {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0  # schools that were open before this import and are closed now
    skipped: list[SkippedRow] = field(default_factory=list)
    new_local_authorities: list[str] = field(default_factory=list)

    def summary(self):
        return (
            f"{self.rows:,} rows: {self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {len(self.skipped):,} skipped."
        )


@dataclass(frozen=True)
class _SchoolRow:
    line: int
    urn: int
    la_code: str
    values: dict  # SCHOOL_FIELDS except local_authority_id


class _SkipRowError(Exception):
    pass


def import_gias_file(*, path, stdout=None, progress_every=10_000):
    """Create or update schools from the GIAS CSV at `path`; return what was done.

    Raises GiasFileError (and changes nothing) when the file cannot be read as a GIAS
    establishment CSV. `stdout`, if given, receives progress lines.
    """
    path = Path(path)
    progress = _Progress(stdout, progress_every)
    report = ImportReport()
    # Streamed, not read whole: the national file is some 60 MB.
    with path.open(encoding=_encoding_of(path), newline="") as file:
        reader = csv.reader(file)
        header = _read_header(reader)
        positions = _column_positions(header)
        resolver = _Resolver()
        rows = _parse_rows(
            reader,
            width=len(header),
            positions=positions,
            resolver=resolver,
            report=report,
            progress=progress,
        )
    with transaction.atomic():
        _take_import_lock()
        _save(rows, resolver, report, progress)
    return report


# --- Reading the file -----------------------------------------------------------------------


def _encoding_of(path):
    """UTF-8 (with or without BOM) if the whole file decodes as such, else Windows-1252."""
    try:
        with path.open("rb") as file:
            head = file.read(CHUNK)
            if not head.strip(b"\xef\xbb\xbf \t\r\n"):
                raise GiasFileError(f"{path} is empty.")
            if b"\x00" in head:
                raise GiasFileError(f"{path} does not look like a CSV file (it holds binary data).")
            for encoding in ("utf-8-sig", "cp1252"):
                file.seek(0)
                if _decodes(file, encoding):
                    return encoding
    except FileNotFoundError:
        raise GiasFileError(f"File not found: {path}") from None
    except IsADirectoryError:
        raise GiasFileError(f"{path} is a folder, not a CSV file.") from None
    except OSError as error:
        raise GiasFileError(f"Cannot read {path}: {error.strerror}.") from None
    # cp1252 leaves five bytes undefined; Latin-1 defines every byte.
    return "latin-1"


def _decodes(file, encoding):
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_header(reader):
    try:
        return next(reader)
    except csv.Error as error:
        raise GiasFileError(f"Line 1 is not valid CSV: {error}.") from None


def _column_positions(header):
    """Where each column we need is, matching GIAS's headers case- and space-insensitively."""
    found = {}
    for position, title in enumerate(header):
        found.setdefault(title.strip().lower(), position)
    positions, missing = {}, []
    for key, title in COLUMNS.items():
        if title.lower() in found:
            positions[key] = found[title.lower()]
        else:
            missing.append(title)
    if missing:
        raise GiasFileError(
            "This is not a GIAS establishment CSV: it has no "
            + ", ".join(f'"{title}"' for title in missing)
            + (" column." if len(missing) == 1 else " columns.")
            + " Nothing was imported."
        )
    return positions


def _parse_rows(reader, *, width, positions, resolver, report, progress):
    rows, first_line_of_urn = [], {}
    last_line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise GiasFileError(
                f"Line {reader.line_num} is not valid CSV: {error}. Nothing was imported."
            ) from None
        line, last_line = last_line + 1, reader.line_num
        if not any(value.strip() for value in fields):
            continue  # blank lines, e.g. at the end of the file
        report.rows += 1
        progress.read(report.rows)
        raw = {key: _cell(fields, position) for key, position in positions.items()}
        try:
            if len(fields) != width:
                raise _SkipRowError(f"it has {len(fields)} fields, the header has {width}")
            row = _parse_row(line, raw, resolver)
            if row.urn in first_line_of_urn:
                raise _SkipRowError(f"duplicate URN, already on line {first_line_of_urn[row.urn]}")
        except _SkipRowError as skipped:
            report.skipped.append(SkippedRow(line=line, urn=raw["urn"], reason=str(skipped)))
            continue
        first_line_of_urn[row.urn] = line
        rows.append(row)
    return rows


def _cell(fields, position):
    return fields[position].strip() if position < len(fields) else ""


def _parse_row(line, raw, resolver):
    urn = _whole_number(raw["urn"], "URN", required=True)
    if not raw["name"]:
        raise _SkipRowError("missing EstablishmentName")
    resolver.check_local_authority(raw["la_code"], raw["la_name"], raw["region"])
    values = {
        "name": raw["name"],
        "establishment_type": raw["establishment_type"],
        "phase": raw["phase"],
        "town": raw["town"],
        "postcode": raw["postcode"],
        "number_of_pupils": _whole_number(raw["number_of_pupils"], "NumberOfPupils"),
        "status": raw["status"],
        "is_open": raw["status"].lower() != CLOSED_STATUS,
    }
    _check_lengths(values)
    return _SchoolRow(line=line, urn=urn, la_code=raw["la_code"], values=values)


def _whole_number(value, column, *, required=False):
    if not value:
        if required:
            raise _SkipRowError(f"missing {column}")
        return None
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= MAX_INTEGER:
        raise _SkipRowError(f"bad {column} {value!r} (not a whole number)")
    if column == "URN" and int(value) == 0:
        raise _SkipRowError(f"bad URN {value!r}")
    return int(value)


_MAX_LENGTHS = {
    name: School._meta.get_field(name).max_length
    for name in ("name", "establishment_type", "phase", "town", "postcode", "status")
}
_TITLES = {
    "name": COLUMNS["name"],
    "establishment_type": COLUMNS["establishment_type"],
    "phase": COLUMNS["phase"],
    "town": COLUMNS["town"],
    "postcode": COLUMNS["postcode"],
    "status": COLUMNS["status"],
}


def _check_lengths(values):
    for name, limit in _MAX_LENGTHS.items():
        if len(values[name]) > limit:
            raise _SkipRowError(f"{_TITLES[name]} is longer than {limit} characters")


class _Resolver:
    """Knows England's regions and the local authorities, and the ones this file adds."""

    def __init__(self):
        regions = {region.name.lower(): region for region in Region.objects.all()}
        for alias, name in REGION_ALIASES.items():
            if name.lower() in regions:
                regions.setdefault(alias.lower(), regions[name.lower()])
        self.regions = regions
        self.local_authorities = dict(LocalAuthority.objects.values_list("code", "id"))
        self.new_local_authorities = {}  # code -> (name, region)

    def region(self, name):
        if not name:
            raise _SkipRowError("missing GOR (name), so the region is unknown")
        if name.lower() in OUTSIDE_ENGLAND:
            raise _SkipRowError(f"outside England (GOR (name) is {name!r})")
        region = self.regions.get(name.lower())
        if region is None:
            raise _SkipRowError(f"unknown region {name!r}")
        return region

    def check_local_authority(self, code, name, region_name):
        """Skip the row unless it is in England and its local authority is known or new."""
        region = self.region(region_name)
        if not code:
            raise _SkipRowError("missing LA (code)")
        if code in self.local_authorities or code in self.new_local_authorities:
            return
        limits = LocalAuthority._meta
        if len(code) > limits.get_field("code").max_length:
            raise _SkipRowError(f"bad LA (code) {code!r}")
        if not name:
            raise _SkipRowError(f"new LA (code) {code!r} without an LA (name)")
        if len(name) > limits.get_field("name").max_length:
            raise _SkipRowError("LA (name) is too long")
        self.new_local_authorities[code] = (name, region)

    def create_new_local_authorities(self, report):
        for code, (name, region) in sorted(self.new_local_authorities.items()):
            authority, _ = LocalAuthority.objects.get_or_create(
                code=code, defaults={"name": name, "region": region}
            )
            self.local_authorities[code] = authority.id
            report.new_local_authorities.append(f"{code} {authority.name} ({region.name})")


# --- Saving ---------------------------------------------------------------------------------


def _take_import_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _save(rows, resolver, report, progress):
    resolver.create_new_local_authorities(report)
    existing = {urn: values for urn, *values in School.objects.values_list("urn", *SCHOOL_FIELDS)}
    to_create, to_update = [], []
    for row in rows:
        values = {**row.values, "local_authority_id": resolver.local_authorities[row.la_code]}
        current_values = existing.get(row.urn)
        if current_values is None:
            to_create.append(School(urn=row.urn, **values))
            continue
        if tuple(values[name] for name in SCHOOL_FIELDS) == tuple(current_values):
            report.unchanged += 1
            continue
        was_open = current_values[SCHOOL_FIELDS.index("is_open")]
        report.closed += was_open and not values["is_open"]
        to_update.append(School(urn=row.urn, **values))
    _create(to_create, report, progress)
    _update(to_update, report, progress)


def _create(schools, report, progress):
    for start in range(0, len(schools), CREATE_BATCH):
        batch = schools[start : start + CREATE_BATCH]
        School.objects.bulk_create(batch)
        report.created += len(batch)
        progress.saved("created", report.created, len(schools))


def _update(schools, report, progress):
    # bulk_update() writes one CASE per field per row and takes about 1.5 ms a row; an
    # INSERT ... ON CONFLICT (urn) DO UPDATE of the changed rows does the same in a tenth of
    # that. These rows all exist (the import holds its lock), so it only ever updates, and
    # created_at is left alone because it is not among the fields updated.
    fields = [*(name.removesuffix("_id") for name in SCHOOL_FIELDS), "updated_at"]
    for start in range(0, len(schools), UPDATE_BATCH):
        batch = schools[start : start + UPDATE_BATCH]
        School.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["urn"], update_fields=fields
        )
        report.updated += len(batch)
        progress.saved("updated", report.updated, len(schools))


class _Progress:
    def __init__(self, stdout, every):
        self.stdout = stdout
        self.every = max(1, every)

    def read(self, count):
        if self.stdout is not None and count % self.every == 0:
            self.stdout.write(f"Read {count:,} rows…\n")

    def saved(self, what, done, total):
        if self.stdout is not None and total > self.every:
            self.stdout.write(f"{what.capitalize()} {done:,} of {total:,} schools…\n")
