"""A report drafted without a connection is kept on the phone and sent when it returns.

A resident on a phone-sized screen fills the report form, loses the connection and submits:
portal.js keeps the draft in IndexedDB and says so. When the connection returns, the draft
is sent by itself (the same one-time token), the page shows the tracking number, and
exactly one report exists.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from telepati.org.models import Kelurahan, Unit
from telepati.reports.models import Category, Channel, Report

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 800}
DESCRIPTION = "Saluran air di depan SD Negeri 060 tersumbat, air meluap ke jalan."


@pytest.fixture
def drainage(territory: None, roads_agency: Unit) -> Category:
    return Category.objects.create(
        code="banjir-drainase", name="Banjir & drainase", default_unit=roads_agency
    )


def test_an_offline_report_is_kept_and_sent_once_the_connection_returns(
    page: Any, drainage: Category, harjosari_i: Kelurahan, tmp_path: Path
) -> None:
    photo = tmp_path / "saluran.jpg"
    Image.new("RGB", (2400, 1800), (90, 120, 150)).save(photo, format="JPEG")
    page.set_viewport_size(PHONE)
    page.goto("/lapor/")
    page.get_by_label("Jenis masalah").select_option("banjir-drainase")
    page.get_by_label("Ceritakan masalahnya").fill(DESCRIPTION)
    page.get_by_label("Kelurahan").select_option(label="Harjosari I (Medan Amplas)")
    page.get_by_label("Alamat atau patokan lokasi").fill("Jl. Garu II depan SD")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Foto (paling banyak 3)").set_input_files(str(photo))

    page.context.set_offline(True)
    page.get_by_role("button", name="Kirim laporan").click()

    notice = page.locator("#portal-notice")
    notice.get_by_text("Tersimpan di ponsel, akan dikirim otomatis saat online.").wait_for()
    assert Report.objects.filter(description=DESCRIPTION).count() == 0
    assert page.get_by_label("Ceritakan masalahnya").input_value() == ""

    page.context.set_offline(False)
    notice.get_by_text("Laporan Anda sudah terkirim.").wait_for()

    report = Report.objects.get(description=DESCRIPTION)
    assert report.channel == Channel.WEB
    assert report.kelurahan == harjosari_i
    assert report.submission_key is not None
    assert re.fullmatch(r"web:[0-9a-f]{32}", report.submission_key)
    # The photo travelled as a Blob in the draft, made smaller on the phone (≤ 1600 px).
    attachment = report.attachments.get()
    with Image.open(io.BytesIO(attachment.file.read())) as stored:
        assert stored.size == (1600, 1200)
    text = notice.inner_text()
    assert f"Nomor laporan: {report.tracking_number}" in text
    assert notice.get_by_role("link", name="Lacak laporan").get_attribute("href") == (
        f"/lacak/?nomor={report.tracking_number}"
    )
    # The draft is gone: a later visit sends nothing again.
    page.reload()
    page.wait_for_timeout(500)
    assert Report.objects.filter(description=DESCRIPTION).count() == 1
    assert page.evaluate("TelepatiDrafts.all().then(function (d) { return d.length; })") == 0


def test_online_the_form_shows_errors_in_place_then_the_tracking_number(
    page: Any, drainage: Category, harjosari_i: Kelurahan
) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/lapor/")
    page.get_by_label("Jenis masalah").select_option("banjir-drainase")
    page.get_by_label("Ceritakan masalahnya").fill("Banjir")
    page.get_by_role("button", name="Kirim laporan").click()

    page.get_by_text("Ceritakan masalahnya minimal 10 karakter.").wait_for()
    assert page.get_by_label("Ceritakan masalahnya").input_value() == "Banjir"
    page.get_by_label("Ceritakan masalahnya").fill(DESCRIPTION)
    page.get_by_label("Kelurahan").select_option(label="Harjosari I (Medan Amplas)")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url("**/lapor/terkirim/")
    report = Report.objects.get(description=DESCRIPTION)
    assert page.locator("#tracking-number").inner_text() == report.tracking_number


def test_once_visited_the_form_opens_without_a_connection(
    page: Any, drainage: Category, harjosari_i: Kelurahan
) -> None:
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(function () { return true; })")
    page.reload()  # the worker controls the page from here on
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.goto("/lapor/")
    assert page.title().startswith("Lapor masalah")
    assert page.get_by_role("button", name="Kirim laporan").is_visible()
    page.goto("/statistik/")
    assert page.title().startswith("Sedang offline")
