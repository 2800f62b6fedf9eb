"""Incident reports keep the date they give their incident in an indexed column (the chronicle's months)."""

from django.db import migrations, models


def fill_days(apps, schema_editor):  # type: ignore[no-untyped-def]
    report_model = apps.get_model("archive", "IncidentReport")
    changed = []
    for report in report_model.objects.only("pk", "reported").iterator(chunk_size=2000):
        value = report.reported.get("date") if isinstance(report.reported, dict) else None
        if value:
            report.day = str(value)[:10]
            changed.append(report)
        if len(changed) >= 2000:
            report_model.objects.bulk_update(changed, ["day"])
            changed = []
    if changed:
        report_model.objects.bulk_update(changed, ["day"])


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0009_merge_round_two"),
    ]

    operations = [
        migrations.AddField(
            model_name="incidentreport",
            name="day",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddIndex(
            model_name="incidentreport",
            index=models.Index(fields=["day", "incident"], name="report_by_day"),
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop),
    ]
