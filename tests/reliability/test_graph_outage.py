"""Item 2: the Graph API answers 500s and times out for a while, then recovers.

The real path runs end to end: notices are written with `message_enqueue`, delivery is
queued on commit (the immediate task backend runs it at once), retries wait for their
backoff, and the periodic outbox sweep (`outbox_sweep_task`, every minute in production)
queues the rows whose time has come. Time is moved with an injected clock (freezegun,
ticking) instead of sleeping; the backoff, the sweep's grace period and the retry rules
are the production ones. The stand-in counts what it *accepted* per recipient: exactly one
message per notice after a 5xx outage.

A timeout is different: the request may have reached Meta. The documented rule
(`telepati/messaging/delivery.py`, `telepati/whatsapp/client.py`) treats a timeout like a
5xx — transient, queued again with backoff — so when Meta did accept the timed-out request
the resident receives that notice twice. The second test pins that documented behaviour;
docs/reliability.md records it as a known gap (the Cloud API has no idempotency key).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from telepati.citizens.services import citizen_get_or_create
from telepati.core.phone import phone_normalize
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.services import Recipient, message_enqueue
from telepati.messaging.tasks import outbox_sweep_task
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.testing import GraphStandIn

pytestmark = pytest.mark.django_db

NOTICES = 12
CLIENT_TIMEOUT = 0.3
# The sweep takes rows due for longer than its grace period; the backoff is capped at 15
# minutes: one step of the clock always makes every waiting row due.
CLOCK_STEP = timedelta(minutes=16)


class CountingStandIn(GraphStandIn):
    """The Graph stand-in that also remembers which message bodies it accepted."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accepted: list[tuple[str, str]] = []

    def _message(self, payload: Any) -> tuple[int, dict[str, str], bytes]:
        answer = super()._message(payload)
        if answer[0] == 200 and isinstance(payload, dict) and payload.get("type") == "text":
            with self._lock:
                self.accepted.append((payload["to"], payload["text"]["body"]))
        return answer

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every request held for a scripted timeout has been answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                answered = len(self.accepted) + self._failed
                if answered >= len(self.message_requests()):
                    return
            time.sleep(0.05)
        raise AssertionError("the stand-in still holds requests")

    _failed = 0

    def _next_script(self) -> Any:
        script = super()._next_script()
        if script is not None and not script.delay:
            with self._lock:
                self._failed += 1
        return script


@pytest.fixture
def stand_in(settings):
    with CountingStandIn(timeout_delay=CLIENT_TIMEOUT * 3) as server:
        settings.WHATSAPP_GRAPH_URL = server.base_url
        settings.WHATSAPP_API_VERSION = server.api_version
        settings.WHATSAPP_PHONE_NUMBER_ID = server.phone_number_id
        settings.WHATSAPP_ACCESS_TOKEN = server.access_token
        settings.WHATSAPP_TIMEOUT_SECONDS = CLIENT_TIMEOUT
        settings.TELEPATI_MESSAGE_TRANSPORT = "whatsapp"
        settings.WHATSAPP_RATE_PER_SECOND = 1000
        settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 0
        settings.TELEPATI_OUTBOX_MAX_ATTEMPTS = 8
        yield server


def _residents(n: int) -> list[str]:
    """n residents who wrote within the last hour (free-form text allowed)."""
    phones = [f"+62812340{i:05d}" for i in range(n)]
    for phone in phones:
        Conversation.objects.create(
            citizen=citizen_get_or_create(phone=phone_normalize(phone)),
            wa_id=phone[1:],
            last_inbound_at=timezone.now(),
        )
    return phones


def _notify(phones: list[str], capture) -> None:
    """One notice per resident, each written in its own change and delivered on commit."""
    for index, phone in enumerate(phones):
        with capture(execute=True), transaction.atomic():
            message_enqueue(
                recipient=Recipient(phone=phone),
                text=f"Laporan L2611-{index:04d} sudah diverifikasi.",
                dedupe_key=f"reliability:verified:{index}",
            )


def _deliver_until_settled(clock, rounds: int = 10) -> int:
    """The delivery loop: let time pass, run the periodic sweep; returns rounds used."""
    for used in range(1, rounds + 1):
        if not OutboundMessage.objects.filter(status=MessageStatus.QUEUED).exists():
            return used - 1
        clock.tick(CLOCK_STEP)
        outbox_sweep_task.enqueue()
    return rounds


def test_after_an_outage_of_server_errors_every_notice_is_accepted_exactly_once(
    stand_in, django_capture_on_commit_callbacks
):
    phones = _residents(NOTICES)
    # The first 20 requests fail (500, 502, 503 in turn), then Meta recovers.
    for status in (500, 502, 503, 500) * 5:
        stand_in.fail_next(1, status=status)

    with freeze_time(timezone.now(), tick=True) as clock:
        _notify(phones, django_capture_on_commit_callbacks)
        first_pass = Counter(OutboundMessage.objects.values_list("status", flat=True))
        rounds = _deliver_until_settled(clock)
    stand_in.settle()

    # The outage was real: every notice failed at first and was queued again.
    assert first_pass == {MessageStatus.QUEUED: NOTICES}
    assert rounds == 2  # 12 failures; 8 failures and 4 sent; 8 sent
    rows = OutboundMessage.objects.order_by("pk")
    assert Counter(rows.values_list("status", flat=True)) == {MessageStatus.SENT: NOTICES}
    assert len(set(rows.values_list("provider_message_id", flat=True))) == NOTICES
    assert sum(row.attempts for row in rows) == 20 + NOTICES
    assert len(stand_in.message_requests()) == 20 + NOTICES
    accepted = Counter(stand_in.accepted)
    assert len(accepted) == NOTICES
    assert set(accepted.values()) == {1}
    assert {to for to, _ in accepted} == {phone[1:] for phone in phones}


def test_a_timed_out_send_is_retried_as_documented_so_meta_may_have_it_twice(
    stand_in, django_capture_on_commit_callbacks
):
    phones = _residents(3)
    stand_in.fail_next(1, status=500)
    stand_in.timeout_next(1)  # the second notice: Meta answers after the client gave up

    with freeze_time(timezone.now(), tick=True) as clock:
        _notify(phones, django_capture_on_commit_callbacks)
        rounds = _deliver_until_settled(clock)
    stand_in.settle()

    rows = list(OutboundMessage.objects.order_by("pk"))
    assert rounds == 1
    assert [(row.status, row.attempts) for row in rows] == [
        (MessageStatus.SENT, 2),  # 500, then accepted on the retry
        (MessageStatus.SENT, 2),  # timed out, retried as transient, accepted
        (MessageStatus.SENT, 1),
    ]
    assert rows[1].last_error_code == "timeout"
    accepted = Counter(to for to, _ in stand_in.accepted)
    # The 5xx notice once; the timed-out one twice: the held request was accepted late
    # and the retry again (the resident sees it twice); the third once.
    assert accepted == {phones[0][1:]: 1, phones[1][1:]: 2, phones[2][1:]: 1}
