"""Every URL pattern x every role -> the expected status (CONVENTIONS.md, "Tests").

A URL pattern that no app lists in its `permission_cases.py` fails
`test_every_url_pattern_is_in_the_matrix`.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLES

CASE_MODULES = [
    "artsmark.common.tests.permission_cases",
    "artsmark.schools.tests.permission_cases",
    "journeys.tests.permission_cases",
    "journeys.tests.report_permission_cases",
    "journeys.tests.review_permission_cases",
    "journeys.tests.delivery_permission_cases",
    "journeys.tests.impact_permission_cases",
    "journeys.tests.fees_permission_cases",
    "journeys.tests.deadline_permission_cases",
    "learning.tests.permission_cases",
    "insight.tests.permission_cases",
    "partners.tests.permission_cases",
]
# Third-party URL sets are checked by their own projects; we list a sample of them in
# artsmark/common/tests/permission_cases.py and skip the rest of their patterns here.
THIRD_PARTY_PREFIXES = ("admin:", "account_", "socialaccount_", "mfa_", "usersessions_")


def _all_cases():
    cases = {}
    for module_name in CASE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        for name, case in module.CASES.items():
            assert name not in cases, f"{name} is listed twice"
            cases[name] = case
    return cases


CASES = _all_cases()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern}>"
            )


def test_every_url_pattern_is_in_the_matrix():
    ours = {name for name in _url_names() if not name.startswith(THIRD_PARTY_PREFIXES)}
    missing = sorted(ours - set(CASES))
    assert missing == [], f"add these URL names to a permission_cases.py: {missing}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(CASES))
def test_permission_matrix(url_name, role, world, client_for):
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.kwargs(world))
    client = client_for(world.user(role))
    response = client.post(url, case.data(world)) if case.method == "post" else client.get(url)
    assert response.status_code == case.expect[role], (
        f"{role} {case.method.upper()} {url}: got {response.status_code}, "
        f"expected {case.expect[role]}"
    )
    if role == "anonymous" and case.expect[role] == 302:
        assert "login/" in response["Location"]


JUNK = {
    "text": "x" * 20_000,
    "title": "<script>alert(1)</script>",
    "based_on_version": "not-a-number",
    "order": "-1",
    "email": "not an email",
    "page": "99999999999999999999",
    "q": "'; DROP TABLE schools_school; --",
}


@pytest.mark.parametrize("role", ["teacher_a", "reviewer_a", "partner", "admin"])
@pytest.mark.parametrize("url_name", sorted(CASES))
def test_junk_post_never_gives_server_error(url_name, role, world, client_for):
    """Bad input gets a clear answer (4xx, or the form again), never a 500."""
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.kwargs(world))
    response = client_for(world.user(role)).post(url, JUNK)
    assert response.status_code < 500, f"{role} POST junk to {url}: {response.status_code}"
