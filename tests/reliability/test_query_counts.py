"""Item 7: every page and API endpoint costs the same queries at 10 and at 10,000 rows.

The URLconf is walked; each named URL must be in exactly one of:

- COVERED: its query-count test lives with its door — "file::test" (the test must exist);
- MEASURED: measured here — every page is requested once after 10 rows of every growing
  table (reports with their dispositions, residents with conversations, inbound and
  outbound messages) and again after 10,000, and the two counts must be equal (one test
  for all of them: the world grows once);
- ACTIONS: a POST that changes one row found by id and redirects to a page measured above
  or elsewhere (its service's query cost is pinned by the service's tests);
- NOT_PAGES: no database rows behind it (static files, language switch, the dev simulator).

A new URL that is in none of them fails `test_every_url_has_a_query_count_test`: add a
test with the page, or measure it here. The COVERED tests next to their doors compare 10
with 1,000 rows (one growth per test); the soak (bench/soak.py) runs with tens of
thousands of rows; see docs/reliability.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from telepati.appointments.tests.conftest import service_make
from telepati.citizens.models import Citizen
from telepati.documents.models import DocumentType
from telepati.messaging.models import OutboundMessage
from telepati.reports.models import Category, Disposition, Report
from telepati.whatsapp.models import Conversation, InboundMessage

BASE_DIR = Path(__file__).resolve().parents[2]

_INBOX = "telepati/backoffice/tests/test_reports_inbox.py"
_UNITS = "telepati/backoffice/tests/test_units.py"
_CONVERSATIONS = "telepati/backoffice/tests/test_conversations.py"
_PROGRAMS = "telepati/backoffice/tests/test_programs_queries.py"
_TRANSPARENCY = "telepati/web/tests/test_transparency_queries.py"
_API = "telepati/api/tests/test_queries.py"

COVERED: dict[str, str] = {
    "web:report_form": "telepati/web/tests/test_portal_report.py"
    "::test_the_form_page_takes_constant_queries",
    "web:report_track": "telepati/web/tests/test_portal_track.py"
    "::test_the_reporter_view_takes_constant_queries",
    "web:queue_display_fragment": "telepati/web/tests/test_appointments_pages.py"
    "::test_the_display_fragment_takes_the_same_queries_for_10_and_200_in_the_queue",
    "web:document_services": "telepati/web/tests/test_documents_pages.py"
    "::test_the_catalogue_takes_the_same_queries_for_more_types",
    "web:public_reports": f"{_TRANSPARENCY}"
    "::test_public_pages_take_the_same_queries_for_10_or_1000_reports",
    "web:public_statistics": f"{_TRANSPARENCY}"
    "::test_public_pages_take_the_same_queries_for_10_or_1000_reports",
    "web:public_report": f"{_TRANSPARENCY}"
    "::test_the_public_report_page_takes_the_same_queries_for_10_or_1000_reports",
    "web:umkm_catalogue": "telepati/programs/tests/test_selectors.py"
    "::test_public_list_pages_take_the_same_queries_for_10_and_100_rows",
    "web:program_activities": "telepati/programs/tests/test_selectors.py"
    "::test_public_list_pages_take_the_same_queries_for_10_and_100_rows",
    "media": "telepati/web/tests/test_media_reports.py"
    "::test_a_report_with_many_photos_costs_the_same",
    "whatsapp:webhook": "telepati/whatsapp/tests/test_webhook_view.py"
    "::test_storing_a_delivery_is_one_insert",
    "open311:requests": "telepati/open311/tests/test_queries.py"
    "::test_the_list_costs_the_same_queries_for_10_or_1000_reports",
    "api:reports": f"{_API}::test_the_own_list_takes_constant_queries",
    "api:report": f"{_API}::test_a_report_takes_constant_queries_whatever_its_timeline",
    "api:categories": f"{_API}::test_reference_lists_take_constant_queries",
    "api:kelurahan": f"{_API}::test_reference_lists_take_constant_queries",
    "backoffice:report_inbox": f"{_INBOX}"
    "::test_the_inbox_takes_the_same_queries_for_10_or_1000_reports",
    "backoffice:report_detail": f"{_INBOX}"
    "::test_the_report_page_takes_the_same_queries_for_10_or_1000_reports",
    "backoffice:unit_inbox": f"{_UNITS}"
    "::test_the_inbox_takes_the_same_queries_for_10_or_1000_dispositions",
    "backoffice:unit_detail": f"{_UNITS}"
    "::test_the_page_takes_the_same_queries_however_many_dispositions_exist",
    "backoffice:conversations": f"{_CONVERSATIONS}"
    "::test_the_inbox_takes_the_same_queries_for_10_or_1000_conversations",
    "backoffice:conversation_detail": f"{_CONVERSATIONS}"
    "::test_the_page_takes_the_same_queries_for_10_or_1000_messages",
    "backoffice:document_desk": "telepati/backoffice/tests/test_documents_desk.py"
    "::test_the_list_and_the_page_cost_the_same_queries_for_10_or_1000_applications",
    "backoffice:document_detail": "telepati/backoffice/tests/test_documents_desk.py"
    "::test_the_list_and_the_page_cost_the_same_queries_for_10_or_1000_applications",
    "backoffice:counter_queue_fragment": "telepati/backoffice/tests/test_counter_pages.py"
    "::test_the_queue_fragment_takes_the_same_queries_for_10_and_200_bookings",
    "backoffice:announcement_detail": "telepati/backoffice/tests/test_announcements.py"
    "::test_the_progress_page_costs_the_same_queries_for_10_or_1000_recipients",
    "backoffice:dashboard": "telepati/backoffice/tests/test_dashboard_pages.py"
    "::test_the_dashboard_takes_the_same_queries_for_10_or_1000_reports",
    "backoffice:dashboard_excel": "telepati/backoffice/tests/test_dashboard_pages.py"
    "::test_the_dashboard_takes_the_same_queries_for_10_or_1000_reports",
    # Programs in the back office (their URLs are wired by the programs area).
    "backoffice:programs": f"{_PROGRAMS}"
    "::test_the_umkm_list_costs_the_same_for_10_or_200_businesses",
    "backoffice:program_business": f"{_PROGRAMS}"
    "::test_the_business_page_costs_the_same_for_10_or_200_products_and_trainings",
    "backoffice:program_trainings": f"{_PROGRAMS}"
    "::test_the_training_pages_cost_the_same_for_10_or_200_trainings_and_businesses",
    "backoffice:program_training": f"{_PROGRAMS}"
    "::test_the_training_pages_cost_the_same_for_10_or_200_trainings_and_businesses",
    "backoffice:program_activities": f"{_PROGRAMS}"
    "::test_the_activity_pages_cost_the_same_for_10_or_200_activities_photos_and_links",
    "backoffice:program_activity": f"{_PROGRAMS}"
    "::test_the_activity_pages_cost_the_same_for_10_or_200_activities_photos_and_links",
}

_ACTION = "POST action on one row by id; redirects to its page"
ACTIONS: dict[str, str] = dict.fromkeys(
    (
        "backoffice:report_action",
        "backoffice:report_bulk",
        "backoffice:unit_acknowledge",
        "backoffice:unit_update",
        "backoffice:unit_complete",
        "backoffice:unit_return",
        "backoffice:conversation_take",
        "backoffice:conversation_reply",
        "backoffice:conversation_release",
        "backoffice:courier_action",
        "backoffice:document_action",
        "backoffice:counter_call_next",
        "backoffice:counter_walk_in",
        "backoffice:counter_action",
        "backoffice:announcement_send",
        "backoffice:announcement_cancel",
        "backoffice:logout",
        "web:appointment_submit",
        "web:appointment_cancel",
        "web:appointment_reschedule",
        "backoffice:program_business_edit",
        "backoffice:program_business_guidance",
        "backoffice:program_business_publish",
        "backoffice:program_business_product",
        "backoffice:program_business_product_photo",
        "backoffice:program_training_attendance",
        "backoffice:program_activity_progress",
        "backoffice:program_activity_photo",
        "backoffice:program_activity_link",
        "backoffice:program_activity_unlink",
    ),
    _ACTION,
)

NOT_PAGES: dict[str, str] = {
    "set_language": "Django's language switch: a cookie and a redirect",
    "web:manifest": "static web app manifest",
    "web:service_worker": "static service worker script",
    "web:offline": "static offline page",
    "api:docs": "static API documentation page (reads the schema URL)",
    "simulator:page": "development simulator (off in production)",
    "simulator:thread": "development simulator (off in production)",
    "simulator:send": "development simulator (off in production)",
    "simulator:media_preview": "development simulator (off in production)",
    "simulator:graph_media_download": "development simulator (off in production)",
    "simulator:graph_media_lookup": "development simulator (off in production)",
}
# Django's admin: changelists paginate; the reports changelist, the largest, is measured in
# telepati/reports/tests/test_admin_reports.py. Not walked page by page (docs/reliability.md).
ADMIN_PREFIX = "admin:"


# --- The world that grows --------------------------------------------------------------


class World:
    """Rows of every table the pages list; `grow(n)` adds n of each."""

    def __init__(self, *, kelurahan: Any, unit: Any, officer: Any) -> None:
        self.kelurahan, self.unit, self.officer = kelurahan, unit, officer
        self.category = Category.objects.get(code="kebersihan")
        self.made = 0

    def grow(self, count: int) -> None:
        start, base = self.made, timezone.now() - timedelta(days=2)
        reports = Report.objects.bulk_create(
            Report(
                tracking_number=f"Q{start + i:06d}",
                kecamatan=self.kelurahan.kecamatan,
                kelurahan=self.kelurahan,
                category=self.category,
                channel="whatsapp",
                description="Sampah menumpuk.",
                status=("in_progress", "resolved", "new", "verified")[i % 4],
                latitude=Decimal("3.54") + Decimal(i % 50) / 1000,
                longitude=Decimal("98.70"),
                submitted_at=base - timedelta(minutes=start + i),
                resolution_due_at=base + timedelta(hours=30),
            )
            for i in range(count)
        )
        Disposition.objects.bulk_create(
            Disposition(
                report=report,
                unit=self.unit,
                status="in_progress",
                forwarded_at=report.submitted_at,
                due_at=report.submitted_at + timedelta(days=3),
                forwarded_by=self.officer,
            )
            for report in reports
        )
        phones = [f"+628129{start + i:07d}" for i in range(count)]
        citizens = Citizen.objects.bulk_create(
            Citizen(name=f"Warga {start + i}", phone=phone) for i, phone in enumerate(phones)
        )
        conversations = Conversation.objects.bulk_create(
            Conversation(citizen=citizen, wa_id=phone[1:], last_inbound_at=base)
            for citizen, phone in zip(citizens, phones, strict=True)
        )
        InboundMessage.objects.bulk_create(
            InboundMessage(
                wamid=f"wamid.q.{start + i}",
                conversation=conversation,
                kind="text",
                text="halo",
                sent_at=base,
            )
            for i, conversation in enumerate(conversations)
        )
        OutboundMessage.objects.bulk_create(
            OutboundMessage(dedupe_key=f"q:{start + i}", recipient_phone=phone, text="Halo.")
            for i, phone in enumerate(phones)
        )
        self.made += count


@pytest.fixture
def world(territory, harjosari_i, dlh, camat, amplas, amplas_service) -> World:
    Category.objects.create(code="kebersihan", name="Kebersihan & sampah", default_unit=dlh)
    DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        handling_unit=amplas_service,
    )
    service_make(kecamatan=amplas, unit=amplas_service)
    return World(kelurahan=harjosari_i, unit=dlh, officer=camat)


AMPLAS = {"jurisdiction_id": "medan-amplas"}
# name -> (persona fixture or None, path, query)
MEASURED: dict[str, tuple[str | None, str, dict[str, str]]] = {
    "healthz": (None, "/healthz", {}),
    "web:home": (None, "/", {}),
    "web:report_done": (None, "/lapor/terkirim/", {}),
    "web:report_duplicates": (
        None,
        "/lapor/serupa/",
        {"category": "kebersihan", "latitude": "3.54", "longitude": "98.70"},
    ),
    "web:report_form_token": (None, "/lapor/token/", {}),
    "web:document_service": (None, "/layanan/ktp-el/", {}),
    "web:document_status": (None, "/dokumen/cek/", {}),
    "web:document_preregister": (None, "/dokumen/daftar/", {}),
    "web:appointments": (None, "/temu/", {}),
    "web:appointment_manage": (None, "/temu/kelola/", {}),
    "web:queue_display": (None, "/layar/loket-adminduk/", {}),
    "announcements:subscribe": (None, "/langganan/", {}),
    "open311:discovery": (None, "/open311/v2/discovery.json", AMPLAS),
    "open311:services": (None, "/open311/v2/services.json", AMPLAS),
    "open311:service": (None, "/open311/v2/services/kebersihan.json", AMPLAS),
    "open311:request": (None, "/open311/v2/requests/Q000003.json", AMPLAS),
    "open311:token": (None, "/open311/v2/tokens/tidak-ada.json", AMPLAS),
    "open311:updates": (None, "/open311/v2/servicerequestupdates.json", AMPLAS),
    "api:document_status": (None, "/api/v1/documents/status/", {}),
    "api:schema": (None, "/api/v1/schema/", {}),
    "backoffice:home": ("camat", "/kantor/", {}),
    "backoffice:login": (None, "/kantor/masuk/", {}),
    "backoffice:login_verify": (None, "/kantor/masuk/verifikasi/", {}),
    "backoffice:account_security": ("camat", "/kantor/akun/keamanan/", {}),
    "backoffice:conversation_thread": (
        "desk_operator",
        "/kantor/percakapan/{conversation}/utas/",
        {},
    ),
    "backoffice:document_register": ("desk_operator", "/kantor/dokumen/baru/", {}),
    "backoffice:document_import": ("desk_operator", "/kantor/dokumen/impor/", {}),
    "backoffice:document_import_detail": ("desk_operator", "/kantor/dokumen/impor/999999/", {}),
    "backoffice:courier_day": ("courier", "/kantor/dokumen/antar/", {}),
    "backoffice:counter": ("desk_operator", "/kantor/loket/", {}),
    "backoffice:counter_queue": ("desk_operator", "/kantor/loket/{service}/", {}),
    "backoffice:dashboard_pdf": ("camat", "/kantor/dasbor/pdf/", {}),
    "backoffice:announcement_list": ("desk_operator", "/kantor/pengumuman/", {}),
    "backoffice:announcement_compose": ("desk_operator", "/kantor/pengumuman/baru/", {}),
    "backoffice:announcement_params": ("desk_operator", "/kantor/pengumuman/parameter/", {}),
    "backoffice:announcement_count": ("desk_operator", "/kantor/pengumuman/jumlah-penerima/", {}),
    "backoffice:announcement_edit": ("desk_operator", "/kantor/pengumuman/999999/ubah/", {}),
    "backoffice:program_business_register": ("desk_operator", "/kantor/program/umkm/baru/", {}),
    "backoffice:program_training_record": ("desk_operator", "/kantor/program/pelatihan/baru/", {}),
    "backoffice:program_activity_record": ("desk_operator", "/kantor/program/kegiatan/baru/", {}),
    "web:umkm_detail": (None, "/umkm/999999/", {}),
    "web:program_activity": (None, "/program/999999/", {}),
}

# Pages with their own query-count test (COVERED, 10 against 1,000 rows) that list the
# tables the world grows: measured here at 10,000 rows as well.
AT_SCALE: dict[str, tuple[str | None, str, dict[str, str]]] = {
    "backoffice:report_inbox": ("desk_operator", "/kantor/laporan/", {}),
    "backoffice:report_detail": ("desk_operator", "/kantor/laporan/Q000003/", {}),
    "backoffice:unit_inbox": ("agency_liaison", "/kantor/unit/", {}),
    "backoffice:conversations": ("desk_operator", "/kantor/percakapan/", {}),
    "backoffice:conversation_detail": ("desk_operator", "/kantor/percakapan/{conversation}/", {}),
    "backoffice:dashboard": ("camat", "/kantor/dasbor/", {}),
    "web:public_reports": (None, "/laporan-publik/", {}),
    "web:public_statistics": (None, "/statistik/", {}),
    "web:public_report": (None, "/laporan-publik/Q000003/", {}),
    "open311:requests": (None, "/open311/v2/requests.json", AMPLAS),
}

# Measured on their refusal or not-found path only (no row of theirs in the world yet):
# the cost of a miss is pinned, not the cost of a full page — a gap listed in
# docs/reliability.md.
EXPECTED_STATUS = {
    "web:report_done": 302,  # without a report just filed: back to the form
    "backoffice:login_verify": 302,  # without a pending sign-in: back to the login
    "api:document_status": 401,
    "backoffice:announcement_edit": 404,
    "backoffice:document_import_detail": 404,
    "open311:token": 404,
    "web:program_activity": 404,
    "web:umkm_detail": 404,
}


# --- The registry ----------------------------------------------------------------------


def _names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def url_names() -> list[str]:
    return sorted(set(_names(get_resolver())))


def _test_exists(pointer: str) -> bool:
    path, _, name = pointer.partition("::")
    file = BASE_DIR / path
    if not file.is_file():
        return False
    tree = ast.parse(file.read_text())
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)


def test_every_url_has_a_query_count_test():
    registered = COVERED.keys() | MEASURED.keys() | ACTIONS.keys() | NOT_PAGES.keys()
    missing = [
        name for name in url_names() if name not in registered and not name.startswith(ADMIN_PREFIX)
    ]
    assert missing == [], "URLs without a query-count test: add one, or measure them here"


def test_every_url_is_registered_once():
    groups = [COVERED.keys(), MEASURED.keys(), ACTIONS.keys(), NOT_PAGES.keys()]
    seen: list[str] = [name for group in groups for name in group]
    assert sorted(name for name in set(seen) if seen.count(name) > 1) == []
    assert sorted(AT_SCALE.keys() - COVERED.keys()) == []  # extra measurements, not a group


@pytest.mark.parametrize("name", sorted(COVERED))
def test_the_query_count_test_named_for_a_url_exists(name):
    assert _test_exists(COVERED[name]), COVERED[name]


# --- Measured here ---------------------------------------------------------------------


def _count(client, path: str, query: dict[str, str]) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    return response.status_code, len(captured.captured_queries)


# Rows of every growing table at the second measurement (the item 7).
MANY = 10_000


def _measure_page(client, request, name: str) -> tuple[int, int]:
    """(status, queries) of one measured page, as its persona, after a warm-up request."""
    persona, path, query = MEASURED.get(name) or AT_SCALE[name]
    client.logout()
    if persona is not None:
        client.force_login(request.getfixturevalue(persona))
        client.get("/kantor/")  # the first request of a session writes it
    concrete = path.format(
        conversation=Conversation.objects.order_by("pk").values_list("pk", flat=True)[0],
        service=_service_pk(),
    )
    _count(client, concrete, query)  # warm per-process caches (settings, translations)
    return _count(client, concrete, query)


def _service_pk() -> int:
    from telepati.appointments.models import OfficeService

    return OfficeService.objects.values_list("pk", flat=True).get()


@pytest.mark.django_db
def test_every_measured_page_costs_the_same_queries_for_10_or_10000_rows(
    client, world, request, settings
):
    # Rate-limit counters live in per-minute windows: growing the world can cross a minute,
    # and a new window costs different cache queries. Their cost is constant by design and
    # tested with the limiter, so it stays out of these counts.
    settings.RATELIMIT_ENABLE = False
    names = [name for name in sorted({*MEASURED, *AT_SCALE}) if name in url_names()]
    assert len(names) >= 50  # the registry is wired: nothing skipped silently
    world.grow(10)
    few = {name: _measure_page(client, request, name) for name in names}
    # One growth for every page: 10,000 rows of each table take seconds to write.
    world.grow(MANY - 10)
    many = {name: _measure_page(client, request, name) for name in names}
    assert {name: status for name, (status, _n) in few.items()} == {
        name: EXPECTED_STATUS.get(name, 200) for name in names
    }
    assert many == few
