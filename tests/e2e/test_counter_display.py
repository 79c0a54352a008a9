"""The counter calls, the waiting-room TV shows it: two browser pages, no reload.

The TV display (/layar/<code>/, no sign-in) is open in its own browser context; the desk
operator signs in through the login page and works the counter in another. "Panggil
berikutnya" (the button, then the P key) must appear on the display within a few seconds
through its HTMX polling, while the display page itself is never reloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from telepati.accounts.models import User
from telepati.appointments.models import OfficeService
from telepati.appointments.services.counter import queue_walk_in
from telepati.appointments.tests import conftest as appointments

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.e2e

# The display polls every 3 seconds; allow two rounds and some.
SHOWN_WITHIN_MS = 8_000

adminduk = appointments.adminduk


@pytest.fixture
def display(browser: Any, live_server: Any) -> Iterator[Any]:
    """The TV: its own context (no cookies), a large screen."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1280, "height": 720},
    )
    screen = context.new_page()
    yield screen
    context.close()


def test_call_next_on_the_counter_shows_on_the_display_without_reload(
    page: Any,
    display: Any,
    sign_in: Callable[[User], None],
    desk_operator: User,
    adminduk: OfficeService,
) -> None:
    for name in ("Rudi Hartono", "Joko Susilo"):
        queue_walk_in(user=desk_operator, service_id=adminduk.pk, name=name)

    display.goto(f"/layar/{adminduk.code}/")
    expect(display.get_by_text("Belum ada nomor yang dipanggil.")).to_be_visible()
    expect(display.locator(".next")).to_have_text("A-001A-002")
    display.evaluate("window.notReloaded = true")

    sign_in(desk_operator)
    page.goto(f"/kantor/loket/{adminduk.pk}/?loket=Loket+2")
    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(page.locator("#messages")).to_contain_text(
        "Nomor A-001 (Rudi Hartono) dipanggil ke Loket 2."
    )

    serving = display.locator('[data-testid="serving"]')
    expect(serving).to_have_text("A-001Loket 2", timeout=SHOWN_WITHIN_MS)
    expect(display.locator(".next")).to_have_text("A-002")

    # The keyboard shortcut calls the next one; the display follows again.
    page.locator("body").press("p")
    expect(page.locator("#messages")).to_contain_text(
        "Nomor A-002 (Joko Susilo) dipanggil ke Loket 2."
    )
    expect(serving).to_have_text("A-002Loket 2", timeout=SHOWN_WITHIN_MS)
    expect(display.get_by_text("Tidak ada yang menunggu.")).to_be_visible()

    assert display.evaluate("window.notReloaded") is True
    assert display.url.endswith(f"/layar/{adminduk.code}/")
    assert "Rudi" not in display.content()
