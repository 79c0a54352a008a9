"""The contacts admin: superusers look residents up by phone; nobody edits or deletes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.citizens.models import Citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(db) -> Citizen:
    return Citizen.objects.create(name="Siti Aminah", phone="+6281234567890")


@pytest.fixture
def budi(db) -> Citizen:
    return Citizen.objects.create(name="Budi Santoso", phone="+6281311112222")


def _search(client, term: str) -> list[str]:
    response = client.get(reverse("admin:citizens_citizen_changelist"), {"q": term})
    assert response.status_code == 200
    return sorted(c.name for c in response.context["cl"].queryset)


@pytest.mark.parametrize(
    "term", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "3456", "Siti"]
)
def test_a_superuser_finds_a_resident_by_phone_written_any_way(client, superuser, siti, budi, term):
    client.force_login(superuser)

    assert _search(client, term) == ["Siti Aminah"]


def test_the_contact_page_is_read_only_and_offers_no_delete(client, superuser, siti):
    client.force_login(superuser)

    page = client.get(reverse("admin:citizens_citizen_change", args=[siti.pk]))
    delete = client.get(reverse("admin:citizens_citizen_delete", args=[siti.pk]))
    add = client.get(reverse("admin:citizens_citizen_add"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False
    assert (delete.status_code, add.status_code) == (403, 403)
    assert Citizen.objects.filter(pk=siti.pk).exists()


def test_a_bulk_delete_is_not_offered(client, superuser, siti):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:citizens_citizen_changelist"),
        {"action": "delete_selected", "_selected_action": [siti.pk]},
    )

    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )
    assert Citizen.objects.filter(pk=siti.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("administrator", 403),  # staff of Amplas: the admin, but not this list
        ("outsider", 403),
        ("desk_operator", 302),  # not staff: sent to the admin login
    ],
)
def test_officers_do_not_see_resident_contacts(client, request, siti, persona, status_code):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:citizens_citizen_changelist"))

    assert response.status_code == status_code


def test_the_admin_index_does_not_list_contacts_for_a_kecamatan_administrator(
    client, administrator
):
    client.force_login(administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    apps = [app["app_label"] for app in response.context["app_list"]]
    assert "citizens" not in apps
