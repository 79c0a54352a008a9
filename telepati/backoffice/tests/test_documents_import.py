"""The bulk import pages: upload once, a progress bar polled by HTMX, per-row results."""

# Fixtures imported from the documents domain's tests are pytest fixtures: their names come
# back as test arguments (F811 is the intended use here).
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from telepati.documents.lifecycle import Status
from telepati.documents.models import BatchStatus, ImportBatch
from telepati.documents.tests.conftest import (  # noqa: F401
    amplas_government,
    application_at,
    document_staff,
    ktp_type,
    letter_type,
    preregister,
    register,
)
from telepati.documents.tests.import_files import csv_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("backoffice:document_import")


def batch_url(batch: ImportBatch) -> str:
    return reverse("backoffice:document_import_detail", kwargs={"batch_id": batch.pk})


def upload(client, content: bytes, name: str = "terbit.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_an_upload_is_processed_and_shows_its_results_per_row(
    client, desk_operator, application_at, django_capture_on_commit_callbacks
):
    issued = application_at(Status.SUBMITTED)
    client.force_login(desk_operator)
    content = csv_bytes([["kode", "nomor dokumen"], [issued.code, "KTP-1"], ["D2611-9999", "X"]])

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch_url(batch)
    batch.refresh_from_db()
    issued.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert issued.status == Status.ISSUED
    html = client.get(batch_url(batch)).content.decode()
    assert "Berkas terbit.csv diunggah: 2 baris sedang diproses." in html
    assert '<progress id="import-bar" max="2" value="2">' in html
    assert "Cocok, ditandai terbit" in html
    assert "Tidak ditemukan" in html
    assert f'href="/kantor/dokumen/{issued.code}/"' in html
    assert "hx-trigger" not in html  # done: no more polling


def test_the_same_file_again_shows_the_existing_batch(
    client, desk_operator, application_at, django_capture_on_commit_callbacks
):
    application = application_at(Status.SUBMITTED)
    client.force_login(desk_operator)
    content = csv_bytes([["kode"], [application.code]])
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(client, content)

    again = upload(client, content, name="terbit-lagi.csv")

    assert ImportBatch.objects.count() == 1
    assert again["Location"] == first["Location"]
    assert "sudah pernah diunggah" in client.get(again["Location"]).content.decode()


def test_a_running_batch_is_polled_every_two_seconds(client, desk_operator, application_at):
    application = application_at(Status.SUBMITTED)
    client.force_login(desk_operator)
    upload(client, csv_bytes([["kode"], [application.code]]))  # processing not run (no commit)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.PENDING

    fragment = client.get(batch_url(batch), headers={"HX-Request": "true"}).content.decode()

    assert fragment.startswith('<div id="import-progress"')
    assert 'hx-trigger="every 2s"' in fragment
    assert f'hx-get="{batch_url(batch)}"' in fragment
    assert '<progress id="import-bar" max="1" value="0">' in fragment
    assert "<html" not in fragment


def test_an_unreadable_file_is_refused_next_to_the_field(client, desk_operator, ktp_type):
    client.force_login(desk_operator)

    response = upload(client, b"\x00\x01 bukan csv", name="foto.jpg")

    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0
    assert 'class="errorlist"' in response.content.decode()


def test_another_kecamatans_batch_is_a_404(client, desk_operator, outsider, application_at):
    application = application_at(Status.SUBMITTED)
    client.force_login(desk_operator)
    upload(client, csv_bytes([["kode"], [application.code]]))
    batch = ImportBatch.objects.get()
    client.get(batch_url(batch))  # the upload's message is shown (and gone)

    client.force_login(outsider)

    assert client.get(batch_url(batch)).status_code == 404
    assert "terbit.csv" not in client.get(IMPORT).content.decode()
