"""Counting a page's queries for the query-count tests (CONVENTIONS.md, "Tests")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_page_queries(client, url):
    """The queries of one GET of `url`, with the caches warm.

    The page is requested once first: a framework's parts (journeys/framework_cache.py) are
    read from the database on the first page that needs them and from the cache after, and
    the count that must not grow with the data is the steady one.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
