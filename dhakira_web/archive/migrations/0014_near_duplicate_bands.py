# Near-duplicate detection from an indexed table of MinHash bands instead of an index in each process's memory.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """The bands of every record already stored (their fingerprints are kept on the record)."""
    from dhakira.ingest import similarity

    record_model = apps.get_model("archive", "Record")
    band_model = apps.get_model("archive", "NearDuplicateBand")
    last = 0
    while True:
        chunk = list(record_model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "fingerprint")[:2000])
        if not chunk:
            break
        band_model.objects.bulk_create(
            [band_model(record_id=pk, key=key) for pk, fingerprint in chunk
             if len(fingerprint or []) == similarity.PERMUTATIONS for key in sorted(set(similarity.band_keys(fingerprint)))],
            batch_size=2000)
        last = chunk[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0013_kept_pages_generation'),
    ]

    operations = [
        migrations.CreateModel(
            name='NearDuplicateBand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.BigIntegerField()),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='archive.record')),
            ],
            options={
                'indexes': [models.Index(fields=['key', 'record'], name='near_duplicate_band')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
