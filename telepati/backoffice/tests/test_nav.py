"""The back-office menu: which entries each persona sees, decided by capability.

The table covers the complaint, conversation, document and account entries; areas that add
their own entries (announcements, dashboard, counter …) test those next to their pages, so
the menu is compared on the entries listed here.
"""

from __future__ import annotations

import pytest

from telepati.accounts.selectors import officer_scope_get
from telepati.backoffice.nav import NAV, nav_for

pytestmark = pytest.mark.django_db

HOME = "backoffice:home"
REPORTS = "backoffice:report_inbox"
UNITS = "backoffice:unit_inbox"
CONVERSATIONS = "backoffice:conversations"
DOCUMENTS = "backoffice:document_desk"
IMPORT = "backoffice:document_import"
COURIER = "backoffice:courier_day"
SECURITY = "backoffice:account_security"
ADMIN = "admin:index"

KNOWN = (HOME, REPORTS, UNITS, CONVERSATIONS, DOCUMENTS, IMPORT, COURIER, SECURITY, ADMIN)

MENUS = {
    "desk_operator": [HOME, REPORTS, UNITS, CONVERSATIONS, DOCUMENTS, IMPORT, SECURITY],
    "section_staff": [HOME, REPORTS, UNITS, DOCUMENTS, IMPORT, SECURITY],
    "kelurahan_staff": [HOME, REPORTS, UNITS, DOCUMENTS, IMPORT, SECURITY],
    "agency_liaison": [HOME, REPORTS, UNITS, SECURITY],
    "camat": [HOME, REPORTS, UNITS, SECURITY],
    "lurah": [HOME, REPORTS, UNITS, SECURITY],
    "courier": [HOME, COURIER, SECURITY],
    "administrator": [HOME, REPORTS, UNITS, CONVERSATIONS, DOCUMENTS, IMPORT, SECURITY, ADMIN],
    # Capabilities are the same in another kecamatan; the pages narrow what they show.
    "outsider": [HOME, REPORTS, UNITS, CONVERSATIONS, DOCUMENTS, IMPORT, SECURITY, ADMIN],
    "superuser": list(KNOWN),
}


def menu(user) -> list[str]:
    return [
        link.url_name for link in nav_for(officer_scope_get(user=user)) if link.url_name in KNOWN
    ]


@pytest.mark.parametrize("persona", sorted(MENUS))
def test_each_persona_sees_the_menu_entries_of_their_capabilities(request, persona):
    assert menu(request.getfixturevalue(persona)) == MENUS[persona]


def test_an_officer_without_an_active_membership_sees_only_home_and_account_security(
    django_user_model,
):
    user = django_user_model.objects.create_user(username="tanpa.unit", password="x")

    assert menu(user) == [HOME, SECURITY]


def test_every_entry_of_the_table_is_wired():
    assert {entry.url_name for entry in NAV} >= set(KNOWN)


def test_the_menu_links_carry_their_labels_and_urls(camat):
    links = [link for link in nav_for(officer_scope_get(user=camat)) if link.url_name in KNOWN]

    assert [(link.label, link.url) for link in links] == [
        ("Beranda", "/kantor/"),
        ("Laporan masuk", "/kantor/laporan/"),
        ("Disposisi unit", "/kantor/unit/"),
        ("Keamanan akun", "/kantor/akun/keamanan/"),
    ]


@pytest.mark.parametrize("persona", ["lurah", "camat"])
def test_a_leader_finds_the_unit_portal_in_the_menu_and_opens_it(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    page = client.get("/kantor/").content.decode()

    assert '<a href="/kantor/unit/">Disposisi unit</a>' in page
    assert client.get("/kantor/unit/").status_code == 200


def test_the_courier_menu_has_no_complaint_entries(client, courier):
    client.force_login(courier)

    page = client.get("/kantor/").content.decode()

    assert "Disposisi unit" not in page
    assert "Laporan masuk" not in page
    assert '<a href="/kantor/dokumen/antar/">Pengantaran hari ini</a>' in page
