"""Outbox delivery through the WhatsApp transport against the loopback Graph API stand-in."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from telepati.citizens.services import citizen_get_or_create
from telepati.core.phone import phone_normalize
from telepati.messaging.delivery import Outcome, message_deliver, messages_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage, PaceSlot
from telepati.whatsapp.models import Conversation, WebhookDelivery
from telepati.whatsapp.services import webhook_delivery_process
from telepati.whatsapp.testing import graph_error_body

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
WA_ID = "6281234567890"
BSUID = "ID.1234567890abcdef"
TEXT = "Laporan L2611-0001 sudah diverifikasi."


@pytest.fixture(autouse=True)
def _fast(settings, graph_stand_in):
    settings.TELEPATI_MESSAGE_TRANSPORT = "auto"  # the stand-in's token selects WhatsApp
    settings.WHATSAPP_RATE_PER_SECOND = 1000
    settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 0  # retries of one row follow at once
    settings.TELEPATI_OUTBOX_MAX_ATTEMPTS = 8


def _window(*, hours_ago: float = 1, phone: str | None = PHONE, bsuid: str | None = None) -> None:
    citizen = citizen_get_or_create(
        phone=phone_normalize(phone) if phone else None, wa_bsuid=bsuid or ""
    )
    Conversation.objects.create(
        citizen=citizen,
        wa_id=phone.removeprefix("+") if phone else None,
        bsuid=bsuid,
        last_inbound_at=timezone.now() - timedelta(hours=hours_ago),
    )


def _queued(**fields: Any) -> OutboundMessage:
    values: dict[str, Any] = {
        "dedupe_key": f"test:{OutboundMessage.objects.count()}",
        "recipient_phone": PHONE,
        "text": TEXT,
        "next_attempt_at": timezone.now(),
    }
    values.update(fields)
    return OutboundMessage.objects.create(**values)


def _make_due(message: OutboundMessage) -> None:
    """Let the backoff pass (instead of waiting for it)."""
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def _sent_payloads(stand_in) -> list[dict[str, Any]]:
    return [r.json for r in stand_in.message_requests()]


def test_a_message_inside_the_window_goes_out_as_text_and_stores_the_wamid(graph_stand_in):
    _window()
    message = _queued()

    outcome = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.outcome == Outcome.SENT
    assert (message.status, message.provider_message_id, message.attempts) == (
        MessageStatus.SENT,
        "wamid.1",
        1,
    )
    assert message.sent_at is not None
    assert _sent_payloads(graph_stand_in) == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA_ID,
            "type": "text",
            "text": {"body": TEXT, "preview_url": False},
        }
    ]
    assert graph_stand_in.message_requests()[0].headers["authorization"] == (
        "Bearer stand-in-token"
    )


def test_server_errors_and_timeouts_are_retried_until_the_message_goes_out_once(graph_stand_in):
    _window()
    message = _queued()
    graph_stand_in.fail_next(2, status=500)
    graph_stand_in.timeout_next(1)
    graph_stand_in.fail_next(1, status=503)

    outcomes = []
    for _ in range(6):
        outcomes.append(message_deliver(message_id=message.pk).outcome)
        _make_due(message)

    message.refresh_from_db()
    assert outcomes == [Outcome.RETRY] * 4 + [Outcome.SENT, Outcome.SKIPPED]
    assert (message.status, message.attempts, message.provider_message_id) == (
        MessageStatus.SENT,
        5,
        "wamid.1",
    )
    assert len(graph_stand_in.message_requests()) == 5
    # Only the fifth POST was answered with a message id: delivered exactly once.
    assert graph_stand_in._sent == 1


def test_a_transient_error_backs_off_with_jitter_and_keeps_the_error(graph_stand_in):
    _window()
    message = _queued()
    graph_stand_in.fail_next(1, status=500)
    before = timezone.now()

    outcome = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert outcome.outcome == Outcome.RETRY
    assert (message.status, message.attempts, message.last_error_code) == (
        MessageStatus.QUEUED,
        1,
        "http_500",
    )
    assert message.next_attempt_at is not None
    assert before <= message.next_attempt_at <= timezone.now() + timedelta(seconds=5)
    assert message.sending_started_at is None


def test_transient_errors_fail_the_message_after_the_maximum_attempts(settings, graph_stand_in):
    settings.TELEPATI_OUTBOX_MAX_ATTEMPTS = 3
    _window()
    message = _queued()
    graph_stand_in.fail_next(5, status=502)

    outcomes = []
    for _ in range(4):
        outcomes.append(message_deliver(message_id=message.pk).outcome)
        _make_due(message)

    message.refresh_from_db()
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED, Outcome.SKIPPED]
    assert (message.status, message.attempts, message.last_error_code) == (
        MessageStatus.FAILED,
        3,
        "http_502",
    )
    assert message.failed_at is not None
    assert len(graph_stand_in.message_requests()) == 3


def test_a_permanent_error_fails_the_message_with_its_code_and_is_never_retried(graph_stand_in):
    _window()
    message = _queued()
    graph_stand_in.error_next(code=131047, status=400, message="Re-engagement message")

    outcome = message_deliver(message_id=message.pk)
    _make_due(message)
    again = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (outcome.outcome, outcome.error_code, again.outcome) == (
        Outcome.FAILED,
        "131047",
        Outcome.SKIPPED,
    )
    assert (message.status, message.attempts, message.last_error_code, message.last_error) == (
        MessageStatus.FAILED,
        1,
        "131047",
        "(#131047) Re-engagement message",
    )
    assert message.failed_at is not None
    assert len(graph_stand_in.message_requests()) == 1


def test_a_rate_limit_answer_waits_at_least_its_retry_after(graph_stand_in):
    _window()
    message = _queued()
    graph_stand_in.error_next(code=130429, status=429, headers={"Retry-After": "120"})
    before = timezone.now()

    outcome = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (outcome.outcome, message.status, message.last_error_code) == (
        Outcome.RETRY,
        MessageStatus.QUEUED,
        "130429",
    )
    assert message.next_attempt_at is not None
    assert message.next_attempt_at >= before + timedelta(seconds=120)
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=121)
    # Not due yet: a worker that picks it up early leaves it alone.
    assert message_deliver(message_id=message.pk).outcome == Outcome.SKIPPED
    assert len(graph_stand_in.message_requests()) == 1


def test_outside_the_window_the_template_goes_out_with_its_parameters(settings, graph_stand_in):
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "id"
    _window(hours_ago=25)
    message = _queued(template_name="status_laporan", template_params=["L2611-0001", "Selesai"])

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    assert _sent_payloads(graph_stand_in) == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA_ID,
            "type": "template",
            "template": {
                "name": "status_laporan",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "L2611-0001"},
                            {"type": "text", "text": "Selesai"},
                        ],
                    }
                ],
            },
        }
    ]


ISSUED_BUTTONS = {
    "type": "buttons",
    "buttons": [["doc:pickup:D2611-0007", "Ambil di kantor"], ["doc:delivery:D2611-0007", "Antar"]],
    "header": "",
    "footer": "",
}


def test_outside_the_window_buttons_become_the_templates_quick_reply_payloads_in_order(
    settings, graph_stand_in
):
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "id"
    _window(hours_ago=25)
    message = _queued(
        template_name="dokumen_terbit",
        template_params=["Siti Aminah", "KTP-el", "D2611-0007"],
        interactive=ISSUED_BUTTONS,
    )

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    assert _sent_payloads(graph_stand_in) == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA_ID,
            "type": "template",
            "template": {
                "name": "dokumen_terbit",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "Siti Aminah"},
                            {"type": "text", "text": "KTP-el"},
                            {"type": "text", "text": "D2611-0007"},
                        ],
                    },
                    {
                        "type": "button",
                        "sub_type": "quick_reply",
                        "index": "0",
                        "parameters": [{"type": "payload", "payload": "doc:pickup:D2611-0007"}],
                    },
                    {
                        "type": "button",
                        "sub_type": "quick_reply",
                        "index": "1",
                        "parameters": [{"type": "payload", "payload": "doc:delivery:D2611-0007"}],
                    },
                ],
            },
        }
    ]


def test_inside_the_window_the_same_row_goes_out_as_interactive_buttons(graph_stand_in):
    _window()
    message = _queued(
        template_name="dokumen_terbit",
        template_params=["Siti Aminah", "KTP-el", "D2611-0007"],
        interactive=ISSUED_BUTTONS,
    )

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    [payload] = _sent_payloads(graph_stand_in)
    assert payload["type"] == "interactive"
    assert payload["interactive"]["action"] == {
        "buttons": [
            {"type": "reply", "reply": {"id": "doc:pickup:D2611-0007", "title": "Ambil di kantor"}},
            {"type": "reply", "reply": {"id": "doc:delivery:D2611-0007", "title": "Antar"}},
        ]
    }


def test_a_list_row_outside_the_window_sends_the_template_without_button_components(
    graph_stand_in,
):
    _window(hours_ago=25)
    message = _queued(
        template_name="status_laporan",
        template_params=["L2611-0001"],
        interactive={"type": "list", "button": "Pilih", "sections": [["", [["a", "A", ""]]]]},
    )

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    assert [c["type"] for c in _sent_payloads(graph_stand_in)[0]["template"]["components"]] == [
        "body"
    ]


def test_template_names_can_be_mapped_to_the_names_approved_at_meta(settings, graph_stand_in):
    settings.WHATSAPP_TEMPLATE_NAMES = {"status_laporan": "medan_amplas_status_v2"}
    message = _queued(template_name="status_laporan", template_params=["L2611-0001"])

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT
    assert _sent_payloads(graph_stand_in)[0]["template"]["name"] == "medan_amplas_status_v2"


def test_a_resident_who_never_wrote_gets_the_template(graph_stand_in):
    message = _queued(template_name="status_laporan", template_params=["L2611-0001"])

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT
    assert _sent_payloads(graph_stand_in)[0]["type"] == "template"


def test_outside_the_window_without_a_template_the_message_fails_without_a_request(
    graph_stand_in,
):
    _window(hours_ago=25)
    message = _queued()

    outcome = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (outcome.outcome, message.status, message.last_error_code) == (
        Outcome.FAILED,
        MessageStatus.FAILED,
        "outside_window",
    )
    assert message.last_error.startswith("Jendela layanan 24 jam sudah tertutup")
    assert graph_stand_in.message_requests() == []


def test_buttons_go_out_as_meta_documents_reply_buttons(graph_stand_in):
    _window()
    interactive = {
        "type": "buttons",
        "buttons": [["rate:5", "Puas"], ["dispute", "Belum selesai"]],
        "header": "Laporan L2611-0001",
        "footer": "TELEPATI Medan Amplas",
    }
    message = _queued(text="Apakah masalahnya sudah selesai?", interactive=interactive)

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    assert _sent_payloads(graph_stand_in)[0] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": WA_ID,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "header": {"type": "text", "text": "Laporan L2611-0001"},
            "body": {"text": "Apakah masalahnya sudah selesai?"},
            "footer": {"text": "TELEPATI Medan Amplas"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "rate:5", "title": "Puas"}},
                    {"type": "reply", "reply": {"id": "dispute", "title": "Belum selesai"}},
                ]
            },
        },
    }


def test_a_list_goes_out_as_meta_documents_list_messages(graph_stand_in):
    _window()
    interactive = {
        "type": "list",
        "button": "Pilih layanan",
        "sections": [
            [
                "Layanan",
                [
                    ["menu:report", "Buat laporan", "Sampaikan keluhan"],
                    ["menu:status", "Cek status laporan", ""],
                ],
            ]
        ],
        "header": "",
        "footer": "",
    }
    message = _queued(text="Silakan pilih layanan.", interactive=interactive)

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    assert _sent_payloads(graph_stand_in)[0]["interactive"] == {
        "type": "list",
        "body": {"text": "Silakan pilih layanan."},
        "action": {
            "button": "Pilih layanan",
            "sections": [
                {
                    "title": "Layanan",
                    "rows": [
                        {
                            "id": "menu:report",
                            "title": "Buat laporan",
                            "description": "Sampaikan keluhan",
                        },
                        {"id": "menu:status", "title": "Cek status laporan"},
                    ],
                }
            ],
        },
    }


def test_an_interactive_payload_beyond_whatsapp_limits_fails_without_a_request(graph_stand_in):
    _window()
    buttons = [["a", "Satu"], ["b", "Dua"], ["c", "Tiga"], ["d", "Empat"]]
    message = _queued(interactive={"type": "buttons", "buttons": buttons})

    outcome = message_deliver(message_id=message.pk)

    assert (outcome.outcome, outcome.error_code) == (Outcome.FAILED, "invalid_message")
    assert graph_stand_in.message_requests() == []


def test_a_resident_known_only_by_business_scoped_user_id_is_addressed_as_recipient(
    graph_stand_in,
):
    _window(phone=None, bsuid=BSUID)
    message = _queued(recipient_phone="", recipient_wa_bsuid=BSUID)

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    payload = _sent_payloads(graph_stand_in)[0]
    assert (payload["recipient"], "to" in payload, payload["type"]) == (BSUID, False, "text")


def test_a_status_webhook_that_arrived_before_the_wamid_was_stored_is_applied(graph_stand_in):
    _window()
    message = _queued()
    # Meta's "delivered" for wamid.1 is processed before the send request has returned.
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": "1"},
        "statuses": [
            {
                "id": "wamid.1",
                "status": "delivered",
                "timestamp": str(int(timezone.now().timestamp())),
                "recipient_id": WA_ID,
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    webhook_delivery_process(delivery_id=WebhookDelivery.objects.create(body=json.dumps(body)).pk)

    assert message_deliver(message_id=message.pk).outcome == Outcome.SENT

    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == (MessageStatus.DELIVERED, "wamid.1")
    assert message.delivered_at is not None


# --- Batches ----------------------------------------------------------------------------


def _batch(n: int, *, window: bool = True) -> list[OutboundMessage]:
    """n rows to n residents (inside their 24-hour window unless told otherwise)."""
    phones = [f"+628123450{k:04d}" for k in range(n)]
    for phone in phones:
        if window:
            _window(phone=phone)
    return [_queued(recipient_phone=phone, text=f"{TEXT} ({k})") for k, phone in enumerate(phones)]


@pytest.mark.parametrize("size", [1, 20])
def test_a_batch_costs_the_same_statements_whatever_its_size(settings, graph_stand_in, size):
    settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 1
    settings.TELEPATI_OUTBOX_SEND_THREADS = 4
    rows = _batch(size)

    with CaptureQueriesContext(connection) as queries:
        outcomes = messages_deliver(message_ids=[row.pk for row in rows])

    assert [o.outcome for o in outcomes.values()] == [Outcome.SENT] * size
    # The claim (UPDATE … RETURNING), the rows (SELECT), the 24-hour window (SELECT), the
    # sender's slots and the recipients' gates (one INSERT … ON CONFLICT each), "sent"
    # (UPDATE), the early statuses (SELECT).
    assert len(queries) == 7, [q["sql"][:60] for q in queries.captured_queries]
    assert len(graph_stand_in.message_requests()) == size
    stored = OutboundMessage.objects.filter(pk__in=[row.pk for row in rows])
    assert {(m.status, m.attempts) for m in stored} == {(MessageStatus.SENT, 1)}
    assert sorted(str(m.provider_message_id) for m in stored) == sorted(
        f"wamid.{n}" for n in range(1, size + 1)
    )


def test_a_batch_with_mixed_answers_records_each_row_as_its_own_answer_says(
    settings, graph_stand_in
):
    settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 1
    settings.TELEPATI_OUTBOX_SEND_THREADS = 4
    rows = _batch(6)
    refused, failing = (row.recipient_phone.removeprefix("+") for row in rows[:2])
    answer = graph_stand_in._message

    def scripted(payload: Any) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json"}
        if payload.get("to") == refused:
            body = graph_error_body(131047, "Re-engagement message")
            return 400, headers, json.dumps(body).encode()
        if payload.get("to") == failing:
            return 500, headers, b""
        return answer(payload)

    graph_stand_in._message = scripted
    before = timezone.now()

    with CaptureQueriesContext(connection) as queries:
        outcomes = messages_deliver(message_ids=[row.pk for row in rows])

    assert len(queries) == 7 + 2  # the batch's seven, plus one UPDATE per failed row
    assert [(outcomes[row.pk].outcome, outcomes[row.pk].error_code) for row in rows] == [
        (Outcome.FAILED, "131047"),
        (Outcome.RETRY, "http_500"),
        *[(Outcome.SENT, "")] * 4,
    ]
    for row in rows:
        row.refresh_from_db()
    assert [(r.status, r.attempts, r.last_error_code) for r in rows] == [
        (MessageStatus.FAILED, 1, "131047"),
        (MessageStatus.QUEUED, 1, "http_500"),
        *[(MessageStatus.SENT, 1, "")] * 4,
    ]
    assert rows[0].failed_at is not None
    assert rows[0].next_attempt_at is None
    assert rows[1].next_attempt_at is not None
    assert before <= rows[1].next_attempt_at <= timezone.now() + timedelta(seconds=5)
    assert sorted(str(r.provider_message_id) for r in rows[2:]) == [
        f"wamid.{n}" for n in range(1, 5)
    ]
    assert [(r.provider_message_id, r.sent_at) for r in rows[:2]] == [(None, None)] * 2
    assert len(graph_stand_in.message_requests()) == 6


def test_a_batch_mixes_free_form_and_template_rows_by_each_residents_window(graph_stand_in):
    inside = _queued(recipient_phone=PHONE)
    _window()
    outside = _queued(
        recipient_phone="+6281299998888", template_name="status_laporan", template_params=["x"]
    )
    no_template = _queued(recipient_phone="+6281277776666")

    outcomes = messages_deliver(message_ids=[inside.pk, outside.pk, no_template.pk])

    assert [outcomes[m.pk].outcome for m in (inside, outside, no_template)] == [
        Outcome.SENT,
        Outcome.SENT,
        Outcome.FAILED,
    ]
    kinds = {p["to"]: p["type"] for p in _sent_payloads(graph_stand_in)}
    assert kinds == {WA_ID: "text", "6281299998888": "template"}
    assert outcomes[no_template.pk].error_code == "outside_window"


def test_a_second_message_to_one_resident_in_a_batch_waits_for_the_first_ones_gate(
    settings, graph_stand_in
):
    settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 1
    _window()
    first, second = _queued(), _queued()

    outcomes = messages_deliver(message_ids=[first.pk, second.pk])

    second.refresh_from_db()
    assert (outcomes[first.pk].outcome, outcomes[second.pk].outcome) == (
        Outcome.SENT,
        Outcome.DEFERRED,
    )
    assert (second.status, second.attempts, second.sending_started_at) == (
        MessageStatus.QUEUED,
        0,
        None,
    )
    gate = PaceSlot.objects.get(key=f"to:{PHONE}").next_at_us
    assert second.next_attempt_at is not None
    assert second.next_attempt_at == outcomes[second.pk].retry_at
    assert abs(second.next_attempt_at.timestamp() * 1_000_000 - gate) < 2  # when it opens
    assert len(graph_stand_in.message_requests()) == 1


def test_early_statuses_are_caught_up_for_the_one_row_of_a_batch_that_has_them(graph_stand_in):
    rows = _batch(3)
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": "1"},
        "statuses": [
            {
                "id": "wamid.2",
                "status": "delivered",
                "timestamp": str(int(timezone.now().timestamp())),
                "recipient_id": "628123450001",
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    webhook_delivery_process(delivery_id=WebhookDelivery.objects.create(body=json.dumps(body)).pk)

    outcomes = messages_deliver(message_ids=[row.pk for row in rows])

    assert [o.outcome for o in outcomes.values()] == [Outcome.SENT] * 3
    stored = {
        m.provider_message_id: (m.status, m.delivered_at is not None)
        for m in OutboundMessage.objects.filter(pk__in=[row.pk for row in rows])
    }
    assert stored == {
        "wamid.1": (MessageStatus.SENT, False),
        "wamid.2": (MessageStatus.DELIVERED, True),
        "wamid.3": (MessageStatus.SENT, False),
    }
