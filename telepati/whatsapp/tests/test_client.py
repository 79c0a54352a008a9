"""The Graph client against a real loopback Graph API, and the error mapping behind it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from telepati.whatsapp.client import GraphClient, MediaInfo, graph_client_from_settings
from telepati.whatsapp.errors import (
    MediaTooLargeError,
    WhatsAppError,
    WhatsAppPermanentError,
    WhatsAppTransientError,
    error_from_code,
    error_from_response,
    retry_after_parse,
)
from telepati.whatsapp.testing import GraphStandIn, graph_error_body
from telepati.whatsapp.tests.conftest import STAND_IN_PHONE_NUMBER_ID, STAND_IN_TOKEN

SITI = "6281234567890"
BUDI_BSUID = "ID.2874619035517738120"
MESSAGES_PATH = f"/v25.0/{STAND_IN_PHONE_NUMBER_ID}/messages"

# --- Error mapping ------------------------------------------------------------------------

TRANSIENT_CODES = [
    1,
    2,
    4,
    17,
    80007,
    130429,
    131000,
    131016,
    131048,
    131056,
    131057,
    133004,
    135000,
]
PERMANENT_CODES = [
    0,
    3,
    10,
    100,
    190,
    131008,
    131009,
    131021,
    131026,
    131031,
    131047,
    131049,
    131051,
    131052,
    131053,
    132000,
    132001,
    132005,
    132007,
    132012,
    132015,
    132016,
    133010,
]


@pytest.mark.parametrize(
    ("code", "cls"),
    [(c, WhatsAppTransientError) for c in TRANSIENT_CODES]
    + [(c, WhatsAppPermanentError) for c in PERMANENT_CODES],
)
def test_a_known_code_decides_whatever_the_http_status(code, cls):
    for status in (400, 403, 429, 500, 503):
        error = error_from_response(status, graph_error_body(code, "x"))

        assert type(error) is cls
        assert error.permanent is (cls is WhatsAppPermanentError)
        assert (error.code, error.status_code) == (code, status)


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),
        (401, True),
        (403, True),
        (404, True),
        (408, False),
        (409, True),
        (413, True),
        (422, True),
        (429, False),
        (500, False),
        (502, False),
        (503, False),
        (504, False),
    ],
)
def test_without_a_known_code_the_http_status_decides(status, permanent):
    for body in (None, "<html>Bad gateway</html>", {}, {"error": "x"}, graph_error_body(999999)):
        error = error_from_response(status, body)

        assert error.permanent is permanent
        assert isinstance(error, WhatsAppPermanentError if permanent else WhatsAppTransientError)


def test_a_graph_error_body_is_read_completely():
    body = graph_error_body(131047, "Re-engagement message", "More than 24 hours have passed.")

    error = error_from_response(400, body, retry_after=None)

    assert (error.code, error.title, error.message, error.details, error.status_code) == (
        131047,
        "Re-engagement message",
        "(#131047) Re-engagement message",
        "More than 24 hours have passed.",
        400,
    )
    assert str(error) == "(#131047) Re-engagement message"


def test_a_code_given_as_a_string_is_understood():
    error = error_from_response(400, {"error": {"code": "130429", "message": "Rate limit"}})

    assert (error.code, error.permanent, error.title) == (130429, False, "Rate limit hit")


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (131047, WhatsAppPermanentError),
        (131026, WhatsAppPermanentError),
        (131049, WhatsAppPermanentError),
        (130429, WhatsAppTransientError),
        (131000, WhatsAppTransientError),
        (131057, WhatsAppTransientError),
        (424242, WhatsAppPermanentError),
        (None, WhatsAppPermanentError),
    ],
)
def test_error_from_code_serves_failed_status_webhooks(code, cls):
    error = error_from_code(code, title="t", message="m", details="d")

    assert type(error) is cls
    assert (error.code, error.title, error.message, error.details) == (code, "t", "m", "d")


def test_error_from_code_fills_in_a_missing_title():
    assert error_from_code(131026).title == "Message undeliverable"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(None, None), ("", None), ("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), ("soon", None)],
)
def test_retry_after_reads_seconds(header, seconds):
    assert retry_after_parse(header) == seconds


def test_retry_after_reads_an_http_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)

    assert 110 <= (retry_after_parse(later) or 0) <= 120


# --- Sending --------------------------------------------------------------------------------


def test_the_client_is_built_from_settings(graph_stand_in):
    with graph_client_from_settings() as client:
        assert client.base_url == graph_stand_in.base_url
        assert (client.api_version, client.phone_number_id) == ("v25.0", STAND_IN_PHONE_NUMBER_ID)


def test_send_text_posts_meta_s_shape_with_the_bearer_token(graph_client, graph_stand_in):
    wamid = graph_client.send_text(to=SITI, recipient=None, body="Laporan Anda sudah diterima.")

    assert wamid == "wamid.1"
    [request] = graph_stand_in.requests
    assert (request.method, request.path) == ("POST", MESSAGES_PATH)
    assert request.headers["authorization"] == f"Bearer {STAND_IN_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "text",
        "text": {"body": "Laporan Anda sudah diterima.", "preview_url": False},
    }


def test_send_text_can_reply_to_a_message_and_carry_callback_data(graph_client, graph_stand_in):
    graph_client.send_text(to=SITI, body="Baik.", reply_to="wamid.IN", callback_data="outbox:9")

    assert graph_stand_in.requests[0].json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "text",
        "biz_opaque_callback_data": "outbox:9",
        "text": {"body": "Baik.", "preview_url": False},
        "context": {"message_id": "wamid.IN"},
    }


def test_a_resident_known_only_by_bsuid_is_addressed_as_recipient(graph_client, graph_stand_in):
    graph_client.send_text(to=None, recipient=BUDI_BSUID, body="Halo")

    payload = graph_stand_in.requests[0].json
    assert payload["recipient"] == BUDI_BSUID
    assert "to" not in payload


def test_to_wins_over_recipient(graph_client, graph_stand_in):
    graph_client.send_text(to=SITI, recipient=BUDI_BSUID, body="Halo")

    payload = graph_stand_in.requests[0].json
    assert payload["to"] == SITI
    assert "recipient" not in payload


def test_a_message_without_any_address_is_refused_before_sending(graph_client, graph_stand_in):
    with pytest.raises(ValueError, match="`to`"):
        graph_client.send_text(to=None, recipient=None, body="Halo")

    assert graph_stand_in.requests == []


@pytest.mark.parametrize("body", ["", "x" * 4097])
def test_a_text_outside_meta_s_limits_is_refused(graph_client, graph_stand_in, body):
    with pytest.raises(ValueError, match="text must have 1 to 4096 characters"):
        graph_client.send_text(to=SITI, body=body)

    assert graph_stand_in.requests == []


def test_each_send_returns_the_wamid_meta_gave(graph_client):
    assert [graph_client.send_text(to=SITI, body=str(i)) for i in range(3)] == [
        "wamid.1",
        "wamid.2",
        "wamid.3",
    ]


def test_send_buttons_posts_reply_buttons(graph_client, graph_stand_in):
    wamid = graph_client.send_buttons(
        to=SITI,
        recipient=None,
        body="Pengaduan Anda sudah kami terima. Apa yang ingin Anda lakukan?",
        buttons=[
            ("cek_status:L2611-0042", "Cek status"),
            ("tambah_foto:L2611-0042", "Tambah foto"),
            ("batal:L2611-0042", "Batalkan"),
        ],
        header="Pengaduan L2611-0042",
        footer="WA Center Kecamatan",
    )

    assert wamid == "wamid.1"
    assert graph_stand_in.requests[0].json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "header": {"type": "text", "text": "Pengaduan L2611-0042"},
            "body": {"text": "Pengaduan Anda sudah kami terima. Apa yang ingin Anda lakukan?"},
            "footer": {"text": "WA Center Kecamatan"},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {"id": "cek_status:L2611-0042", "title": "Cek status"},
                    },
                    {
                        "type": "reply",
                        "reply": {"id": "tambah_foto:L2611-0042", "title": "Tambah foto"},
                    },
                    {"type": "reply", "reply": {"id": "batal:L2611-0042", "title": "Batalkan"}},
                ]
            },
        },
    }


def test_buttons_without_header_and_footer_leave_them_out(graph_client, graph_stand_in):
    graph_client.send_buttons(to=SITI, body="Lanjut?", buttons=[("ya", "Ya"), ("tidak", "Tidak")])

    interactive = graph_stand_in.requests[0].json["interactive"]
    assert set(interactive) == {"type", "body", "action"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"buttons": []}, "1 to 3 buttons"),
        ({"buttons": [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]}, "1 to 3 buttons"),
        ({"buttons": [("a", "x" * 21)]}, "must have 1 to 20 characters"),
        ({"buttons": [("a", "")]}, "must have 1 to 20 characters"),
        ({"buttons": [("a", "Ya"), ("b", "Ya")]}, "titles must be unique"),
        ({"buttons": [("a", "Ya"), ("a", "Tidak")]}, "ids must be unique"),
        ({"buttons": [("x" * 257, "Ya")]}, "button id must have 1 to 256"),
        ({"body": "x" * 1025}, "body must have 1 to 1024"),
        ({"header": "x" * 61}, "header must have 0 to 60"),
        ({"footer": "x" * 61}, "footer must have 0 to 60"),
    ],
)
def test_buttons_outside_meta_s_limits_are_refused(graph_client, graph_stand_in, kwargs, message):
    arguments = {"to": SITI, "body": "Pilih:", "buttons": [("ya", "Ya")], **kwargs}

    with pytest.raises(ValueError, match=message):
        graph_client.send_buttons(**arguments)

    assert graph_stand_in.requests == []


def test_a_button_title_of_exactly_20_characters_is_allowed(graph_client):
    assert graph_client.send_buttons(to=SITI, body="Pilih:", buttons=[("a", "x" * 20)]) == "wamid.1"


def test_send_list_posts_sections_and_rows(graph_client, graph_stand_in):
    graph_client.send_list(
        to=SITI,
        recipient=None,
        body="Pilih jenis pengaduan.",
        button="Pilih kategori",
        sections=[
            (
                "Lingkungan",
                [
                    ("kategori:sampah", "Sampah", "Sampah tidak diangkut, TPS liar"),
                    ("kategori:drainase", "Drainase", ""),
                ],
            ),
            ("Jalan", [("kategori:lampu", "Lampu jalan", "Lampu jalan mati")]),
        ],
        header="Kategori",
        footer="WA Center Kecamatan",
    )

    assert graph_stand_in.requests[0].json["interactive"] == {
        "type": "list",
        "header": {"type": "text", "text": "Kategori"},
        "body": {"text": "Pilih jenis pengaduan."},
        "footer": {"text": "WA Center Kecamatan"},
        "action": {
            "button": "Pilih kategori",
            "sections": [
                {
                    "title": "Lingkungan",
                    "rows": [
                        {
                            "id": "kategori:sampah",
                            "title": "Sampah",
                            "description": "Sampah tidak diangkut, TPS liar",
                        },
                        {"id": "kategori:drainase", "title": "Drainase"},
                    ],
                },
                {
                    "title": "Jalan",
                    "rows": [
                        {
                            "id": "kategori:lampu",
                            "title": "Lampu jalan",
                            "description": "Lampu jalan mati",
                        }
                    ],
                },
            ],
        },
    }


def rows(n):
    return [(f"r{i}", f"Baris {i}", "") for i in range(n)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sections": [("A", rows(2)), ("B", rows(2))]}, "row ids must be unique"),
        ({"sections": [("A", rows(11))]}, "1 to 10 rows in total"),
        ({"sections": [("A", [("r", "x" * 25, "")])]}, "must have 1 to 24 characters"),
        ({"sections": [("A", [("r", "Baris", "x" * 73)])]}, "description must have 0 to 72"),
        ({"sections": [("A", [("x" * 201, "Baris", "")])]}, "row id must have 1 to 200"),
        ({"sections": [("x" * 25, rows(1))]}, "must have 0 to 24 characters"),
        ({"sections": [("A", rows(1)), ("", [("z", "Z", "")])]}, "must have 1 to 24 characters"),
        ({"sections": [("A", [])]}, "1 to 10 rows in total"),
        ({"sections": []}, "1 to 10 sections"),
        ({"button": "x" * 21}, "list button must have 1 to 20"),
        ({"button": ""}, "list button must have 1 to 20"),
        ({"body": "x" * 4097}, "body must have 1 to 4096"),
    ],
)
def test_lists_outside_meta_s_limits_are_refused(graph_client, graph_stand_in, kwargs, message):
    arguments = {"to": SITI, "body": "Pilih:", "button": "Pilih", "sections": [("A", rows(1))]}

    with pytest.raises(ValueError, match=message):
        graph_client.send_list(**{**arguments, **kwargs})

    assert graph_stand_in.requests == []


def test_ten_rows_across_sections_are_allowed_and_a_single_section_needs_no_title(
    graph_client, graph_stand_in
):
    graph_client.send_list(to=SITI, body="Pilih:", button="Pilih", sections=[("", rows(10))])

    [section] = graph_stand_in.requests[0].json["interactive"]["action"]["sections"]
    assert "title" not in section
    assert len(section["rows"]) == 10


def test_send_template_posts_body_parameters_and_quick_reply_payloads(graph_client, graph_stand_in):
    wamid = graph_client.send_template(
        to=SITI,
        recipient=None,
        name="laporan_selesai",
        language="id",
        params=["Siti Aminah", "L2611-0042"],
        buttons_payloads=["cek_status:L2611-0042", "nilai:L2611-0042"],
    )

    assert wamid == "wamid.1"
    assert graph_stand_in.requests[0].json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "template",
        "template": {
            "name": "laporan_selesai",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Siti Aminah"},
                        {"type": "text", "text": "L2611-0042"},
                    ],
                },
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "0",
                    "parameters": [{"type": "payload", "payload": "cek_status:L2611-0042"}],
                },
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "1",
                    "parameters": [{"type": "payload", "payload": "nilai:L2611-0042"}],
                },
            ],
        },
    }


def test_a_template_without_parameters_has_no_components(graph_client, graph_stand_in):
    graph_client.send_template(to=SITI, name="hello_world", language="en_US", params=[])

    assert graph_stand_in.requests[0].json["template"] == {
        "name": "hello_world",
        "language": {"code": "en_US"},
    }


def test_mark_read_posts_the_read_receipt(graph_client, graph_stand_in):
    assert graph_client.mark_read(wamid="wamid.IN") is None
    graph_client.mark_read(wamid="wamid.IN2", typing=True)

    assert [r.json for r in graph_stand_in.requests] == [
        {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN"},
        {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": "wamid.IN2",
            "typing_indicator": {"type": "text"},
        },
    ]
    assert {r.path for r in graph_stand_in.requests} == {MESSAGES_PATH}


# --- Failures ---------------------------------------------------------------------------------


def test_a_server_error_is_transient(graph_client, graph_stand_in):
    graph_stand_in.fail_next(status=500)

    with pytest.raises(WhatsAppTransientError) as caught:
        graph_client.send_text(to=SITI, body="Halo")

    assert (caught.value.permanent, caught.value.status_code, caught.value.code) == (
        False,
        500,
        None,
    )
    assert graph_client.send_text(to=SITI, body="Halo lagi") == "wamid.1"


def test_a_timeout_is_transient(graph_client, graph_stand_in):
    graph_stand_in.timeout_next()
    started = time.monotonic()

    with pytest.raises(WhatsAppTransientError) as caught:
        graph_client.send_text(to=SITI, body="Halo")

    assert time.monotonic() - started < 1.5
    assert (caught.value.permanent, caught.value.title, caught.value.status_code) == (
        False,
        "timeout",
        None,
    )


def test_an_unreachable_graph_api_is_transient():
    with GraphStandIn() as stand_in:
        base_url = stand_in.base_url
    client = GraphClient(
        base_url=base_url,
        api_version="v25.0",
        phone_number_id="1",
        access_token="t",
        timeout_seconds=0.5,
    )

    with pytest.raises(WhatsAppTransientError) as caught:
        client.send_text(to=SITI, body="Halo")

    assert caught.value.title == "network error"


def test_outside_the_window_is_permanent(graph_client, graph_stand_in):
    graph_stand_in.error_next(
        code=131047,
        status=400,
        message="Re-engagement message",
        details="More than 24 hours have passed.",
    )

    with pytest.raises(WhatsAppPermanentError) as caught:
        graph_client.send_text(to=SITI, body="Halo")

    error = caught.value
    assert (error.code, error.permanent, error.status_code, error.title, error.details) == (
        131047,
        True,
        400,
        "Re-engagement message",
        "More than 24 hours have passed.",
    )


def test_a_rate_limit_is_transient_with_the_retry_after_header(graph_client, graph_stand_in):
    graph_stand_in.error_next(code=130429, status=429, headers={"Retry-After": "30"})

    with pytest.raises(WhatsAppTransientError) as caught:
        graph_client.send_text(to=SITI, body="Halo")

    assert (caught.value.code, caught.value.retry_after) == (130429, 30.0)


def test_a_bare_429_is_transient_without_retry_after(graph_client, graph_stand_in):
    graph_stand_in.fail_next(status=429)

    with pytest.raises(WhatsAppTransientError) as caught:
        graph_client.send_text(to=SITI, body="Halo")

    assert (caught.value.status_code, caught.value.retry_after) == (429, None)


def test_a_wrong_token_is_permanent(graph_stand_in, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "expired"

    with graph_client_from_settings() as client, pytest.raises(WhatsAppPermanentError) as caught:
        client.send_text(to=SITI, body="Halo")

    assert (caught.value.code, caught.value.status_code) == (190, 401)


def test_a_success_without_a_wamid_is_permanent_so_it_is_never_sent_twice(
    graph_client, graph_stand_in
):
    graph_stand_in.fail_next(status=200, body={"messaging_product": "whatsapp"})

    with pytest.raises(WhatsAppPermanentError, match="without a message id"):
        graph_client.send_text(to=SITI, body="Halo")


def test_every_failure_is_a_whatsapp_error(graph_client, graph_stand_in):
    graph_stand_in.fail_next(status=502, body={"unexpected": True})

    with pytest.raises(WhatsAppError):
        graph_client.send_text(to=SITI, body="Halo")


# --- Media ------------------------------------------------------------------------------------


def test_media_url_looks_up_the_media_id(graph_client, graph_stand_in):
    url = graph_stand_in.media_add("1003383421387256", b"\xff\xd8jpeg", "image/jpeg")

    info = graph_client.media_url(media_id="1003383421387256")

    assert info == MediaInfo(url=url, mime_type="image/jpeg", sha256="stand-in-sha256", file_size=6)
    [request] = graph_stand_in.requests
    assert (request.method, request.path, request.query) == (
        "GET",
        "/v25.0/1003383421387256",
        {"phone_number_id": STAND_IN_PHONE_NUMBER_ID},
    )
    assert request.headers["authorization"] == f"Bearer {STAND_IN_TOKEN}"


def test_media_download_sends_the_bearer_token(graph_client, graph_stand_in):
    url = graph_stand_in.media_add("1003383421387256", b"\xff\xd8" + b"x" * 1000)

    content = graph_client.media_download(url=url, max_bytes=1002)

    assert content == b"\xff\xd8" + b"x" * 1000
    assert graph_stand_in.requests[0].headers["authorization"] == f"Bearer {STAND_IN_TOKEN}"


def test_media_larger_than_the_limit_is_refused(graph_client, graph_stand_in):
    url = graph_stand_in.media_add("1003383421387256", b"x" * 1001)

    with pytest.raises(MediaTooLargeError) as caught:
        graph_client.media_download(url=url, max_bytes=1000)

    assert caught.value.permanent is True


def test_media_of_unknown_length_is_cut_off_while_streaming(graph_client, graph_stand_in):
    url = graph_stand_in.media_add("1003383421387256", b"x" * 5000, chunked=True)

    with pytest.raises(MediaTooLargeError):
        graph_client.media_download(url=url, max_bytes=4096)


def test_media_of_unknown_length_within_the_limit_is_downloaded(graph_client, graph_stand_in):
    url = graph_stand_in.media_add("1003383421387256", b"x" * 5000, chunked=True)

    assert graph_client.media_download(url=url, max_bytes=5000) == b"x" * 5000


def test_an_unknown_media_id_is_permanent(graph_client, graph_stand_in):
    with pytest.raises(WhatsAppPermanentError) as caught:
        graph_client.media_url(media_id="404")

    assert (caught.value.status_code, caught.value.code) == (404, 100)


def test_an_expired_media_url_is_a_permanent_error_to_look_up_again(graph_client, graph_stand_in):
    with pytest.raises(WhatsAppPermanentError) as caught:
        graph_client.media_download(url=graph_stand_in.media_download_url("gone"), max_bytes=10)

    assert caught.value.status_code == 404


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "/media/1"])
def test_media_download_only_fetches_http_urls(graph_client, graph_stand_in, url):
    with pytest.raises(ValueError, match="not a media URL"):
        graph_client.media_download(url=url, max_bytes=10)

    assert graph_stand_in.requests == []


def test_the_token_never_travels_over_plain_http_when_the_graph_url_is_https(graph_stand_in):
    client = GraphClient(
        base_url="https://graph.facebook.com",
        api_version="v25.0",
        phone_number_id="1",
        access_token="t",
    )

    with pytest.raises(WhatsAppPermanentError, match="over http"):
        client.media_download(url=graph_stand_in.media_download_url("1"), max_bytes=10)

    assert graph_stand_in.requests == []


def test_sends_are_paced_to_the_rate_limit(graph_stand_in, settings):
    settings.WHATSAPP_RATE_PER_SECOND = 20
    started = time.monotonic()

    with graph_client_from_settings() as client:
        for i in range(4):
            client.send_text(to=SITI, body=str(i))

    assert time.monotonic() - started >= 0.15
