"""Resolve, dispute, close, reopen and rate: the end of a report's life.

Reports reach *didisposisikan* and *selesai* through `forward` and `finish` below, which use
the shared recipe of `services.common` exactly as the desk and dispositions services do, so
these tests depend on nothing but the services under test.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.db import transaction
from freezegun import freeze_time
from PIL import Image

from telepati.accounts.models import User
from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Unit
from telepati.reports.lifecycle import Action, Status
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.services.common import deadline, report_lock, transition_apply
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.feedback import report_dispute, report_rate
from telepati.reports.services.media import upload_prepare
from telepati.reports.services.resolution import (
    report_close,
    report_reopen,
    report_resolve,
    resolution_apply,
)
from telepati.reports.services.sla import sla_autoclose
from telepati.reports.services.unit_work import disposition_complete

FORWARDED_AT = datetime(2026, 11, 2, 11, 0, tzinfo=WIB)  # Monday
RESOLVED_AT = datetime(2026, 11, 4, 14, 0, tzinfo=WIB)  # Wednesday
DISPUTE_UNTIL = datetime(2026, 11, 18, 14, 0, tzinfo=WIB)  # 10 working days later
RESULT = "Sampah sudah diangkut petugas DLH dan lokasi dibersihkan."


# --- Helpers (shared with test_sla) ------------------------------------------------------


def verify(report: Report, *, at: datetime = FORWARDED_AT) -> Report:
    """Verified by the desk: the resolution clock starts."""
    with transaction.atomic():
        locked = report_lock(report_id=report.pk)
        days = locked.category.sla_resolution_days
        transition_apply(
            locked,
            Action.VERIFY,
            fields={"verified_at": at, "resolution_due_at": deadline(start=at, days=days)},
        )
    return locked


def forward(
    report: Report, *, officer: User, units: list[Unit], at: datetime = FORWARDED_AT
) -> Report:
    """Verified and forwarded to `units`: first-response clocks start for report and units."""
    verify(report, at=at)
    with transaction.atomic():
        locked = report_lock(report_id=report.pk)
        due = deadline(start=at, days=locked.category.sla_first_response_days)
        transition_apply(
            locked, Action.FORWARD, fields={"forwarded_at": at, "response_due_at": due}
        )
        for unit in units:
            Disposition.objects.create(
                report=locked, unit=unit, due_at=due, forwarded_by=officer, forwarded_at=at
            )
    return locked


def finish(
    report: Report, *, officer: User, at: datetime = RESOLVED_AT, uploads: tuple = ()
) -> Report:
    """Every unit finishes; the last one resolves the report, as disposition_complete does."""
    with transaction.atomic():
        locked = report_lock(report_id=report.pk)
        if locked.status == Status.FORWARDED:
            transition_apply(locked, Action.FOLLOW_UP, fields={"first_response_at": at})
        Disposition.objects.filter(report=locked, status__in=OPEN_DISPOSITION_STATES).update(
            status=DispositionStatus.DONE, done_at=at
        )
        resolution_apply(report=locked, actor=officer, message=RESULT, at=at, uploads=uploads)
    return locked


def give_phones(*users: User) -> None:
    for index, user in enumerate(users, start=1):
        user.phone = f"+62813000000{index:02d}"
        user.save(update_fields=["phone"])


def snapshot(report: Report) -> tuple:
    report.refresh_from_db()
    return (
        report.status,
        report.version,
        report.resolved_at,
        report.dispute_until,
        report.rating,
        ReportEvent.objects.filter(report=report).count(),
        OutboundMessage.objects.count(),
        sorted(Disposition.objects.filter(report=report).values_list("status", flat=True)),
    )


def officer_texts(user: User) -> list[str]:
    return list(
        OutboundMessage.objects.filter(recipient_phone=user.phone)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 160, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def resolved(new_report, desk_operator, agency_liaison, dlh) -> Report:
    forward(new_report, officer=desk_operator, units=[dlh])
    return finish(new_report, officer=agency_liaison)


# --- resolution_apply --------------------------------------------------------------------


def test_the_last_unit_finishing_resolves_with_evidence_and_asks_for_a_rating(
    new_report, desk_operator, agency_liaison, dlh, resident
):
    forward(new_report, officer=desk_operator, units=[dlh])
    evidence = upload_prepare(name="bukti.png", content=photo())

    report = finish(new_report, officer=agency_liaison, uploads=(evidence,))

    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.resolved_at == RESOLVED_AT
    assert report.dispute_until == DISPUTE_UNTIL
    assert report.version == 5
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None
    assert (event.kind, event.action, event.from_status, event.to_status) == (
        EventKind.TRANSITION,
        Action.RESOLVE,
        Status.IN_PROGRESS,
        Status.RESOLVED,
    )
    assert (event.is_public, event.message, event.actor) == (True, RESULT, agency_liaison)
    attachment = Attachment.objects.get(event=event)
    assert (attachment.is_evidence, attachment.is_public) == (True, True)
    assert attachment.uploaded_by == agency_liaison
    notice = OutboundMessage.objects.get(dedupe_key__contains=":resolved:v5:")
    assert notice.recipient_phone == resident.phone
    assert notice.text == (
        "Laporan L2611-0001 telah selesai ditindaklanjuti:\n"
        f"{RESULT}\n\n"
        "Balas angka 1–5 untuk menilai penanganannya (1 = sangat kecewa, 5 = sangat puas), "
        "atau ketik SANGGAH L2611-0001 bila masalah belum selesai, "
        "paling lambat 18 November 2026, 14.00 WIB."
    )


def test_evidence_of_an_anonymous_report_stays_internal(submit, desk_operator, agency_liaison, dlh):
    report = forward(submit(is_anonymous=True), officer=desk_operator, units=[dlh])
    evidence = upload_prepare(name="bukti.png", content=photo())

    finish(report, officer=agency_liaison, uploads=(evidence,))

    assert Attachment.objects.get(is_evidence=True).is_public is False


def test_followers_hear_about_the_resolution_too(new_report, desk_operator, agency_liaison, dlh):
    neighbour = Citizen.objects.create(name="Budi", phone="+6281298765432")
    ReportFollower.objects.create(report=new_report, citizen=neighbour)
    forward(new_report, officer=desk_operator, units=[dlh])

    finish(new_report, officer=agency_liaison)

    recipients = OutboundMessage.objects.filter(dedupe_key__contains=":resolved:")
    assert sorted(recipients.values_list("recipient_phone", flat=True)) == [
        "+6281234567890",
        "+6281298765432",
    ]


# --- report_resolve ----------------------------------------------------------------------


@freeze_time("2026-11-03 09:30:00+07:00")
def test_the_desk_resolves_directly_and_withdraws_open_dispositions(
    new_report, desk_operator, agency_liaison, dlh, django_assert_num_queries
):
    give_phones(agency_liaison)
    report = forward(new_report, officer=desk_operator, units=[dlh])

    with django_assert_num_queries(21):
        report = report_resolve(
            user=desk_operator,
            report_id=report.pk,
            message="Jadwal angkut sampah Jl. Garu II: Senin dan Kamis pagi.",
            expected_version=report.version,
        )

    assert report.status == Status.RESOLVED
    assert report.resolved_at == datetime(2026, 11, 3, 9, 30, tzinfo=WIB)
    assert report.first_response_at == datetime(2026, 11, 3, 9, 30, tzinfo=WIB)
    assert report.dispute_until == datetime(2026, 11, 17, 9, 30, tzinfo=WIB)
    assert Disposition.objects.get().status == DispositionStatus.WITHDRAWN
    withdrawn = ReportEvent.objects.get(report=report, kind=EventKind.DISPOSITION)
    assert (withdrawn.unit, withdrawn.is_public) == (dlh, False)
    assert officer_texts(agency_liaison) == [
        "Laporan L2611-0001 sudah diselesaikan langsung oleh meja layanan; disposisi ke unit "
        "Anda ditarik. Tidak perlu tindak lanjut lagi."
    ]


def test_a_verified_information_request_may_be_answered_without_dispositions(
    new_report, desk_operator
):
    verify(new_report)

    report = report_resolve(user=desk_operator, report_id=new_report.pk, message="Dijawab.")

    assert report.status == Status.RESOLVED
    assert not ReportEvent.objects.filter(report=report, kind=EventKind.DISPOSITION).exists()


def test_a_kelurahan_officer_may_not_resolve_and_nothing_changes(new_report, kelurahan_staff):
    verify(new_report)
    before = snapshot(new_report)

    with pytest.raises(Forbidden):
        report_resolve(user=kelurahan_staff, report_id=new_report.pk, message="Sudah.")

    assert snapshot(new_report) == before


def test_an_officer_of_another_kecamatan_does_not_even_see_the_report(new_report, outsider):
    verify(new_report)
    before = snapshot(new_report)

    with pytest.raises(NotFound):
        report_resolve(user=outsider, report_id=new_report.pk, message="Sudah.")

    assert snapshot(new_report) == before


@pytest.mark.parametrize(
    "act",
    [
        lambda **kw: report_resolve(message="Sudah.", **kw),
        lambda **kw: report_close(**kw),
        lambda **kw: report_reopen(reason="Muncul lagi.", **kw),
    ],
    ids=["resolve", "close", "reopen"],
)
def test_a_stale_version_does_not_tell_an_officer_of_another_kecamatan_the_report_exists(
    resolved, outsider, act
):
    before = snapshot(resolved)

    # Access is checked before the version: not a Conflict that names the tracking number.
    with pytest.raises(NotFound):
        act(user=outsider, report_id=resolved.pk, expected_version=resolved.version - 1)

    assert snapshot(resolved) == before


@pytest.mark.parametrize("message", ["", "   "])
def test_resolving_needs_a_result_for_the_reporter(new_report, desk_operator, dlh, message):
    forward(new_report, officer=desk_operator, units=[dlh])
    before = snapshot(new_report)

    with pytest.raises(InvalidInput) as error:
        report_resolve(user=desk_operator, report_id=new_report.pk, message=message)

    assert error.value.field_errors == {"message": ["Wajib diisi."]}
    assert snapshot(new_report) == before


def test_a_new_report_cannot_be_resolved_before_verification(new_report, desk_operator):
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_resolve(user=desk_operator, report_id=new_report.pk, message="Sudah.")

    assert snapshot(new_report) == before


def test_resolving_a_report_changed_meanwhile_is_a_conflict(new_report, desk_operator, dlh):
    report = forward(new_report, officer=desk_operator, units=[dlh])
    before = snapshot(report)

    with pytest.raises(Conflict):
        report_resolve(
            user=desk_operator, report_id=report.pk, message="Sudah.", expected_version=2
        )

    assert snapshot(report) == before


# --- report_dispute ----------------------------------------------------------------------


@freeze_time("2026-11-10 09:00:00+07:00")
def test_a_dispute_gives_the_matter_back_to_the_unit_with_a_fresh_deadline(
    resolved, agency_liaison, resident, django_assert_num_queries
):
    give_phones(agency_liaison)

    with django_assert_num_queries(22):
        report = report_dispute(
            report_id=resolved.pk,
            citizen=resolved.reporter,
            reason="Sampahnya masih ada, rumah saya nomor 12 dekat warung Pak Ali.",
        )

    assert report.status == Status.IN_PROGRESS
    assert (report.resolved_at, report.dispute_until) == (None, None)
    disposition = Disposition.objects.get()
    assert disposition.status == DispositionStatus.IN_PROGRESS
    assert disposition.done_at is None
    # The old deadline (Monday 9 Nov 11:00) had passed: five working days from now.
    assert disposition.due_at == datetime(2026, 11, 17, 9, 0, tzinfo=WIB)
    events = ReportEvent.objects.filter(report=report, created_at=report.updated_at)
    public, note, reopened = events.order_by("pk")
    assert (public.action, public.is_public, public.actor_citizen) == (
        Action.DISPUTE,
        True,
        resolved.reporter,
    )
    assert public.message == "Pelapor menyanggah penyelesaian; laporan ditindaklanjuti kembali."
    assert (note.kind, note.is_public) == (EventKind.NOTE, False)
    assert note.message.startswith("Sampahnya masih ada, rumah saya nomor 12")
    assert (reopened.kind, reopened.unit, reopened.is_public) == (
        EventKind.DISPOSITION,
        resolved.dispositions.get().unit,
        False,
    )
    assert officer_texts(agency_liaison) == [
        "Laporan L2611-0001 disanggah pelapor: masalahnya belum selesai. "
        "Mohon ditindaklanjuti kembali."
    ]
    notice = OutboundMessage.objects.get(
        dedupe_key=f"report:{report.pk}:disputed:v{report.version}:{report.reporter_id}"
    )
    assert notice.recipient_phone == resident.phone
    assert notice.text == (
        "Sanggahan atas penyelesaian laporan L2611-0001 sudah kami terima. Laporan "
        "ditindaklanjuti kembali; kami akan mengabarkan perkembangannya."
    )


def test_a_follower_may_dispute(resolved):
    neighbour = Citizen.objects.create(name="Budi", phone="+6281298765432")
    ReportFollower.objects.create(report=resolved, citizen=neighbour)

    with freeze_time("2026-11-05 10:00:00+07:00"):
        report = report_dispute(report_id=resolved.pk, citizen=neighbour, reason="Belum beres.")

    assert report.status == Status.IN_PROGRESS


def test_a_stranger_may_not_dispute_and_nothing_changes(resolved):
    stranger = Citizen.objects.create(name="Orang lain", phone="+6281211112222")
    before = snapshot(resolved)

    with freeze_time("2026-11-05 10:00:00+07:00"), pytest.raises(Forbidden):
        report_dispute(report_id=resolved.pk, citizen=stranger, reason="Belum beres.")

    assert snapshot(resolved) == before


def test_a_dispute_after_the_window_is_refused_with_a_clear_message(resolved):
    before = snapshot(resolved)

    with freeze_time("2026-11-18 14:01:00+07:00"), pytest.raises(InvalidInput) as error:
        report_dispute(report_id=resolved.pk, citizen=resolved.reporter, reason="Belum beres.")

    assert str(error.value) == (
        "Masa sanggah laporan L2611-0001 sudah berakhir. Bila masalahnya muncul lagi, "
        "silakan kirim laporan baru."
    )
    assert snapshot(resolved) == before


def test_a_dispute_on_the_last_minute_of_the_window_is_accepted(resolved):
    with freeze_time("2026-11-18 14:00:00+07:00"):
        report = report_dispute(
            report_id=resolved.pk, citizen=resolved.reporter, reason="Belum beres."
        )

    assert report.status == Status.IN_PROGRESS


def test_a_dispute_needs_a_reason(resolved):
    before = snapshot(resolved)

    with freeze_time("2026-11-05 10:00:00+07:00"), pytest.raises(InvalidInput) as error:
        report_dispute(report_id=resolved.pk, citizen=resolved.reporter, reason=" ")

    assert error.value.field_errors == {"reason": ["Wajib diisi."]}
    assert snapshot(resolved) == before


def test_a_dispute_reopens_every_unit_of_the_last_round_but_not_earlier_ones(
    new_report, desk_operator, agency_liaison, dlh, harjosari_i_office
):
    forward(new_report, officer=desk_operator, units=[dlh, harjosari_i_office])
    finish(new_report, officer=agency_liaison)
    with freeze_time("2026-11-05 10:00:00+07:00"):
        report_dispute(report_id=new_report.pk, citizen=new_report.reporter, reason="Belum.")
    # Second round: only the kelurahan office works on it again (DLH's share is done).
    Disposition.objects.filter(unit=dlh).update(
        status=DispositionStatus.DONE, done_at=datetime(2026, 11, 5, 11, 0, tzinfo=WIB)
    )
    finish(new_report, officer=desk_operator, at=datetime(2026, 11, 6, 10, 0, tzinfo=WIB))

    with freeze_time("2026-11-09 10:00:00+07:00"):
        report_dispute(report_id=new_report.pk, citizen=new_report.reporter, reason="Masih.")

    statuses = dict(Disposition.objects.values_list("unit__code", "status"))
    assert statuses == {
        "kota-medan--dlh": DispositionStatus.IN_PROGRESS,
        "medan-amplas--kantor-lurah-harjosari-i": DispositionStatus.IN_PROGRESS,
    }


def test_a_dispute_on_a_desk_answer_goes_back_to_the_desk(new_report, desk_operator):
    give_phones(desk_operator)
    verify(new_report)
    with freeze_time("2026-11-03 09:00:00+07:00"):
        report_resolve(user=desk_operator, report_id=new_report.pk, message="Dijawab.")

    with freeze_time("2026-11-04 09:00:00+07:00"):
        report_dispute(report_id=new_report.pk, citizen=new_report.reporter, reason="Belum.")

    assert officer_texts(desk_operator) == [
        "Laporan L2611-0001 disanggah pelapor: masalahnya belum selesai. "
        "Mohon ditindaklanjuti kembali."
    ]


# --- report_close and report_reopen ------------------------------------------------------


def test_the_system_closes_only_after_the_dispute_window(resolved, resident):
    before = snapshot(resolved)
    with pytest.raises(InvalidTransition):
        report_close(report_id=resolved.pk, at=DISPUTE_UNTIL)
    assert snapshot(resolved) == before

    report = report_close(report_id=resolved.pk, at=datetime(2026, 11, 18, 14, 5, tzinfo=WIB))

    assert report.status == Status.CLOSED
    assert report.closed_at == datetime(2026, 11, 18, 14, 5, tzinfo=WIB)
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None
    assert (event.action, event.actor, event.is_public) == (Action.CLOSE, None, True)
    assert event.message == "Laporan ditutup otomatis: tidak ada sanggahan dalam masa sanggah."
    notice = OutboundMessage.objects.get(dedupe_key__contains=":closed:")
    assert notice.recipient_phone == resident.phone
    assert notice.text == (
        "Laporan L2611-0001 kami tutup. Terima kasih telah membantu memperbaiki layanan di "
        "lingkungan kita. Anda masih dapat menilai penanganannya: balas angka 1–5 "
        "(1 = sangat kecewa, 5 = sangat puas)."
    )


@freeze_time("2026-11-05 10:00:00+07:00")
@pytest.mark.parametrize("persona", ["desk_operator", "camat"])
def test_the_desk_or_the_camat_may_close_before_the_window_ends(resolved, persona, request):
    officer = request.getfixturevalue(persona)

    report = report_close(report_id=resolved.pk, user=officer, reason="Pelapor puas.")

    assert report.status == Status.CLOSED
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None
    assert (event.actor, event.message) == (officer, "Pelapor puas.")


@freeze_time("2026-11-05 10:00:00+07:00")
def test_a_kelurahan_officer_may_not_close(resolved, kelurahan_staff):
    before = snapshot(resolved)

    with pytest.raises(Forbidden):
        report_close(report_id=resolved.pk, user=kelurahan_staff)

    assert snapshot(resolved) == before


def test_a_closed_report_reopens_to_work_with_its_units(resolved, desk_operator, resident):
    closed = report_close(report_id=resolved.pk, at=datetime(2026, 11, 19, 8, 0, tzinfo=WIB))

    with freeze_time("2026-11-20 09:00:00+07:00"):
        report = report_reopen(
            user=desk_operator,
            report_id=closed.pk,
            reason="Warga datang ke kantor: sampah menumpuk lagi di titik yang sama.",
            expected_version=closed.version,
        )

    assert report.status == Status.IN_PROGRESS
    assert (report.resolved_at, report.closed_at, report.dispute_until) == (None, None, None)
    assert Disposition.objects.get().status == DispositionStatus.IN_PROGRESS
    notice = OutboundMessage.objects.get(dedupe_key__contains=":reopened:")
    assert notice.recipient_phone == resident.phone
    assert notice.text == (
        "Laporan L2611-0001 dibuka kembali oleh petugas: Warga datang ke kantor: sampah "
        "menumpuk lagi di titik yang sama."
    )


@freeze_time("2026-11-04 09:00:00+07:00")
def test_a_rejected_report_reopens_to_verification_with_a_fresh_deadline(new_report, desk_operator):
    with transaction.atomic():
        locked = report_lock(report_id=new_report.pk)
        transition_apply(locked, Action.REJECT, fields={"rejection_reason": "Bukan wewenang."})

    report = report_reopen(user=desk_operator, report_id=new_report.pk, reason="Keliru tolak.")

    assert report.status == Status.NEW
    assert report.rejection_reason == ""
    assert report.verification_due_at == datetime(2026, 11, 9, 9, 0, tzinfo=WIB)


@pytest.mark.parametrize("reason", ["", "  "])
def test_reopening_needs_a_reason(resolved, desk_operator, reason):
    before = snapshot(resolved)

    with pytest.raises(InvalidInput):
        report_reopen(user=desk_operator, report_id=resolved.pk, reason=reason)

    assert snapshot(resolved) == before


def test_an_open_report_cannot_be_reopened(new_report, desk_operator):
    before = snapshot(new_report)

    with pytest.raises(InvalidTransition):
        report_reopen(user=desk_operator, report_id=new_report.pk, reason="Coba.")

    assert snapshot(new_report) == before


# --- report_rate -------------------------------------------------------------------------


@freeze_time("2026-11-05 10:00:00+07:00")
def test_the_reporter_rates_once_and_is_thanked(resolved, resident, django_assert_num_queries):
    neighbour = Citizen.objects.create(name="Budi", phone="+6281298765432")
    ReportFollower.objects.create(report=resolved, citizen=neighbour)

    with django_assert_num_queries(9):
        report = report_rate(
            report_id=resolved.pk, citizen=resolved.reporter, rating=4, comment="Cepat."
        )

    assert (report.rating, report.rating_comment) == (4, "Cepat.")
    assert report.rated_at == datetime(2026, 11, 5, 10, 0, tzinfo=WIB)
    event = ReportEvent.objects.filter(report=report).last()
    assert event is not None
    assert (event.kind, event.is_public, event.data) == (EventKind.RATING, False, {"rating": 4})
    thanks = OutboundMessage.objects.get(dedupe_key__contains=":rated:")
    assert thanks.recipient_phone == resident.phone
    assert thanks.text == (
        "Terima kasih atas penilaian Anda (4 dari 5) untuk laporan L2611-0001. "
        "Masukan Anda membantu kami memperbaiki layanan."
    )

    before = snapshot(report)
    with pytest.raises(InvalidInput) as error:
        report_rate(report_id=report.pk, citizen=resolved.reporter, rating=5)
    assert str(error.value) == "Laporan L2611-0001 sudah dinilai. Terima kasih."
    assert snapshot(report) == before


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_outside_one_to_five_is_refused(resolved, rating):
    before = snapshot(resolved)

    with pytest.raises(InvalidInput) as error:
        report_rate(report_id=resolved.pk, citizen=resolved.reporter, rating=rating)

    assert error.value.field_errors == {"rating": ["Pilih angka 1–5."]}
    assert snapshot(resolved) == before


def test_a_closed_report_may_still_be_rated(resolved):
    report_close(report_id=resolved.pk, at=datetime(2026, 11, 19, 8, 0, tzinfo=WIB))

    report = report_rate(report_id=resolved.pk, citizen=resolved.reporter, rating=5)

    assert report.rating == 5


def test_an_open_report_cannot_be_rated(new_report):
    before = snapshot(new_report)

    with pytest.raises(InvalidInput):
        report_rate(report_id=new_report.pk, citizen=new_report.reporter, rating=5)

    assert snapshot(new_report) == before


def test_only_the_reporter_rates(resolved):
    neighbour = Citizen.objects.create(name="Budi", phone="+6281298765432")
    ReportFollower.objects.create(report=resolved, citizen=neighbour)
    before = snapshot(resolved)

    with pytest.raises(Forbidden):
        report_rate(report_id=resolved.pk, citizen=neighbour, rating=5)

    assert snapshot(resolved) == before


# --- Through the real desk and dispositions services ------------------------------------


def test_a_report_lives_to_its_end_through_the_real_services(
    new_report, desk_operator, agency_liaison, dlh
):
    with freeze_time("2026-11-02 11:00:00+07:00"):
        report_verify(user=desk_operator, report_id=new_report.pk)
        (disposition,) = report_forward(
            user=desk_operator, report_id=new_report.pk, unit_ids=[dlh.pk]
        )
    with freeze_time("2026-11-04 14:00:00+07:00"):
        disposition_complete(user=agency_liaison, disposition_id=disposition.pk, message=RESULT)
    new_report.refresh_from_db()
    assert (new_report.status, new_report.dispute_until) == (Status.RESOLVED, DISPUTE_UNTIL)

    with freeze_time("2026-11-05 09:00:00+07:00"):
        report_dispute(report_id=new_report.pk, citizen=new_report.reporter, reason="Belum.")
    disposition.refresh_from_db()
    assert disposition.status == DispositionStatus.IN_PROGRESS

    with freeze_time("2026-11-06 10:00:00+07:00"):
        disposition_complete(user=agency_liaison, disposition_id=disposition.pk, message="Tuntas.")
        report_rate(report_id=new_report.pk, citizen=new_report.reporter, rating=5)

    assert sla_autoclose(at=datetime(2026, 11, 20, 10, 1, tzinfo=WIB)) == 1
    new_report.refresh_from_db()
    assert (new_report.status, new_report.rating) == (Status.CLOSED, 5)
