"""The Django admin demands a second factor from administrators and superusers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from freezegun import freeze_time

from telepati.backoffice.auth.admin_site import TelepatiAdminSite
from telepati.backoffice.tests.test_auth_support import (
    LOGIN,
    SECURITY,
    VERIFY,
    device_code,
    enrol,
    sign_in,
)

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00:00+07:00"


@pytest.fixture(autouse=True)
def admin_2fa_required(settings):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True


def test_the_default_admin_site_is_telepatis_and_keeps_its_titles():
    import config.urls  # noqa: F401 (sets the titles)

    assert isinstance(admin.site, TelepatiAdminSite)
    assert admin.site.name == "admin"
    assert admin.site.site_header == "TELEPATI — Administrasi"


def test_anonymous_admin_visit_goes_to_the_back_office_login(client, db):
    first = client.get("/admin/")
    second = client.get(first["Location"])

    assert first["Location"] == "/admin/login/?next=/admin/"
    assert second["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_administrator_with_password_only_is_sent_to_enrolment(client, administrator):
    client.force_login(administrator)

    first = client.get("/admin/")
    second = client.get(first["Location"])

    assert first["Location"] == "/admin/login/?next=/admin/"
    assert second["Location"] == f"{SECURITY}?next=%2Fadmin%2F"


def test_administrator_with_an_app_is_asked_for_a_code(client, administrator):
    enrol(administrator)
    client.force_login(administrator)

    response = client.get("/admin/login/?next=/admin/org/unit/")

    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Forg%2Funit%2F"


def test_unverified_superuser_is_refused(client, superuser):
    client.force_login(superuser)

    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_administrator_signed_in_with_a_code_opens_the_admin(client, administrator):
    with freeze_time(START) as frozen:
        device, _codes = enrol(administrator)
        sign_in(client, administrator, next="/admin/")
        frozen.tick(30)
        verified = client.post(VERIFY, {"code": device_code(device), "next": "/admin/"})

        response = client.get("/admin/")

    assert verified["Location"] == "/admin/"
    assert response.status_code == 200
    assert "TELEPATI — Administrasi" in response.content.decode()


def test_staff_who_is_not_an_administrator_needs_no_second_factor(client, desk_operator):
    desk_operator.is_staff = True
    desk_operator.save()
    client.force_login(desk_operator)

    assert client.get("/admin/").status_code == 200


def test_signed_in_user_without_admin_rights_gets_a_clear_refusal(client, camat):
    client.force_login(camat)

    response = client.get("/admin/login/")

    assert response.status_code == 403
    assert "Akun Anda tidak berwenang membuka halaman administrasi." in response.content.decode()
