"""Directory search in PostgreSQL alone (issue 12).

Out: the lean search table with its packed facet columns (facets0..15) and ranking vector, the
generation table, its sequence and trigger (each process's in-memory copy of the search rows
is gone, so there is nothing to keep current), and the name-matching function (search reads
the trigram index itself). In: a new search table (its columns in the order searches read
them), with the facets as plain arrays (as on PublishedListing), each with a GIN index, and
each facet's combination of options as a FacetSet (what counting groups by); the words that
rank a match; an index for browsing in name order; and the words "Did you mean …?" suggests
from. Every search row is written again.

How the search row is stored matters as much as what it holds (as migration 0007 set for the
table before):
- the document (kilobytes) is stored out of line and uncompressed (EXTERNAL), and the row
  asks to be toasted down to 128 bytes, so the document never sits in the row a search reads;
- everything else stays in the row (MAIN: out of line only if a row could not otherwise fit a
  page), so searches never fetch it from the toast table;
- the document has no statistics (target 0): the planner then estimates a text match as
  selective and always reads through the index. With statistics it would rightly see that a
  common word matches most rows and choose a sequential scan, not knowing that testing each
  row means fetching its document from the toast table (ten times slower).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

DROP_GENERATION = """
DROP TRIGGER partners_directory_changed ON partners_publishedlistingsearch;
DROP FUNCTION partners_directory_changed();
DROP TABLE partners_directory_generation;
DROP SEQUENCE partners_directory_generation_seq;
DROP FUNCTION partners_name_matches(text);
"""
# Going back: what migrations 0006 and 0009 made (the rows are rebuilt by their code, not
# here).
RESTORE_GENERATION = """
CREATE FUNCTION partners_name_matches(name_text text) RETURNS SETOF bigint
LANGUAGE sql STABLE ROWS 10 SET enable_seqscan = off AS $$
    SELECT s.listing_id FROM partners_publishedlistingsearch AS s WHERE s.name %> name_text
$$;
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
IN_ROW = [
    "name",
    "offer_types",
    "art_forms",
    "key_stages",
    "quality_principles",
    "costs",
    "serves_regions",
    "serves_local_authorities",
    "name_words",
    "title_words",
]
STORAGE = "\n".join(
    [
        "ALTER TABLE partners_publishedlistingsearch SET (toast_tuple_target = 128);",
        "ALTER TABLE partners_publishedlistingsearch ALTER COLUMN document SET STORAGE EXTERNAL;",
        "ALTER TABLE partners_publishedlistingsearch ALTER COLUMN document SET STATISTICS 0;",
        *[
            f"ALTER TABLE partners_publishedlistingsearch ALTER COLUMN {column} SET STORAGE MAIN;"
            for column in IN_ROW
        ],
    ]
)


def text_array():
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.TextField(), blank=True, default=list, size=None
    )


def int_array():
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.IntegerField(), blank=True, default=list, size=None
    )


def facet_set():
    return models.ForeignKey(
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="partners.facetset",
    )


def fill_search_rows(apps, schema_editor):
    from partners.services.moderation import refresh_search

    if apps.get_model("partners", "PublishedListing").objects.exists():
        refresh_search()


GIN = django.contrib.postgres.indexes.GinIndex


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_directory_generation")]

    operations = [
        migrations.RunSQL(DROP_GENERATION, RESTORE_GENERATION),
        migrations.DeleteModel(name="PublishedListingSearch"),
        migrations.CreateModel(
            name="FacetSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=30)),
                (
                    "options",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), size=None
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("facet", "options"), name="facet_set_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="PublishedListingSearch",
            fields=[
                (
                    "listing",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="partners.publishedlisting",
                    ),
                ),
                ("is_artsmark_partner", models.BooleanField(default=False)),
                ("offer_types_set", facet_set()),
                ("art_forms_set", facet_set()),
                ("key_stages_set", facet_set()),
                ("quality_principles_set", facet_set()),
                ("costs_set", facet_set()),
                ("serves_regions_set", facet_set()),
                ("name", models.CharField(max_length=200)),
                ("offer_types", text_array()),
                ("art_forms", text_array()),
                ("key_stages", text_array()),
                ("quality_principles", text_array()),
                ("costs", text_array()),
                ("serves_regions", int_array()),
                ("serves_local_authorities", int_array()),
                ("name_words", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("title_words", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "indexes": [
                    GIN(
                        django.contrib.postgres.indexes.OpClass("name", name="gin_trgm_ops"),
                        name="listing_search_name_trgm",
                    ),
                    GIN(fields=["document"], name="listing_search_document_idx"),
                    GIN(fields=["offer_types"], name="listing_search_type_idx"),
                    GIN(fields=["art_forms"], name="listing_search_artform_idx"),
                    GIN(fields=["key_stages"], name="listing_search_ks_idx"),
                    GIN(fields=["quality_principles"], name="listing_search_qp_idx"),
                    GIN(fields=["costs"], name="listing_search_cost_idx"),
                    GIN(fields=["serves_regions"], name="listing_search_region_idx"),
                    GIN(fields=["serves_local_authorities"], name="listing_search_la_idx"),
                    models.Index(fields=["name", "listing"], name="listing_search_name_idx"),
                ],
            },
        ),
        migrations.RunSQL(STORAGE, migrations.RunSQL.noop),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gist_trgm_ops"),
                        name="search_word_trgm",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_search_rows, migrations.RunPython.noop),
    ]
