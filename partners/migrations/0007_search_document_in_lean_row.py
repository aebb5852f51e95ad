"""The whole search document moves onto the lean search row, with its GIN index there: a text
search finds the lean rows it needs through the index and reads them in place, rather than
collecting ids from a separate document table and testing every lean row against them.

How the lean row is stored matters as much as what it holds:
- the document (kilobytes) is stored out of line and uncompressed (EXTERNAL), and the row
  asks to be toasted down to 128 bytes, so the document never sits in the row a search reads;
- the name, ranking vector and areas served stay in the row (MAIN: out of line only if a row
  could not otherwise fit a page), so ranking never fetches them from the toast table;
- the document has no statistics (target 0): the planner then estimates a text match as
  selective and always reads through the index. With statistics it would rightly see that a
  common word matches most rows and choose a sequential scan, not knowing that testing each
  row means fetching its document from the toast table (ten times slower).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

STORAGE = """
ALTER TABLE partners_publishedlistingsearch SET (toast_tuple_target = 128);
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN document SET STORAGE EXTERNAL;
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN document SET STATISTICS 0;
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN name SET STORAGE MAIN;
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN rank_vector SET STORAGE MAIN;
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN serves_local_authorities SET STORAGE MAIN;
"""
STORAGE_BACK = """
ALTER TABLE partners_publishedlistingsearch RESET (toast_tuple_target);
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN name SET STORAGE EXTENDED;
ALTER TABLE partners_publishedlistingsearch ALTER COLUMN rank_vector SET STORAGE EXTENDED;
ALTER TABLE partners_publishedlistingsearch
    ALTER COLUMN serves_local_authorities SET STORAGE EXTENDED;
"""
DOCUMENT_MATCHES = """
CREATE FUNCTION partners_document_matches(query tsquery) RETURNS SETOF bigint
LANGUAGE sql STABLE ROWS 5000 SET enable_seqscan = off AS $$
    SELECT d.listing_id FROM partners_publishedlistingdocument AS d WHERE d.document @@ query
$$;
"""


def fill_search_rows(apps, schema_editor):
    """Nothing now: today's refresh_search() writes columns this table gets later, and
    migration 0010 writes every search row again."""


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_match_functions"),
    ]

    operations = [
        migrations.RunSQL("DROP FUNCTION partners_document_matches(tsquery);", DOCUMENT_MATCHES),
        migrations.RemoveField(
            model_name="publishedlistingdocument",
            name="listing",
        ),
        migrations.DeleteModel(
            name="PublishedListingDocument",
        ),
        migrations.AddField(
            model_name="publishedlistingsearch",
            name="document",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunSQL(STORAGE, STORAGE_BACK),
        migrations.AddIndex(
            model_name="publishedlistingsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["document"], name="listing_search_document_idx"
            ),
        ),
        migrations.RunPython(fill_search_rows, migrations.RunPython.noop),
    ]
