"""A throwaway PostgreSQL database for a benchmark, beside the one DATABASE_URL names."""

from urllib.parse import urlsplit, urlunsplit


def database_url(base_url, name):
    """`base_url` with its database name replaced by `name`."""
    return urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))


def recreate_database(base_url, name, *, drop_only=False):
    """Drop the database `name` on `base_url`'s server, then create it afresh unless drop_only."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(base_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not drop_only:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
