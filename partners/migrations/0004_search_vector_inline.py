"""Keep each listing's search vector in its row, not in the TOAST table.

Vectors run to about 2 kB, just over the size at which PostgreSQL moves a value out of line;
ranking then fetched and decompressed each matching listing's vector from TOAST, which cost
more than everything else a search does. STORAGE MAIN plus a row target near a page keeps
them inline; the UPDATE rewrites the vectors stored before.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE partners_publishedlisting SET (toast_tuple_target = 8160);
ALTER TABLE partners_publishedlisting ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE partners_publishedlisting SET search_vector = search_vector || ''::tsvector
    WHERE search_vector IS NOT NULL;
"""
BACKWARD = """
ALTER TABLE partners_publishedlisting RESET (toast_tuple_target);
ALTER TABLE partners_publishedlisting ALTER COLUMN search_vector SET STORAGE EXTENDED;
"""


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_name_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
