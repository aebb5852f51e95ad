"""Give frameworks that exist already the programme's defaults (SPEC.md, "Fees").

A development day before submitting; reminders 30, 7 and 1 days before each due date; a fee of
£250 for settings under 100 pupils and £500 otherwise.
"""

from django.db import migrations

DEFAULT_BANDS = [("Settings under 100 pupils", 99, 25000), ("All other settings", None, 50000)]


def add_defaults(apps, schema_editor):
    Framework = apps.get_model("journeys", "Framework")
    FeeBand = apps.get_model("journeys", "FeeBand")
    for framework in Framework.objects.all():
        framework.required_session_kinds = ["development_day"]
        framework.reminder_days = [30, 7, 1]
        framework.save(update_fields=["required_session_kinds", "reminder_days"])
        for label, max_pupils, amount_pence in DEFAULT_BANDS:
            FeeBand.objects.get_or_create(
                framework=framework,
                max_pupils=max_pupils,
                defaults={"label": label, "amount_pence": amount_pence},
            )


class Migration(migrations.Migration):
    dependencies = [("journeys", "0005_programme_fees_deadlines")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
