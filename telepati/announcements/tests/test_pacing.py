"""An announcement leaves at the configured rate: its outbox rows go through the real
delivery and WhatsApp transport to the loopback Graph stand-in, from several workers."""

from __future__ import annotations

import threading
import time

import pytest

from telepati.announcements.services.announcements import announcement_send
from telepati.announcements.services.sending import announcement_chunk_process
from telepati.announcements.tests.conftest import citizen_make
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.tests.conftest import STAND_IN_PHONE_NUMBER_ID, STAND_IN_TOKEN
from telepati.whatsapp.tests.test_transport_pacing import TimedStandIn, _worker

pytestmark = pytest.mark.django_db(transaction=True)

RATE = 10
RESIDENTS = 35
WORKERS = 3


class _NoJob:
    @staticmethod
    def enqueue(**kwargs):
        return None


@pytest.fixture
def stand_in(settings):
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


def test_an_announcement_is_delivered_once_per_resident_and_never_above_the_rate(
    stand_in, monkeypatch, desk_operator, draft, subscribe
):
    monkeypatch.setattr("telepati.announcements.tasks.announcement_chunk_task", _NoJob)
    monkeypatch.setattr("telepati.messaging.tasks.deliver_message", _NoJob)
    people = [citizen_make(n) for n in range(RESIDENTS)]
    for person in people:
        subscribe(person, "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    while announcement_chunk_process(announcement_id=announcement.pk, chunk_size=10):
        pass

    stop_at = time.monotonic() + 20
    threads = [threading.Thread(target=_worker, args=(stop_at,)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    posts = [(at, r.json) for at, r in stand_in.arrivals if r.method == "POST"]
    assert sorted(body["to"] for _, body in posts) == sorted(
        str(p.phone).removeprefix("+") for p in people
    )
    assert {body["template"]["name"] for _, body in posts} == {"pengumuman_kecamatan"}
    times = sorted(at for at, _ in posts)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= RATE
