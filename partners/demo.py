"""Demo partner organisations, offers, moderation and enquiries (SPEC.md, "The demo world").

Idempotent: organisations are found by name, and each is built only once. The demo writes
the moderation records directly (as a moderator's approval would) so that seeding sends no
email.
"""

from django.db import transaction
from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.models import LocalAuthority, Region, School
from partners.enums import ListingStatus, MembershipRole, MembershipStatus, RevisionStatus
from partners.models import (
    Enquiry,
    EnquiryMessage,
    ListingRevision,
    Offer,
    PartnerMembership,
    PartnerOrganisation,
)
from partners.services.moderation import publish, snapshot

# (name, LA code, serves whole region?, art forms, Artsmark Partner?, state, offers)
# Each offer: (title, type, key stages, art forms, principles, cost)
ORGANISATIONS = [
    (
        "Newham Youth Theatre",
        "316",
        True,
        ["theatre"],
        True,
        "published",
        [
            (
                "Drama in the classroom: CPD for primary teachers",
                "cpd",
                ["ks1", "ks2"],
                ["theatre"],
                ["involving", "progression"],
                "subsidised",
            ),
            (
                "Devised theatre workshops",
                "workshops",
                ["ks2", "ks3"],
                ["theatre"],
                ["involving", "belonging", "inspiring"],
                "paid",
            ),
            (
                "Arts Award Discover through drama",
                "arts-award",
                ["ks2"],
                ["theatre"],
                ["progression"],
                "free",
            ),
        ],
    ),
    (
        "Tower Hamlets Music Hub",
        "211",
        False,
        ["music"],
        True,
        "published",
        [
            (
                "Whole-class ensemble teaching",
                "workshops",
                ["ks2"],
                ["music"],
                ["excellence", "inclusive"],
                "subsidised",
            ),
            (
                "Inclusive music for SEND settings",
                "send",
                ["eyfs", "ks1", "ks2", "ks3"],
                ["music"],
                ["inclusive", "involving"],
                "free",
            ),
        ],
    ),
    (
        "Lambeth Gallery Learning",
        "208",
        False,
        ["visual-arts", "photography"],
        False,
        "published",
        [
            (
                "Gallery visits with an artist",
                "performances",
                ["ks1", "ks2", "ks3"],
                ["visual-arts"],
                ["authentic", "inspiring"],
                "free",
            ),
            (
                "Photography residency",
                "residencies",
                ["ks3", "ks4"],
                ["photography"],
                ["belonging", "progression"],
                "paid",
            ),
        ],
    ),
    (
        "East London Dance Collective",
        "316",
        True,
        ["dance"],
        True,
        "published",
        [
            (
                "Street dance workshops",
                "workshops",
                ["ks2", "ks3", "ks4"],
                ["dance"],
                ["inspiring", "involving"],
                "paid",
            ),
            (
                "Dance leadership for young people",
                "careers",
                ["ks4", "ks5"],
                ["dance"],
                ["progression", "belonging"],
                "subsidised",
            ),
        ],
    ),
    (
        "Docklands Heritage Museum",
        "211",
        False,
        ["heritage"],
        False,
        "published",
        [
            (
                "Objects and stories: museum sessions",
                "performances",
                ["ks1", "ks2"],
                ["heritage"],
                ["authentic", "belonging"],
                "free",
            ),
        ],
    ),
    (
        "Thames Digital Makers",
        "316",
        False,
        ["film-media"],
        False,
        "pending",
        [
            (
                "Stop-motion animation club",
                "digital",
                ["ks2", "ks3"],
                ["film-media"],
                ["inspiring", "excellence"],
                "paid",
            ),
        ],
    ),
    (
        "Midlands Music Hub",
        "330",
        True,
        ["music"],
        True,
        "published",
        [
            (
                "Singing strategy training for teachers",
                "cpd",
                ["ks1", "ks2"],
                ["music"],
                ["excellence", "progression"],
                "free",
            ),
            (
                "Orchestra in your hall",
                "performances",
                ["ks2", "ks3"],
                ["music"],
                ["inspiring"],
                "subsidised",
            ),
        ],
    ),
    (
        "Birmingham Rep Learning",
        "330",
        False,
        ["theatre"],
        True,
        "published",
        [
            (
                "Playwriting residency",
                "residencies",
                ["ks3", "ks4"],
                ["theatre", "literature"],
                ["authentic", "involving"],
                "paid",
            ),
        ],
    ),
    (
        "Worcester Craft Guild",
        "885",
        False,
        ["craft-design"],
        False,
        "pending",
        [
            (
                "Ceramics and textiles workshops",
                "workshops",
                ["ks2", "ks3"],
                ["craft-design"],
                ["excellence", "authentic"],
                "paid",
            ),
        ],
    ),
    (
        "Tyneside Cinema Education",
        "391",
        True,
        ["film-media"],
        True,
        "published",
        [
            (
                "Film-making with young people",
                "digital",
                ["ks3", "ks4", "ks5"],
                ["film-media"],
                ["progression", "involving"],
                "subsidised",
            ),
        ],
    ),
    (
        "Leeds Poetry Centre",
        "383",
        False,
        ["literature"],
        False,
        "published",
        [
            (
                "Poets in schools",
                "workshops",
                ["ks2", "ks3", "ks4"],
                ["literature"],
                ["authentic", "belonging"],
                "paid",
            ),
            (
                "Writing for wellbeing: CPD",
                "cpd",
                ["ks2", "ks3"],
                ["literature"],
                ["inclusive"],
                "free",
            ),
        ],
    ),
    (
        "Mersey Circus Arts",
        "341",
        True,
        ["circus-outdoor"],
        False,
        "published",
        [
            (
                "Circus skills days",
                "workshops",
                ["ks1", "ks2", "ks3"],
                ["circus-outdoor"],
                ["inspiring", "inclusive"],
                "paid",
            ),
        ],
    ),
    (
        "Sherwood Libraries",
        "892",
        True,
        ["libraries", "literature"],
        True,
        "published",
        [
            (
                "Reading for pleasure partnership",
                "workshops",
                ["eyfs", "ks1", "ks2"],
                ["libraries"],
                ["belonging", "involving"],
                "free",
            ),
        ],
    ),
    (
        "Fenland Arts Festival",
        "873",
        True,
        ["combined-arts"],
        False,
        "published",
        [
            (
                "Festival commissions with schools",
                "residencies",
                ["ks2", "ks3"],
                ["combined-arts"],
                ["authentic", "inspiring"],
                "subsidised",
            ),
            (
                "Fundraising for arts projects",
                "fundraising",
                ["ks1", "ks2", "ks3", "ks4"],
                ["combined-arts"],
                ["excellence"],
                "free",
            ),
        ],
    ),
    (
        "Brighton Puppet Company",
        "846",
        False,
        ["theatre", "craft-design"],
        True,
        "pending",
        [
            (
                "Puppetry and storytelling",
                "workshops",
                ["eyfs", "ks1"],
                ["theatre"],
                ["inspiring", "involving"],
                "paid",
            ),
        ],
    ),
    (
        "Plymouth Maritime Museum",
        "879",
        False,
        ["heritage"],
        False,
        "published",
        [
            (
                "Life at sea: a museum visit",
                "performances",
                ["ks2"],
                ["heritage"],
                ["authentic"],
                "subsidised",
            ),
        ],
    ),
    (
        "Kent Youth Orchestra",
        "886",
        True,
        ["music"],
        True,
        "published",
        [
            ("Careers in music", "careers", ["ks4", "ks5"], ["music"], ["progression"], "free"),
        ],
    ),
    (
        "Carlisle Photography Trust",
        "942",
        False,
        ["photography"],
        False,
        "draft",
        [
            (
                "Darkroom and digital photography",
                "workshops",
                ["ks3", "ks4"],
                ["photography"],
                ["excellence"],
                "paid",
            ),
        ],
    ),
    (
        "Newham Sensory Arts",
        "316",
        False,
        ["visual-arts", "music"],
        True,
        "returned",
        [
            (
                "Sensory arts for SEND settings",
                "send",
                ["eyfs", "ks1", "ks2"],
                ["visual-arts"],
                ["inclusive"],
                "subsidised",
            ),
        ],
    ),
    (
        "Black Country Dance",
        "330",
        False,
        ["dance"],
        False,
        "published",
        [
            (
                "Bhangra and South Asian dance",
                "workshops",
                ["ks1", "ks2", "ks3"],
                ["dance"],
                ["belonging", "authentic"],
                "paid",
            ),
        ],
    ),
]
STAFF = {
    "Newham Youth Theatre": "partner@example.org",
    "Midlands Music Hub": "other.partner@example.org",
}


def _organisation(row, authorities, moderator):
    name, la_code, region_wide, art_forms, partner, state, offers = row
    authority = authorities[la_code]
    organisation, created = PartnerOrganisation.objects.get_or_create(
        name=name,
        defaults={
            "description": f"{name} works with schools and young people in and around "
            f"{authority.name}.",
            "website": "https://www.example.org/",
            "contact_email": "learning@example.org",
            "local_authority": authority,
            "art_forms": art_forms,
            "is_artsmark_partner": partner,
        },
    )
    if not created:
        return organisation
    organisation.serves_local_authorities.set([authority])
    if region_wide:
        organisation.serves_regions.set([Region.objects.get(pk=authority.region_id)])
    for title, kind, stages, forms, principles, cost in offers:
        Offer.objects.create(
            organisation=organisation,
            title=title,
            description=f"{title}, led by {name}'s learning team.",
            offer_type=kind,
            key_stages=stages,
            art_forms=forms,
            quality_principles=principles,
            cost=cost,
            learning_outcomes="Pupils make, perform and reflect on their work.",
            school_provides="A space big enough for a class.",
        )
    _moderate(organisation, state, moderator)
    return organisation


def _moderate(organisation, state, moderator):
    if state == "draft":
        return
    now = timezone.now()
    status = {
        "published": RevisionStatus.APPROVED,
        "pending": RevisionStatus.PENDING,
        "returned": RevisionStatus.RETURNED,
    }[state]
    revision = ListingRevision.objects.create(
        organisation=organisation,
        number=1,
        data=snapshot(organisation),
        status=status,
        decided_by=None if state == "pending" else moderator,
        decided_at=None if state == "pending" else now,
        comments="Please say what the school needs to provide." if state == "returned" else "",
    )
    if state == "published":
        publish(organisation=organisation, revision=revision)
    organisation.status = ListingStatus(state)
    organisation.save(update_fields=["status"])


def _staff(organisations):
    for name, email in STAFF.items():
        user = User.objects.filter(email=email).first()
        if user:
            PartnerMembership.objects.update_or_create(
                user=user,
                organisation=organisations[name],
                defaults={"role": MembershipRole.ADMIN, "status": MembershipStatus.APPROVED},
            )


def _enquiries(organisation):
    school = School.objects.filter(urn=990001).first()
    lead = User.objects.filter(email="lead@example.org").first()
    partner = User.objects.filter(email="partner@example.org").first()
    if not (school and lead and partner):
        return 0
    if Enquiry.objects.filter(school=school, organisation=organisation).exists():
        return 0
    now = timezone.now()
    threads = [
        ("A drama residency for Year 5", "Could you run a drama residency next spring?", True),
        ("CPD for our staff", "Do you run drama CPD for a whole staff team?", False),
    ]
    for subject, body, replied in threads:
        enquiry = Enquiry.objects.create(
            organisation=organisation,
            school=school,
            sender=lead,
            subject=subject,
            last_message_at=now,
            school_read_at=now,
        )
        EnquiryMessage.objects.create(
            enquiry=enquiry, author=lead, side=EnquiryMessage.Side.SCHOOL, body=body
        )
        if replied:
            EnquiryMessage.objects.create(
                enquiry=enquiry,
                author=partner,
                side=EnquiryMessage.Side.PARTNER,
                body="Yes: we have space in March. Shall we talk about your goals?",
            )
    return len(threads)


@transaction.atomic
def seed(stdout=None):
    authorities = {la.code: la for la in LocalAuthority.objects.all()}
    moderator = User.objects.filter(email="reviewer@example.org").first()
    organisations = {row[0]: _organisation(row, authorities, moderator) for row in ORGANISATIONS}
    _staff(organisations)
    enquiries = _enquiries(organisations["Newham Youth Theatre"])
    if stdout:
        stdout.write(
            f"Partner directory: {len(organisations)} organisations, {enquiries} new enquiries."
        )
    return organisations
