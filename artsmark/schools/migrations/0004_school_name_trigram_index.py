import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_bridge_membership_lead"),
    ]

    operations = [
        # partners' first migration creates pg_trgm too, but this app must not depend on it
        # (artsmark.* never needs partners). Never dropped on reverse: partners uses it.
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
        ),
        migrations.AddIndex(
            model_name="school",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name"], name="school_name_trgm_idx", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
