"""`check_services`, which `make run` and `make test` call before anything touches the
database: a missing database is created, a service that does not answer is named in one line."""

import uuid

import psycopg2
import pytest
from django.conf import settings
from django.core.management.base import CommandError

from artsmark.common.management.commands.check_services import check_postgres, check_redis


def _server(db):
    """A connection to the server's maintenance database, outside any transaction."""
    connection = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres"
    )
    connection.autocommit = True
    return connection


def _database_exists(db, name):
    connection = _server(db)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def _drop(db, name):
    connection = _server(db)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        connection.close()


@pytest.fixture
def missing_database():
    db = dict(settings.DATABASES["default"], NAME=f"artsmark_check_{uuid.uuid4().hex[:12]}")
    yield db
    _drop(db, db["NAME"])


def test_a_missing_database_is_created(missing_database):
    message = check_postgres(missing_database, create=True)

    assert message.startswith(f"Created the database {missing_database['NAME']}")
    assert _database_exists(missing_database, missing_database["NAME"])
    assert check_postgres(missing_database, create=True) == ""  # second run: nothing to do


def test_a_missing_database_without_create_says_how_to_create_it(missing_database):
    with pytest.raises(CommandError, match="does not exist: run `make db`"):
        check_postgres(missing_database, create=False)

    assert not _database_exists(missing_database, missing_database["NAME"])


def test_postgres_not_answering_is_one_line_with_the_fix():
    db = dict(settings.DATABASES["default"], HOST="127.0.0.1", PORT=1)

    with pytest.raises(CommandError) as raised:
        check_postgres(db, create=True)

    message = str(raised.value)
    assert message.startswith("PostgreSQL is not reachable at 127.0.0.1:1")
    assert "set DATABASE_URL" in message
    assert "\n" not in message


def test_redis_not_answering_is_one_line_with_the_fix():
    with pytest.raises(CommandError) as raised:
        check_redis("redis://127.0.0.1:1/0")

    message = str(raised.value)
    assert message.startswith("Redis is not reachable at redis://127.0.0.1:1/0")
    assert "set REDIS_URL" in message
    assert "\n" not in message


def test_redis_answering_passes():
    check_redis(settings.REDIS_URL)
