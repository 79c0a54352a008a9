"""Tracking a report (/lacak/): the public timeline by number; the reporter's own view with
the last four digits of their number; the same answer for unknown numbers and wrong digits;
limits per address and per number."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client

from telepati.accounts.models import User
from telepati.org.models import Kelurahan, Unit
from telepati.reports.models import Category, Channel, Report
from telepati.reports.services.desk import report_hold, report_verify
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.notes import report_note_add
from telepati.web import views_portal_track

pytestmark = pytest.mark.django_db

DESCRIPTION = "Lampu jalan di depan masjid Al-Ikhlas mati sejak Senin malam."
NOT_FOUND = (
    "Laporan tidak ditemukan, atau tidak ditampilkan untuk umum. Periksa nomor laporan; "
    "pelapor dapat melihat rinciannya dengan 4 angka terakhir nomor WhatsApp yang dipakai "
    "saat melapor."
)
TOO_MANY = (
    "Terlalu banyak percobaan lacak laporan. Tunggu beberapa saat lalu coba lagi, atau "
    "tanyakan lewat WhatsApp."
)


@pytest.fixture
def lighting(territory: None, dlh: Unit) -> Category:
    return Category.objects.create(code="penerangan", name="Penerangan jalan", default_unit=dlh)


@pytest.fixture
def filed(lighting: Category, harjosari_i: Kelurahan) -> Report:
    return report_submit(
        draft=ReportDraft(
            category_code=lighting.code,
            description=DESCRIPTION,
            channel=Channel.WEB,
            kelurahan_id=harjosari_i.pk,
            address="Jl. Garu III",
            reporter_name="Budi Santoso",
            reporter_phone="0812-3456-7890",
        )
    )


@pytest.fixture
def public(filed: Report, desk_operator: User) -> Report:
    return report_verify(user=desk_operator, report_id=filed.pk)


def track(client: Client, number: str, digits: str = "") -> Any:
    return client.post("/lacak/", {"number": number, "phone_last4": digits})


def test_the_number_alone_shows_the_public_timeline(client: Client, public: Report) -> None:
    response = track(client, public.tracking_number.lower())

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Laporan {public.tracking_number}" in html
    assert "Terverifikasi" in html
    assert f'href="/laporan-publik/{public.tracking_number}/"' in html
    assert "Budi Santoso" not in html
    assert "7890" not in html
    assert "Pesan dari petugas kepada Anda" not in html


def test_the_number_can_come_from_the_link_on_the_success_page(
    client: Client, public: Report
) -> None:
    response = client.get("/lacak/", {"nomor": public.tracking_number})

    assert f"Laporan {public.tracking_number}" in response.content.decode()


def test_a_report_not_yet_public_answers_like_an_unknown_number(
    client: Client, filed: Report
) -> None:
    hidden = track(client, filed.tracking_number).content.decode()
    unknown = track(client, "L2611-9999").content.decode()

    assert NOT_FOUND in hidden
    assert NOT_FOUND in unknown
    assert DESCRIPTION not in hidden


def test_with_the_last_four_digits_the_reporter_sees_their_report_and_messages(
    client: Client, filed: Report, desk_operator: User
) -> None:
    report_hold(user=desk_operator, report_id=filed.pk, question="Di sisi jalan yang mana?")
    report_note_add(user=desk_operator, report_id=filed.pk, message="Catatan internal meja.")

    response = track(client, filed.tracking_number, "7890")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ditunda" in html
    assert "Petugas perlu keterangan: Di sisi jalan yang mana?" in html
    assert DESCRIPTION in html
    assert "Jl. Garu III, Harjosari I" in html
    assert "Pesan dari petugas kepada Anda" in html
    assert (
        f"Terima kasih, laporan Anda sudah kami terima dengan nomor {filed.tracking_number}" in html
    )
    assert "Catatan internal meja." not in html


def test_wrong_digits_show_nothing_private(client: Client, public: Report) -> None:
    response = track(client, public.tracking_number, "1234")

    html = response.content.decode()
    assert NOT_FOUND in html
    assert DESCRIPTION not in html
    assert "Terima kasih, laporan Anda" not in html


def test_the_digits_are_checked_in_the_form(client: Client, public: Report) -> None:
    response = track(client, public.tracking_number, "12a4")

    assert "Isi tepat 4 angka." in response.content.decode()
    assert f'value="{public.tracking_number}"' in response.content.decode()


def test_one_address_may_track_ten_times_in_ten_minutes(client: Client, public: Report) -> None:
    for _attempt in range(10):
        assert track(client, public.tracking_number).status_code == 200

    with mock.patch.object(views_portal_track, "public_report_detail") as lookup:
        response = track(client, public.tracking_number)

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    lookup.assert_not_called()


def test_five_wrong_digits_lock_the_number_for_everyone(client: Client, filed: Report) -> None:
    for n in range(5):
        response = track(Client(REMOTE_ADDR=f"198.51.100.{n}"), filed.tracking_number, "0000")
        assert response.status_code == 200

    with mock.patch.object(views_portal_track, "report_reporter_details") as lookup:
        locked = track(Client(REMOTE_ADDR="203.0.113.9"), filed.tracking_number, "7890")

    assert locked.status_code == 429
    assert TOO_MANY in locked.content.decode()
    lookup.assert_not_called()
    other = track(Client(REMOTE_ADDR="203.0.113.9"), "L2611-9999", "7890")
    assert other.status_code == 200


def test_the_reporter_view_takes_constant_queries(
    client: Client, filed: Report, django_assert_num_queries: Any
) -> None:
    # Ten for the two rate-limit counters (cache table, first count in the window), then the
    # report with its reporter, its timeline, and the messages sent to the reporter.
    with django_assert_num_queries(13):
        track(client, filed.tracking_number, "7890")
