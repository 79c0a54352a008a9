"""A document from the desk to the resident's door, in a real browser.

The desk operator marks a submitted KTP-el issued on the application page, arranges delivery
on the resident's behalf and assigns the courier; on the delivery day the courier, on a
phone-sized screen, sets out and records the hand-over with a photo. Both sign in through
the login page (non-administrators: no second factor).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from telepati.accounts.models import User
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, DocumentType
from telepati.documents.services import pipeline
from telepati.documents.services.registration import ApplicationDraft, application_register
from telepati.documents.tests.handover_fixtures import jpeg_bytes
from telepati.org.models import Kelurahan, Unit

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 800}


@pytest.fixture
def submitted(desk_operator: User, amplas_service: Unit, harjosari_i: Kelurahan) -> Application:
    """A KTP-el file received at the counter, processed and submitted to Disdukcapil."""
    ktp = DocumentType.objects.create(
        kecamatan=harjosari_i.kecamatan,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        handling_unit=amplas_service,
    )
    application = application_register(
        actor=desk_operator,
        draft=ApplicationDraft(
            document_type_id=ktp.pk,
            applicant_name="Siti Aminah",
            phone="0812-3456-7890",
            nik="1271094508900002",
            kelurahan_id=harjosari_i.pk,
            address="Jl. Garu II No. 12",
        ),
    )
    for step in (pipeline.application_process, pipeline.application_submit):
        application = step(actor=desk_operator, application_id=application.pk)
    return application


def test_staff_issue_and_the_courier_delivers_with_a_photo(
    page: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[[User], None],
    desk_operator: User,
    courier: User,
    submitted: Application,
    tmp_path: Path,
) -> None:
    code = submitted.code
    sign_in(desk_operator)
    page.goto("/kantor/dokumen/")
    page.get_by_role("link", name=code).click()
    assert page.locator(".badge").first.inner_text() == "Diajukan ke Disdukcapil"

    # Issue, with the number from Disdukcapil.
    page.get_by_label("Nomor dokumen (bila ada)").fill("1271-KTP-2026-0001")
    page.get_by_role("button", name="Tandai terbit").click()
    assert f"Dokumen {code} ditandai terbit; pemohon diberi tahu." in page.inner_text("#messages")

    # The resident asked (on WhatsApp) for delivery: the desk records it and picks a courier.
    page.locator("summary#action-choose_delivery").click()
    page.locator("#choose_delivery-day").select_option(index=1)
    page.get_by_role("button", name="Pemohon memilih antar ke rumah").click()
    assert f"Pengantaran dokumen {code} dijadwalkan." in page.inner_text("#messages")
    page.locator("#assign-courier_id").select_option(str(courier.pk))
    page.get_by_role("button", name="Tetapkan kurir").click()
    assert f"Kurir untuk {code} ditetapkan." in page.inner_text("#messages")

    # The delivery day comes (the desk could only offer days from tomorrow on).
    Application.objects.filter(pk=submitted.pk).update(delivery_date=timezone.localdate())

    # The courier, on a phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="id-ID")
    phone.set_default_timeout(10_000)
    courier_page = phone.new_page()
    courier_page.goto("/kantor/masuk/")
    courier_page.get_by_label("Nama pengguna").fill(courier.username)
    courier_page.get_by_label("Kata sandi").fill("sandi-rahasia-uji")
    courier_page.get_by_role("button", name="Masuk").click()
    courier_page.wait_for_url(lambda address: "/masuk/" not in address)
    courier_page.goto("/kantor/dokumen/antar/")
    stop = courier_page.locator(f"#stop-{code}")
    assert "Kelurahan Harjosari I" in courier_page.inner_text("main")
    assert "Siti Aminah" in stop.inner_text()
    stop.get_by_role("button", name="Berangkat").click()
    assert f"Berangkat mengantar {code}." in courier_page.inner_text("#messages")

    stop.locator("summary", has_text="Terantar").click()
    photo = tmp_path / "serah-terima.jpg"
    photo.write_bytes(jpeg_bytes())
    stop.get_by_label("Foto serah terima").set_input_files(str(photo))
    stop.get_by_role("button", name="Simpan: terantar").click()

    assert f"Dokumen {code} tercatat diserahkan kepada Siti Aminah." in courier_page.inner_text(
        "#messages"
    )
    assert "Diserahkan" in courier_page.locator(f"#stop-{code}").inner_text()
    phone.close()

    submitted.refresh_from_db()
    assert submitted.status == Status.HANDED_OVER
    assert submitted.delivery_attempts.get().photo.name

    # Back at the desk, the application shows it was handed over.
    page.goto(f"/kantor/dokumen/{code}/")
    assert page.locator(".badge").first.inner_text() == "Diserahkan"
    assert "Dokumen diterima di alamat pemohon." in page.inner_text(".doc-timeline")
