import pytest
from django.urls import reverse

from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory

pytestmark = pytest.mark.django_db


def test_find_school_by_name_urn_and_postcode(world, client_for):
    client = client_for(world.teacher_b)
    url = reverse("schools:find")
    for query in ["Star Primary", str(world.school_a.urn), "E13 8BG"]:
        response = client.get(url, {"q": query})
        assert world.school_a.name in response.content.decode(), query


def _found(client, query):
    response = client.get(reverse("schools:find"), {"q": query})
    return response.context["results"]


def test_find_school_tolerates_typo_in_name(world, client_for):
    rosewood = SchoolFactory(name="Rosewood Primary School")
    assert _found(client_for(world.teacher_b), "Rosewod") == [rosewood]


def test_find_school_postcode_ignores_case_and_spaces(world, client_for):
    rosewood = SchoolFactory(name="Rosewood Primary School", postcode="E13 9AB")
    client = client_for(world.teacher_b)
    for query in ["e139ab", "E13 9AB", " e13  9ab ", "e13 9a"]:
        assert _found(client, query) == [rosewood], query


def test_find_school_by_local_authority_name(world, client_for):
    # school_a is in Newham; school_b, in Birmingham, must not be offered.
    client = client_for(world.teacher_b)
    found = _found(client, "newham")
    assert world.school_a in found
    assert world.school_b not in found


def test_find_school_query_count_does_not_grow_with_results(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.teacher_b)
    SchoolFactory(name="Rosewood Primary School")
    with django_assert_max_num_queries(100) as one:
        assert len(_found(client, "Rosewod")) == 1
    for n in range(4):
        SchoolFactory(name=f"Rosewood Academy {n}")
    with django_assert_max_num_queries(100) as many:
        assert len(_found(client, "Rosewod")) == 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_find_school_closed_schools_are_not_offered(world, client_for):
    SchoolFactory(name="Old Closed School", is_open=False, status="Closed")
    response = client_for(world.teacher_b).get(reverse("schools:find"), {"q": "Old Closed"})
    assert "No open school matches" in response.content.decode()


def test_find_school_absurd_query_answers_normally(world, client_for):
    response = client_for(world.teacher_b).get(
        reverse("schools:find"), {"q": "'; DROP TABLE x; --" * 5}
    )
    assert response.status_code == 200


def test_join_school_invalid_message_keeps_text_and_changes_nothing(world, client_for):
    response = client_for(world.teacher_b).post(
        reverse("schools:join", kwargs={"pk": world.school_a.pk}), {"message": "x" * 1001}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SchoolMembership.objects.filter(user=world.teacher_b, school=world.school_a).exists()


def test_join_school_twice_shows_message(world, client_for):
    client = client_for(world.teacher_b)
    url = reverse("schools:join", kwargs={"pk": world.school_a.pk})
    client.post(url, {"message": ""})
    response = client.post(url, {"message": ""})
    assert "already asked to join" in response.content.decode()
    assert SchoolMembership.objects.filter(user=world.teacher_b, school=world.school_a).count() == 1


def test_unknown_school_id_is_portal_404(world, client_for):
    response = client_for(world.teacher_a).get("/schools/999999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_school_detail_query_count_does_not_grow_with_members(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.teacher_a)
    url = reverse("schools:detail", kwargs={"pk": world.school_a.pk})
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for _ in range(5):
        SchoolMembershipFactory(school=world.school_a)
        SchoolMembershipFactory(school=world.school_a, status=SchoolMembership.Status.PENDING)
    with django_assert_max_num_queries(100) as many:
        client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_home_query_count_does_not_grow_with_schools(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.teacher_a)
    with django_assert_max_num_queries(100) as one:
        client.get(reverse("home"))
    for _ in range(5):
        SchoolMembershipFactory(user=world.teacher_a, school=SchoolFactory())
    with django_assert_max_num_queries(100) as many:
        client.get(reverse("home"))
    assert len(many.captured_queries) == len(one.captured_queries)


def test_bridge_area_query_count_does_not_grow_with_requests(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.reviewer_a)
    organisation = world.reviewer_a.bridge_memberships.get().organisation
    url = reverse("schools:bridge_area", kwargs={"pk": organisation.pk})
    SchoolMembershipFactory(school=SchoolFactory(), status=SchoolMembership.Status.PENDING)
    with django_assert_max_num_queries(100) as one:
        response = client.get(url)
    assert "Requests to join schools without a lead" in response.content.decode()
    for _ in range(5):
        SchoolMembershipFactory(school=SchoolFactory(), status=SchoolMembership.Status.PENDING)
    with django_assert_max_num_queries(100) as many:
        client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_reviewer_approves_first_member_from_area_page(world, client_for):
    pending = SchoolMembershipFactory(
        school=SchoolFactory(), status=SchoolMembership.Status.PENDING
    )
    response = client_for(world.reviewer_a).post(
        reverse("schools:approve_member", kwargs={"school_pk": pending.school_id, "pk": pending.pk})
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.role) == ("approved", "lead")


def test_bridge_area_lists_schools_in_area_only_and_paginates(world, client_for):
    organisation = world.reviewer_a.bridge_memberships.get().organisation
    for n in range(30):
        SchoolFactory(name=f"Area School {n:02d}")
    client = client_for(world.reviewer_a)
    url = reverse("schools:bridge_area", kwargs={"pk": organisation.pk})
    first = client.get(url).content.decode()
    assert "Area School 00" in first
    assert world.school_b.name not in first  # Birmingham is not A New Direction's area
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Area School 29" in second
    assert client.get(url, {"page": "not-a-number"}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "²", "12²", "Rose\x00wood"])
def test_find_school_with_junk_is_a_page_not_an_error(world, client_for, query):
    response = client_for(world.teacher_a).get(reverse("schools:find"), {"q": query})
    assert response.status_code == 200
