"""How fast the public partner directory searches at 100,000 offers across 20,000 organisations.

    .venv/bin/python bench/directory.py [--organisations 20000] [--offers-per 5] [--keep] [--reuse]

Creates a throwaway database (artsmark_bench_directory, or BENCH_DATABASE), migrates it, loads
published listings and offers (varied names, descriptions, art forms, key stages, principles,
costs, areas served), then times 50 varied searches (text plus filters) through the view with
Django's test client, beside 50 requests for an organisation's public page (a primary-key
lookup) measured the same way. Prints the median and 95th percentile of each, the queries each
page makes, the time of a search that finds nothing (and so looks for a suggestion) and the
plan of the most matched search. Drops the database afterwards unless --keep; --reuse
measures again on a database kept before (migrating it, not reloading it).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway_db  # noqa: E402 (needs ROOT on the path)

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/artsmark")
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "artsmark_bench_directory")

PLACES = [
    "Thames",
    "Harbour",
    "Riverside",
    "Northgate",
    "Ashford",
    "Pennine",
    "Mersey",
    "Tyne",
    "Severn",
    "Avon",
    "Wessex",
    "Fenland",
    "Chiltern",
    "Cotswold",
    "Medway",
    "Trent",
    "Humber",
    "Solent",
    "Weald",
    "Peak",
    "Dales",
    "Mendip",
    "Quantock",
    "Exmoor",
    "Kennet",
    "Calder",
    "Irwell",
    "Wear",
    "Tees",
    "Ouse",
    "Derwent",
    "Lune",
    "Eden",
    "Wye",
    "Stour",
    "Colne",
    "Lea",
    "Brent",
    "Wandle",
    "Ravensbourne",
]
QUALIFIERS = [
    "Youth",
    "Community",
    "Children's",
    "Young",
    "People's",
    "Open",
    "Street",
    "Modern",
    "Heritage",
    "Family",
    "Rural",
    "Coastal",
    "City",
    "Valley",
    "Hill",
    "Forest",
    "Island",
    "Castle",
    "Market",
    "Garden",
    "Canal",
    "Station",
    "Bridge",
    "Abbey",
]
NOUNS = [
    "Theatre",
    "Orchestra",
    "Gallery",
    "Dance Company",
    "Museum",
    "Arts Collective",
    "Ensemble",
    "Studio",
    "Players",
    "Choir",
    "Puppet Company",
    "Circus",
    "Film Society",
    "Music Hub",
    "Library Service",
    "Craft Guild",
    "Photography Trust",
    "Writers' Centre",
    "Opera",
    "Festival",
]
DESCRIPTION_PARTS = [
    "We work with schools across the region",
    "our artists lead hands-on sessions in classrooms",
    "pupils perform to a real audience at the end of each project",
    "teachers gain confidence through practical training",
    "we specialise in inclusive practice for pupils with SEND",
    "our collection inspires cross-curricular learning in history and art",
    "young people create new work with professional makers",
    "we offer Arts Award at Discover, Explore and Bronze",
    "digital making, animation and coding meet creative writing",
    "careers talks introduce the creative industries",
    "storytelling and puppetry bring literacy to life",
    "our orchestra players mentor young musicians",
    "printmaking, ceramics and textiles in our studios",
    "street dance, ballet and contemporary workshops",
    "visits to our galleries with a trained learning team",
]
OFFER_TITLES = {
    "cpd": ["Teacher training in {a}", "{a} for non-specialist teachers", "Leading {a} in school"],
    "workshops": ["{a} workshop", "Hands-on {a} day", "{a} taster sessions"],
    "performances": ["{a} performance in your hall", "Visit our {a} season", "Touring {a} show"],
    "residencies": ["Artist residency: {a}", "Half-term {a} residency"],
    "arts-award": ["Arts Award through {a}", "Bronze Arts Award in {a}"],
    "careers": ["Careers in {a}", "Meet a {a} professional"],
    "digital": ["Digital {a}", "{a} and coding"],
    "send": ["Inclusive {a} for SEND settings", "Sensory {a} sessions"],
    "fundraising": ["Fundraising for {a} in school", "Bid writing support for {a}"],
}
QUERIES = [
    "theatre",
    "dance workshop",
    "orchestra",
    "puppetry",
    "arts award",
    "ceramics",
    "careers",
    "SEND",
    "animation coding",
    "Mersey Theatre",
    "Thams Harbour",
    "Pennine Orchestr",
    "gallery visit",
    "storytelling",
    "printmaking",
    "music hub",
    "teacher training",
    "street dance",
    "residency",
    "photography",
    "",
]


def database_url(name):
    return throwaway_db.database_url(BASE_URL, name)


def recreate_database(*, drop_only=False):
    throwaway_db.recreate_database(BASE_URL, BENCH_DATABASE, drop_only=drop_only)


TABLES = [
    "partners_publishedlisting",
    "partners_publishedoffer",
    "partners_publishedlistingsearch",
    "partners_searchword",
]
SYLLABLES = ["ka", "lo", "mi", "ner", "sto", "vel", "dra", "pon", "tis", "ga", "rum", "bel"]
# Real descriptions are varied: besides a few phrases every listing shares, each text draws
# words from a large vocabulary, so that a word matches a realistic share of listings.
VOCABULARY = sorted({"".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(6000)})


def prose(phrases, words):
    chosen = random.sample(DESCRIPTION_PARTS, phrases) + random.sample(VOCABULARY, words)
    return " ".join(chosen).capitalize() + "."


def sample(vocabulary, low, high):
    return sorted(random.sample(vocabulary, random.randint(low, high)))


def make_offer(listing, vocab):
    from partners.models import PublishedOffer

    offer_type = random.choice(vocab["offer_types"])
    art_forms = sample(vocab["art_forms"], 1, 2)
    first_stage = random.randrange(len(vocab["key_stages"]))
    key_stages = vocab["key_stages"][first_stage : first_stage + random.randint(1, 3)]
    art_label = dict(vocab["art_form_labels"])[art_forms[0]].lower()
    return PublishedOffer(
        listing=listing,
        title=random.choice(OFFER_TITLES[offer_type]).format(a=art_label).capitalize(),
        description=prose(1, 12),
        offer_type=offer_type,
        key_stages=key_stages,
        art_forms=art_forms,
        quality_principles=sample(vocab["principles"], 1, 3),
        cost=random.choice(vocab["costs"]),
        learning_outcomes="Pupils make, perform and reflect.",
    )


def load(organisations, offers_per):
    from django.utils import timezone

    from artsmark.common import vocab as shared
    from artsmark.schools.models import LocalAuthority
    from partners.enums import Cost, ListingStatus, OfferType, RevisionStatus
    from partners.models import (
        ListingRevision,
        PartnerOrganisation,
        PublishedListing,
        PublishedOffer,
    )
    from partners.services.moderation import refresh_search

    vocab = {
        "offer_types": [v for v, _ in OfferType.choices],
        "art_forms": [v for v, _ in shared.ART_FORMS],
        "art_form_labels": shared.ART_FORMS,
        "key_stages": [v for v, _ in shared.KEY_STAGES],
        "principles": [v for v, _ in shared.QUALITY_PRINCIPLES],
        "costs": [v for v, _ in Cost.choices],
    }
    authorities = list(LocalAuthority.objects.values_list("pk", "region_id"))
    by_region = {}
    for pk, region in authorities:
        by_region.setdefault(region, []).append(pk)
    now = timezone.now()
    batch = 2000
    for start in range(0, organisations, batch):
        count = min(batch, organisations - start)
        bases = [random.choice(authorities) for _ in range(count)]
        names = [
            f"{random.choice(PLACES)} {random.choice(QUALIFIERS)} {random.choice(NOUNS)} "
            f"{start + n}"
            for n in range(count)
        ]
        orgs = PartnerOrganisation.objects.bulk_create(
            PartnerOrganisation(
                name=name, local_authority_id=base[0], status=ListingStatus.PUBLISHED
            )
            for name, base in zip(names, bases, strict=True)
        )
        revisions = ListingRevision.objects.bulk_create(
            ListingRevision(organisation=org, number=1, data={}, status=RevisionStatus.APPROVED)
            for org in orgs
        )
        listings = []
        for org, revision, base in zip(orgs, revisions, bases, strict=True):
            region_wide = random.random() < 0.3
            serves = by_region[base[1]] if region_wide else [base[0]]
            listings.append(
                PublishedListing(
                    organisation=org,
                    revision=revision,
                    name=org.name,
                    description=prose(1, 25),
                    local_authority_id=base[0],
                    is_artsmark_partner=random.random() < 0.4,
                    serves_local_authorities=serves,
                    serves_regions=[base[1]],
                    published_at=now,
                )
            )
        listings = PublishedListing.objects.bulk_create(listings)
        offers = []
        for listing in listings:
            mine = [make_offer(listing, vocab) for _ in range(offers_per)]
            offers.extend(mine)
            listing.art_forms = sorted({a for o in mine for a in o.art_forms})
            listing.offer_types = sorted({o.offer_type for o in mine})
            listing.key_stages = sorted({k for o in mine for k in o.key_stages})
            listing.quality_principles = sorted({q for o in mine for q in o.quality_principles})
            listing.costs = sorted({o.cost for o in mine})
            listing.offer_count = len(mine)
        PublishedOffer.objects.bulk_create(offers, batch_size=5000)
        PublishedListing.objects.bulk_update(
            listings,
            [
                "art_forms",
                "offer_types",
                "key_stages",
                "quality_principles",
                "costs",
                "offer_count",
            ],
        )
    refresh_search()
    analyze()


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def varied_searches(count, regions, authorities):
    facets = {
        "offer_type": ["cpd", "workshops", "performances", "send", "arts-award", "digital"],
        "art_form": ["music", "theatre", "dance", "visual-arts", "heritage", "film-media"],
        "key_stage": ["eyfs", "ks1", "ks2", "ks3", "ks4"],
        "quality_principle": ["excellence", "inclusive", "belonging", "involving"],
        "cost": ["free", "subsidised", "paid"],
    }
    searches = []
    for n in range(count):
        params = {"q": QUERIES[n % len(QUERIES)]}
        for name in random.sample(sorted(facets), random.randint(0, 3)):
            params[name] = random.sample(facets[name], random.randint(1, 2))
        if random.random() < 0.3:
            params["region"] = random.choice(regions)
        elif random.random() < 0.2:
            params["local_authority"] = random.choice(authorities)
        if random.random() < 0.2:
            params["artsmark_partner"] = "on"
        if random.random() < 0.2:
            params["page"] = 2
        searches.append("/directory/?" + urlencode(params, doseq=True))
    return searches


def measure(client, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:5]:  # warm caches and connections
        client.get(url)
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries = []
    for url in urls[:10]:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries.append(len(captured))
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, sorted(set(queries))


def search_finding_nothing(client):
    """A misspelt word finds nothing, so the search also looks for a suggestion: how long
    that takes (median of 10), and what it suggests."""
    from partners.selectors import DirectorySearch, search_directory

    times = []
    for _ in range(10):
        start = time.perf_counter()
        client.get("/directory/?q=thaetre+wrkshop")
        times.append((time.perf_counter() - start) * 1000)
    suggestion = search_directory(DirectorySearch(text="thaetre wrkshop"))["suggestion"]
    return statistics.median(times), suggestion


def show_plan():
    from django.db import connection

    from partners.selectors import SEARCH_SQL, DirectorySearch, search_parameters

    params = search_parameters(DirectorySearch(text="arts award"))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + SEARCH_SQL, params)
        print("plan of a text search (arts award, the most matched of the 50):")
        for (line,) in cursor.fetchall():
            print("   ", line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--offers-per", type=int, default=5)
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure on the database kept by --keep (implies it)"
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse
    random.seed(args.seed)

    if not args.reuse:
        recreate_database()
    os.environ["DATABASE_URL"] = database_url(BENCH_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "artsmark.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from artsmark.schools.models import LocalAuthority, Region
    from partners.models import PublishedListing, PublishedOffer

    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        if not args.reuse:
            load(args.organisations, args.offers_per)
        else:
            analyze()
        print(
            f"{'reused' if args.reuse else 'loaded'} {PublishedListing.objects.count():,} "
            f"published organisations and {PublishedOffer.objects.count():,} offers "
            f"in {time.perf_counter() - start:.1f} s"
        )
        client = Client()
        regions = list(Region.objects.values_list("pk", flat=True))
        authorities = list(LocalAuthority.objects.values_list("pk", flat=True))
        searches = varied_searches(args.searches, regions, authorities)
        ids = list(PublishedListing.objects.values_list("organisation_id", flat=True))
        lookups = [f"/directory/{pk}/" for pk in random.sample(ids, args.searches)]
        s_median, s_p95, s_queries = measure(client, searches)
        l_median, l_p95, l_queries = measure(client, lookups)
        print(f"{'page':<34}{'median ms':>10}{'p95 ms':>10}  queries")
        print(f"{'search (text + filters), 50':<34}{s_median:>10.1f}{s_p95:>10.1f}  {s_queries}")
        print(
            f"{'organisation page (pk lookup), 50':<34}{l_median:>10.1f}{l_p95:>10.1f}  {l_queries}"
        )
        print(f"search p95 / lookup p95 = {s_p95 / l_p95:.2f} (goal: at most 5; p95 at most 40 ms)")
        nothing_ms, suggestion = search_finding_nothing(client)
        print(
            f"a search finding nothing, with its suggestion ({suggestion!r}): {nothing_ms:.1f} ms"
        )
        show_plan()
    finally:
        connections.close_all()
        if not args.keep:
            recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
