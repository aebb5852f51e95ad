"""The fixed demo world's people and schools (SPEC.md, "The demo world").

Idempotent: running it again updates the same rows. Demo URNs start at 990000, outside the
range GIAS uses, so a real import never collides with them.
"""

from allauth.account.models import EmailAddress
from django.conf import settings

from artsmark.accounts.models import User
from artsmark.schools.models import (
    BridgeMembership,
    BridgeOrganisation,
    LocalAuthority,
    School,
    SchoolMembership,
)

DEMO_USERS = [
    (
        "lead@example.org",
        "Priya Shah",
        "Artsmark lead of Rosewood Primary School (Newham, London)",
    ),
    ("teacher@example.org", "Tom Okafor", "Member of Rosewood Primary School"),
    (
        "other.teacher@example.org",
        "Hannah Price",
        "Lead of Kingsway Academy (Birmingham)",
    ),
    ("reviewer@example.org", "Ruth Adeyemi", "Reviewer at A New Direction (London)"),
    (
        "other.reviewer@example.org",
        "Gareth Lloyd",
        "Reviewer at Arts Connect (West Midlands)",
    ),
    ("partner@example.org", "Maya Collins", "Staff of a published London partner"),
    ("other.partner@example.org", "Sam Reid", "Staff of another partner organisation"),
    ("admin@example.org", "Alex Morgan", "Platform admin (Django admin)"),
]

# (URN, name, type, phase, LA code, town, postcode, pupils)
DEMO_SCHOOLS = [
    (
        990001,
        "Rosewood Primary School",
        "Community school",
        "Primary",
        "316",
        "London",
        "E13 9AB",
        420,
    ),
    (
        990002,
        "Kingsway Academy",
        "Academy converter",
        "Secondary",
        "330",
        "Birmingham",
        "B12 0XS",
        1150,
    ),
    (
        990003,
        "Thames Reach Secondary School",
        "Academy sponsor led",
        "Secondary",
        "211",
        "London",
        "E14 7DR",
        980,
    ),
    (
        990004,
        "Hillcrest Nursery School",
        "Local authority nursery school",
        "Nursery",
        "208",
        "London",
        "SW9 8JX",
        96,
    ),
    (
        990005,
        "Riverside Special School",
        "Community special school",
        "Not applicable",
        "316",
        "London",
        "E16 2QT",
        140,
    ),
    (
        990006,
        "Northgate Primary School",
        "Voluntary aided school",
        "Primary",
        "391",
        "Newcastle upon Tyne",
        "NE4 5PL",
        310,
    ),
    (
        990007,
        "Pennine View Academy",
        "Academy converter",
        "Secondary",
        "383",
        "Leeds",
        "LS9 6NR",
        1320,
    ),
    (
        990008,
        "Mersey Bank Primary School",
        "Community school",
        "Primary",
        "341",
        "Liverpool",
        "L8 2TS",
        455,
    ),
    (
        990009,
        "Sherwood All-through School",
        "Academy sponsor led",
        "All-through",
        "892",
        "Nottingham",
        "NG5 1DW",
        1600,
    ),
    (
        990010,
        "Fenland Primary School",
        "Foundation school",
        "Primary",
        "873",
        "Wisbech",
        "PE13 2AB",
        88,
    ),
    (
        990011,
        "Downs Edge College",
        "Academy converter",
        "16 plus",
        "846",
        "Brighton",
        "BN2 4AT",
        720,
    ),
    (
        990012,
        "Tamar Valley Middle School",
        "Community school",
        "Middle deemed secondary",
        "879",
        "Plymouth",
        "PL5 3EH",
        380,
    ),
    (
        990013,
        "Weald Primary School",
        "Voluntary controlled school",
        "Primary",
        "886",
        "Ashford",
        "TN23 4QX",
        240,
    ),
    (
        990014,
        "Malvern Hills Secondary School",
        "Academy converter",
        "Secondary",
        "885",
        "Malvern",
        "WR14 1ZZ",
        890,
    ),
    (
        990015,
        "Eden Alternative Provision Academy",
        "Academy alternative provision converter",
        "Not applicable",
        "942",
        "Carlisle",
        "CA1 2BU",
        45,
    ),
    # London schools further along the journey, for A New Direction's reviewer.
    (
        990016,
        "Bow Common Primary School",
        "Community school",
        "Primary",
        "211",
        "London",
        "E3 4AB",
        310,
    ),
    (
        990017,
        "Lea Bridge Academy",
        "Academy converter",
        "Secondary",
        "204",
        "London",
        "E5 9RB",
        1050,
    ),
    (
        990018,
        "Greenwich Park Primary School",
        "Community school",
        "Primary",
        "203",
        "London",
        "SE10 8QY",
        230,
    ),
    (
        990019,
        "Southwark Park Primary School",
        "Foundation school",
        "Primary",
        "210",
        "London",
        "SE16 2JE",
        390,
    ),
]


def _user(email, full_name, *, staff=False):
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "is_staff": staff,
            "is_superuser": staff,
            "is_active": True,
        },
    )
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _schools():
    authorities = {la.code: la for la in LocalAuthority.objects.all()}
    schools = {}
    for urn, name, kind, phase, la, town, postcode, pupils in DEMO_SCHOOLS:
        schools[urn], _ = School.objects.update_or_create(
            urn=urn,
            defaults={
                "name": name,
                "establishment_type": kind,
                "phase": phase,
                "local_authority": authorities[la],
                "town": town,
                "postcode": postcode,
                "number_of_pupils": pupils,
                "status": "Open",
                "is_open": True,
            },
        )
    return schools


def _member(user, school, role):
    SchoolMembership.objects.update_or_create(
        user=user,
        school=school,
        defaults={"role": role, "status": SchoolMembership.Status.APPROVED},
    )


def seed(stdout=None):
    users = {
        email: _user(email, name, staff=email == "admin@example.org")
        for email, name, _ in DEMO_USERS
    }
    schools = _schools()
    lead, member = SchoolMembership.Role.LEAD, SchoolMembership.Role.MEMBER
    _member(users["lead@example.org"], schools[990001], lead)
    _member(users["teacher@example.org"], schools[990001], member)
    _member(users["other.teacher@example.org"], schools[990002], lead)
    # The London reviewer also leads A New Direction's reviewers: they assign reviews.
    for email, slug, role in [
        ("reviewer@example.org", "a-new-direction", BridgeMembership.Role.LEAD),
        ("other.reviewer@example.org", "arts-connect", BridgeMembership.Role.REVIEWER),
    ]:
        BridgeMembership.objects.update_or_create(
            user=users[email],
            organisation=BridgeOrganisation.objects.get(slug=slug),
            defaults={"role": role},
        )
    if stdout:
        stdout.write(f"Demo people and {len(schools)} schools are in place.")
    return {"users": users, "schools": schools}
