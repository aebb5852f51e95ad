import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from artsmark.schools.models import LocalAuthority, School
from artsmark.schools.services.gias import import_gias_file
from artsmark.schools.tests.factories import SchoolFactory, local_authority

SAMPLE = Path(__file__).parent / "data" / "gias_sample.csv"

with SAMPLE.open(encoding="cp1252", newline="") as sample:
    GIAS_HEADER = next(csv.reader(sample))

NEWHAM = {
    "LA (code)": "316",
    "LA (name)": "Newham",
    "TypeOfEstablishment (name)": "Community school",
    "EstablishmentStatus (name)": "Open",
    "PhaseOfEducation (name)": "Primary",
    "NumberOfPupils": "420",
    "Postcode": "E13 8BG",
    "Town": "London",
    "GOR (name)": "London",
}


def school_row(urn, name="Star Lane Primary School", **columns):
    return {"URN": str(urn), "EstablishmentName": name, **NEWHAM, **columns}


def write_gias(directory, rows, *, encoding="utf-8", header=None, filename="gias.csv"):
    """A GIAS-shaped CSV (the real header unless told) as GIAS writes it: CRLF lines."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(
        out, fieldnames=header or GIAS_HEADER, lineterminator="\r\n", restval=""
    )
    writer.writeheader()
    writer.writerows(rows)
    path = directory / filename
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run_command(path, *extra):
    out = io.StringIO()
    call_command("import_gias", str(path), *extra, stdout=out)
    return out.getvalue()


def reasons(report):
    return [(row.line, row.urn, row.reason) for row in report.skipped]


# --- Importing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_file_creates_schools_with_their_fields(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row(100001),
            school_row(
                100002,
                "Elm Tree Academy",
                **{
                    "LA (code)": "330",
                    "LA (name)": "Birmingham",
                    "GOR (name)": "West Midlands",
                    "TypeOfEstablishment (name)": "Academy converter",
                    "PhaseOfEducation (name)": "Secondary",
                    "NumberOfPupils": "1120",
                    "Postcode": "B15 2TT",
                    "Town": "Birmingham",
                },
            ),
        ],
    )

    report = import_gias_file(path=path)

    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    assert report.skipped == []
    school = School.objects.get(urn=100002)
    assert school.name == "Elm Tree Academy"
    assert school.local_authority == local_authority("330")
    assert school.region.name == "West Midlands"
    assert school.establishment_type == "Academy converter"
    assert school.phase == "Secondary"
    assert school.number_of_pupils == 1120
    assert school.postcode == "B15 2TT"
    assert school.town == "Birmingham"
    assert school.status == "Open"
    assert school.is_open is True


@pytest.mark.django_db
def test_import_gias_file_reads_windows_1252(tmp_path):
    path = write_gias(
        tmp_path, [school_row(100001, "St Peter\u2019s Café School")], encoding="cp1252"
    )

    import_gias_file(path=path)

    assert School.objects.get(urn=100001).name == "St Peter\u2019s Café School"


@pytest.mark.django_db
def test_import_gias_file_reads_utf8_with_bom(tmp_path):
    path = write_gias(tmp_path, [school_row(100001, "Ysgol Ŵy Primary")], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfURN,")

    report = import_gias_file(path=path)

    assert report.created == 1
    assert School.objects.get(urn=100001).name == "Ysgol Ŵy Primary"


@pytest.mark.django_db
def test_import_gias_file_reads_latin1_bytes_undefined_in_cp1252(tmp_path):
    # 0x81 is undefined in Windows-1252 and not valid UTF-8: read as Latin-1.
    path = write_gias(tmp_path, [school_row(100001, "Odd School")])
    path.write_bytes(path.read_bytes().replace(b"Odd", b"Odd\x81"))

    report = import_gias_file(path=path)

    assert report.created == 1
    assert School.objects.get(urn=100001).name == "Odd\x81 School"


@pytest.mark.django_db
def test_import_gias_file_ignores_extra_columns_in_any_order(tmp_path):
    header = ["Something new", *reversed(list(school_row(1))), "Another (name)"]
    path = write_gias(
        tmp_path,
        [{**school_row(100001), "Something new": "x", "Another (name)": "y"}],
        header=header,
    )

    report = import_gias_file(path=path)

    assert report.created == 1
    assert School.objects.get(urn=100001).postcode == "E13 8BG"


@pytest.mark.django_db
def test_import_gias_file_keeps_empty_pupils_and_postcode_empty(tmp_path):
    path = write_gias(tmp_path, [school_row(100001, NumberOfPupils="", Postcode="")])

    import_gias_file(path=path)

    school = School.objects.get(urn=100001)
    assert school.number_of_pupils is None
    assert school.postcode == ""


@pytest.mark.django_db
def test_import_gias_file_marks_closed_schools_closed(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row(100001, **{"EstablishmentStatus (name)": "Closed"}),
            school_row(100002, **{"EstablishmentStatus (name)": "Open, but proposed to close"}),
            school_row(100003, **{"EstablishmentStatus (name)": "Proposed to open"}),
        ],
    )

    import_gias_file(path=path)

    open_by_urn = dict(School.objects.values_list("urn", "is_open"))
    assert open_by_urn == {100001: False, 100002: True, 100003: True}
    assert School.objects.get(urn=100001).status == "Closed"


@pytest.mark.django_db
def test_import_gias_file_closes_a_school_that_has_closed(tmp_path):
    SchoolFactory(urn=100001, name="Star Lane Primary School", status="Open", is_open=True)
    path = write_gias(tmp_path, [school_row(100001, **{"EstablishmentStatus (name)": "Closed"})])

    report = import_gias_file(path=path)

    assert (report.updated, report.closed) == (1, 1)
    assert School.objects.get(urn=100001).is_open is False


@pytest.mark.django_db
def test_import_gias_file_resolves_region_aliases_and_case(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row(
                100001,
                **{"LA (code)": "383", "LA (name)": "Leeds", "GOR (name)": "Yorkshire and Humber"},
            ),
            school_row(100002, **{"GOR (name)": "LONDON"}),
        ],
    )

    report = import_gias_file(path=path)

    assert report.created == 2
    assert report.skipped == []


# --- Local authorities --------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_file_creates_a_local_authority_it_has_not_seen(tmp_path):
    assert not LocalAuthority.objects.filter(code="909").exists()
    cumbria = {"LA (code)": "909", "LA (name)": "Cumbria", "GOR (name)": "North West"}
    path = write_gias(tmp_path, [school_row(100001, **cumbria), school_row(100002, **cumbria)])

    report = import_gias_file(path=path)

    authority = LocalAuthority.objects.get(code="909")
    assert authority.name == "Cumbria"
    assert authority.region.name == "North West"
    assert report.new_local_authorities == ["909 Cumbria (North West)"]
    assert set(School.objects.filter(local_authority=authority).values_list("urn", flat=True)) == {
        100001,
        100002,
    }

    again = import_gias_file(path=path)

    assert again.new_local_authorities == []
    assert again.unchanged == 2
    assert LocalAuthority.objects.filter(code="909").count() == 1


@pytest.mark.django_db
def test_import_gias_file_skips_a_new_local_authority_without_a_name(tmp_path):
    path = write_gias(tmp_path, [school_row(100001, **{"LA (code)": "909", "LA (name)": ""})])

    report = import_gias_file(path=path)

    assert reasons(report) == [(2, "100001", "new LA (code) '909' without an LA (name)")]
    assert not LocalAuthority.objects.filter(code="909").exists()


# --- Skipped rows -------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_file_skips_establishments_outside_england(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row(100001),
            school_row(
                401234,
                "Ysgol Gymraeg",
                **{"LA (code)": "673", "LA (name)": "Wales", "GOR (name)": "Wales (pseudo)"},
            ),
            school_row(
                703001,
                "British School of Example",
                **{"LA (code)": "703", "GOR (name)": "Not Applicable"},
            ),
        ],
    )

    report = import_gias_file(path=path)

    assert report.created == 1
    assert reasons(report) == [
        (3, "401234", "outside England (GOR (name) is 'Wales (pseudo)')"),
        (4, "703001", "outside England (GOR (name) is 'Not Applicable')"),
    ]
    assert list(School.objects.values_list("urn", flat=True)) == [100001]
    assert not LocalAuthority.objects.filter(code__in=["673", "703"]).exists()


@pytest.mark.django_db
def test_import_gias_file_skips_bad_rows_with_line_and_reason(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row("12AB"),
            school_row(""),
            school_row(100003, ""),
            school_row(100004, **{"GOR (name)": "Atlantis"}),
            school_row(100005, **{"GOR (name)": ""}),
            school_row(100006, **{"LA (code)": ""}),
            school_row(100007, NumberOfPupils="about 300"),
            school_row(100008, Postcode="E13 8BG TOO LONG"),
            school_row(100009),
            school_row(100009, "Second Star Lane"),
            school_row("-5"),
            school_row("0"),
        ],
    )

    report = import_gias_file(path=path)

    assert reasons(report) == [
        (2, "12AB", "bad URN '12AB' (not a whole number)"),
        (3, "", "missing URN"),
        (4, "100003", "missing EstablishmentName"),
        (5, "100004", "unknown region 'Atlantis'"),
        (6, "100005", "missing GOR (name), so the region is unknown"),
        (7, "100006", "missing LA (code)"),
        (8, "100007", "bad NumberOfPupils 'about 300' (not a whole number)"),
        (9, "100008", "Postcode is longer than 10 characters"),
        (11, "100009", "duplicate URN, already on line 10"),
        (12, "-5", "bad URN '-5' (not a whole number)"),
        (13, "0", "bad URN '0'"),
    ]
    assert (report.rows, report.created) == (12, 1)
    assert School.objects.get().name == "Star Lane Primary School"


@pytest.mark.django_db
def test_import_gias_file_counts_lines_of_quoted_multiline_fields(tmp_path):
    path = write_gias(
        tmp_path,
        [
            school_row(100001, Street="1 High Street\r\nSecond line"),
            school_row("bad"),
        ],
    )

    report = import_gias_file(path=path)

    assert reasons(report) == [(4, "bad", "bad URN 'bad' (not a whole number)")]


@pytest.mark.django_db
def test_import_gias_file_skips_short_rows_and_ignores_blank_lines(tmp_path):
    path = write_gias(tmp_path, [school_row(100001)])
    with path.open("ab") as file:
        file.write(b"100002,316,Newham\r\n\r\n\r\n")

    report = import_gias_file(path=path)

    assert report.rows == 2
    assert reasons(report) == [(3, "100002", f"it has 3 fields, the header has {len(GIAS_HEADER)}")]


# --- Running again ------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_file_second_run_changes_nothing(tmp_path):
    path = write_gias(tmp_path, [school_row(100001 + n, f"School {n}") for n in range(5)])
    import_gias_file(path=path)
    before = list(School.objects.order_by("urn").values())

    report = import_gias_file(path=path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert list(School.objects.order_by("urn").values()) == before


@pytest.mark.django_db
def test_import_gias_file_updates_only_changed_schools(tmp_path):
    rows = [school_row(100001 + n, f"School {n}") for n in range(3)]
    import_gias_file(path=write_gias(tmp_path, rows))
    untouched = School.objects.get(urn=100001).updated_at
    rows[1] = school_row(100002, "School 1 renamed", NumberOfPupils="")
    rows[2] = school_row(100003, "School 2", **{"LA (code)": "330", "GOR (name)": "West Midlands"})

    report = import_gias_file(path=write_gias(tmp_path, rows))

    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    renamed = School.objects.get(urn=100002)
    assert renamed.name == "School 1 renamed"
    assert renamed.number_of_pupils is None
    assert renamed.updated_at > untouched
    assert School.objects.get(urn=100003).local_authority == local_authority("330")
    assert School.objects.get(urn=100001).updated_at == untouched


@pytest.mark.django_db
def test_import_gias_file_never_deletes_a_school_absent_from_the_file(tmp_path):
    absent = SchoolFactory(urn=123456, name="Not In This File School")
    path = write_gias(tmp_path, [school_row(100001)])

    import_gias_file(path=path)

    absent.refresh_from_db()
    assert absent.name == "Not In This File School"
    assert absent.is_open is True
    assert School.objects.count() == 2


@pytest.mark.django_db
def test_import_gias_file_leaves_a_known_school_outside_england_untouched(tmp_path):
    school = SchoolFactory(urn=401234, name="Already Here")
    path = write_gias(tmp_path, [school_row(401234, "Renamed", **{"GOR (name)": "Wales (pseudo)"})])

    report = import_gias_file(path=path)

    assert len(report.skipped) == 1
    school.refresh_from_db()
    assert school.name == "Already Here"


@pytest.mark.django_db
def test_import_gias_file_reports_progress_on_a_large_file(tmp_path):
    path = write_gias(tmp_path, [school_row(200000 + n, f"School {n}") for n in range(25)])
    progress = io.StringIO()

    import_gias_file(path=path, stdout=progress, progress_every=10)

    lines = progress.getvalue().splitlines()
    assert lines[:2] == ["Read 10 rows…", "Read 20 rows…"]
    assert lines[-1] == "Created 25 of 25 schools…"


# --- Whole files refused ------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_refuses_a_file_missing_columns_naming_them(tmp_path):
    SchoolFactory(urn=100001, name="Before")
    header = [title for title in GIAS_HEADER if title not in ("GOR (name)", "Postcode")]
    row = {key: value for key, value in school_row(100001, "After").items() if key in header}
    path = write_gias(tmp_path, [row], header=header)

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == (
        'This is not a GIAS establishment CSV: it has no "Postcode", "GOR (name)" columns. '
        "Nothing was imported."
    )
    assert School.objects.get(urn=100001).name == "Before"


@pytest.mark.django_db
def test_import_gias_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"File not found: .*nothere\.csv"):
        run_command(tmp_path / "nothere.csv")


@pytest.mark.django_db
def test_import_gias_refuses_a_folder(tmp_path):
    with pytest.raises(CommandError, match="is a folder, not a CSV file"):
        run_command(tmp_path)


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"])
def test_import_gias_refuses_an_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=r"empty\.csv is empty"):
        run_command(path)


@pytest.mark.django_db
def test_import_gias_refuses_a_binary_file(tmp_path):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")

    with pytest.raises(CommandError, match="does not look like a CSV file"):
        run_command(path)


@pytest.mark.django_db
def test_import_gias_refuses_a_text_file_that_is_not_gias(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear reviewer,\nplease find attached.\n")

    with pytest.raises(CommandError, match='it has no "URN", "EstablishmentName"'):
        run_command(path)
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_import_gias_refuses_invalid_csv_and_changes_nothing(tmp_path):
    path = write_gias(tmp_path, [school_row(100001)])
    with path.open("ab") as file:
        file.write(b'100002,"' + b"x" * 200_000 + b'"\r\n')

    with pytest.raises(CommandError, match="Line 3 is not valid CSV"):
        run_command(path)
    assert School.objects.count() == 0


# --- The command ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_gias_command_imports_the_sample_and_reports(tmp_path):
    output = run_command(SAMPLE)

    lines = output.splitlines()
    assert lines == [
        "Line 7 (URN 401234): skipped, outside England (GOR (name) is 'Wales (pseudo)')",
        "Line 8 (URN 703001): skipped, outside England (GOR (name) is 'Not Applicable')",
        "New local authority: 909 Cumbria (North West)",
        "7 rows: 5 created, 0 updated, 0 unchanged, 2 skipped.",
    ]
    assert School.objects.get(urn=100002).name == "St Peter\u2019s Church of England Academy"
    assert School.objects.get(urn=100003).is_open is False

    again = run_command(SAMPLE).splitlines()

    assert again[-1] == "7 rows: 0 created, 0 updated, 5 unchanged, 2 skipped."
    assert "New local authority" not in "".join(again)


@pytest.mark.django_db
def test_import_gias_command_quiet_hides_progress_but_not_the_report(tmp_path):
    path = write_gias(tmp_path, [school_row(300000 + n, f"School {n}") for n in range(3)])

    output = run_command(path, "--verbosity", "0")

    assert output.splitlines() == ["3 rows: 3 created, 0 updated, 0 unchanged, 0 skipped."]


@pytest.mark.django_db
def test_import_gias_file_reads_windows_1252_found_only_late_in_the_file(tmp_path):
    # The encoding is decided on the whole file, not on its first megabyte.
    rows = [school_row(100000 + n, f"School {n}", Street="x" * 40_000) for n in range(30)]
    rows.append(school_row(100030, "Café Lane School"))
    path = write_gias(tmp_path, rows, encoding="cp1252")
    assert path.stat().st_size > 1_100_000

    report = import_gias_file(path=path)

    assert report.created == 31
    assert School.objects.get(urn=100030).name == "Café Lane School"
