# Site templates: per-site line statistics learned from stored pages.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0006_search_heads"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("site", models.CharField(max_length=255, unique=True)),
                ("pages", models.PositiveIntegerField(default=0)),
                ("lines", models.JSONField(blank=True, default=dict)),
                ("sources", models.JSONField(blank=True, default=list)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
