# A place page's newest incidents found through an index on (place, date, id): before, SQLite walked every
# incident of the archive by date and kept those of the place (a place with few incidents read them all).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0016_disk_compact_storage'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['place', 'date', 'id'], name='incident_by_place_date'),
        ),
    ]
