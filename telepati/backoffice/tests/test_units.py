"""The unit portal: who sees which dispositions, what the page shows, and how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from telepati.backoffice.tests.test_units_support import (  # noqa: F401
    WASTE,
    _roads_liaison,
    _roads_staff,
    _sanitation,
    _submit,
    _to_dlh,
    _to_roads,
    dispositions_copy,
    forward,
    page_queries,
)
from telepati.reports.models import Disposition, DispositionStatus
from telepati.reports.services.notes import report_note_add
from telepati.reports.services.unit_work import disposition_update

INBOX = reverse("backoffice:unit_inbox")


def detail_url(disposition: Disposition) -> str:
    return reverse("backoffice:unit_detail", kwargs={"disposition_id": disposition.pk})


def number(disposition: Disposition) -> str:
    return disposition.report.tracking_number


# --- Who sees what --------------------------------------------------------------------


def test_the_dlh_liaison_sees_the_dispositions_of_dlh_only(
    client, agency_liaison, to_dlh, to_roads
):
    client.force_login(agency_liaison)

    response = client.get(INBOX)

    assert response.status_code == 200
    content = response.content.decode()
    assert number(to_dlh) in content
    assert number(to_roads) not in content
    assert detail_url(to_dlh) in content


def test_the_roads_liaison_neither_lists_nor_opens_a_dlh_disposition(
    client, roads_liaison, to_dlh, to_roads
):
    client.force_login(roads_liaison)

    listing = client.get(INBOX).content.decode()
    page = client.get(detail_url(to_dlh))

    assert number(to_roads) in listing
    assert number(to_dlh) not in listing
    assert page.status_code == 404
    assert WASTE not in page.content.decode()


# The kecamatan desk (operator, administrator, camat) works from the report inbox; the unit
# portal shows them only what was forwarded to their own unit — here nothing. A lurah or a
# section sees its own unit's dispositions the same way. The outsider (Medan Johor) sees none.
@pytest.mark.parametrize(
    ("persona", "list_shows", "detail_status"),
    [
        ("agency_liaison", True, 200),
        ("superuser", True, 200),
        ("desk_operator", False, 404),
        ("administrator", False, 404),
        ("camat", False, 404),
        ("lurah", False, 404),
        ("section_staff", False, 404),
        ("kelurahan_staff", False, 404),
        ("outsider", False, 404),
    ],
)
def test_each_persona_sees_the_unit_portal_for_their_own_units(
    client, request, to_dlh, persona, list_shows, detail_status
):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(INBOX)
    page = client.get(detail_url(to_dlh))

    assert listing.status_code == 200
    assert (number(to_dlh) in listing.content.decode()) is list_shows
    assert page.status_code == detail_status
    if detail_status == 404:
        assert WASTE not in page.content.decode()


def test_a_courier_is_refused_the_unit_portal_without_any_data(client, courier, to_dlh):
    client.force_login(courier)

    listing = client.get(INBOX)
    page = client.get(detail_url(to_dlh))

    assert (listing.status_code, page.status_code) == (403, 403)
    assert number(to_dlh) not in listing.content.decode() + page.content.decode()


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, to_dlh):
    response = client.get(detail_url(to_dlh))

    assert response.status_code == 302
    assert number(to_dlh) not in response.content.decode()


def test_a_section_sees_what_the_desk_forwarded_to_it(
    client,
    submit,
    desk_operator,
    section_staff,
    amplas_trantib,
):
    (disposition,) = forward(submit(), desk_operator, amplas_trantib)
    client.force_login(section_staff)

    assert number(disposition) in client.get(INBOX).content.decode()
    assert client.get(detail_url(disposition)).status_code == 200


# --- The page -------------------------------------------------------------------------


def test_the_unit_sees_the_reporter_with_a_masked_number_only(client, agency_liaison, to_dlh):
    client.force_login(agency_liaison)

    content = client.get(detail_url(to_dlh)).content.decode()

    assert "Siti Aminah · +62 ••• •••• 7890" in content
    assert "81234567890" not in content


def test_the_unit_sees_an_anonymous_reporter_as_anonymous(
    client,
    submit,
    desk_operator,
    dlh,
    agency_liaison,
):
    report = submit(is_anonymous=True)
    (disposition,) = forward(report, desk_operator, dlh)
    client.force_login(agency_liaison)

    content = client.get(detail_url(disposition)).content.decode()

    assert "Pelapor anonim" in content
    assert "Siti Aminah" not in content
    assert "7890" not in content


def test_the_page_shows_public_events_and_the_units_own_but_not_others_internal_notes(
    client,
    submit,
    desk_operator,
    dlh,
    roads_agency,
    roads_staff,
    agency_liaison,
):
    report = submit()
    to_dlh_, to_roads_ = forward(report, desk_operator, dlh, roads_agency)
    report_note_add(user=desk_operator, report_id=report.pk, message="Catatan meja: pelapor rewel")
    disposition_update(
        user=agency_liaison,
        disposition_id=to_dlh_.pk,
        message="Truk dijadwalkan besok pagi.",
        is_public=False,
    )
    disposition_update(
        user=roads_staff,
        disposition_id=to_roads_.pk,
        message="Cek parit internal SDABMBK",
        is_public=False,
    )
    client.force_login(agency_liaison)

    content = client.get(detail_url(to_dlh_)).content.decode()

    assert "Truk dijadwalkan besok pagi." in content
    assert "Diteruskan ke Dinas Lingkungan Hidup, Dinas SDABMBK." in content
    assert "Catatan meja" not in content
    assert "Cek parit internal SDABMBK" not in content
    assert (
        "https://www.google.com/maps/search/?api=1&amp;query=Jl.%20Garu%20II%2C%20gang%20Mawar"
        in content
    )


def test_the_page_offers_only_the_actions_allowed_now(client, agency_liaison, to_dlh):
    client.force_login(agency_liaison)

    pending = client.get(detail_url(to_dlh)).content.decode()
    Disposition.objects.filter(pk=to_dlh.pk).update(status=DispositionStatus.DONE)
    done = client.get(detail_url(to_dlh)).content.decode()

    for label in (
        "Tandai diterima",
        "Kirim pembaruan",
        "Tandai selesai",
        "Kembalikan (bukan wewenang)",
    ):
        assert label in pending
        assert label not in done


# --- Filters and pages ----------------------------------------------------------------


def test_the_deadline_filters_use_the_dispositions_due_date(client, agency_liaison, to_dlh):
    others = dispositions_copy(to_dlh, 2)
    moment = timezone.now()
    Disposition.objects.filter(pk=others[0].pk).update(due_at=moment - timedelta(hours=1))
    Disposition.objects.filter(pk=others[1].pk).update(due_at=moment + timedelta(minutes=30))
    Disposition.objects.filter(pk=to_dlh.pk).update(due_at=moment + timedelta(days=20))
    client.force_login(agency_liaison)

    breached = client.get(INBOX, {"batas": "breached"}).content.decode()
    due_soon = client.get(INBOX, {"batas": "due_soon"}).content.decode()

    assert ("T000000" in breached, "T000001" in breached, number(to_dlh) in breached) == (
        True,
        False,
        False,
    )
    assert ("T000000" in due_soon, "T000001" in due_soon, number(to_dlh) in due_soon) == (
        False,
        True,
        False,
    )


def test_the_status_filter_shows_finished_dispositions_on_request(client, agency_liaison, to_dlh):
    Disposition.objects.filter(pk=to_dlh.pk).update(status=DispositionStatus.DONE)
    client.force_login(agency_liaison)

    assert number(to_dlh) not in client.get(INBOX).content.decode()
    assert number(to_dlh) in client.get(INBOX, {"status": "done"}).content.decode()
    assert number(to_dlh) in client.get(INBOX, {"status": "all"}).content.decode()


def test_the_inbox_pages_by_due_date_without_repeating_rows(client, agency_liaison, to_dlh):
    dispositions_copy(to_dlh, 29)
    client.force_login(agency_liaison)

    first = client.get(INBOX)
    cursor = first.context["page"].next_cursor
    second = client.get(INBOX, {"setelah": cursor})

    first_ids = [d.pk for d in first.context["page"].items]
    second_ids = [d.pk for d in second.context["page"].items]
    assert (len(first_ids), len(second_ids)) == (25, 5)
    assert not set(first_ids) & set(second_ids)
    assert second.context["page"].next_cursor is None
    assert client.get(INBOX, {"setelah": "rusak!"}).context["page"].items[0].pk == first_ids[0]


def test_the_inbox_takes_the_same_queries_for_10_or_1000_dispositions(
    client, agency_liaison, to_dlh
):
    dispositions_copy(to_dlh, 9)
    client.force_login(agency_liaison)
    few = page_queries(client, INBOX)
    dispositions_copy(to_dlh, 990)

    many = page_queries(client, INBOX)

    # user, scope, the page of dispositions (with report, category, kelurahan, unit)
    assert (len(few), len(many)) == (3, 3)


def test_the_page_takes_the_same_queries_however_many_dispositions_exist(
    client, agency_liaison, to_dlh
):
    dispositions_copy(to_dlh, 9)
    client.force_login(agency_liaison)
    few = page_queries(client, detail_url(to_dlh))
    dispositions_copy(to_dlh, 990)

    many = page_queries(client, detail_url(to_dlh))

    # user, scope, disposition with report, other units still open, timeline, photos
    assert (len(few), len(many)) == (6, 6)
