"""Batch pacing holds across workers: several worker threads (own database connections, as
separate worker processes would have) deliver one backlog in batches, each batch sending from
its own thread pool; the stand-in's arrival times show the bounds."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.db import connection
from django.utils import timezone

from telepati.messaging import delivery
from telepati.messaging.delivery import messages_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.testing import GraphStandIn, RecordedRequest

pytestmark = pytest.mark.django_db(transaction=True)

# Meta's default rate; 1/1.04 of it leaves room for a few arrivals jittered by this
# process's own threads (the stand-in answers in the same process). 240 messages last ~3 s.
RATE = 80
MESSAGES = 240
WORKERS = 3
BATCH = 20
SAME = "6281299990000"


class TimedStandIn(GraphStandIn):
    """Also notes when each request arrived."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.arrivals: list[tuple[float, str]] = []

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.arrivals.append((time.monotonic(), str((request.json or {}).get("to"))))
        super()._record(request)


@pytest.fixture
def stand_in(settings):
    with TimedStandIn() as server:
        settings.WHATSAPP_GRAPH_URL = server.base_url
        settings.WHATSAPP_API_VERSION = server.api_version
        settings.WHATSAPP_PHONE_NUMBER_ID = server.phone_number_id
        settings.WHATSAPP_ACCESS_TOKEN = server.access_token
        settings.WHATSAPP_TIMEOUT_SECONDS = 2.0
        settings.TELEPATI_MESSAGE_TRANSPORT = "whatsapp"
        settings.WHATSAPP_RATE_PER_SECOND = RATE
        settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 1.0
        settings.TELEPATI_OUTBOX_SEND_THREADS = 4
        yield server


def _worker(stop_at: float) -> None:
    """Deliver whatever is due, a batch at a time, until nothing is queued."""
    try:
        while time.monotonic() < stop_at:
            queued = OutboundMessage.objects.filter(status=MessageStatus.QUEUED)
            if not queued.exists():
                return
            due = list(
                queued.filter(next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if due:
                messages_deliver(message_ids=due)
            else:
                time.sleep(0.02)
    finally:
        connection.close()


def _busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_batches_from_several_workers_stay_under_the_rate_and_one_resident_a_second(
    stand_in, monkeypatch
):
    # When each message is handed to a send thread: what the pacing itself decides.
    handed: list[float] = []
    original_sleep_until = delivery._sleep_until

    def sleep_until(slot: float) -> None:
        original_sleep_until(slot)
        handed.append(time.monotonic())

    monkeypatch.setattr(delivery, "_sleep_until", sleep_until)
    now = timezone.now()
    for n in range(MESSAGES):
        OutboundMessage.objects.create(
            dedupe_key=f"pace:{n}",
            recipient_phone=f"+62812000{n:05d}",
            text="Pemberitahuan",
            template_name="status_laporan",
            next_attempt_at=now,
        )
    for n in range(3):  # together, so that they fall into one batch
        OutboundMessage.objects.create(
            dedupe_key=f"same:{n}",
            recipient_phone=f"+{SAME}",
            text="Pemberitahuan",
            template_name="status_laporan",
            next_attempt_at=now,
        )

    stop_at = time.monotonic() + 30
    threads = [threading.Thread(target=_worker, args=(stop_at,)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(OutboundMessage.objects.values_list("status", flat=True)) == {
        MessageStatus.SENT: MESSAGES + 3
    }
    recipients = Counter(to for _, to in stand_in.arrivals)
    assert len(stand_in.arrivals) == MESSAGES + 3  # each message exactly once
    assert recipients[SAME] == 3
    assert set(recipients.values()) == {1, 3}
    # The pacing hands over no more than the rate in any second, and near it.
    assert len(handed) == MESSAGES + 3
    assert RATE * 0.8 <= _busiest_second(handed) <= RATE
    # Arrivals add the send threads' and the stand-in's scheduling in this one process (one
    # interpreter lock for all of them); the margin's other half is for such jitter.
    assert _busiest_second([at for at, _ in stand_in.arrivals]) <= RATE * 1.04
    by_recipient: dict[str, list[float]] = defaultdict(list)
    for at, to in stand_in.arrivals:
        by_recipient[to].append(at)
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(sorted(by_recipient[SAME])))
