from django.db import migrations

from journeys.framework_data import load_default_framework


def load(apps, schema_editor):
    load_default_framework(apps)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
