# Search heads (impact-ordered candidates per frequent token), token counts, and records by date.

import django.db.models.deletion
from django.db import migrations, models


def index_filters_and_heads(apps, schema_editor):
    """Existing archives: filter tokens join each record's index keys, then counts and heads are built."""
    from dhakira_web.archive.search import filter_token
    from dhakira_web.archive.search.heads import rebuild

    entry_model = apps.get_model("archive", "SearchEntry")
    facet_model = apps.get_model("archive", "RecordFacet")
    record_model = apps.get_model("archive", "Record")
    levels = dict(record_model.objects.values_list("id", "access_level"))
    pairs: dict[int, set[tuple[str, str]]] = {}
    for record_id, name, value in facet_model.objects.values_list("record_id", "name", "value").iterator():
        pairs.setdefault(record_id, set()).add((name, value))
    for entry in entry_model.objects.iterator():
        tokens = pairs.get(entry.record_id, set()) | {("access_level", levels.get(entry.record_id, ""))}
        kept = [token for token in entry.keys.split() if not token.startswith("f")]
        entry.keys = " ".join(kept + sorted(filter_token(name, value) for name, value in tokens))
        entry.save(update_fields=["keys"])
    rebuild(models=(entry_model, apps.get_model("archive", "SearchHead"), apps.get_model("archive", "SearchToken")))


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0005_narrow_search_vector'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=100)),
                ('impact', models.FloatField()),
            ],
        ),
        migrations.CreateModel(
            name='SearchToken',
            fields=[
                ('token', models.CharField(max_length=100, primary_key=True, serialize=False)),
                ('documents', models.IntegerField(default=0)),
                ('has_head', models.BooleanField(default=False)),
                ('head_size', models.IntegerField(default=0)),
                ('head_floor', models.FloatField(default=0.0)),
            ],
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['issue_date', 'id'], name='record_by_date'),
        ),
        migrations.AddField(
            model_name='searchhead',
            name='record',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='archive.record'),
        ),
        migrations.AddIndex(
            model_name='searchhead',
            index=models.Index(fields=['token', '-impact', 'record'], name='head_by_impact'),
        ),
        migrations.AddConstraint(
            model_name='searchhead',
            constraint=models.UniqueConstraint(fields=('token', 'record'), name='one_head_entry'),
        ),
        migrations.RunPython(index_filters_and_heads, migrations.RunPython.noop),
    ]
