"""The partner directory's URLs in the permission matrix (tests/test_permission_matrix.py).

world.partner is the approved admin of "own" (published, in Newham: reviewer_a moderates
it, with a pending edit); "other" is another organisation with its own staff.
"""

from tests.matrix import LOGGED_IN, LOGIN, PUBLIC, Case, statuses

STAFF = statuses(404, anonymous=LOGIN, partner=200, admin=200)
REVIEWERS_ONLY = statuses(403, anonymous=LOGIN, reviewer_a=200, reviewer_other=200, admin=200)
TEACHERS_ONLY = statuses(403, anonymous=LOGIN, teacher_a=200, teacher_b=200)
ENQUIRY_PARTIES = statuses(404, anonymous=LOGIN, teacher_a=200, partner=200, admin=200)


def _organisations(world):
    def build(w):
        from partners.services.moderation import submit_listing
        from partners.tests.factories import (
            OfferFactory,
            PartnerMembershipFactory,
            published_organisation,
        )

        own = published_organisation(name="Own Theatre Company")
        PartnerMembershipFactory(user=w.partner, organisation=own)
        OfferFactory(organisation=own, title="A new offer waiting for moderation")
        own.status = "draft"
        own.save(update_fields=["status"])
        submit_listing(organisation=own, actor=w.partner)
        other = published_organisation(name="Other Dance Company")
        PartnerMembershipFactory(organisation=other)
        pending_member = PartnerMembershipFactory(organisation=own, role="member", status="pending")
        return {"own": own, "other": other, "pending_member": pending_member}

    return world.once("partner_organisations", build)


def _own(world):
    return {"pk": _organisations(world)["own"].pk}


def _own_offer(world):
    own = _organisations(world)["own"]
    return {"pk": own.pk, "offer_pk": own.offers.first().pk}


def _published_offer(world):
    own = _organisations(world)["own"]
    return {"organisation_pk": own.pk, "pk": own.published.offers.first().pk}


def _pending_member(world):
    orgs = _organisations(world)
    return {"pk": orgs["own"].pk, "membership_pk": orgs["pending_member"].pk}


def _enquiry(world):
    def build(w):
        from partners.tests.factories import enquiry_for

        return enquiry_for(
            organisation=_organisations(w)["own"], school=w.school_a, sender=w.teacher_a
        )

    return {"pk": world.once("partner_enquiry", build).pk}


def _journey_a(world):
    def build(w):
        from journeys.tests.factories import GoalFactory, JourneyFactory

        journey = JourneyFactory(school=w.school_a)
        GoalFactory(journey=journey)
        return journey

    return {"journey_pk": world.once("partner_journey_a", build).pk}


CASES = {
    "partners:directory": Case(expect=PUBLIC),
    "partners:listing": Case(expect=PUBLIC, kwargs=_own),
    "partners:offer": Case(expect=PUBLIC, kwargs=_published_offer),
    "partners:send_enquiry": Case(expect=TEACHERS_ONLY, kwargs=_own),
    "partners:my_organisations": Case(expect=LOGGED_IN),
    "partners:create_organisation": Case(expect=LOGGED_IN),
    "partners:find_organisation": Case(expect=LOGGED_IN),
    "partners:join_organisation": Case(expect=LOGGED_IN, kwargs=_own),
    "partners:manage": Case(expect=STAFF, kwargs=_own),
    "partners:edit_listing": Case(expect=STAFF, kwargs=_own),
    "partners:add_offer": Case(expect=STAFF, kwargs=_own),
    "partners:edit_offer": Case(expect=STAFF, kwargs=_own_offer),
    "partners:delete_offer": Case(expect=STAFF, kwargs=_own_offer),
    "partners:submit_listing": Case(expect=STAFF, kwargs=_own),
    "partners:staff": Case(expect=STAFF, kwargs=_own),
    "partners:approve_member": Case(expect=STAFF, kwargs=_pending_member),
    "partners:decline_member": Case(expect=STAFF, kwargs=_pending_member),
    "partners:inbox": Case(expect=STAFF, kwargs=_own),
    "partners:moderation_queue": Case(expect=REVIEWERS_ONLY),
    "partners:moderate": Case(
        expect=statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200), kwargs=_own
    ),
    "partners:set_artsmark_partner": Case(
        # A GET leads back to the moderation page; outsiders get a 404.
        expect=statuses(404, anonymous=LOGIN, reviewer_a=302, admin=302),
        kwargs=_own,
    ),
    "partners:my_enquiries": Case(expect=LOGGED_IN),
    "partners:enquiry": Case(expect=ENQUIRY_PARTIES, kwargs=_enquiry),
    "partners:close_enquiry": Case(expect=ENQUIRY_PARTIES, kwargs=_enquiry),
    "partners:accept_enquiry": Case(
        expect=statuses(404, anonymous=LOGIN, teacher_a=200, partner=403, admin=200),
        kwargs=_enquiry,
    ),
    "partners:matching": Case(
        expect=statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200),
        kwargs=_journey_a,
    ),
}
