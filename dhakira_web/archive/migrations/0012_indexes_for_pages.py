# Indexes for pages at scale: the newest records (front page) and the records of a facet value (covering).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0011_counts_archive_generation'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='recordfacet',
            name='archive_rec_name_9002e5_idx',
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['captured_at'], name='record_by_capture'),
        ),
        migrations.AddIndex(
            model_name='recordfacet',
            index=models.Index(fields=['name', 'value', 'record'], name='facet_by_value'),
        ),
    ]
