# What linking takes from a record's text (stems, numbers, years), kept with the record so that a candidate's
# profile is read back instead of made again from its text. Existing archives start with none: a record whose
# parts are absent is read from its text as before when it is next a candidate, and its parts are kept then.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0018_protected_spellings_reindexed'),
    ]

    operations = [
        migrations.CreateModel(
            name='LinkingParts',
            fields=[
                ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='linking_parts', serialize=False, to='archive.record')),
                ('packed', models.BinaryField()),
            ],
        ),
    ]
