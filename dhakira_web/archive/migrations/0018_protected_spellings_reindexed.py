# A protected person is now masked in public records by every spelling records gave them (``policy._spellings``),
# not only by the name they were first met by. Records already indexed under the old rule may hold such a spelling
# in their public search entry: the records naming a protected person known by more than one spelling are indexed
# again here. A fresh archive has no person, and nothing is done.

from django.db import migrations


def reindex_protected_spellings(apps, schema_editor):  # type: ignore[no-untyped-def]
    from dhakira_web.archive.protection.spellings import reindex_records_naming_protected_spellings

    reindex_records_naming_protected_spellings(apps.get_model("archive", "Person"))


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0017_place_incidents_by_date'),
    ]

    operations = [
        migrations.RunPython(reindex_protected_spellings, migrations.RunPython.noop),
    ]
