"""End-to-end tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

The browser is the system package (`/usr/bin/chromium` on Debian; `.ci/run` installs it when
missing). Playwright's own browser downloads are never used: there is no internet on the build
machines, and one browser kept up to date by the distribution is enough.

- `browser` (package): one headless Chromium, stopped after the last e2e test. `launch()`
  gives it a fresh temporary profile (user-data dir) that Playwright deletes on close; each
  test gets its own context, so cookies and storage never travel between tests.
- `page` (function): a new context and page whose relative URLs go to `live_server`.
- When Chromium is missing or fails to start, the e2e tests are SKIPPED with the reason, and
  the terminal summary says so in one plain line. With `TELEPATI_E2E=required` (CI) they
  FAIL instead, so a broken browser never passes unnoticed.

The live server runs in a thread of this process on the test database (a real SQLite file in
`config.settings_test`, or the throwaway PostgreSQL), so tests use `transactional_db`
(pytest-django does this for any test that asks for `live_server`).

`DJANGO_ALLOW_ASYNC_UNSAFE`: Playwright's sync API runs an asyncio event loop in the test's
thread for as long as it runs, and Django refuses ORM calls from a thread with a running
loop (SynchronousOnlyOperation), although nothing here is asynchronous: the ORM calls of a
test and Playwright's calls alternate in one thread. The variable is set only while the
browser runs (package-scoped fixtures below: set before launch, removed after the browser
and Playwright stop), so the rest of the suite keeps Django's check.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from telepati.accounts.models import User
from telepati.accounts.tests.factories import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_CANDIDATES = ("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fail fast: a page that does not answer in 10 s is a failure, not something to wait for.
ACTION_TIMEOUT_MS = 10_000
LAUNCH_TIMEOUT_MS = 30_000

_state: dict[str, Any] = {"unavailable": None, "version": None, "started": None, "tests": 0}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end test in a real Chromium (tests/e2e)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _state["unavailable"] is not None:
        verdict = "GAGAL" if _required() else "DILEWATI"
        terminalreporter.write_sep("=", f"uji ujung-ke-ujung {verdict}", yellow=True, bold=True)
        reason = _state["unavailable"]
        terminalreporter.write_line(
            _required_message(reason) if _required() else _unavailable_message(reason)
        )
    elif _state["version"] is not None:
        seconds = time.monotonic() - _state["started"]
        terminalreporter.write_line(
            f"Uji ujung-ke-ujung: {_state['tests']} uji di Chromium {_state['version']}, "
            f"{seconds:.1f} s (termasuk menyalakan peramban)."
        )


def _required() -> bool:
    return os.environ.get("TELEPATI_E2E", "").strip().lower() == "required"


def _unavailable_message(reason: str) -> str:
    return f"Chromium tidak tersedia: {reason} — uji ujung-ke-ujung dilewati."


def _required_message(reason: str) -> str:
    return f"Chromium tidak tersedia: {reason}, padahal TELEPATI_E2E=required — uji gagal."


def _unavailable(reason: str) -> None:
    _state["unavailable"] = reason
    if _required():
        pytest.fail(_required_message(reason), pytrace=False)
    pytest.skip(_unavailable_message(reason))


def chromium_executable() -> str | None:
    """The system Chromium: on PATH, or where Debian's package puts it."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="package")
def _allow_orm_beside_playwright() -> Iterator[None]:
    """See the module docstring: set while the browser runs, i.e. for this package only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright: None) -> Iterator[Any]:
    """One headless Chromium for the e2e tests (see the module docstring)."""
    executable = chromium_executable()
    if executable is None:
        _unavailable("program `chromium` tidak ditemukan (Debian: apt-get install chromium)")
    _state["started"] = time.monotonic()
    manager = playwright_api.sync_playwright().start()
    try:
        chromium = manager.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            timeout=LAUNCH_TIMEOUT_MS,
        )
    except Exception as exc:  # any launch problem means: no browser for this run
        manager.stop()
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        _unavailable(f"{executable} gagal dijalankan ({first_line})")
    _state["version"] = chromium.version
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and a page whose relative URLs hit the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1100, "height": 800},
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    _state["tests"] += 1
    new_page = context.new_page()
    yield new_page
    context.close()


def login_url() -> str | None:
    """The back-office login page, once it exists."""
    try:
        return reverse("backoffice:login")
    except NoReverseMatch:
        return None


@pytest.fixture
def sign_in(page: Any, live_server: Any) -> Callable[[User], None]:
    """`sign_in(user)`: through the real login page when it exists, otherwise by handing the
    browser the session cookie of a test client's `force_login` (same session store).

    Only personas without mandatory two-step verification (non-administrators) use the login
    page; they all share the factories' PASSWORD.
    """

    def _sign_in(user: User) -> None:
        url = login_url()
        if url is not None:
            page.goto(url)
            page.get_by_label("Nama pengguna").fill(user.get_username())
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(lambda address: "/masuk/" not in address)
            return
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )

    return _sign_in
