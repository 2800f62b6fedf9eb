# Lead-sentence vectors of records, made where the record is read and reused by linking.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0007_scale_heads_ts_rank"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordEmbedding",
            fields=[
                ("record", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="lead_embedding", serialize=False, to="archive.record")),
                ("vector", models.BinaryField()),
            ],
        ),
    ]
