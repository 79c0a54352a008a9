"""A WhatsApp complaint from the desk to DLH and back, in a real browser.

The report arrives as the WhatsApp door files it (`report_submit`, channel WhatsApp). The WA
Center operator verifies it and forwards it to Dinas Lingkungan Hidup on the report page;
the DLH liaison acknowledges and completes the work in the unit portal; the report page's
timeline then shows the forwarding and the unit's completion. Both officers sign in through
the login page (non-administrators: no second factor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from telepati.accounts.models import User
from telepati.org.models import Kelurahan, Unit
from telepati.reports.models import Category, Channel, Report
from telepati.reports.services.intake import ReportDraft, report_submit

pytestmark = pytest.mark.e2e


@pytest.fixture
def whatsapp_report(territory: None, dlh: Unit, harjosari_i: Kelurahan) -> Report:
    sanitation = Category.objects.create(
        code="kebersihan",
        name="Kebersihan & sampah",
        default_unit=dlh,
        sla_verification_days=3,
        sla_first_response_days=5,
        sla_resolution_days=14,
    )
    return report_submit(
        draft=ReportDraft(
            category_code=sanitation.code,
            description="Sampah menumpuk di depan gang Mawar sudah tiga hari.",
            channel=Channel.WHATSAPP,
            kelurahan_id=harjosari_i.pk,
            address="Jl. Garu II, gang Mawar",
            reporter_name="Siti Aminah",
            reporter_phone="+6281234567890",
            submission_key="wamid.e2e-1",
        )
    )


def test_the_desk_forwards_to_dlh_and_the_liaison_resolves_it(
    page: Any,
    sign_in: Callable[[User], None],
    desk_operator: User,
    agency_liaison: User,
    whatsapp_report: Report,
) -> None:
    number = whatsapp_report.tracking_number
    report_url = f"/kantor/laporan/{number}/"

    # The WA Center desk: verify, then forward to DLH.
    sign_in(desk_operator)
    page.goto("/kantor/laporan/")
    page.get_by_role("link", name=number).first.click()
    page.locator("#action-verify").get_by_role("button", name="Verifikasi").click()
    assert "diverifikasi" in page.inner_text("#messages")
    forward = page.locator("#action-forward")
    forward.get_by_label("Dinas Lingkungan Hidup").check()
    forward.get_by_label("Kantor Lurah Harjosari I").uncheck()  # suggested; DLH alone here
    forward.get_by_label("Instruksi").fill("Mohon diangkut paling lambat besok.")
    forward.get_by_role("button", name="Disposisikan").click()
    assert "didisposisikan" in page.inner_text("#messages")

    # The DLH liaison, in the unit portal (a fresh session).
    page.context.clear_cookies()
    sign_in(agency_liaison)
    page.goto("/kantor/unit/")
    page.get_by_role("link", name=number).first.click()
    page.get_by_role("button", name="Tandai diterima").click()
    page.get_by_role("button", name="Tandai selesai").wait_for()
    complete = page.locator("form", has=page.get_by_role("button", name="Tandai selesai"))
    complete.get_by_role("textbox").first.fill("Sampah sudah diangkut truk DLH pagi ini.")
    complete.get_by_role("button", name="Tandai selesai").click()
    assert "Tandai selesai" not in page.inner_text("main")

    # Back at the desk: the timeline holds the forwarding and DLH's completion.
    page.context.clear_cookies()
    sign_in(desk_operator)
    page.goto(report_url)
    timeline = page.inner_text("#h-timeline + ol")
    assert "Diteruskan ke Dinas Lingkungan Hidup." in timeline
    assert "Disposisi diterima oleh Dinas Lingkungan Hidup." in timeline
    assert "Sampah sudah diangkut truk DLH pagi ini." in timeline
    dispositions = page.inner_text("#h-dispositions + table")
    assert "Dinas Lingkungan Hidup\tSelesai oleh unit" in dispositions
