"""The dashboard's figures against hand-built data in two regions.

London (A New Direction): Newham (primary) and Camden (secondary) schools with journeys at
many stages. The West Midlands (Arts Connect): a Birmingham school whose figures must never
show on the London dashboard, and must on England's.
"""

import pytest

from artsmark.schools.tests.factories import SchoolFactory, bridge_organisation, local_authority
from insight.selectors import (
    ANY_OPEN,
    InsightFilters,
    dashboard_data,
    quarter_label,
    quarter_start,
)
from insight.tests.builders import award, days, invoice, review
from journeys.enums import Stage
from journeys.tests.factories import JourneyFactory
from partners.enums import EnquiryStatus
from partners.tests.factories import enquiry_for, published_organisation


def _journey(school, stage, **fields):
    return JourneyFactory(school=school, stage=stage, **fields)


@pytest.fixture
def area(world):
    newham, camden, birmingham = (local_authority(code) for code in ("316", "202", "330"))

    def school(name, authority, phase):
        return SchoolFactory(name=name, local_authority=authority, phase=phase)

    built = {
        "late_commitment": _journey(
            school("Late Primary", newham, "Primary"), Stage.REGISTERED, commitment_due=days(-10)
        ),
        "drafting": _journey(
            school("Drafting Primary", newham, "Primary"),
            Stage.COMMITMENT_DRAFT,
            commitment_due=days(10),
        ),
        "submitted": _journey(
            school("Submitted Primary", newham, "Primary"), Stage.COMMITMENT_SUBMITTED
        ),
        "late_impact": _journey(
            school("Certified Primary", newham, "Primary"), Stage.CERTIFIED, impact_due=days(-1)
        ),
        "gold": _journey(school("Gold Primary", newham, "Primary"), Stage.AWARDED),
        "impact_submitted": _journey(
            school("Impact Secondary", camden, "Secondary"), Stage.IMPACT_SUBMITTED
        ),
        "silver": _journey(school("Silver Secondary", camden, "Secondary"), Stage.AWARDED),
        "withdrawn": _journey(school("Withdrawn Secondary", camden, "Secondary"), Stage.WITHDRAWN),
        # The other region: overdue, awarded, unpaid: none of it is London's.
        "brum_late": _journey(
            school("Brum Primary", birmingham, "Primary"),
            Stage.REGISTERED,
            commitment_due=days(-100),
        ),
        "brum_platinum": _journey(school("Brum Academy", birmingham, "Secondary"), Stage.AWARDED),
        "brum_submitted": _journey(
            school("Brum Infants", birmingham, "Primary"), Stage.COMMITMENT_SUBMITTED
        ),
    }
    review(built["submitted"], due_on=days(-3))
    review(built["impact_submitted"], due_on=days(5))
    review(built["brum_submitted"], due_on=days(-20))
    award(built["gold"], level="gold", awarded_on=days(-30), expires_on=days(60))
    award(built["silver"], level="silver", awarded_on=days(-400), expires_on=days(330))
    award(built["brum_platinum"], level="platinum", awarded_on=days(-10), expires_on=days(20))
    invoice(built["late_commitment"], due_on=days(-5), amount_pence=50_000)
    invoice(built["drafting"], due_on=days(20), amount_pence=25_000)
    invoice(built["gold"], due_on=days(-300), paid_on=days(-310))
    invoice(built["brum_late"], due_on=days(-50))
    # Partners: one serving Newham, one serving Birmingham; an enquiry from each area.
    london_partner = published_organisation(name="Newham Theatre", local_authority=newham)
    brum_partner = published_organisation(name="Brum Dance", local_authority=birmingham)
    enquiry_for(organisation=london_partner, school=world.school_a, sender=world.teacher_a)
    enquiry_for(organisation=brum_partner, school=world.school_b, sender=world.teacher_b)
    return built


def london(filters=None):
    ids = list(
        bridge_organisation("a-new-direction").local_authorities.values_list("pk", flat=True)
    )
    return dashboard_data(local_authority_ids=ids, filters=filters or InsightFilters())


def stage_counts(data):
    return {row["stage"]: row["count"] for row in data["by_stage"]["rows"] if row["count"]}


def named(rows):
    return {row["name"]: row for row in rows}


def test_journeys_by_stage_count_only_the_region(area):
    data = london()
    assert stage_counts(data) == {
        Stage.REGISTERED: 1,
        Stage.COMMITMENT_DRAFT: 1,
        Stage.COMMITMENT_SUBMITTED: 1,
        Stage.CERTIFIED: 1,
        Stage.IMPACT_SUBMITTED: 1,
        Stage.AWARDED: 2,
        Stage.WITHDRAWN: 1,
    }
    assert (data["by_stage"]["total"], data["by_stage"]["open"]) == (8, 5)
    assert data["by_stage"]["finished"] == 3


def test_journeys_by_local_authority_list_every_one_covered_and_no_other(area):
    rows = named(london()["by_local_authority"])
    assert rows["Newham"] | {"region": "London"} == {
        "name": "Newham",
        "region": "London",
        "total": 5,
        "open": 4,
        "awarded": 1,
        "overdue": 2,
    }
    assert (rows["Camden"]["total"], rows["Camden"]["open"], rows["Camden"]["overdue"]) == (3, 1, 0)
    assert rows["Hackney"]["total"] == 0  # covered, no journeys: still listed
    assert "Birmingham" not in rows
    assert sum(row["total"] for row in rows.values()) == 8
    assert [row["name"] for row in london()["by_region"]] == ["London"]


def test_journeys_by_phase(area):
    rows = named(london()["by_phase"])
    assert {name: row["total"] for name, row in rows.items()} == {"Primary": 5, "Secondary": 3}
    assert rows["Secondary"]["awarded"] == 1


def test_overdue_reviews_and_schools(area):
    data = london()
    reviews = data["overdue_reviews"]
    assert (reviews["waiting"], reviews["overdue"], reviews["commitment"]) == (2, 1, 1)
    assert [row["school"] for row in reviews["most_overdue"]] == ["Submitted Primary"]
    assert reviews["most_overdue"][0]["days"] == 3
    schools = data["overdue_schools"]
    assert (schools["commitment"], schools["impact"], schools["total"]) == (1, 1, 2)
    assert [(row["school"], row["days"]) for row in schools["most_overdue"]] == [
        ("Late Primary", 10),
        ("Certified Primary", 1),
    ]
    assert schools["most_overdue"][0]["what"] == "Statement of Commitment"


def test_awards_by_level_per_quarter_and_expiring(area):
    awards = london()["awards"]
    assert awards["levels"] == ["Silver", "Gold", "Platinum"]
    assert len(awards["by_quarter"]) == 8
    by_quarter = {row["quarter"]: row["levels"] for row in awards["by_quarter"]}
    gold = days(-30)
    assert by_quarter[f"Q{(gold.month - 1) // 3 + 1} {gold.year}"][1] == 1
    assert awards["level_totals"] == [1, 1, 0]  # no platinum: that is Birmingham's
    assert (awards["total"], awards["current"], awards["expiring"]) == (2, 2, 1)
    assert awards["expiring_by_level"][1] == {"level": "Gold", "count": 1}


def test_unpaid_invoices(area):
    assert london()["invoices"] | {} == {
        "unpaid": 2,
        "unpaid_overdue": 1,
        "unpaid_pence": 75_000,
        "unpaid_amount": "£750.00",
    }


def test_partner_listings_and_enquiries_of_the_area(area):
    data = london()
    partners = data["partners"]
    assert partners["total"] == 1
    assert named(partners["by_art_form"])["Theatre and drama"]["count"] == 1
    assert named(partners["by_offer_type"])["Workshops"]["count"] == 1
    enquiries = {row["status"]: row["count"] for row in data["enquiries"]["rows"]}
    assert enquiries == {EnquiryStatus.OPEN: 1, EnquiryStatus.ACCEPTED: 0, EnquiryStatus.CLOSED: 0}


def test_england_counts_every_region(area):
    data = dashboard_data(local_authority_ids=None)
    assert data["by_stage"]["total"] == 11
    assert data["overdue_reviews"]["overdue"] == 2
    assert data["overdue_schools"]["most_overdue"][0]["school"] == "Brum Primary"
    assert data["awards"]["level_totals"] == [1, 1, 1]
    assert data["partners"]["total"] == 2
    assert data["enquiries"]["total"] == 2
    assert {row["name"] for row in data["by_region"] if row["total"]} == {
        "London",
        "West Midlands",
    }


def test_filters_narrow_every_journey_figure(area):
    camden = local_authority("202")
    data = london(InsightFilters(local_authority_id=camden.pk))
    assert data["by_stage"]["total"] == 3
    assert [row["name"] for row in data["by_local_authority"]] == ["Camden"]
    assert data["overdue_reviews"]["waiting"] == 1
    assert data["awards"]["level_totals"] == [1, 0, 0]
    assert data["partners"]["total"] == 0  # Newham Theatre serves Newham only
    primary_open = london(InsightFilters(phase="Primary", stage=ANY_OPEN))
    assert primary_open["by_stage"]["total"] == 4
    assert primary_open["invoices"]["unpaid"] == 2


def test_registration_dates_filter(area):
    from journeys.models import Journey

    Journey.objects.filter(pk=area["silver"].pk).update(
        created_at=area["silver"].created_at.replace(year=2020)
    )
    old = london(InsightFilters(registered_to=days(-1000)))
    assert stage_counts(old) == {Stage.AWARDED: 1}
    recent = london(InsightFilters(registered_from=days(-1)))
    assert recent["by_stage"]["total"] == 7


def test_quarters_are_calendar_quarters():
    import datetime

    assert quarter_start(datetime.date(2026, 5, 17)) == datetime.date(2026, 4, 1)
    assert quarter_label(datetime.date(2026, 10, 1)) == "Q4 2026"
