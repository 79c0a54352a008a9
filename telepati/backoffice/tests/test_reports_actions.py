"""Actions on the report page: the page offers exactly what the services accept, each action
works through its form, and a refused or stale one changes nothing and keeps the input."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from telepati.accounts.selectors import officer_scope_get
from telepati.backoffice.tests.test_reports_support import *  # noqa: F403 (fixtures)
from telepati.backoffice.tests.test_reports_support import (
    action_url,
    detail_url,
    snapshot,
    to_state,
)
from telepati.core.errors import NotFound
from telepati.reports.lifecycle import Action, Status, allowed_actions
from telepati.reports.models import Attachment, Disposition, EventKind, ReportEvent
from telepati.reports.selectors import report_get_for_officer
from telepati.reports.selectors_inbox import PageAction, report_actions_for_officer
from telepati.reports.services.desk import report_hold

BUTTONS = {
    PageAction.VERIFY: "Verifikasi",
    PageAction.HOLD: "Tunda verifikasi",
    PageAction.REJECT: "Tolak",
    PageAction.FORWARD: "Disposisikan",
    PageAction.ASSIGN: "Tugaskan",
    PageAction.NOTE: "Simpan catatan",
    PageAction.REPLY: "Kirim ke pelapor",
    PageAction.RESOLVE: "Selesaikan",
    PageAction.CLOSE: "Tutup laporan",
    PageAction.REOPEN: "Buka kembali",
    PageAction.MERGE: "Gabungkan",
}
LIFECYCLE = {
    PageAction.VERIFY: Action.VERIFY,
    PageAction.HOLD: Action.HOLD,
    PageAction.REJECT: Action.REJECT,
    PageAction.FORWARD: Action.FORWARD,
    PageAction.RESOLVE: Action.RESOLVE,
    PageAction.CLOSE: Action.CLOSE,
    PageAction.REOPEN: Action.REOPEN,
    PageAction.MERGE: Action.MERGE,
}
VIEWERS = (
    "desk_operator",
    "administrator",
    "superuser",
    "camat",
    "lurah",
    "kelurahan_staff",
    "section_staff",
    "agency_liaison",
)


def _post_data(action, report, *, desk, sanitation, harjosari_i, roads_agency, other):
    fields = {
        PageAction.VERIFY: {
            "title": "Sampah menumpuk di gang Mawar",
            "category": sanitation.code,
            "kelurahan": harjosari_i.pk,
            "priority": "normal",
        },
        PageAction.HOLD: {"question": "Mohon kirim foto lokasi."},
        PageAction.REJECT: {"reason": "Bukan wewenang kecamatan."},
        PageAction.FORWARD: {"units": [roads_agency.pk], "instruction": "Mohon dicek."},
        PageAction.ASSIGN: {"assignee": desk.pk},
        PageAction.NOTE: {"message": "Sudah ditelepon."},
        PageAction.REPLY: {"message": "Petugas menuju lokasi."},
        PageAction.RESOLVE: {"message": "Sampah sudah diangkut."},
        PageAction.CLOSE: {"reason": ""},
        PageAction.REOPEN: {"reason": "Warga melapor masih ada sampah."},
        PageAction.MERGE: {"into": other.tracking_number},
    }[action]
    data = {"expected_version": report.version, **fields}
    return {f"{action.value}-{name}": value for name, value in data.items()}


@pytest.mark.parametrize("state", ["new", "verified", "forwarded", "resolved"])
@pytest.mark.parametrize("persona", VIEWERS)
def test_every_shown_action_succeeds_and_every_hidden_one_is_refused(
    client,
    request,
    submit,
    sanitation,
    harjosari_i,
    desk_operator,
    dlh,
    amplas_trantib,
    roads_agency,
    persona,
    state,
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    other = submit(description="Sampah juga menumpuk di ujung gang Mawar.")
    shown = to_state(submit(), state, desk=desk_operator, units=[dlh, amplas_trantib])
    try:
        seen = report_get_for_officer(user=user, report_id=shown.pk)
        offered = report_actions_for_officer(scope=officer_scope_get(user=user), report=seen)
    except NotFound:
        offered = frozenset()
    page = client.get(detail_url(shown)).content.decode()
    for action in PageAction:
        assert (f"{BUTTONS[action]}</button>" in page) == (action in offered), action
    for action in PageAction:
        report = to_state(submit(), state, desk=desk_operator, units=[dlh, amplas_trantib])
        before = snapshot(report)
        data = _post_data(
            action,
            report,
            desk=desk_operator,
            sanitation=sanitation,
            harjosari_i=harjosari_i,
            roads_agency=roads_agency,
            other=other,
        )

        response = client.post(action_url(report, action.value), data)

        if action in offered:
            assert response.status_code == 302, (action, response.content.decode()[-3000:])
            assert response["Location"] == detail_url(report)
            assert snapshot(report) != before, action
        else:
            lifecycle = LIFECYCLE.get(action)
            legal = lifecycle is None or lifecycle in allowed_actions(Status(before[0]))
            assert response.status_code in ((403, 404) if legal else (400, 403, 404)), action
            assert snapshot(report) == before, action


def test_the_desk_verifies_and_forwards_a_whatsapp_report(
    client, new_report, desk_operator, dlh, sanitation, harjosari_i
):
    client.force_login(desk_operator)
    response = client.post(
        action_url(new_report, "verify"),
        {
            "verify-expected_version": new_report.version,
            "verify-title": "Sampah menumpuk di gang Mawar",
            "verify-category": sanitation.code,
            "verify-kelurahan": harjosari_i.pk,
            "verify-priority": "high",
        },
        follow=True,
    )
    content = response.content.decode()
    assert f"Laporan {new_report.tracking_number} diverifikasi." in content
    new_report.refresh_from_db()
    assert new_report.status == Status.VERIFIED
    assert new_report.priority == "high"
    assert new_report.title == "Sampah menumpuk di gang Mawar"
    # The category's default unit (DLH) is suggested, ticked.
    assert f'value="{dlh.pk}" id="id_forward-units_' in content

    response = client.post(
        action_url(new_report, "forward"),
        {
            "forward-expected_version": new_report.version,
            "forward-units": [dlh.pk],
            "forward-instruction": "Angkut hari ini.",
        },
        follow=True,
    )

    content = response.content.decode()
    assert f"Laporan {new_report.tracking_number} didisposisikan." in content
    new_report.refresh_from_db()
    assert new_report.status == Status.FORWARDED
    assert Disposition.objects.get(report=new_report).unit == dlh
    assert "Diteruskan ke Dinas Lingkungan Hidup." in content
    assert "Menunggu" in content


def test_a_stale_version_shows_the_conflict_and_keeps_the_typed_input(
    client, new_report, desk_operator
):
    client.force_login(desk_operator)
    seen = new_report.version
    report_hold(user=desk_operator, report_id=new_report.pk, question="Di mana persisnya?")
    before = snapshot(new_report)

    response = client.post(
        action_url(new_report, "reject"),
        {"reject-expected_version": seen, "reject-reason": "Laporan ganda dari warga lain."},
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert (
        f"Laporan {new_report.tracking_number} baru saja diubah oleh petugas lain. "
        "Muat ulang halaman untuk melihat keadaan terbaru." in content
    )
    assert "Laporan ganda dari warga lain." in content
    assert f'name="reject-expected_version" value="{before[1]}"' in content
    assert snapshot(new_report) == before


def test_a_form_without_required_text_keeps_the_input_and_shows_the_error(
    client, new_report, desk_operator
):
    client.force_login(desk_operator)
    before = snapshot(new_report)

    response = client.post(
        action_url(new_report, "hold"),
        {"hold-expected_version": new_report.version, "hold-question": "   "},
    )

    assert response.status_code == 400
    assert "Tunda verifikasi" in response.content.decode()
    assert "errorlist" in response.content.decode()
    assert snapshot(new_report) == before


def test_a_service_refusal_lands_on_the_field_it_names(
    client, new_report, desk_operator, johor_service
):
    from telepati.reports.services.desk import report_verify

    report_verify(user=desk_operator, report_id=new_report.pk)
    new_report.refresh_from_db()
    client.force_login(desk_operator)
    before = snapshot(new_report)

    response = client.post(
        action_url(new_report, "forward"),
        {"forward-expected_version": new_report.version, "forward-units": []},
    )

    assert response.status_code == 400
    assert "Pilih minimal satu unit tujuan." in response.content.decode()
    assert snapshot(new_report) == before


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_desk_resolves_with_an_evidence_photo_shown_on_the_timeline(
    client, new_report, desk_operator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from telepati.reports.services.desk import report_verify

    report_verify(user=desk_operator, report_id=new_report.pk)
    new_report.refresh_from_db()
    client.force_login(desk_operator)

    response = client.post(
        action_url(new_report, "resolve"),
        {
            "resolve-expected_version": new_report.version,
            "resolve-message": "Sampah sudah diangkut truk DLH.",
            "resolve-photo": SimpleUploadedFile("bukti.jpg", _jpeg(), content_type="image/jpeg"),
        },
        follow=True,
    )

    content = response.content.decode()
    new_report.refresh_from_db()
    assert new_report.status == Status.RESOLVED
    assert Attachment.objects.get(report=new_report).is_evidence
    assert f"Laporan {new_report.tracking_number} diselesaikan." in content
    assert "Sampah sudah diangkut truk DLH." in content
    assert "Foto bukti penyelesaian" in content
    assert '<dialog id="photo-dialog"' in content


def test_the_timeline_marks_internal_and_public_events(client, new_report, desk_operator):
    client.force_login(desk_operator)
    client.post(
        action_url(new_report, "note"),
        {"note-expected_version": new_report.version, "note-message": "Pelapor minta ditelepon."},
    )
    client.post(
        action_url(new_report, "reply"),
        {"reply-expected_version": new_report.version, "reply-message": "Laporan sedang dicek."},
    )

    content = client.get(detail_url(new_report)).content.decode()

    events = ReportEvent.objects.filter(report=new_report)
    assert events.get(kind=EventKind.NOTE).is_public is False
    assert events.get(kind=EventKind.UPDATE).is_public is True
    assert '<li class="internal">' in content
    assert "Pelapor minta ditelepon." in content
    assert "Laporan sedang dicek." in content


def test_canned_responses_are_offered_for_the_reply(client, new_report, desk_operator, sanitation):
    from telepati.reports.models import CannedResponse

    CannedResponse.objects.create(
        title="Sedang dicek", body="Laporan Anda sedang kami periksa.", category=sanitation
    )
    client.force_login(desk_operator)

    content = client.get(detail_url(new_report)).content.decode()

    assert "Sisipkan: Sedang dicek" in content
    assert 'data-text="Laporan Anda sedang kami periksa."' in content


def test_merging_into_a_suggested_duplicate(client, submit, desk_operator):
    survivor = submit(description="Tumpukan sampah di gang Mawar belum diangkut.")
    duplicate = submit()
    client.force_login(desk_operator)

    page = client.get(detail_url(duplicate)).content.decode()
    assert f"Pilih {survivor.tracking_number}" in page

    response = client.post(
        action_url(duplicate, "merge"),
        {"merge-expected_version": duplicate.version, "merge-into": survivor.tracking_number},
        follow=True,
    )

    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == survivor
    assert (
        f"Laporan {duplicate.tracking_number} digabung ke {survivor.tracking_number}."
        in response.content.decode()
    )


def test_an_unknown_action_is_a_404(client, new_report, desk_operator):
    client.force_login(desk_operator)

    assert client.post(action_url(new_report, "explode"), {}).status_code == 404


def test_a_report_with_coordinates_shows_the_map_with_the_local_leaflet(
    client, submit, desk_operator
):
    report = submit(latitude="3.543210", longitude="98.712345")
    client.force_login(desk_operator)

    content = client.get(detail_url(report)).content.decode()

    assert 'id="report-map"' in content
    assert 'data-lat="3.543210" data-lng="98.712345"' in content
    assert "/static/vendor/leaflet/leaflet.js" in content
    assert "unpkg" not in content


def test_a_report_without_coordinates_loads_no_map(client, new_report, desk_operator):
    client.force_login(desk_operator)

    content = client.get(detail_url(new_report)).content.decode()

    assert 'id="report-map"' not in content
    assert "leaflet" not in content
