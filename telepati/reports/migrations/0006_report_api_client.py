"""Reports remember the integration client that filed them (Open311, REST API).

Open311 reports made before this field carry the client in their submission key
("api:<client pk>:<digest>:<slot>"); they are linked here so each client lists them too.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_open311_reports(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ApiClient = apps.get_model("apikeys", "ApiClient")
    known = set(ApiClient.objects.values_list("pk", flat=True))
    rows = Report.objects.filter(submission_key__startswith="api:").values_list(
        "pk", "submission_key"
    )
    for pk, key in rows.iterator():
        parts = key.split(":")
        if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) in known:
            Report.objects.filter(pk=pk).update(api_client_id=int(parts[1]))


class Migration(migrations.Migration):
    dependencies = [
        ("apikeys", "0001_initial"),
        ("reports", "0005_open311_questions"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="api_client",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="apikeys.apiclient",
                verbose_name="klien API",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["api_client", "-submitted_at", "-id"], name="report_api_client_idx"
            ),
        ),
        migrations.RunPython(link_open311_reports, migrations.RunPython.noop),
    ]
