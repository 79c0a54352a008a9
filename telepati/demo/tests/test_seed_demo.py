"""`seed_demo`: demo accounts for every role, refused where demo data is not allowed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from telepati.accounts.models import Membership, User
from telepati.accounts.selectors import kelurahan_list_for_officer
from telepati.demo.loaders import DEMO_ACCOUNTS
from telepati.org.models import Lingkungan
from telepati.reports import demo
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report

pytestmark = pytest.mark.django_db


def seed_demo():
    out = StringIO()
    with freeze_time("2026-03-02 09:00:00+07:00"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_refused_when_demo_data_is_not_allowed(settings):
    settings.TELEPATI_ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=StringIO())

    assert str(raised.value).startswith("Data demo tidak diizinkan di lingkungan ini.")
    assert User.objects.count() == 0
    assert Lingkungan.objects.count() == 0


def test_creates_one_account_for_every_role():
    seed_demo()

    rows = sorted(
        Membership.objects.values_list("user__username", "role", "unit__code", "is_active")
    )
    assert rows == [
        ("admin", "administrator", "medan-amplas--pimpinan", True),
        ("camat", "leader", "medan-amplas--pimpinan", True),
        ("kurir", "courier", "medan-amplas--pelayanan-umum", True),
        ("lurah-harjosari1", "leader", "medan-amplas--kantor-lurah-harjosari-i", True),
        ("opd-dlh", "liaison", "kota-medan--dlh", True),
        ("opd-sdabmbk", "liaison", "kota-medan--sdabmbk", True),
        ("operator", "operator", "medan-amplas--pelayanan-umum", True),
        ("petugas-harjosari1", "staff", "medan-amplas--kantor-lurah-harjosari-i", True),
        ("petugas-trantibum", "staff", "medan-amplas--trantibum", True),
    ]
    admin = User.objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    for account in DEMO_ACCOUNTS:
        assert User.objects.get(username=account.username).check_password(account.password)


def test_demo_lurah_sees_harjosari_i_only():
    seed_demo()

    lurah = User.objects.get(username="lurah-harjosari1")
    assert [k.name for k in kelurahan_list_for_officer(user=lurah)] == ["Harjosari I"]


def test_adds_three_lingkungan_per_kelurahan():
    seed_demo()

    assert Lingkungan.objects.count() == 21
    assert sorted(
        Lingkungan.objects.filter(kelurahan__code="medan-amplas--timbang-deli").values_list(
            "number", "name"
        )
    ) == [(1, "Lingkungan 1"), (2, "Lingkungan 2"), (3, "Lingkungan 3")]


def test_prints_the_credentials_table_on_every_run():
    first = seed_demo()
    second = seed_demo()

    for output in (first, second):
        lines = output.splitlines()
        header = lines.index("Akun demo (kata sandi akun yang sudah ada tidak diubah):")
        assert lines[header + 1].split() == [
            "Nama",
            "pengguna",
            "Peran",
            "Unit",
            "kerja",
            "Kata",
            "sandi",
        ]
        table = lines[header + 3 : header + 3 + len(DEMO_ACCOUNTS)]
        assert [line.split()[0] for line in table] == [a.username for a in DEMO_ACCOUNTS]
        assert [line.split()[-1] for line in table] == [a.password for a in DEMO_ACCOUNTS]
    assert "  Akun demo: 9 dibuat, 0 sudah ada" in first.splitlines()


def test_second_run_changes_nothing():
    seed_demo()
    before = (
        sorted(User.objects.values_list("username", "password", "is_staff", "is_superuser")),
        sorted(
            Membership.objects.values_list("user__username", "unit__code", "role", "updated_at")
        ),
        Lingkungan.objects.count(),
    )

    output = seed_demo()

    after = (
        sorted(User.objects.values_list("username", "password", "is_staff", "is_superuser")),
        sorted(
            Membership.objects.values_list("user__username", "unit__code", "role", "updated_at")
        ),
        Lingkungan.objects.count(),
    )
    assert after == before
    assert "  Akun demo: 0 dibuat, 9 sudah ada" in output.splitlines()
    assert "  Lingkungan demo: 0 dibuat, 21 sudah ada" in output.splitlines()


def test_a_changed_demo_password_is_kept():
    seed_demo()
    operator = User.objects.get(username="operator")
    operator.set_password("sandi-baru-yang-panjang")
    operator.save()

    seed_demo()

    operator.refresh_from_db()
    assert operator.check_password("sandi-baru-yang-panjang")


@pytest.mark.slow
def test_the_full_demo_has_a_few_hundred_reports_in_every_state(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_REPORT_COUNT", 200)

    output = seed_demo()

    assert "  Laporan demo: 200 dibuat, 0 sudah ada" in output.splitlines()
    assert set(Report.objects.values_list("status", flat=True)) == set(Status)
