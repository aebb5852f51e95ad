"""A generation number that changes with every write to the search rows.

Each process keeps a copy of the search rows in memory (partners/search_index.py) and reads
the generation in the same statement as a search's matches: a different number means its copy
is out of date. Kept by a trigger, so no write path (services, admin, bulk SQL, TRUNCATE) can
forget it. The number comes from a sequence, which a rollback never rewinds, so a state that
was rolled back can never share a number with one that is committed; it is kept in a row,
updated in the writing transaction, so a reader sees it change exactly when it sees the rows
change.

The name index goes: browsing is ordered from the in-memory copy now.
"""

from django.db import migrations

FORWARD = """
CREATE SEQUENCE partners_directory_generation_seq;
CREATE TABLE partners_directory_generation (generation bigint NOT NULL);
INSERT INTO partners_directory_generation
    VALUES (nextval('partners_directory_generation_seq'));
CREATE FUNCTION partners_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partners_directory_generation
        SET generation = nextval('partners_directory_generation_seq');
    RETURN NULL;
END
$$;
CREATE TRIGGER partners_directory_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners_publishedlistingsearch
    FOR EACH STATEMENT EXECUTE FUNCTION partners_directory_changed();
"""
BACKWARD = """
DROP TRIGGER partners_directory_changed ON partners_publishedlistingsearch;
DROP FUNCTION partners_directory_changed();
DROP TABLE partners_directory_generation;
DROP SEQUENCE partners_directory_generation_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("partners", "0008_search_name_index")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveIndex(model_name="publishedlistingsearch", name="listing_search_name_idx"),
    ]
