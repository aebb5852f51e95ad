"""How fast the insight dashboards answer, and how little memory a national CSV export takes.

    .venv/bin/python bench/dashboard.py [--schools 10000] [--journeys 4000]
        [--export-schools 50000] [--requests 40] [--keep]

Creates a throwaway database (artsmark_bench_dashboard, or BENCH_DATABASE), migrates it and
loads schools across all 153 local authorities, journeys spread over every stage with due
dates (some passed), reviews of the submitted ones (some overdue), awards over the last two
years, invoices (some unpaid), published partner listings and enquiries. Then, with Django's
test client in process (warm-up, then --requests requests each), prints the median and 95th
percentile of the England dashboard, of one Bridge Organisation's dashboard (A New
Direction, London) and of a trivial page (the accessibility statement) measured the same
way, with the queries each makes.

Then it adds schools up to --export-schools and streams the national schools export through
the view, printing its rows, bytes, time and the peak Python memory (tracemalloc) while
streaming, beside the same rows materialised in a list. Drops the database afterwards unless
--keep.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway_db  # noqa: E402 (needs ROOT on the path)

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/artsmark")
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "artsmark_bench_dashboard")
PHASES = (
    ["Primary"] * 6 + ["Secondary"] * 2 + ["Nursery", "16 plus", "All-through", "Not applicable"]
)
STAGE_WEIGHTS = {
    "registered": 8,
    "commitment_draft": 14,
    "commitment_submitted": 6,
    "commitment_returned": 4,
    "certified": 20,
    "impact_draft": 8,
    "impact_submitted": 5,
    "impact_returned": 2,
    "awarded": 25,
    "not_awarded": 3,
    "withdrawn": 5,
}
BATCH = 5000


def recreate_database(*, drop_only=False):
    throwaway_db.recreate_database(BASE_URL, BENCH_DATABASE, drop_only=drop_only)


def day(days_from_today):
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days_from_today)


def add_schools(count, start):
    from artsmark.schools.models import LocalAuthority, School

    authorities = list(LocalAuthority.objects.values_list("pk", flat=True))
    for offset in range(0, count, BATCH):
        School.objects.bulk_create(
            School(
                urn=100_000 + start + n,
                name=f"Bench {random.choice(['St Mary', 'Oak', 'Hill', 'Park', 'Green'])} "
                f"School {start + n}",
                establishment_type="Community school",
                phase=random.choice(PHASES),
                local_authority_id=random.choice(authorities),
                town="Town",
                postcode="AB1 2CD",
                number_of_pupils=random.randint(40, 1500),
                status="Open",
            )
            for n in range(offset, min(offset + BATCH, count))
        )


def add_journeys(count):
    from artsmark.schools.models import School
    from journeys.enums import ReviewKind
    from journeys.models import Award, Framework, Invoice, Journey, Review

    framework = Framework.objects.current()
    school_ids = random.sample(list(School.objects.values_list("pk", flat=True)), count)
    stages = random.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()), k=count)
    journeys = Journey.objects.bulk_create(
        Journey(
            school_id=school_id,
            framework=framework,
            stage=stage,
            commitment_due=day(random.randint(-60, 120)),
            impact_due=day(random.randint(-60, 700)),
        )
        for school_id, stage in zip(school_ids, stages, strict=True)
    )
    now = datetime.datetime.now(datetime.UTC)
    reviews = []
    for journey in journeys:
        if journey.stage in ("commitment_submitted", "impact_submitted"):
            kind = ReviewKind.COMMITMENT if "commitment" in journey.stage else ReviewKind.IMPACT
            reviews.append(
                Review(
                    journey=journey,
                    kind=kind,
                    version_number=1,
                    submitted_at=now,
                    due_on=day(random.randint(-30, 28)),
                )
            )
        elif journey.stage == "awarded":
            reviews.append(
                Review(
                    journey=journey,
                    kind=ReviewKind.IMPACT,
                    version_number=1,
                    submitted_at=now,
                    due_on=day(-800),
                    decision="awarded",
                    award_level=random.choice(["silver", "silver", "gold", "gold", "platinum"]),
                    decided_at=now,
                )
            )
    reviews = Review.objects.bulk_create(reviews)
    awards = []
    for review in reviews:
        if review.decision:
            awarded_on = day(-random.randint(1, 900))
            awards.append(
                Award(
                    journey_id=review.journey_id,
                    review=review,
                    level=review.award_level,
                    awarded_on=awarded_on,
                    expires_on=awarded_on + datetime.timedelta(days=730),
                )
            )
    Award.objects.bulk_create(awards)
    Invoice.objects.bulk_create(
        Invoice(
            journey=journey,
            number=f"BENCH-{journey.pk}",
            description="Artsmark registration",
            amount_pence=50_000,
            issued_on=day(-200),
            due_on=day(random.randint(-170, 30)),
            paid_on=day(-100) if random.random() < 0.8 else None,
        )
        for journey in journeys
    )
    return len(journeys), len(awards)


def add_partners(count):
    from django.utils import timezone

    from artsmark.common.vocab import ART_FORMS, KEY_STAGES
    from artsmark.schools.models import LocalAuthority, School
    from partners.enums import OfferType
    from partners.models import Enquiry, ListingRevision, PartnerOrganisation, PublishedListing

    authorities = list(LocalAuthority.objects.values_list("pk", "region_id"))
    orgs = PartnerOrganisation.objects.bulk_create(
        PartnerOrganisation(
            name=f"Bench Arts {n}",
            local_authority_id=random.choice(authorities)[0],
            status="published",
        )
        for n in range(count)
    )
    revisions = ListingRevision.objects.bulk_create(
        ListingRevision(organisation=org, number=1, data={}, status="approved") for org in orgs
    )
    now = timezone.now()
    listings = []
    for org, revision in zip(orgs, revisions, strict=True):
        serves = random.sample(authorities, random.randint(1, 6))
        listings.append(
            PublishedListing(
                organisation=org,
                revision=revision,
                name=org.name,
                local_authority_id=org.local_authority_id,
                is_artsmark_partner=random.random() < 0.4,
                art_forms=sorted(random.sample([a for a, _ in ART_FORMS], 2)),
                offer_types=sorted(random.sample([o for o, _ in OfferType.choices], 2)),
                key_stages=sorted(random.sample([k for k, _ in KEY_STAGES], 3)),
                costs=["paid"],
                serves_local_authorities=sorted({la for la, _ in serves}),
                serves_regions=sorted({region for _, region in serves}),
                offer_count=2,
                published_at=now,
            )
        )
    PublishedListing.objects.bulk_create(listings)
    school_ids = list(School.objects.values_list("pk", flat=True)[:5000])
    Enquiry.objects.bulk_create(
        Enquiry(
            organisation=random.choice(orgs),
            school_id=random.choice(school_ids),
            subject="Working together",
            status=random.choice(["open", "open", "accepted", "closed"]),
            last_message_at=now,
        )
        for _ in range(count * 2)
    )


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def users():
    from artsmark.accounts.models import User
    from artsmark.schools.models import BridgeMembership, BridgeOrganisation

    admin = User.objects.create_user(email="bench.admin@example.test", password="x" * 20)
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    admin.refresh_from_db()
    reviewer = User.objects.create_user(email="bench.reviewer@example.test", password="x" * 20)
    organisation = BridgeOrganisation.objects.get(slug="a-new-direction")
    BridgeMembership.objects.create(user=reviewer, organisation=organisation)
    return admin, reviewer, organisation


def measure(client, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(captured)


def stream_export(client, url):
    """Stream the export through the view, keeping nothing: rows, bytes, seconds, peak bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = newlines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        newlines += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return newlines - 1, size, seconds, peak  # less the header row


def materialise_export():
    """The same rows, held in a list (what not streaming would cost, before any CSV)."""
    from insight.selectors import InsightFilters, school_export_rows

    tracemalloc.start()
    start = time.perf_counter()
    _headers, rows = school_export_rows(local_authority_ids=None, filters=InsightFilters())
    held = list(rows)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return len(held), seconds, peak


def load(args):
    start = time.perf_counter()
    add_schools(args.schools, 0)
    journeys, awards = add_journeys(args.journeys)
    add_partners(args.partners)
    analyze()
    print(
        f"loaded {args.schools:,} schools, {journeys:,} journeys ({awards:,} awarded), "
        f"{args.partners:,} partner listings and {2 * args.partners:,} enquiries "
        f"in {time.perf_counter() - start:.1f} s"
    )


def time_pages(args, admin_client, reviewer_client, organisation):
    from django.urls import reverse

    bridge = reverse("insight:dashboard", kwargs={"organisation_pk": organisation.pk})
    pages = [
        ("England dashboard (admin)", admin_client, reverse("insight:england")),
        (f"{organisation.name} dashboard", reviewer_client, bridge),
        (f"{organisation.name}, filtered", reviewer_client, bridge + "?phase=Primary&stage=open"),
        ("accessibility statement (trivial)", reviewer_client, reverse("accessibility")),
    ]
    print(f"{args.requests} requests each after 5 to warm up, Django test client in process")
    print(f"{'page':<40}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    results = {}
    for name, client, url in pages:
        median, p95, queries = measure(client, url, args.requests)
        results[name] = (median, p95)
        print(f"{name:<40}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    trivial = results["accessibility statement (trivial)"]
    england = results["England dashboard (admin)"]
    print(
        f"England dashboard / trivial page: median x{england[0] / trivial[0]:.1f}, "
        f"p95 x{england[1] / trivial[1]:.1f}"
    )


def time_export(args, admin_client):
    from django.urls import reverse

    more = args.export_schools - args.schools
    if more > 0:
        add_schools(more, args.schools)
        analyze()
    url = reverse("insight:england_export_schools")
    rows, size, seconds, peak = stream_export(admin_client, url)
    held, held_seconds, held_peak = materialise_export()
    print(f"national schools export, {rows:,} schools:")
    print(
        f"  streamed through the view: {size / 1e6:.1f} MB in {seconds:.2f} s, "
        f"peak Python memory {peak / 1e6:.1f} MB"
    )
    print(
        f"  the same {held:,} rows held in a list: {held_seconds:.2f} s, "
        f"peak Python memory {held_peak / 1e6:.1f} MB"
    )
    part_rows, _, _, part_peak = stream_export(admin_client, url + "?phase=Primary")
    print(
        f"  streamed, primary schools only ({part_rows:,} rows): "
        f"peak Python memory {part_peak / 1e6:.1f} MB (flat: it does not follow the rows)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--journeys", type=int, default=4_000)
    parser.add_argument("--partners", type=int, default=1_000)
    parser.add_argument("--export-schools", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    random.seed(args.seed)

    recreate_database()
    os.environ["DATABASE_URL"] = throwaway_db.database_url(BASE_URL, BENCH_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artsmark.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        load(args)
        admin, reviewer, organisation = users()
        admin_client, reviewer_client = Client(), Client()
        admin_client.force_login(admin)
        reviewer_client.force_login(reviewer)
        time_pages(args, admin_client, reviewer_client, organisation)
        time_export(args, admin_client)
    finally:
        connections.close_all()
        if not args.keep:
            recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
