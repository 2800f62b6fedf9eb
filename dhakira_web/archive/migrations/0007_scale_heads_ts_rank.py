# PostgreSQL archives: heads rebuilt with impacts that follow ts_rank (SQLite heads are unchanged).

from django.db import migrations


def rebuild_postgresql_heads(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from dhakira_web.archive.search.heads import rebuild

    rebuild(models=(apps.get_model("archive", "SearchEntry"), apps.get_model("archive", "SearchHead"),
                    apps.get_model("archive", "SearchToken")))


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0006_search_heads"),
    ]

    operations = [
        migrations.RunPython(rebuild_postgresql_heads, migrations.RunPython.noop),
    ]
