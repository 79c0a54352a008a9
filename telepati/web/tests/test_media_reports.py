"""The media door and report files: who reads a photo, its thumbnail and resolution evidence.

A report filed in Harjosari I (Medan Amplas) with a photo. While the report is new, the
photo is for officers who see the report; once the desk accepts a report that is not
*rahasia*, its public photos are public (the open-data door links them).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.reports.models import Attachment, Report
from telepati.reports.services.desk import report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.unit_work import disposition_complete, disposition_update
from telepati.web.tests.test_media_support import *  # noqa: F403
from telepati.web.tests.test_media_support import (
    NOT_FOUND,
    PERSONAS,
    body,
    fetch,
    photo_of,
    photo_upload,
    stored_bytes,
)

# Who sees a new report located in Harjosari I that no unit received yet.
SEES_THE_NEW_REPORT = {"desk_operator", "administrator", "camat", "lurah", "kelurahan_staff"}


def file_url(attachment: Attachment) -> str:
    return attachment.file.url


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_new_reports_photo_is_for_the_officers_who_see_the_report(
    client, request, photo_report, persona
):
    photo = photo_of(photo_report())
    allowed = persona in SEES_THE_NEW_REPORT or persona == "superuser"

    response = fetch(client, file_url(photo), request.getfixturevalue(persona))

    assert response.status_code == (200 if allowed else NOT_FOUND)
    if allowed:
        assert body(response) == stored_bytes(photo.file.name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_thumbnail_follows_the_photos_rule(client, request, photo_report, persona):
    photo = photo_of(photo_report())
    allowed = persona in SEES_THE_NEW_REPORT or persona == "superuser"

    response = fetch(client, photo.thumbnail.url, request.getfixturevalue(persona))

    assert response.status_code == (200 if allowed else NOT_FOUND)
    if allowed:
        assert response["Content-Type"] == "image/jpeg"
        assert body(response) == stored_bytes(photo.thumbnail.name)


def test_an_anonymous_visitor_gets_not_found_for_a_new_reports_photo(client, photo_report):
    photo = photo_of(photo_report())

    response = fetch(client, file_url(photo))

    assert response.status_code == NOT_FOUND
    assert b"\xff\xd8" not in response.content  # no byte of the photo


def test_the_officers_file_comes_with_its_type_inline_not_sniffed_and_privately_cached(
    client, photo_report, desk_operator
):
    photo = photo_of(photo_report())

    response = fetch(client, file_url(photo), desk_operator)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert int(response["Content-Length"]) == photo.size


def test_the_unit_reads_the_photo_once_the_report_is_forwarded_to_it(
    client, photo_report, desk_operator, agency_liaison, dlh
):
    report = photo_report(is_confidential=True)
    photo = photo_of(report)
    assert fetch(client, file_url(photo), agency_liaison).status_code == NOT_FOUND

    report_verify(user=desk_operator, report_id=report.pk)
    report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])

    assert fetch(client, file_url(photo), agency_liaison).status_code == 200


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_a_public_photo_of_an_accepted_report_is_public(
    client, request, photo_report, desk_operator, persona
):
    report = photo_report()
    report_verify(user=desk_operator, report_id=report.pk)
    photo = photo_of(report)
    user = request.getfixturevalue(persona) if persona else None

    response = fetch(client, file_url(photo), user)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert body(response) == stored_bytes(photo.file.name)


def test_a_rahasia_reports_photo_stays_with_the_officers(
    client, photo_report, desk_operator, section_staff
):
    report = photo_report(is_confidential=True)
    report_verify(user=desk_operator, report_id=report.pk)
    photo = photo_of(report)

    assert fetch(client, file_url(photo)).status_code == NOT_FOUND
    assert fetch(client, photo.thumbnail.url).status_code == NOT_FOUND
    assert fetch(client, file_url(photo), section_staff).status_code == NOT_FOUND
    response = fetch(client, file_url(photo), desk_operator)
    assert (response.status_code, response["Cache-Control"]) == (200, "private, max-age=3600")


def test_an_anonymous_reporters_photo_is_never_public(client, photo_report, desk_operator):
    """Intake stores an *anonim* report's photos as non-public."""
    report = photo_report(is_anonymous=True)
    report_verify(user=desk_operator, report_id=report.pk)

    assert fetch(client, file_url(photo_of(report))).status_code == NOT_FOUND
    assert fetch(client, file_url(photo_of(report)), desk_operator).status_code == 200


def test_a_photo_of_an_internal_update_is_for_officers_only(
    client, photo_report, desk_operator, agency_liaison, dlh
):
    report = photo_report(color=(10, 120, 10))
    report_verify(user=desk_operator, report_id=report.pk)
    (disposition,) = report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])
    disposition_update(
        user=agency_liaison,
        disposition_id=disposition.pk,
        message="Koordinasi internal.",
        is_public=False,
        uploads=[photo_upload((10, 10, 200), "internal.jpg")],
    )
    internal = Attachment.objects.get(report=report, is_public=False)

    assert fetch(client, file_url(internal)).status_code == NOT_FOUND
    assert fetch(client, file_url(internal), agency_liaison).status_code == 200


def test_resolution_evidence_of_an_accepted_report_is_public(
    client, photo_report, desk_operator, agency_liaison, dlh, outsider
):
    report = photo_report(color=(90, 90, 10))
    report_verify(user=desk_operator, report_id=report.pk)
    (disposition,) = report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])
    disposition_complete(
        user=agency_liaison,
        disposition_id=disposition.pk,
        message="Sampah sudah diangkut.",
        uploads=[photo_upload((250, 250, 250), "sesudah.jpg")],
    )
    evidence = Attachment.objects.get(report=report, is_evidence=True)

    assert fetch(client, file_url(evidence)).status_code == 200
    assert fetch(client, file_url(evidence), outsider).status_code == 200


def test_the_same_photo_in_two_reports_is_readable_where_either_allows(
    client, photo_report, desk_operator, johor_service, gedung_johor, outsider
):
    """Files are content-addressed: two reports may share one stored photo."""
    amplas_report = photo_report(color=(5, 5, 5))
    johor_report = photo_report(color=(5, 5, 5), kelurahan_id=gedung_johor.pk)
    assert photo_of(amplas_report).file.name == photo_of(johor_report).file.name

    assert fetch(client, file_url(photo_of(amplas_report)), outsider).status_code == 200
    assert fetch(client, file_url(photo_of(amplas_report))).status_code == NOT_FOUND


def test_the_report_page_shows_photos_the_officer_can_open(client, photo_report, desk_operator):
    report = photo_report()
    photo = photo_of(report)
    client.force_login(desk_operator)

    page = client.get(
        reverse("backoffice:report_detail", kwargs={"tracking_number": report.tracking_number})
    ).content.decode()

    assert f'src="{photo.thumbnail.url}"' in page
    assert f'href="{photo.file.url}"' in page
    assert client.get(photo.thumbnail.url).status_code == 200
    assert client.get(photo.file.url).status_code == 200


def test_the_unit_portal_shows_photos_the_unit_can_open(
    client, photo_report, desk_operator, agency_liaison, dlh
):
    report = photo_report(is_confidential=True)
    report_verify(user=desk_operator, report_id=report.pk)
    (disposition,) = report_forward(user=desk_operator, report_id=report.pk, unit_ids=[dlh.pk])
    photo = photo_of(report)
    client.force_login(agency_liaison)

    page = client.get(reverse("backoffice:unit_detail", args=[disposition.pk])).content.decode()

    assert f'src="{photo.thumbnail.url}"' in page
    assert client.get(photo.thumbnail.url).status_code == 200
    assert client.get(photo.file.url).status_code == 200


def test_an_officer_request_costs_a_bounded_number_of_queries(
    client, photo_report, desk_operator, django_assert_num_queries
):
    photo = photo_of(photo_report())
    client.force_login(desk_operator)
    client.get(reverse("backoffice:home"))  # the session is warm, as in a page's <img> loads

    # session, user, the attachment with its report, the officer's scope, the visibility check
    with django_assert_num_queries(5):
        assert client.get(file_url(photo)).status_code == 200


def test_a_public_request_costs_one_query(
    client, photo_report, desk_operator, django_assert_num_queries
):
    report = photo_report()
    report_verify(user=desk_operator, report_id=report.pk)
    photo = photo_of(report)

    with django_assert_num_queries(1):
        assert client.get(file_url(photo)).status_code == 200


def test_a_report_with_many_photos_costs_the_same(
    client, submit, desk_operator, django_assert_num_queries
):
    report = submit(uploads=[photo_upload((i, 0, 0), f"{i}.jpg") for i in range(1, 6)])
    names = list(Attachment.objects.filter(report=report).values_list("file", flat=True))
    client.force_login(desk_operator)
    client.get(reverse("backoffice:home"))

    with django_assert_num_queries(5):
        assert client.get(f"/media/{names[-1]}").status_code == 200
    assert Report.objects.count() == 1
