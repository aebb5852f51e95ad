"""How long `import_gias` takes on a national-sized GIAS file (about 50,000 establishments).

    .venv/bin/python bench/gias_import.py [--rows 50000]

Generates a GIAS-shaped CSV (Windows-1252, GIAS's full header of about 140 columns, every one
filled as GIAS fills them, ~1% of
rows in Wales or overseas, ~15% closed) in a temporary folder, creates a throwaway database
(artsmark_bench, or BENCH_DATABASE), migrates it, imports the file three times and drops the
database. Prints rows and seconds for: the first import (all created), the second (all
unchanged), and a third where about 10% of rows changed.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway_db  # noqa: E402 (needs ROOT on the path)

SAMPLE = ROOT / "artsmark" / "schools" / "tests" / "data" / "gias_sample.csv"
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/artsmark")
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "artsmark_bench")

TYPES = [
    ("Community school", 0.30),
    ("Academy converter", 0.30),
    ("Voluntary aided school", 0.12),
    ("Free schools", 0.05),
    ("Other independent school", 0.10),
    ("Foundation school", 0.05),
    ("LA nursery school", 0.03),
    ("Pupil referral unit", 0.05),
]
PHASES = ["Primary", "Secondary", "All-through", "Nursery", "16 plus", "Not applicable"]
STATUSES = [
    ("Open", 0.82),
    ("Closed", 0.15),
    ("Open, but proposed to close", 0.02),
    ("Proposed to open", 0.01),
]
WORDS = [
    "St Mary\u2019s",
    "Oakfield",
    "Hillside",
    "Church of England",
    "Café Lane",
    "Riverside",
    "Greenway",
    "Holy Trinity",
    "Meadow",
    "Kingsway",
]
ENDINGS = ["Primary School", "Academy", "Infant School", "Junior School", "High School"]


def gias_header():
    with SAMPLE.open(encoding="cp1252", newline="") as sample:
        return next(csv.reader(sample))


def pick(weighted):
    return random.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def make_rows(count, authorities):
    """GIAS-shaped rows: the columns the import reads plus filler in some of the others."""
    rows = []
    for n in range(count):
        code, la_name, region = random.choice(authorities)
        if random.random() < 0.01:
            code, la_name, region = (
                "673",
                "Wales",
                random.choice(["Wales (pseudo)", "Not Applicable"]),
            )
        status = pick(STATUSES)
        rows.append(
            {
                "URN": str(100000 + n),
                "LA (code)": code,
                "LA (name)": la_name,
                "EstablishmentNumber": str(2000 + n % 8000),
                "EstablishmentName": f"{random.choice(WORDS)} {random.choice(ENDINGS)} {n}",
                "TypeOfEstablishment (name)": pick(TYPES),
                "EstablishmentStatus (name)": status,
                "PhaseOfEducation (name)": random.choice(PHASES),
                "NumberOfPupils": "" if random.random() < 0.2 else str(random.randint(10, 2000)),
                "Postcode": "" if random.random() < 0.01 else f"AB{n % 99} {n % 9}CD",
                "Town": f"Town {n % 700}",
                "GOR (name)": region,
                "Street": f"{n} School Lane",
                "SchoolWebsite": f"https://school{n}.example.org",
                "TelephoneNum": f"0{random.randint(1000000000, 1999999999)}",
                "HeadFirstName": "Alex",
                "HeadLastName": "Smith",
                "OpenDate": "01-09-1990",
                "CloseDate": "31-08-2020" if status == "Closed" else "",
                "Easting": str(random.randint(100000, 600000)),
                "Northing": str(random.randint(100000, 600000)),
            }
        )
    return rows


def write_csv(path, header, rows):
    # GIAS fills most columns it has nothing for with words like this, hence its ~60 MB.
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.DictWriter(
            file, fieldnames=header, lineterminator="\r\n", restval="Not applicable"
        )
        writer.writeheader()
        writer.writerows(rows)


def change_some(rows, share):
    changed = 0
    for row in rows:
        if random.random() < share:
            row["EstablishmentName"] += " (renamed)"
            row["NumberOfPupils"] = str(random.randint(10, 2000))
            changed += 1
    return changed


def database_url(name):
    return throwaway_db.database_url(BASE_URL, name)


def recreate_database(*, drop_only=False):
    throwaway_db.recreate_database(BASE_URL, BENCH_DATABASE, drop_only=drop_only)


def timed(label, path, rows_total):
    from artsmark.schools.services.gias import import_gias_file

    start = time.perf_counter()
    report = import_gias_file(path=path)
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:6.2f} s   {report.summary()}")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)

    recreate_database()
    os.environ["DATABASE_URL"] = database_url(BENCH_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artsmark.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from artsmark.schools.models import LocalAuthority

    try:
        call_command("migrate", verbosity=0)
        authorities = list(
            LocalAuthority.objects.values_list("code", "name", "region__name").order_by("code")
        )
        header = gias_header()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "edubasealldata.csv"
            rows = make_rows(args.rows, authorities)
            write_csv(path, header, rows)
            size = path.stat().st_size / 1_000_000
            print(f"file: {args.rows:,} rows, {len(header)} columns, {size:.1f} MB, cp1252")
            print(f"database: {BENCH_DATABASE} (created, migrated, dropped afterwards)")
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            timed("first import (all new)", path, args.rows)
            timed("second import (all unchanged)", path, args.rows)
            changed = change_some(rows, 0.10)
            write_csv(path, header, rows)
            timed(f"third import ({changed:,} rows changed)", path, args.rows)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {before:.0f} MB before importing, {peak:.0f} MB after")
    finally:
        connections.close_all()
        recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
