"""Regions, local authorities and the ten historical Bridge Organisations."""

from django.db import migrations

from artsmark.schools import reference_data as ref


def load(apps, schema_editor):
    Region = apps.get_model("schools", "Region")
    LocalAuthority = apps.get_model("schools", "LocalAuthority")
    BridgeOrganisation = apps.get_model("schools", "BridgeOrganisation")
    regions = {}
    for code, name in ref.REGIONS:
        regions[name], _ = Region.objects.get_or_create(code=code, defaults={"name": name})
    authorities = {}
    for region_name, entries in ref.LOCAL_AUTHORITIES.items():
        for code, name in entries:
            authorities[code], _ = LocalAuthority.objects.get_or_create(
                code=code, defaults={"name": name, "region": regions[region_name]}
            )
    for name, slug, website, whole_regions, added, removed in ref.BRIDGE_ORGANISATIONS:
        organisation, created = BridgeOrganisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "website": website}
        )
        if not created:
            continue
        codes = {
            code for region_name in whole_regions for code, _ in ref.LOCAL_AUTHORITIES[region_name]
        }
        codes = (codes | set(added)) - set(removed)
        organisation.local_authorities.set([authorities[code] for code in sorted(codes)])


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
