"""Report reads: each persona sees exactly their reports, filters, timeline, anonymity."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import NotFound
from telepati.core.workdays import WIB
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    Channel,
    Disposition,
    EventKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.selectors import (
    ReportFilters,
    report_get_for_citizen,
    report_get_for_officer,
    report_get_public,
    report_list_for_officer,
    report_reporter_view,
    report_timeline,
)
from telepati.reports.services.common import event_append

from .conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db


def forward(report, unit, *, by, status=Status.FORWARDED):
    """A disposition row as the dispositions service leaves it (this file tests reads only)."""
    Disposition.objects.create(
        report=report,
        unit=unit,
        due_at=report.submitted_at + timedelta(days=7),
        forwarded_by=by,
        forwarded_at=report.submitted_at + timedelta(hours=2),
    )
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


@pytest.fixture
def everyone(
    desk_operator,
    section_staff,
    kelurahan_staff,
    agency_liaison,
    camat,
    lurah,
    courier,
    administrator,
    outsider,
    superuser,
):
    return None


@pytest.fixture
def reports(
    submit, everyone, drainage, harjosari_i, sitirejo_ii, gedung_johor, dlh, amplas_trantib
):
    """Four reports: two in Harjosari I (to DLH, to Trantibum), one in Sitirejo II, one in Johor."""
    root = User.objects.get(username="root")
    to_dlh = forward(submit(title="Sampah gang Mawar"), dlh, by=root)
    to_trantib = forward(
        submit(title="Parkir liar", kelurahan_id=harjosari_i.pk, category_code=drainage.code),
        amplas_trantib,
        by=root,
    )
    sitirejo = submit(title="Parit tersumbat", kelurahan_id=sitirejo_ii.pk)
    johor = submit(title="Sampah Johor", kelurahan_id=gedung_johor.pk)
    return {"dlh": to_dlh, "trantib": to_trantib, "sitirejo": sitirejo, "johor": johor}


def titles(user, filters=None):
    return sorted(r.title for r in report_list_for_officer(user=user, filters=filters))


AMPLAS = ["Parit tersumbat", "Parkir liar", "Sampah gang Mawar"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", AMPLAS),
        ("administrator", AMPLAS),
        ("camat", AMPLAS),
        ("lurah", ["Parkir liar", "Sampah gang Mawar"]),
        ("kelurahan_staff", ["Parkir liar", "Sampah gang Mawar"]),
        ("agency_liaison", ["Sampah gang Mawar"]),
        ("section_staff", ["Parkir liar"]),
        ("courier", []),
        ("outsider", ["Sampah Johor"]),
        ("superuser", sorted([*AMPLAS, "Sampah Johor"])),
    ],
)
def test_each_persona_lists_exactly_their_reports(request, reports, persona, expected):
    user = request.getfixturevalue(persona)

    assert titles(user) == expected


def test_a_report_forwarded_twice_to_the_same_unit_is_listed_once(
    reports, agency_liaison, desk_operator, dlh
):
    report = reports["dlh"]
    Disposition.objects.filter(report=report).update(status="done")
    forward(report, dlh, by=desk_operator)

    assert titles(agency_liaison) == ["Sampah gang Mawar"]


def test_an_officer_gets_a_visible_report_by_id_or_tracking_number(reports, agency_liaison):
    report = reports["dlh"]

    by_id = report_get_for_officer(user=agency_liaison, report_id=report.pk)
    by_number = report_get_for_officer(
        user=agency_liaison, tracking_number=f" {report.tracking_number.lower()} "
    )

    assert by_id == by_number == report


@pytest.mark.parametrize(
    ("persona", "key"),
    [
        ("agency_liaison", "sitirejo"),
        ("lurah", "sitirejo"),
        ("section_staff", "dlh"),
        ("outsider", "dlh"),
        ("desk_operator", "johor"),
        ("courier", "dlh"),
    ],
)
def test_a_report_outside_the_scope_is_not_found(request, reports, persona, key):
    user = request.getfixturevalue(persona)

    with pytest.raises(NotFound) as raised:
        report_get_for_officer(user=user, report_id=reports[key].pk)

    assert str(raised.value) == "Laporan tidak ditemukan."


def test_a_missing_report_is_not_found_the_same_way(reports, desk_operator):
    with pytest.raises(NotFound) as raised:
        report_get_for_officer(user=desk_operator, tracking_number="L2611-9999")

    assert str(raised.value) == "Laporan tidak ditemukan."


def test_get_for_officer_loads_the_related_rows_in_two_queries(
    reports, desk_operator, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the scope, then the report with its relations
        report = report_get_for_officer(user=desk_operator, report_id=reports["dlh"].pk)
        assert report.kelurahan is not None
        assert report.reporter is not None
        assert (report.category.code, report.kelurahan.name, report.kecamatan.code) == (
            "kebersihan",
            "Harjosari I",
            "medan-amplas",
        )
        assert report.reporter.name == "Siti Aminah"
        assert report.assigned_to is None


# --- Filters ------------------------------------------------------------------------------


def test_filters_by_one_or_several_states(reports, desk_operator):
    Report.objects.filter(pk=reports["sitirejo"].pk).update(status=Status.ON_HOLD)

    assert titles(desk_operator, ReportFilters(status=Status.ON_HOLD)) == ["Parit tersumbat"]
    assert titles(desk_operator, ReportFilters(status=(Status.FORWARDED, "on_hold"))) == AMPLAS
    assert titles(desk_operator, ReportFilters(status=Status.NEW)) == []


def test_filters_by_category_kelurahan_channel_and_unit(
    reports, desk_operator, drainage, sitirejo_ii, dlh, amplas_trantib, submit
):
    submit(title="Lewat web", channel=Channel.WEB)

    assert titles(desk_operator, ReportFilters(category_id=drainage.pk)) == ["Parkir liar"]
    assert titles(desk_operator, ReportFilters(kelurahan_id=sitirejo_ii.pk)) == ["Parit tersumbat"]
    assert titles(desk_operator, ReportFilters(channel=Channel.WEB)) == ["Lewat web"]
    assert titles(desk_operator, ReportFilters(unit_id=dlh.pk)) == ["Sampah gang Mawar"]
    assert titles(desk_operator, ReportFilters(unit_id=amplas_trantib.pk)) == ["Parkir liar"]


def test_assigned_to_me_lists_only_the_officers_own(reports, desk_operator, camat):
    Report.objects.filter(pk=reports["trantib"].pk).update(assigned_to=desk_operator)

    assert titles(desk_operator, ReportFilters(assigned_to_me=True)) == ["Parkir liar"]
    assert titles(camat, ReportFilters(assigned_to_me=True)) == []


def test_search_matches_number_title_description_and_address_ignoring_case(
    reports, desk_operator, submit
):
    other = submit(
        title="Lampu mati", description="Lampu jalan padam sejak Senin.", address="Jl. Bajak II"
    )

    assert titles(desk_operator, ReportFilters(search="LAMPU JALAN")) == ["Lampu mati"]
    assert titles(desk_operator, ReportFilters(search="bajak")) == ["Lampu mati"]
    assert titles(desk_operator, ReportFilters(search=other.tracking_number[-4:])) == ["Lampu mati"]
    assert titles(desk_operator, ReportFilters(search="parit")) == ["Parit tersumbat"]
    assert titles(desk_operator, ReportFilters(search="gang mawar")) == AMPLAS  # the address
    assert titles(desk_operator, ReportFilters(search="   ")) == sorted([*AMPLAS, "Lampu mati"])


def test_the_list_is_newest_first_with_id_breaking_ties(submit, desk_operator):
    first = submit(title="a")
    second = submit(title="b")
    later = submit(title="c", submitted_at=MONDAY_MORNING + timedelta(hours=1))

    listed = list(report_list_for_officer(user=desk_operator))

    assert listed == [later, second, first]


# Verification is due 3 working days after Monday 2 Nov 10:00: Thursday 5 Nov 10:00 WIB.


@pytest.mark.parametrize(
    ("moment", "due_soon", "breached"),
    [
        ("2026-11-03 10:00:00+07:00", False, False),  # two working days left
        ("2026-11-04 10:00:00+07:00", True, False),  # exactly one working day left
        ("2026-11-05 09:59:00+07:00", True, False),
        ("2026-11-05 10:01:00+07:00", False, True),  # passed, no mark yet
    ],
)
def test_deadline_filters_follow_the_running_verification_clock(
    new_report, desk_operator, moment, due_soon, breached
):
    with freeze_time(moment):
        soon = titles(desk_operator, ReportFilters(deadline="due_soon"))
        late = titles(desk_operator, ReportFilters(deadline="breached"))

    assert (soon == [new_report.title], late == [new_report.title]) == (due_soon, breached)


def test_a_breach_mark_counts_as_breached_even_on_a_closed_report(new_report, desk_operator):
    Report.objects.filter(pk=new_report.pk).update(
        status=Status.CLOSED, verification_breached_at=datetime(2026, 11, 5, 10, 0, tzinfo=WIB)
    )

    with freeze_time("2026-11-03 10:00:00+07:00"):
        assert len(titles(desk_operator, ReportFilters(deadline="breached"))) == 1
        assert titles(desk_operator, ReportFilters(deadline="due_soon")) == []


def test_a_stopped_clock_is_neither_due_soon_nor_breached(new_report, desk_operator):
    Report.objects.filter(pk=new_report.pk).update(status=Status.VERIFIED)

    with freeze_time("2026-11-05 10:01:00+07:00"):
        assert titles(desk_operator, ReportFilters(deadline="breached")) == []


def test_an_overdue_disposition_makes_the_report_breached(reports, agency_liaison):
    Disposition.objects.filter(report=reports["dlh"]).update(
        due_at=datetime(2026, 11, 4, 10, 0, tzinfo=WIB)
    )

    with freeze_time("2026-11-03 12:00:00+07:00"):
        assert titles(agency_liaison, ReportFilters(deadline="due_soon")) == ["Sampah gang Mawar"]
    with freeze_time("2026-11-04 12:00:00+07:00"):
        assert titles(agency_liaison, ReportFilters(deadline="breached")) == ["Sampah gang Mawar"]


def inbox_rows(user):
    """Touch every field an inbox row shows, as the back-office template will."""
    scope = officer_scope_get(user=user)
    rows = []
    for report in report_list_for_officer(user=user, scope=scope):
        reporter = report_reporter_view(user=user, report=report, scope=scope)
        rows.append(
            (
                report.tracking_number,
                report.title,
                report.category.name,
                report.kelurahan.name if report.kelurahan else "",
                report.get_status_display(),
                report.get_channel_display(),
                report.submitted_at,
                report.verification_due_at,
                report.assigned_to.username if report.assigned_to else "",
                reporter.name,
                [d.unit.name for d in report.dispositions.all()],
            )
        )
    return rows


@pytest.mark.parametrize("count", [10, 50])
def test_the_inbox_costs_the_same_queries_for_10_or_50_reports(
    submit, desk_operator, dlh, django_assert_num_queries, count
):
    for number in range(count):
        report = submit(title=f"Laporan {number}")
        if number % 2:
            forward(report, dlh, by=desk_operator)
            Report.objects.filter(pk=report.pk).update(assigned_to=desk_operator)

    with django_assert_num_queries(3):  # scope, reports with joins, dispositions with units
        rows = inbox_rows(desk_operator)

    assert len(rows) == count


# --- Timeline -----------------------------------------------------------------------------


def test_the_timeline_hides_internal_events_unless_asked(new_report, desk_operator):
    event_append(
        report=new_report,
        kind=EventKind.NOTE,
        at=MONDAY_MORNING + timedelta(hours=1),
        actor=desk_operator,
        message="Cek dulu ke kepling.",
    )

    public = report_timeline(report=new_report, include_internal=False)
    internal = report_timeline(report=new_report, include_internal=True)

    assert [e.kind for e in public] == [EventKind.SUBMITTED]
    assert [(e.kind, e.message) for e in internal] == [
        (EventKind.SUBMITTED, "Laporan diterima melalui WhatsApp."),
        (EventKind.NOTE, "Cek dulu ke kepling."),
    ]


def test_the_timeline_loads_actors_units_and_attachments_in_two_queries(
    new_report, desk_operator, dlh, django_assert_num_queries
):
    for hour in range(1, 6):
        event_append(
            report=new_report,
            kind=EventKind.UPDATE,
            at=MONDAY_MORNING + timedelta(hours=hour),
            actor=desk_operator,
            unit=dlh,
            is_public=True,
            message=f"Kabar {hour}",
        )

    with django_assert_num_queries(2):
        events = report_timeline(report=new_report, include_internal=True)
        shown = [(e.actor and e.actor.username, e.unit and e.unit.name) for e in events]
        assert all(list(e.attachments.all()) == [] for e in events)

    assert shown[-1] == ("operator.amplas", "Dinas Lingkungan Hidup")
    assert len(shown) == 6


def test_the_public_timeline_carries_only_public_attachments(new_report):
    from telepati.reports.models import Attachment

    event = ReportEvent.objects.get(report=new_report)
    for name, shown in (("umum.jpg", True), ("rahasia.jpg", False)):
        Attachment.objects.create(
            report=new_report,
            event=event,
            kind="photo",
            file=f"reports/x/{name}",
            original_name=name,
            content_type="image/jpeg",
            size=10,
            sha256=name,
            extension=".jpg",
            is_public=shown,
        )

    public = report_timeline(report=new_report, include_internal=False)
    internal = report_timeline(report=new_report, include_internal=True)

    assert [a.original_name for a in public[0].attachments.all()] == ["umum.jpg"]
    assert [a.original_name for a in internal[0].attachments.all()] == ["umum.jpg", "rahasia.jpg"]


# --- Reporter identity --------------------------------------------------------------------

FULL = ("Siti Aminah", "+6281234567890", False, False)
MASKED = ("Siti Aminah", "+62 ••• •••• 7890", False, True)
HIDDEN = ("Pelapor anonim", "", True, False)


def seen(user, report):
    view = report_reporter_view(user=user, report=report)
    return (view.name, view.phone, view.is_hidden, view.is_masked)


@pytest.mark.parametrize(
    ("persona", "named", "anonymous"),
    [
        ("desk_operator", FULL, FULL),
        ("administrator", FULL, FULL),
        ("superuser", FULL, FULL),
        ("camat", MASKED, HIDDEN),
        ("lurah", MASKED, HIDDEN),
        ("kelurahan_staff", MASKED, HIDDEN),
        ("agency_liaison", MASKED, HIDDEN),
        ("courier", HIDDEN, HIDDEN),
    ],
)
def test_only_the_kecamatan_desk_sees_who_reported_anonymously(
    request, submit, everyone, dlh, persona, named, anonymous
):
    user = request.getfixturevalue(persona)
    plain = forward(submit(), dlh, by=request.getfixturevalue("superuser"))
    hidden = forward(submit(is_anonymous=True), dlh, by=request.getfixturevalue("superuser"))

    assert seen(user, plain) == named
    assert seen(user, hidden) == anonymous


def test_a_reporter_known_only_by_whatsapp_id_shows_no_number(submit, lurah):
    report = submit(reporter_phone="", reporter_wa_bsuid="ID.123", reporter_name="Budi")

    assert seen(lurah, report) == ("Budi", "", False, False)


# --- Residents and the public -------------------------------------------------------------


def test_a_resident_gets_their_own_report_and_a_followed_one(submit, new_report):
    reporter = new_report.reporter
    other = submit(reporter_phone="+6281298765432", reporter_name="Budi")
    ReportFollower.objects.create(report=other, citizen=reporter)

    assert report_get_for_citizen(tracking_number=new_report.tracking_number, citizen=reporter) == (
        new_report
    )
    assert report_get_for_citizen(tracking_number=other.tracking_number, citizen=reporter) == other


def test_a_resident_cannot_read_someone_elses_report(submit, new_report):
    stranger = Citizen.objects.create(name="Orang lain", phone="+6281311112222")

    with pytest.raises(NotFound):
        report_get_for_citizen(tracking_number=new_report.tracking_number, citizen=stranger)


@pytest.mark.parametrize(
    ("status", "confidential", "public"),
    [
        (Status.NEW, False, False),
        (Status.ON_HOLD, False, False),
        (Status.REJECTED, False, False),
        (Status.VERIFIED, False, True),
        (Status.FORWARDED, False, True),
        (Status.RESOLVED, False, True),
        (Status.CLOSED, False, True),
        (Status.VERIFIED, True, False),
    ],
)
def test_the_public_sees_accepted_reports_that_are_not_confidential(
    new_report, status, confidential, public
):
    fields: dict[str, Any] = {"status": status, "is_confidential": confidential}
    if status == Status.REJECTED:
        fields["rejection_reason"] = "Bukan wewenang kecamatan."
    Report.objects.filter(pk=new_report.pk).update(**fields)

    if public:
        assert report_get_public(tracking_number=new_report.tracking_number) == new_report
    else:
        with pytest.raises(NotFound):
            report_get_public(tracking_number=new_report.tracking_number)
