"""Item 5 (the main forms): whatever a browser posts, the public pages never answer 5xx.

Random field values — plausible ones, arbitrary unicode, very long text, control and NUL
characters, numbers no parser likes — are POSTed through the test client to the report
form, document pre-registration, temu cepat booking and its management, and the three
status checks; the pages that read the query string get random query strings. Every answer
must be below 500 (a refusal, a form with errors, a redirect or the page itself). Rate
limits are raised so that every example reaches the form code.

The webhook parser and the Open311 arguments have their own property tests
(telepati/whatsapp/tests/test_parser.py, telepati/open311/tests/test_hypothesis.py); the
REST API is covered by schemathesis (telepati/api/tests/test_schema.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from telepati.appointments.tests.conftest import service_make
from telepati.documents.models import DocumentType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("categories")]

EXAMPLES = 60
UNLIMITED = "100000/m"
RATES = (
    "TELEPATI_BOOKING_IP_RATE",
    "TELEPATI_BOOKING_LOOKUP_IP_RATE",
    "TELEPATI_BOOKING_LOOKUP_CODE_RATE",
    "TELEPATI_STATUS_CHECK_IP_RATE",
    "TELEPATI_STATUS_CHECK_CODE_RATE",
    "TELEPATI_PREREGISTER_IP_RATE",
    "TELEPATI_REPORT_WEB_IP_RATE",
    "TELEPATI_TRACK_IP_RATE",
    "TELEPATI_TRACK_NUMBER_RATE",
)
SLOT = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")

# path -> the form's field names (random other names are added too)
FORMS: dict[str, list[str]] = {
    "/lapor/": [
        "submission_token",
        "category",
        "description",
        "latitude",
        "longitude",
        "kelurahan",
        "address",
        "reporter_name",
        "reporter_phone",
        "reporter_email",
        "is_anonymous",
        "is_confidential",
    ],
    "/dokumen/daftar/": [
        "submission_token",
        "document_type",
        "applicant_name",
        "phone",
        "nik",
        "kelurahan",
        "address",
    ],
    "/temu/pesan/": ["submission_token", "service", "slot", "name", "phone", "purpose"],
    "/temu/kelola/": ["code", "phone_last4", "day"],
    "/temu/kelola/batal/": ["code", "phone_last4", "day"],
    "/temu/kelola/jadwal-ulang/": ["code", "phone_last4", "day", "slot"],
    "/dokumen/cek/": ["code", "phone_last4"],
    "/lacak/": ["number", "phone_last4"],
}
# GET pages that read their query string.
QUERY_PAGES = [
    "/temu/",
    "/lapor/",
    "/lapor/serupa/",
    "/lacak/",
    "/dokumen/cek/",
    "/temu/kelola/",
    "/laporan-publik/",
    "/statistik/",
    "/layanan/",
    "/umkm/",
    "/program/",
]
QUERY_NAMES = [
    "bulan",
    "halaman",
    "jenis",
    "kategori",
    "program",
    "sektor",
    "setelah",
    "tampilan",
    "category",
    "kelurahan",
    "latitude",
    "longitude",
    "layanan",
    "service",
    "hari",
    "day",
    "step",
    "nomor",
    "kode",
    "q",
    "status",
    "page",
    "cursor",
    "sebelum",
    "sesudah",
    "from",
    "to",
    "tahun",
    "bulan",
]
PLAUSIBLE = [
    "",
    " ",
    "kebersihan",
    "1",
    "0",
    "-1",
    "on",
    "ktp-el",
    "loket-adminduk",
    SLOT,
    "2026-02-30T25:61",
    "2026-11-02",
    "L2611-0001",
    "D2611-0001",
    "J2611-0001",
    "7890",
    "0812-3456-7890",
    "+6281234567890",
    "1271010101010001",
    "siti@example.org",
    "3.5412",
    "98.7123",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "0x1F",
    "²",
    "٣",
    "peta",
    "Sampah menumpuk di depan gang Mawar sudah tiga hari.",
    "a" * 70_000,
    "é" * 5_000,
    "\x00",
    "nama\x00nul",
    "\r\n\t\x0b\x0c\x1b[31m",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "🙂" * 300,
    "\u202e\u200b\ufeff",
]
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
value = st.one_of(st.sampled_from(PLAUSIBLE), text)
values = st.one_of(value, st.lists(value, min_size=2, max_size=3))


def fields(names: list[str]):
    return st.dictionaries(
        st.one_of(st.sampled_from(names), text.filter(bool)), values, max_size=len(names) + 2
    )


@pytest.fixture
def open_doors(settings, harjosari_i, amplas, amplas_service):
    """A kelurahan, categories, a document type and a bookable service; no rate limits."""
    for name in RATES:
        setattr(settings, name, UNLIMITED)
    DocumentType.objects.create(
        kecamatan=amplas,
        code="ktp-el",
        name="KTP elektronik (KTP-el)",
        short_name="KTP-el",
        handling_unit=amplas_service,
    )
    service_make(kecamatan=amplas, unit=amplas_service)


# Inputs the fuzzing must skip, by page and field, while a reported bug is open
# (docs/reliability.md); each entry names the file to fix.


KNOWN_BUGS: dict[tuple[str, str], Callable[[str], bool]] = {
    # Empty: the bugs found here were fixed (ids from the URL must be ASCII digits that fit a
    # 64-bit column; a NUL in a query string is a 400; a service code must be a slug). A new
    # finding goes here with its file until it is fixed.
}


def _is_known_bug(path: str, params: dict) -> bool:
    for (bug_path, name), applies in KNOWN_BUGS.items():
        raw = params.get(name) if bug_path == path else None
        values = raw if isinstance(raw, list) else [raw]
        if any(isinstance(v, str) and applies(v) for v in values):
            return True
    return False


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: make test stays repeatable
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.mark.parametrize("path", list(FORMS))
def test_no_posted_values_make_a_server_error(client, open_doors, path):
    @FUZZ
    @given(data=fields(FORMS[path]))
    def check(data):
        assume(not _is_known_bug(path, data))
        response = client.post(path, data)
        assert response.status_code < 500, (path, {k: str(v)[:80] for k, v in data.items()})

    check()


@pytest.mark.parametrize("path", QUERY_PAGES)
def test_no_query_string_makes_a_server_error(client, open_doors, path):
    @FUZZ
    @given(params=fields(QUERY_NAMES))
    def check(params):
        assume(not _is_known_bug(path, params))
        response = client.get(path, params)
        assert response.status_code < 500, (path, {k: str(v)[:80] for k, v in params.items()})

    check()


@pytest.mark.parametrize(
    ("method", "path", "data", "vendors"),
    [
        ("get", "/laporan-publik/", {"kelurahan": "²"}, {"sqlite", "postgresql"}),
        ("get", "/laporan-publik/", {"kelurahan": "9" * 26}, {"sqlite"}),
        ("get", "/statistik/", {"kelurahan": "²"}, {"sqlite", "postgresql"}),
        ("get", "/statistik/", {"kelurahan": "9" * 26}, {"sqlite"}),
        (
            "get",
            "/lapor/serupa/",
            {"kelurahan": "²", "category": "kebersihan"},
            {"sqlite", "postgresql"},
        ),
        ("post", "/temu/pesan/", {"service": "loket\x00adminduk"}, {"postgresql"}),
        ("get", "/umkm/", {"q": "batik\x00"}, {"postgresql"}),
    ],
)
def test_inputs_that_once_made_server_errors_are_refused_cleanly(
    client, open_doors, method, path, data, vendors
):
    """Found by the fuzzing and fixed; `vendors` is where each used to fail."""
    response = getattr(client, method)(path, data)
    assert response.status_code < 500
