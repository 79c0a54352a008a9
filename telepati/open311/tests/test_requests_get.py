"""GET requests and requests/{id}: the field mapping, what the public never sees, filters."""

from __future__ import annotations

from datetime import timedelta

from telepati.open311.tests.conftest import AMPLAS, MONDAY_MORNING, fetch, photo_upload
from telepati.reports.models import Report, ReportEvent
from telepati.reports.services.desk import report_hold, report_reject
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.resolution import report_resolve

NOTICE = (
    "Laporan diverifikasi dalam 3 hari kerja, ditindaklanjuti dalam 5 hari kerja, dan "
    "ditargetkan selesai dalam 14 hari kerja."
)


def _last_public(report: Report) -> ReportEvent:
    return ReportEvent.objects.filter(report=report, is_public=True).latest("created_at", "id")


def _ids(data: list[dict]) -> list[str]:
    return [row["service_request_id"] for row in data]


def test_a_verified_report_maps_to_every_georeport_field(client, public_report, harjosari_i):
    public_report.refresh_from_db()
    note = _last_public(public_report)

    status, data, root = fetch(client, "requests", **AMPLAS)

    assert (status, root) == (200, "service_requests")
    assert data == [
        {
            "service_request_id": public_report.tracking_number,
            "status": "open",
            "status_notes": note.message,
            "service_name": "Kebersihan & sampah",
            "service_code": "kebersihan",
            "description": "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            "agency_responsible": "Kecamatan Medan Amplas",
            "service_notice": NOTICE,
            "requested_datetime": "2026-11-02T10:00:00+07:00",
            "updated_datetime": note.created_at.astimezone().isoformat(timespec="seconds"),
            "expected_datetime": public_report.resolution_due_at.astimezone().isoformat(
                timespec="seconds"
            ),
            "address": "Jl. Garu II, gang Mawar",
            "address_id": "medan-amplas--harjosari-i",
            "zipcode": harjosari_i.postal_code or None,
            "lat": 3.5412,
            "long": 98.7005,
            "media_url": None,
        }
    ]
    assert data[0]["expected_datetime"].endswith("+07:00")


def test_the_detail_endpoint_returns_the_same_request(client, public_report):
    _status, listed, _root = fetch(client, "requests", **AMPLAS)

    status, data, root = fetch(client, "request", public_report.tracking_number, **AMPLAS)

    assert (status, root) == (200, "service_requests")
    assert data == listed


def test_reports_the_desk_has_not_accepted_or_rahasia_never_appear(
    client, submit, verify, desk_operator, public_report
):
    fresh = submit(description="Sampah baru dilaporkan di gang Melati pagi ini.")
    held = submit(description="Sampah di parit gang Kenanga, lokasi kurang jelas.")
    report_hold(user=desk_operator, report_id=held.pk, question="Di sebelah mana tepatnya?")
    rejected = submit(description="Laporan yang bukan urusan pelayanan publik sama sekali.")
    report_reject(user=desk_operator, report_id=rejected.pk, reason="Bukan wewenang kecamatan.")
    secret = verify(
        submit(description="Sampah menumpuk di belakang rumah saya.", is_confidential=True)
    )

    _status, data, _root = fetch(client, "requests", **AMPLAS)

    assert _ids(data) == [public_report.tracking_number]
    for report in (fresh, held, rejected, secret):
        status, body, _root = fetch(client, "request", report.tracking_number, **AMPLAS)
        assert (status, body) == (
            404,
            [{"code": 404, "description": "service_request_id tidak ditemukan."}],
        )
    _status, listed, _root = fetch(
        client, "requests", service_request_id=secret.tracking_number, **AMPLAS
    )
    assert listed == []


def test_an_anonymous_report_carries_no_identity_and_not_its_photos(
    client, submit, verify, resident
):
    report = verify(
        submit(
            is_anonymous=True,
            reporter_email="siti@example.org",
            uploads=[photo_upload()],
        )
    )

    bodies = [
        client.get(f"/open311/v2/requests.{fmt}", AMPLAS).content.decode()
        for fmt in ("json", "xml")
    ] + [
        client.get(f"/open311/v2/requests/{report.tracking_number}.{fmt}", AMPLAS).content.decode()
        for fmt in ("json", "xml")
    ]

    for body in bodies:
        assert report.tracking_number in body
        for identity in (resident.name, resident.phone, resident.wa_id, "siti@example.org"):
            assert identity not in body
    _status, data, _root = fetch(client, "requests", **AMPLAS)
    assert data[0]["media_url"] is None


def test_a_public_photo_is_given_as_an_absolute_url(client, submit, verify):
    report = verify(submit(uploads=[photo_upload()]))
    photo = report.attachments.get()

    _status, data, _root = fetch(client, "request", report.tracking_number, **AMPLAS)

    assert data[0]["media_url"] == f"http://testserver{photo.file.url}"


def test_a_forwarded_report_names_the_unit_holding_it(client, public_report, desk_operator, dlh):
    report_forward(user=desk_operator, report_id=public_report.pk, unit_ids=[dlh.pk])

    _status, data, _root = fetch(client, "request", public_report.tracking_number, **AMPLAS)

    assert data[0]["agency_responsible"] == "Dinas Lingkungan Hidup"
    assert data[0]["status"] == "open"


def test_a_resolved_report_is_closed_with_the_resolution_as_notes_and_time(
    client, public_report, desk_operator
):
    report_resolve(
        user=desk_operator, report_id=public_report.pk, message="Sampah sudah diangkut DLH."
    )
    public_report.refresh_from_db()

    _status, data, _root = fetch(client, "request", public_report.tracking_number, **AMPLAS)

    assert data[0]["status"] == "closed"
    assert data[0]["status_notes"] == _last_public(public_report).message
    assert "Sampah sudah diangkut DLH." in data[0]["status_notes"]
    assert data[0]["updated_datetime"] == public_report.resolved_at.astimezone().isoformat(
        timespec="seconds"
    )


def _three_reports(submit, verify, desk_operator, drainage):
    open_waste = verify(submit())
    closed_waste = verify(submit(description="Sampah di depan sekolah tidak diangkut seminggu."))
    report_resolve(user=desk_operator, report_id=closed_waste.pk, message="Sudah diangkut.")
    flood = verify(
        submit(
            category_code=drainage.code,
            description="Parit tersumbat, air menggenang di jalan.",
            submitted_at=MONDAY_MORNING - timedelta(days=30),
        )
    )
    return open_waste, closed_waste, flood


def test_filters_by_status_service_code_and_dates(client, submit, verify, desk_operator, drainage):
    open_waste, closed_waste, flood = _three_reports(submit, verify, desk_operator, drainage)

    def ids(**params):
        status, data, _root = fetch(client, "requests", **AMPLAS, **params)
        assert status == 200
        return sorted(_ids(data))

    every = sorted(
        [open_waste.tracking_number, closed_waste.tracking_number, flood.tracking_number]
    )
    assert ids() == every
    assert ids(status="open") == sorted([open_waste.tracking_number, flood.tracking_number])
    assert ids(status="closed") == [closed_waste.tracking_number]
    assert ids(status="open,closed") == every
    assert ids(status="") == every
    assert ids(service_code="banjir-drainase") == [flood.tracking_number]
    assert ids(service_code="kebersihan,banjir-drainase") == every
    assert ids(service_code="tidak-ada") == []
    assert ids(start_date="2026-11-01T00:00:00+07:00") == sorted(
        [open_waste.tracking_number, closed_waste.tracking_number]
    )
    assert ids(end_date="2026-10-31T00:00:00Z") == [flood.tracking_number]
    assert ids(start_date="2026-10-01", end_date="2026-10-05T23:59:59+07:00") == [
        flood.tracking_number
    ]


def test_service_request_id_overrides_every_other_filter(
    client, submit, verify, desk_operator, drainage
):
    open_waste, _closed, flood = _three_reports(submit, verify, desk_operator, drainage)

    _status, data, _root = fetch(
        client,
        "requests",
        service_request_id=f"{open_waste.tracking_number}, {flood.tracking_number.lower()}",
        status="closed",
        service_code="tidak-ada",
        **AMPLAS,
    )

    assert sorted(_ids(data)) == sorted([open_waste.tracking_number, flood.tracking_number])


def test_the_default_window_is_the_last_90_days(client, submit, verify):
    recent = verify(submit())
    verify(submit(submitted_at=MONDAY_MORNING - timedelta(days=95)))

    _status, data, _root = fetch(client, "requests", **AMPLAS)

    assert _ids(data) == [recent.tracking_number]


def test_newest_first(client, submit, verify):
    older = verify(submit(submitted_at=MONDAY_MORNING - timedelta(days=1)))
    newer = verify(submit())

    _status, data, _root = fetch(client, "requests", **AMPLAS)

    assert _ids(data) == [newer.tracking_number, older.tracking_number]


def test_a_token_lookup_echoes_the_id_of_a_public_request(client, public_report, new_report):
    number = public_report.tracking_number

    status, data, root = fetch(client, "token", number, **AMPLAS)

    assert (status, root) == (200, "service_requests")
    assert data == [{"service_request_id": number, "token": number}]
    status, data, _root = fetch(client, "token", new_report.tracking_number, **AMPLAS)
    assert (status, data) == (404, [{"code": 404, "description": "token tidak dikenal."}])
