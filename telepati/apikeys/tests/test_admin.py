"""The API client admin: the key shown once, prefixes in the list, scoped by kecamatan."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from telepati.apikeys.models import ApiClient
from telepati.apikeys.services import api_client_authenticate, api_client_create

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:apikeys_apiclient_changelist"
ADD = "admin:apikeys_apiclient_add"


def test_creating_a_client_shows_its_key_once(client, administrator, amplas):
    client.force_login(administrator)

    response = client.post(
        reverse(ADD),
        {"name": "Medan Rumah Kita", "kecamatan": amplas.pk, "rate": "120/m", "can_write": "on"},
        follow=True,
    )

    made = ApiClient.objects.get()
    texts = [str(m) for m in response.context["messages"]]
    shown = [t for t in texts if t.startswith("Kunci API untuk Medan Rumah Kita: ")]
    assert len(shown) == 1
    found = re.search(r": (\S+) — salin sekarang", shown[0])
    assert found is not None
    key = found.group(1)
    assert api_client_authenticate(key=key) == made
    assert (made.rate, made.created_by, made.kecamatan) == ("120/m", administrator, amplas)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert made.key_prefix in page
    assert key not in page
    assert made.key_digest not in page
    assert (
        key
        not in client.get(
            reverse("admin:apikeys_apiclient_change", args=[made.pk])
        ).content.decode()
    )


def test_a_bad_rate_keeps_the_form_with_a_message(client, administrator, amplas):
    client.force_login(administrator)

    response = client.post(
        reverse(ADD), {"name": "Aplikasi", "kecamatan": amplas.pk, "rate": "cepat"}
    )

    assert response.status_code == 200
    assert "Tulis batas seperti 60/m, 1000/h atau 10000/d." in response.content.decode()
    assert ApiClient.objects.count() == 0


def test_administrators_see_only_their_kecamatans_clients(
    client, administrator, outsider, amplas, johor, superuser
):
    api_client_create(actor=administrator, name="Klien Amplas", kecamatan=amplas)
    api_client_create(actor=outsider, name="Klien Johor", kecamatan=johor)

    def listed(user) -> list[str]:
        client.force_login(user)
        response = client.get(reverse(CHANGELIST))
        return sorted(c.name for c in response.context["cl"].result_list)

    assert listed(administrator) == ["Klien Amplas"]
    assert listed(outsider) == ["Klien Johor"]
    assert listed(superuser) == ["Klien Amplas", "Klien Johor"]


def test_an_administrator_may_not_issue_a_key_for_another_kecamatan(client, administrator, johor):
    client.force_login(administrator)

    response = client.post(
        reverse(ADD), {"name": "Aplikasi", "kecamatan": johor.pk, "rate": "60/m"}
    )

    assert response.status_code == 200
    assert ApiClient.objects.count() == 0


def test_the_revoke_action_switches_keys_off(client, administrator, amplas):
    made, key = api_client_create(actor=administrator, name="A", kecamatan=amplas)
    client.force_login(administrator)

    client.post(
        reverse(CHANGELIST),
        {"action": "revoke_selected", "_selected_action": [made.pk]},
    )

    assert api_client_authenticate(key=key) is None
    made.refresh_from_db()
    assert made.is_active is False
