"""Announcement pages: who may open them, compose with the live count, send, progress,
cancel, masked numbers, and the query count of the progress page."""

# Fixtures imported from the announcements domain's tests are pytest fixtures: their names
# come back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telepati.announcements.lifecycle import Status
from telepati.announcements.models import Announcement, AnnouncementRecipient
from telepati.announcements.tests.conftest import (  # noqa: F401
    citizen_make,
    draft,
    subscribe,
    template,
    topics,
)
from telepati.citizens.models import Citizen
from telepati.core.phone import mask_phone
from telepati.messaging.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:announcement_list")
COMPOSE = reverse("backoffice:announcement_compose")
COUNT = reverse("backoffice:announcement_count")
PARAMS = reverse("backoffice:announcement_params")


def detail_url(announcement: Announcement) -> str:
    return reverse("backoffice:announcement_detail", args=[announcement.pk])


class _NoJob:
    @staticmethod
    def enqueue(**kwargs):
        return None


@pytest.fixture
def no_delivery(monkeypatch):
    monkeypatch.setattr("telepati.messaging.tasks.deliver_message", _NoJob())


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desk_operator", 200),
        ("administrator", 200),
        ("superuser", 200),
        ("camat", 403),
        ("lurah", 403),
        ("section_staff", 403),
        ("kelurahan_staff", 403),
        ("agency_liaison", 403),
        ("courier", 403),
    ],
)
def test_each_persona_on_the_announcement_pages(client, request, persona, status, draft):
    announcement = draft(request.getfixturevalue("desk_operator"))
    client.force_login(request.getfixturevalue(persona))

    pages = [LIST, COMPOSE, detail_url(announcement), f"{COUNT}?topics=1", PARAMS]

    assert [client.get(url).status_code for url in pages] == [status] * len(pages)


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(LIST)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/kantor/masuk/?next={LIST}",
    )


def test_an_officer_of_another_kecamatan_sees_none_of_amplas_announcements(
    client, desk_operator, outsider, draft
):
    announcement = draft(desk_operator)
    client.force_login(outsider)

    assert "Gotong royong parit" not in client.get(LIST).content.decode()
    assert client.get(detail_url(announcement)).status_code == 404
    post = client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))
    assert post.status_code == 404
    announcement.refresh_from_db()
    assert announcement.status == Status.DRAFT


def test_the_template_choice_shows_its_parameter_fields(client, desk_operator, template):
    client.force_login(desk_operator)

    html = client.get(PARAMS, {"template": template.pk}).content.decode()

    assert 'name="param_1"' in html
    assert 'name="param_2"' in html
    assert '<label for="id_param_1">Kegiatan:</label>' in html
    assert '<label for="id_param_2">Waktu:</label>' in html


def test_the_live_count_counts_distinct_subscribers_of_the_chosen_topics_and_kelurahan(
    client, desk_operator, subscribe, topics, harjosari_i, sitirejo_ii
):
    both = citizen_make(1)
    subscribe(both, "info-banjir-drainase", "pengumuman-umum", kelurahan=harjosari_i)
    subscribe(citizen_make(2), "info-banjir-drainase", kelurahan=sitirejo_ii)
    subscribe(citizen_make(3), "info-banjir-drainase")  # the whole kecamatan
    client.force_login(desk_operator)
    flood, general = topics["info-banjir-drainase"].pk, topics["pengumuman-umum"].pk

    everywhere = client.get(COUNT, {"topics": [flood, general]}).content.decode()
    harjosari = client.get(COUNT, {"topics": [flood], "kelurahan": [harjosari_i.pk]})

    assert "Akan dikirim ke 3 warga yang berlangganan." in everywhere
    assert "Akan dikirim ke 2 warga yang berlangganan." in harjosari.content.decode()


def test_composing_saves_a_draft_and_a_refused_form_keeps_what_was_typed(
    client, desk_operator, template, topics
):
    client.force_login(desk_operator)
    data = {
        "title": "Vaksinasi anak",
        "template": template.pk,
        "param_1": "Imunisasi campak",
        "param_2": "",
        "topics": [topics["jadwal-vaksinasi"].pk],
    }

    refused = client.post(COMPOSE, data)

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Isi Waktu." in html
    assert 'value="Imunisasi campak"' in html
    assert 'value="Vaksinasi anak"' in html
    assert Announcement.objects.count() == 0

    data["param_2"] = "Sabtu, 7 November 2026 di Puskesmas Amplas"
    response = client.post(COMPOSE, data)

    announcement = Announcement.objects.get()
    assert response["Location"] == detail_url(announcement)
    assert (announcement.status, announcement.params) == (
        Status.DRAFT,
        ["Imunisasi campak", "Sabtu, 7 November 2026 di Puskesmas Amplas"],
    )
    page = client.get(response["Location"]).content.decode()
    assert "Draf pengumuman disimpan. Periksa isinya, lalu tekan Kirim." in page
    assert "Imunisasi campak pada Sabtu, 7 November 2026 di Puskesmas Amplas." in page


def test_sending_shows_progress_with_masked_numbers_and_cancel_stops_what_waits(
    client, desk_operator, draft, subscribe, no_delivery, django_capture_on_commit_callbacks
):
    people = [citizen_make(n, name=f"Rahmat Hidayat {n}") for n in range(3)]
    for person in people:
        subscribe(person, "info-banjir-drainase")
    announcement = draft(desk_operator)
    client.force_login(desk_operator)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("backoffice:announcement_send", args=[announcement.pk]),
            {"expected_version": "1"},
        )
    OutboundMessage.objects.filter(recipient_phone=people[0].phone).update(
        status=MessageStatus.DELIVERED
    )
    page = client.get(sent["Location"]).content.decode()

    assert "Pengumuman sedang dikirim ke 3 warga." in page
    assert "1 dari 3 pesan selesai (3 disiapkan)" in page
    assert 'hx-trigger="every 2s"' in page  # two messages still wait
    for person in people:
        assert mask_phone(str(person.phone)) in page
        assert person.phone not in page
        assert person.name not in page

    cancelled = client.post(
        reverse("backoffice:announcement_cancel", args=[announcement.pk]),
        {"expected_version": "2"},
    )
    page = client.get(cancelled["Location"]).content.decode()

    assert "Pengumuman dibatalkan. 2 pesan yang belum terkirim tidak akan dikirim" in page
    assert sorted(OutboundMessage.objects.values_list("status", flat=True)) == [
        MessageStatus.CANCELLED,
        MessageStatus.CANCELLED,
        MessageStatus.DELIVERED,
    ]
    assert 'hx-trigger="every 2s"' not in page


def test_a_stale_send_button_is_refused_with_a_message(client, desk_operator, draft, subscribe):
    subscribe(citizen_make(1), "info-banjir-drainase")
    announcement = draft(desk_operator)
    client.force_login(desk_operator)

    response = client.post(
        reverse("backoffice:announcement_send", args=[announcement.pk]),
        {"expected_version": "7"},
        follow=True,
    )

    assert "Pengumuman ini baru saja diubah orang lain." in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.status == Status.DRAFT


def _recipients(announcement: Announcement, n: int, start: int) -> None:
    citizens = Citizen.objects.bulk_create(
        Citizen(phone=f"+62814{start + i:08d}", name=f"Warga {i}") for i in range(n)
    )
    messages = OutboundMessage.objects.bulk_create(
        OutboundMessage(
            dedupe_key=f"announcement:{announcement.pk}:{c.pk}",
            recipient_phone=c.phone or "",
            text="Pengumuman",
            reference=f"announcement:{announcement.pk}:{c.pk}",
            status=MessageStatus.SENT,
        )
        for c in citizens
    )
    AnnouncementRecipient.objects.bulk_create(
        AnnouncementRecipient(announcement=announcement, citizen=c, message=m)
        for c, m in zip(citizens, messages, strict=True)
    )


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, headers=headers).status_code == 200
    return len(context.captured_queries)


def test_the_progress_page_costs_the_same_queries_for_10_or_1000_recipients(
    client, desk_operator, draft
):
    announcement = draft(desk_operator)
    Announcement.objects.filter(pk=announcement.pk).update(status=Status.SENDING)
    client.force_login(desk_operator)
    client.get(LIST)  # the first request of a session saves it
    url = detail_url(announcement)
    _recipients(announcement, 10, start=0)
    few = (_queries(client, url), _queries(client, url, HX_Request="true"))
    _recipients(announcement, 990, start=10000)
    many = (_queries(client, url), _queries(client, url, HX_Request="true"))

    assert few == many
    page = client.get(url).content.decode()
    assert "1000 dari 1000 pesan selesai" in page
    assert "Halaman 1 dari 20" in page
