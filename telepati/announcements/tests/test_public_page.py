"""The public /langganan/ page: topics and a WhatsApp hand-over, never residents' data."""

from __future__ import annotations

import pytest

from telepati.announcements.tests.conftest import citizen_make

pytestmark = [pytest.mark.django_db, pytest.mark.urls("telepati.announcements.tests.urls")]


def test_the_page_lists_the_topics_and_hands_over_to_whatsapp(client, settings):
    settings.TELEPATI_WA_CENTER_NUMBER = "+62 811-2233-4455"

    html = client.get("/langganan/").content.decode()

    for name in ("Jadwal vaksinasi", "Info banjir &amp; drainase", "Pelatihan UMKM"):
        assert name in html
    assert 'href="https://wa.me/6281122334455?text=langganan"' in html
    assert "Dengan mengirim pesan sendiri, Anda membuktikan bahwa nomor itu milik Anda." in html


def test_the_page_carries_no_personal_data_of_subscribers(client, subscribe, harjosari_i):
    people = [citizen_make(n, name=f"Butet Siregar {n}") for n in range(5)]
    for person in people:
        subscribe(person, "info-banjir-drainase", kelurahan=harjosari_i)

    response = client.get("/langganan/")

    html = response.content.decode()
    assert response.status_code == 200
    for person in people:
        assert person.name not in html
        assert person.phone not in html
        assert str(person.phone)[-4:] not in html
    assert "Harjosari" not in html  # not even where subscribers live


def test_without_a_configured_number_the_page_still_explains_how(client, settings):
    settings.TELEPATI_WA_CENTER_NUMBER = ""

    html = client.get("/langganan/").content.decode()

    assert "wa.me" not in html
    assert "Kirim pesan <strong>langganan</strong> ke WhatsApp kecamatan" in html
