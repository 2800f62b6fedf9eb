# What linking takes from a record's text (stems, numbers, years), kept with the record so that a candidate's
# profile is read back instead of made again from its text. The records of an existing archive that have incident
# reports (the only ones linking reads as candidates) get theirs here, about 1.7 ms a record; parts found absent
# later (or kept for a text since changed) are made from the text when needed and kept then.
# Linking's blocks (a record's place and governorate facet rows) with the record's issue date and code, indexed
# newest first, so that a new record's candidates are read from the index instead of sorting whole blocks; filled
# from the facet rows by one statement.

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 500


def keep_parts_of_linked_records(apps, schema_editor):
    from dhakira.link.packing import pack_parts
    from dhakira.link.records import text_parts

    Record = apps.get_model("archive", "Record")
    IncidentReport = apps.get_model("archive", "IncidentReport")
    LinkingParts = apps.get_model("archive", "LinkingParts")
    linked = sorted(set(IncidentReport.objects.values_list("record_id", flat=True)))
    for start in range(0, len(linked), CHUNK):
        texts = Record.objects.filter(pk__in=linked[start:start + CHUNK]).values_list("pk", "text")
        LinkingParts.objects.bulk_create([LinkingParts(record_id=pk, packed=pack_parts(text_parts(text), text))
                                          for pk, text in texts if text])


def keep_blocks_of_records(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    blocks, facets, records = (quote(apps.get_model("archive", name)._meta.db_table) for name in ("LinkBlock", "RecordFacet", "Record"))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {blocks} (record_id, name, value, issue_date, code) SELECT facet.record_id, facet.name, facet.value, "
            f"record.issue_date, record.code FROM {facets} facet JOIN {records} record ON record.id = facet.record_id "
            f"WHERE facet.name IN ('place', 'governorate') ORDER BY facet.record_id, facet.name, facet.value")


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0021_search_filters_unweighted'),
    ]

    operations = [
        migrations.CreateModel(
            name='LinkingParts',
            fields=[
                ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='linking_parts', serialize=False, to='archive.record')),
                ('packed', models.BinaryField()),
            ],
        ),
        migrations.RunPython(keep_parts_of_linked_records, migrations.RunPython.noop),
        migrations.CreateModel(
            name='LinkBlock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=20)),
                ('value', models.CharField(max_length=200)),
                ('issue_date', models.CharField(blank=True, max_length=10)),
                ('code', models.CharField(max_length=32)),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='archive.record')),
            ],
            options={
                'indexes': [models.Index(fields=['name', 'value', '-issue_date', 'code'], name='link_block_by_date')],
            },
        ),
        migrations.RunPython(keep_blocks_of_records, migrations.RunPython.noop),
    ]
