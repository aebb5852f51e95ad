"""Text matches as two functions, each through its index: the listings whose whole document
matches a query (GIN) and those whose name is like the text (trigram). Separate, so the
search scans its lean rows once, testing membership of each set by hash, with no grouping
of the two and no lookup of each match by id.
"""

from django.db import migrations

FORWARD = """
DROP FUNCTION partners_text_matches(tsquery, text);
CREATE FUNCTION partners_document_matches(query tsquery) RETURNS SETOF bigint
LANGUAGE sql STABLE ROWS 5000 SET enable_seqscan = off AS $$
    SELECT d.listing_id FROM partners_publishedlistingdocument AS d WHERE d.document @@ query
$$;
CREATE FUNCTION partners_name_matches(name_text text) RETURNS SETOF bigint
LANGUAGE sql STABLE ROWS 10 SET enable_seqscan = off AS $$
    SELECT s.listing_id FROM partners_publishedlistingsearch AS s WHERE s.name %> name_text
$$;
"""
BACKWARD = """
DROP FUNCTION partners_document_matches(tsquery);
DROP FUNCTION partners_name_matches(text);
CREATE FUNCTION partners_text_matches(query tsquery, name_text text)
RETURNS TABLE (listing_id bigint, typo boolean)
LANGUAGE sql STABLE SET enable_seqscan = off AS $$
    SELECT d.listing_id, false FROM partners_publishedlistingdocument AS d
    WHERE d.document @@ query
    UNION ALL
    SELECT s.listing_id, true FROM partners_publishedlistingsearch AS s
    WHERE s.name %> name_text
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_lean_search")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
