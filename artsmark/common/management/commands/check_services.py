"""Check that PostgreSQL and Redis answer, and create the database if it is missing.

Says in one line what is wrong and how to fix it; never falls back to something else.
"""

import psycopg2
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg2 import sql


class Command(BaseCommand):
    help = "Check PostgreSQL and Redis are reachable; create the database if missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-database",
            action="store_true",
            help="create the database if missing",
        )

    def handle(self, *args, **options):
        created = check_postgres(settings.DATABASES["default"], create=options["create_database"])
        if created:
            self.stdout.write(created)
        check_redis(settings.REDIS_URL)


def check_postgres(db, *, create):
    """Raise CommandError unless the server answers and the database `db` names exists;
    with `create`, create a missing database and say so (the message is returned)."""
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    try:
        connection = psycopg2.connect(dbname="postgres", **params)
    except psycopg2.OperationalError as error:
        first_line = str(error).strip().splitlines()[0]
        raise CommandError(
            f"PostgreSQL is not reachable at {where} ({first_line}). Start it, or set "
            "DATABASE_URL to a server that is running."
        ) from None
    # Not `with connection`: since psycopg2 2.9 that opens a transaction even in autocommit
    # mode, and CREATE DATABASE refuses to run inside one.
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is not None:
                return ""
            if not create:
                raise CommandError(
                    f"The database {db['NAME']} does not exist: run `make db` to create it."
                )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            return f"Created the database {db['NAME']} on {where}."
    finally:
        connection.close()


def check_redis(url):
    """Raise CommandError unless Redis answers at `url`."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        raise CommandError(
            f"Redis is not reachable at {url} ({error}). Start it, or set "
            "REDIS_URL to a server that is running."
        ) from None
