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
        self._check_postgres(create=options["create_database"])
        self._check_redis()

    def _check_postgres(self, *, create):
        db = settings.DATABASES["default"]
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
        connection.autocommit = True
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                if not create:
                    raise CommandError(
                        f"The database {db['NAME']} does not exist: run `make db` to create it."
                    )
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                self.stdout.write(f"Created the database {db['NAME']} on {where}.")
        connection.close()

    def _check_redis(self):
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
        try:
            client.ping()
        except redis.exceptions.RedisError as error:
            raise CommandError(
                f"Redis is not reachable at {settings.REDIS_URL} ({error}). Start it, or set "
                "REDIS_URL to a server that is running."
            ) from None
