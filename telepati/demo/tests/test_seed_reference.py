"""`seed_reference`: loads the territory, units, categories and holidays once."""

from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from telepati.core.models import Holiday
from telepati.org.models import Kecamatan, Kelurahan, Unit, UnitKind
from telepati.reports.models import Category

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    with freeze_time("2026-03-02 09:00:00+07:00"):
        call_command("seed_reference", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "kecamatan": sorted(Kecamatan.objects.values_list("code", "name", "updated_at")),
        "kelurahan": sorted(Kelurahan.objects.values_list("code", "name", "updated_at")),
        "units": sorted(Unit.objects.values_list("code", "name", "updated_at")),
        "categories": sorted(Category.objects.values_list("code", "name", "updated_at")),
        "holidays": Holiday.objects.count(),
    }


def test_first_run_creates_medan_amplas_and_prints_counts():
    output = seed()

    holidays = Holiday.objects.filter(date__year__in=[2026, 2027]).count()
    assert output.splitlines() == [
        "Data referensi:",
        "  Kecamatan: 1 dibuat, 0 sudah ada",
        "  Kelurahan: 7 dibuat, 0 sudah ada",
        "  Unit kerja: 25 dibuat, 0 sudah ada",
        "  Kategori laporan: 10 dibuat, 0 sudah ada",
        "  Jenis dokumen: 10 dibuat, 0 sudah ada",
        "  Layanan temu cepat: 5 dibuat, 0 sudah ada",
        f"  Hari libur (2026–2027): {holidays} dibuat, 0 sudah ada",
        "Selesai. Baris yang sudah ada tidak diubah.",
    ]
    assert holidays > 0


def test_kecamatan_and_its_seven_kelurahan():
    seed()

    amplas = Kecamatan.objects.get(code="medan-amplas")
    assert (amplas.name, amplas.city, amplas.region_code) == (
        "Medan Amplas",
        "Kota Medan",
        "12.71.09",
    )
    assert list(amplas.kelurahan_set.order_by("name").values_list("code", "name")) == [
        ("medan-amplas--amplas", "Amplas"),
        ("medan-amplas--bangun-mulia", "Bangun Mulia"),
        ("medan-amplas--harjosari-i", "Harjosari I"),
        ("medan-amplas--harjosari-ii", "Harjosari II"),
        ("medan-amplas--sitirejo-ii", "Sitirejo II"),
        ("medan-amplas--sitirejo-iii", "Sitirejo III"),
        ("medan-amplas--timbang-deli", "Timbang Deli"),
    ]


def test_units_by_kind_and_place():
    seed()

    amplas = Kecamatan.objects.get(code="medan-amplas")
    counts = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert counts == {"section": 7, "kelurahan_office": 7, "agency": 10, "technical_unit": 1}
    assert not Unit.objects.filter(kind=UnitKind.AGENCY, kecamatan__isnull=False).exists()
    assert Unit.objects.exclude(kind=UnitKind.AGENCY).filter(kecamatan=amplas).count() == 15
    for office in Unit.objects.filter(kind=UnitKind.KELURAHAN_OFFICE).select_related("kelurahan"):
        assert office.kelurahan is not None
        assert office.name == f"Kantor Lurah {office.kelurahan.name}"
        assert office.kecamatan_id == amplas.pk


def test_categories_have_units_and_deadlines():
    seed()

    rows = list(
        Category.objects.order_by("sort_order").values_list(
            "code",
            "default_unit__code",
            "sla_verification_days",
            "sla_first_response_days",
            "sla_resolution_days",
            "public_by_default",
        )
    )
    assert rows == [
        ("adminduk", "medan-amplas--pelayanan-umum", 3, 5, 14, False),
        ("kebersihan-sampah", "kota-medan--dlh", 3, 5, 7, True),
        ("banjir-drainase", "kota-medan--sdabmbk", 3, 5, 30, True),
        ("jalan-infrastruktur", "kota-medan--sdabmbk", 3, 5, 60, True),
        ("penerangan-jalan", "kota-medan--pkpcktr", 3, 5, 14, True),
        ("kesehatan", "medan-amplas--puskesmas-amplas", 3, 5, 14, False),
        ("umkm", "medan-amplas--pemberdayaan", 3, 5, 30, True),
        ("ketertiban-umum", "medan-amplas--trantibum", 3, 5, 14, True),
        ("sosial", "medan-amplas--kesos", 3, 5, 21, False),
        ("lainnya", "medan-amplas--pelayanan-umum", 3, 5, 14, True),
    ]
    assert not Category.objects.filter(icon="").exists()
    assert not Category.objects.filter(description="").exists()


def test_second_run_creates_nothing_and_changes_nothing():
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    lines = output.splitlines()
    assert lines[1:7] == [
        "  Kecamatan: 0 dibuat, 1 sudah ada",
        "  Kelurahan: 0 dibuat, 7 sudah ada",
        "  Unit kerja: 0 dibuat, 25 sudah ada",
        "  Kategori laporan: 0 dibuat, 10 sudah ada",
        "  Jenis dokumen: 0 dibuat, 10 sudah ada",
        "  Layanan temu cepat: 0 dibuat, 5 sudah ada",
    ]
    assert lines[7].startswith("  Hari libur (2026–2027): 0 dibuat, ")


def test_administrators_edits_survive_a_second_run():
    seed()
    Kelurahan.objects.filter(code="medan-amplas--harjosari-i").update(name="Harjosari Satu")
    Unit.objects.filter(code="kota-medan--dlh").update(is_active=False)
    Category.objects.filter(code="umkm").update(sla_resolution_days=45, name="UMKM binaan")

    seed()

    assert Kelurahan.objects.get(code="medan-amplas--harjosari-i").name == "Harjosari Satu"
    assert Unit.objects.get(code="kota-medan--dlh").is_active is False
    assert Category.objects.filter(code="umkm").values_list(
        "name", "sla_resolution_days"
    ).get() == (
        "UMKM binaan",
        45,
    )


def test_a_deleted_row_comes_back():
    seed()
    Category.objects.filter(code="lainnya").delete()

    output = seed()

    assert "  Kategori laporan: 1 dibuat, 9 sudah ada" in output.splitlines()
