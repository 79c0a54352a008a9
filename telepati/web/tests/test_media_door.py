"""The media door itself: names that try to escape, unknown files, methods, the second
factor, and the nginx hand-off (TELEPATI_MEDIA_ACCEL_REDIRECT)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from freezegun import freeze_time

from telepati.backoffice.tests.test_auth_support import VERIFY, device_code, enrol, sign_in
from telepati.core.media_access import media_name_clean, media_owners
from telepati.core.workdays import WIB
from telepati.reports.models import Attachment
from telepati.reports.services.media import upload_prepare
from telepati.web.tests.test_media_support import *  # noqa: F403
from telepati.web.tests.test_media_support import NOT_FOUND, body, fetch, photo_of

START = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    "name",
    [
        "reports/../../config/settings.py",
        "reports/./ab/x.jpg",
        "reports//ab/x.jpg",
        "/etc/passwd",
        "reports\\ab\\x.jpg",
        "reports/ab/",
        "..",
        "",
        "a" * 300,
    ],
)
def test_names_that_could_leave_the_media_folder_are_refused(name):
    assert media_name_clean(name) is None


def test_a_plain_storage_name_is_accepted():
    assert media_name_clean("reports/ab/abcdef.jpg") == "reports/ab/abcdef.jpg"


@pytest.mark.parametrize(
    "path",
    [
        "/media/reports/../reports/ab/x.jpg",
        "/media/reports/%2e%2e/%2e%2e/config/settings.py",
        "/media/reports%5c..%5c..%5cconfig%5csettings.py",
        "/media/%2fetc/passwd",
    ],
)
def test_traversal_attempts_answer_not_found(client, superuser, path):
    client.force_login(superuser)

    assert client.get(path).status_code == NOT_FOUND


def test_a_file_in_storage_that_no_row_owns_is_not_served(client, superuser, db):
    """Only names a file field holds are served, whatever else lies in the folder."""
    name = default_storage.save("reports/zz/stray.jpg", ContentFile(b"\xff\xd8 stray"))
    client.force_login(superuser)

    assert client.get(f"/media/{name}").status_code == NOT_FOUND


@pytest.mark.parametrize("prefix", ["reports", "documents/delivery/2026/11", "whatsapp/2026/11"])
def test_an_unknown_file_answers_not_found_even_to_a_superuser(client, superuser, prefix):
    client.force_login(superuser)

    assert client.get(f"/media/{prefix}/tidak-ada.jpg").status_code == NOT_FOUND


def test_a_row_whose_file_went_missing_answers_not_found(client, photo_report, superuser):
    photo = photo_of(photo_report(color=(1, 2, 3)))
    default_storage.delete(photo.file.name)
    client.force_login(superuser)

    assert client.get(photo.file.url).status_code == NOT_FOUND


def test_only_reads_are_allowed(client, photo_report, superuser):
    photo = photo_of(photo_report())
    client.force_login(superuser)

    assert client.head(photo.file.url).status_code == 200
    assert client.post(photo.file.url).status_code == 405


def test_reports_documents_and_whatsapp_register_their_owners():
    """Found by autodiscovery of each app's `selectors_media` (other apps may add theirs)."""
    owners = {(o.model._meta.label, o.fields, o.prefix) for o in media_owners()}

    assert owners >= {
        ("reports.Attachment", ("file", "thumbnail"), "reports/"),
        ("documents.DeliveryAttempt", ("photo",), "documents/"),
        ("whatsapp.InboundMessage", ("media_file",), "whatsapp/"),
    }


def test_a_pdf_is_shown_inline_with_its_type(client, submit, desk_operator):
    report = submit(uploads=[upload_prepare(name="surat.pdf", content=b"%PDF-1.4 surat")])
    attachment = Attachment.objects.get(report=report)

    response = fetch(client, attachment.file.url, desk_operator)

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/pdf",
        "inline",
    )
    assert body(response) == b"%PDF-1.4 surat"


# --- The second factor --------------------------------------------------------------------


def test_an_administrator_without_the_second_factor_reads_no_more_than_the_public(
    client, settings, photo_report, administrator
):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    photo = photo_of(photo_report())

    response = fetch(client, photo.file.url, administrator)

    assert response.status_code == NOT_FOUND


def test_an_administrator_signed_in_with_both_factors_reads_the_photo(
    client, settings, photo_report, administrator
):
    settings.TELEPATI_ADMIN_2FA_REQUIRED = True
    photo = photo_of(photo_report())
    with freeze_time(START) as frozen:
        device, _codes = enrol(administrator)
        sign_in(client, administrator)
        frozen.tick(30)
        client.post(VERIFY, {"code": device_code(device)})

        response = client.get(photo.file.url)

    assert response.status_code == 200


# --- nginx hand-off --------------------------------------------------------------------------


def test_with_accel_redirect_nginx_sends_the_file(client, settings, photo_report, desk_operator):
    settings.TELEPATI_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    photo = photo_of(photo_report())

    response = fetch(client, photo.file.url, desk_operator)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.file.name}"
    assert response.content == b""
    assert (response["Content-Type"], response["Content-Disposition"]) == ("image/jpeg", "inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"


def test_with_accel_redirect_a_refusal_is_still_a_plain_not_found(client, settings, photo_report):
    settings.TELEPATI_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    photo = photo_of(photo_report())

    response = fetch(client, photo.file.url)

    assert response.status_code == NOT_FOUND
    assert "X-Accel-Redirect" not in response
