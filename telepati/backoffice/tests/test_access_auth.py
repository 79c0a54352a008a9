"""`officer_view` and the pages of the sign-in area, for every persona."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from telepati.accounts.capabilities import Capability
from telepati.accounts.tests.factories import UserFactory
from telepati.backoffice.access import officer_view
from telepati.backoffice.tests.test_auth_support import (
    HOME,
    LOGIN,
    SECURITY,
    assert_redirects_to_login,
)
from telepati.core.errors import Forbidden, NotFound

pytestmark = pytest.mark.django_db

OFFICERS = [
    "desk_operator",
    "section_staff",
    "kelurahan_staff",
    "agency_liaison",
    "camat",
    "lurah",
    "courier",
]
ADMINISTRATORS = ["administrator", "outsider", "superuser"]
NO_ROLE = "Akun Anda belum memiliki peran aktif. Hubungi administrator kecamatan."


@pytest.mark.parametrize("path", [HOME, SECURITY])
def test_anonymous_visitor_is_sent_to_login(client, db, path):
    assert_redirects_to_login(client.get(path), path)


@pytest.mark.parametrize("path", [LOGIN, "/kantor/masuk/verifikasi/"])
def test_sign_in_pages_open_without_an_account(client, db, path):
    response = client.get(path)

    assert response.status_code == (200 if path == LOGIN else 302)


@pytest.mark.parametrize("persona", OFFICERS + ADMINISTRATORS)
@pytest.mark.parametrize("path", [HOME, SECURITY])
def test_every_persona_opens_the_pages_when_two_factors_are_not_demanded(
    client, request, persona, path
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(path).status_code == 200


@pytest.mark.parametrize("persona", OFFICERS)
def test_officers_open_home_and_security_without_a_second_factor(
    client, request, settings, persona
):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    client.force_login(request.getfixturevalue(persona))

    assert client.get(HOME).status_code == 200
    assert client.get(SECURITY).status_code == 200


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_administrators_without_a_second_factor_only_reach_enrolment(
    client, request, settings, persona
):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    client.force_login(request.getfixturevalue(persona))

    assert client.get(HOME)["Location"] == f"{SECURITY}?next=%2Fkantor%2F"
    assert client.get(SECURITY).status_code == 200


@pytest.mark.parametrize("path", [HOME, SECURITY])
def test_user_without_an_active_role_gets_403(client, territory, path):
    client.force_login(UserFactory.create(username="tanpa.peran"))

    response = client.get(path)

    assert response.status_code == 403
    assert NO_ROLE in response.content.decode()


def _call(view, user):
    request = RequestFactory().get("/kantor/contoh/")
    request.user = user
    return view(request)


def test_missing_capability_gives_403(camat):
    view = officer_view(Capability.DELIVER_DOCUMENTS)(lambda request: HttpResponse("ok"))

    response = _call(view, camat)

    assert response.status_code == 403
    assert "Peran Anda tidak berwenang membuka halaman ini." in response.content.decode()


def test_unverified_administrator_is_redirected_before_the_capability_check(
    administrator, settings
):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    view = officer_view(Capability.DELIVER_DOCUMENTS)(lambda request: HttpResponse("ok"))

    response = _call(view, administrator)

    assert response.status_code == 302
    assert response["Location"] == f"{SECURITY}?next=%2Fkantor%2Fcontoh%2F"


def test_view_receives_the_scope_and_domain_errors_become_pages(camat):
    def not_found(request):
        raise NotFound("tidak ada")

    def forbidden(request):
        raise Forbidden("Tidak boleh.")

    seen = []

    def ok_view(request):
        seen.append(request.officer_scope)
        return HttpResponse("ok")

    ok = officer_view()(ok_view)

    assert _call(ok, camat).status_code == 200
    assert seen[0].user_id == camat.pk
    with pytest.raises(Exception, match="tidak ada"):
        _call(officer_view()(not_found), camat)
    denied = _call(officer_view()(forbidden), camat)
    assert denied.status_code == 403
    assert "Tidak boleh." in denied.content.decode()
