"""The unit portal's actions through the page: POST, success message, redirect; refusals
re-render the page with the message and what was typed, and change nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from telepati.backoffice.tests.test_units_support import (  # noqa: F401
    _sanitation,
    _submit,
    _to_dlh,
)
from telepati.messaging.models import OutboundMessage
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Attachment,
    Disposition,
    DispositionStatus,
    Report,
    ReportEvent,
)


def url(name: str, disposition: Disposition) -> str:
    return reverse(f"backoffice:{name}", kwargs={"disposition_id": disposition.pk})


def photo(name: str = "bukti.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 160, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def state(disposition: Disposition) -> tuple[str, str, int, int, int]:
    """What a refused action must leave as it was."""
    disposition.refresh_from_db()
    report = Report.objects.get(pk=disposition.report_id)
    return (
        disposition.status,
        report.status,
        report.version,
        ReportEvent.objects.filter(report=report).count(),
        OutboundMessage.objects.count(),
    )


@pytest.fixture
def liaison_client(client, agency_liaison):
    client.force_login(agency_liaison)
    return client


def version(disposition: Disposition) -> int:
    return Report.objects.get(pk=disposition.report_id).version


def test_the_liaison_marks_the_disposition_received(liaison_client, to_dlh):
    response = liaison_client.post(
        url("unit_acknowledge", to_dlh), {"expected_version": version(to_dlh)}, follow=True
    )

    assert response.redirect_chain == [(url("unit_detail", to_dlh), 302)]
    assert "Disposisi ditandai diterima." in response.content.decode()
    to_dlh.refresh_from_db()
    assert to_dlh.status == DispositionStatus.ACKNOWLEDGED
    assert "Tandai diterima" not in response.content.decode()


def test_the_liaison_sends_a_public_update_that_reaches_the_reporter(liaison_client, to_dlh):
    response = liaison_client.post(
        url("unit_update", to_dlh),
        {
            "expected_version": version(to_dlh),
            "message": "Truk sampah dijadwalkan besok pagi.",
            "is_public": "on",
        },
        follow=True,
    )

    assert "Pembaruan tindak lanjut tersimpan." in response.content.decode()
    to_dlh.refresh_from_db()
    assert to_dlh.status == DispositionStatus.IN_PROGRESS
    assert Report.objects.get(pk=to_dlh.report_id).status == Status.IN_PROGRESS
    notice = OutboundMessage.objects.filter(recipient_phone="+6281234567890").latest("pk")
    assert notice.text.endswith("dari Dinas Lingkungan Hidup: Truk sampah dijadwalkan besok pagi.")


def test_the_liaison_completes_with_an_evidence_photo_and_the_report_is_resolved(
    liaison_client, to_dlh
):
    response = liaison_client.post(
        url("unit_complete", to_dlh),
        {
            "expected_version": version(to_dlh),
            "message": "Sampah sudah diangkut, lokasi bersih.",
            "photos": [photo()],
        },
        follow=True,
    )

    content = response.content.decode()
    assert "Disposisi ditandai selesai. Terima kasih." in content
    to_dlh.refresh_from_db()
    assert to_dlh.status == DispositionStatus.DONE
    assert Report.objects.get(pk=to_dlh.report_id).status == Status.RESOLVED
    evidence = Attachment.objects.get(report_id=to_dlh.report_id, is_evidence=True)
    assert (evidence.is_public, evidence.content_type) == (True, "image/png")
    assert "Bukti pekerjaan" in content
    assert "Tandai selesai" not in content


def test_the_liaison_returns_the_matter_with_a_reason(liaison_client, to_dlh):
    response = liaison_client.post(
        url("unit_return", to_dlh),
        {"expected_version": version(to_dlh), "reason": "Lokasi di jalan provinsi."},
        follow=True,
    )

    assert "Disposisi dikembalikan ke meja kecamatan (bukan wewenang)." in response.content.decode()
    to_dlh.refresh_from_db()
    assert (to_dlh.status, to_dlh.return_reason) == (
        DispositionStatus.RETURNED,
        "Lokasi di jalan provinsi.",
    )
    assert Report.objects.get(pk=to_dlh.report_id).status == Status.VERIFIED


def test_a_return_without_a_reason_is_refused_and_changes_nothing(liaison_client, to_dlh):
    before = state(to_dlh)

    response = liaison_client.post(
        url("unit_return", to_dlh), {"expected_version": version(to_dlh), "reason": "  "}
    )

    assert response.status_code == 400
    assert "Tulis alasan pengembalian." in response.content.decode()
    assert state(to_dlh) == before


def test_an_update_on_a_stale_page_is_refused_and_keeps_the_typed_text(liaison_client, to_dlh):
    stale = version(to_dlh) - 1
    before = state(to_dlh)

    response = liaison_client.post(
        url("unit_update", to_dlh),
        {"expected_version": stale, "message": "Sudah kami cek ke lokasi.", "is_public": "on"},
    )

    content = response.content.decode()
    assert response.status_code == 409
    number = Report.objects.get(pk=to_dlh.report_id).tracking_number
    assert (
        f"Laporan {number} baru saja diubah oleh petugas lain. "
        "Muat ulang halaman untuk melihat keadaan terbaru."
    ) in content
    assert "\nSudah kami cek ke lokasi.</textarea>" in content
    assert state(to_dlh) == before


def test_an_update_without_text_is_refused_and_names_the_field(liaison_client, to_dlh):
    before = state(to_dlh)

    response = liaison_client.post(
        url("unit_update", to_dlh), {"expected_version": version(to_dlh), "message": ""}
    )

    assert response.status_code == 400
    assert response.content.decode().count("Tuliskan tindak lanjutnya.") == 2  # message + field
    assert state(to_dlh) == before


def test_a_finished_disposition_refuses_more_work_with_a_clear_message(liaison_client, to_dlh):
    liaison_client.post(
        url("unit_complete", to_dlh),
        {"expected_version": version(to_dlh), "message": "Selesai diangkut."},
    )
    before = state(to_dlh)

    response = liaison_client.post(
        url("unit_update", to_dlh), {"expected_version": version(to_dlh), "message": "Lagi"}
    )

    assert response.status_code == 409
    assert "Disposisi ini sudah berstatus Selesai oleh unit." in response.content.decode()
    assert state(to_dlh) == before


@pytest.mark.parametrize("persona", ["desk_operator", "camat", "outsider", "section_staff"])
def test_officers_outside_the_unit_get_not_found_and_nothing_changes(
    client, request, to_dlh, persona
):
    client.force_login(request.getfixturevalue(persona))
    before = state(to_dlh)

    response = client.post(
        url("unit_return", to_dlh), {"expected_version": version(to_dlh), "reason": "Bukan kami"}
    )

    assert response.status_code == 404
    assert state(to_dlh) == before


def test_a_courier_is_refused_and_nothing_changes(client, courier, to_dlh):
    client.force_login(courier)
    before = state(to_dlh)

    response = client.post(url("unit_acknowledge", to_dlh), {})

    assert response.status_code == 403
    assert state(to_dlh) == before


def test_actions_accept_posts_only(liaison_client, to_dlh):
    assert liaison_client.get(url("unit_acknowledge", to_dlh)).status_code == 405
