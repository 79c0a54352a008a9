"""Pacing holds across workers: several threads (own database connections, as separate worker
processes would have) deliver one backlog; the stand-in's arrival times show the bounds."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from itertools import pairwise

import pytest
from django.db import connection
from django.utils import timezone

from telepati.messaging.delivery import message_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.testing import GraphStandIn, RecordedRequest
from telepati.whatsapp.tests.conftest import STAND_IN_PHONE_NUMBER_ID, STAND_IN_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)

RATE = 20
WORKERS = 4


class TimedStandIn(GraphStandIn):
    """Also notes when each request arrived."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.arrivals: list[tuple[float, RecordedRequest]] = []

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.arrivals.append((time.monotonic(), request))
        super()._record(request)


@pytest.fixture
def timed_stand_in(settings):
    with TimedStandIn(phone_number_id=STAND_IN_PHONE_NUMBER_ID, access_token=STAND_IN_TOKEN) as s:
        settings.WHATSAPP_GRAPH_URL = s.base_url
        settings.WHATSAPP_API_VERSION = "v25.0"
        settings.WHATSAPP_PHONE_NUMBER_ID = STAND_IN_PHONE_NUMBER_ID
        settings.WHATSAPP_ACCESS_TOKEN = STAND_IN_TOKEN
        settings.WHATSAPP_TIMEOUT_SECONDS = 2.0
        settings.TELEPATI_MESSAGE_TRANSPORT = "whatsapp"
        settings.WHATSAPP_RATE_PER_SECOND = RATE
        settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS = 1.0
        yield s


def _worker(stop_at: float) -> None:
    """Deliver whatever is due until nothing is queued (or time is up)."""
    try:
        while time.monotonic() < stop_at:
            queued = OutboundMessage.objects.filter(status=MessageStatus.QUEUED)
            if not queued.exists():
                return
            due = list(
                queued.filter(next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:5]
            )
            for message_id in due:
                message_deliver(message_id=message_id)
            if not due:
                time.sleep(0.02)
    finally:
        connection.close()


def test_a_backlog_is_spread_under_the_rate_and_one_resident_gets_one_message_a_second(
    timed_stand_in,
):
    now = timezone.now()
    for n in range(30):
        OutboundMessage.objects.create(
            dedupe_key=f"pace:{n}",
            recipient_phone=f"+62812000{n:05d}",
            text="Pemberitahuan",
            template_name="status_laporan",
            next_attempt_at=now,
        )
    for n in range(3):
        OutboundMessage.objects.create(
            dedupe_key=f"same:{n}",
            recipient_phone="+6281299990000",
            text="Pemberitahuan",
            template_name="status_laporan",
            next_attempt_at=now,
        )

    stop_at = time.monotonic() + 15
    threads = [threading.Thread(target=_worker, args=(stop_at,)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    arrivals = [(at, r.json["to"]) for at, r in timed_stand_in.arrivals if r.method == "POST"]
    assert len(arrivals) == 33  # each message exactly once
    times = sorted(at for at, _ in arrivals)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= RATE
    by_recipient: dict[str, list[float]] = defaultdict(list)
    for at, to in arrivals:
        by_recipient[to].append(at)
    same = sorted(by_recipient["6281299990000"])
    assert len(same) == 3
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(same))
