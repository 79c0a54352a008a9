"""The four topics residents can subscribe to from day one (admins may add more)."""

from __future__ import annotations

from django.db import migrations

TOPICS = [
    ("jadwal-vaksinasi", "Jadwal vaksinasi", "Jadwal imunisasi dan vaksinasi di puskesmas", 10),
    (
        "info-banjir-drainase",
        "Info banjir & drainase",
        "Peringatan banjir, gotong royong parit, perbaikan drainase",
        20,
    ),
    ("pelatihan-umkm", "Pelatihan UMKM", "Pelatihan dan bazar untuk usaha kecil warga", 30),
    ("pengumuman-umum", "Pengumuman umum", "Kabar penting lain dari kantor kecamatan", 40),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("announcements", "Topic")
    for code, name, description, order in TOPICS:
        Topic.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("announcements", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
