"""Batch delivery: the claim, one job per batch of new rows, the sweep's batches, the pacing
statements for a batch, and a constant number of statements per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from telepati.messaging import tasks
from telepati.messaging.delivery import Outcome, messages_deliver
from telepati.messaging.models import MessageStatus, OutboundMessage, PaceSlot
from telepati.messaging.pacing import Gate, recipient_gates_try, sender_slots_take
from telepati.messaging.services import Recipient, message_enqueue
from telepati.messaging.tasks import deliver_messages, outbox_sweep_task
from telepati.messaging.tests.support import COUNTING_TRANSPORT, CountingTransport
from telepati.messaging.transports import SendResult

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 3, 0, 5, tzinfo=UTC)
SINGLE = "telepati.messaging.tasks.deliver_message"
BATCH = "telepati.messaging.tasks.deliver_messages"


@pytest.fixture(autouse=True)
def _counting(settings):
    settings.TELEPATI_MESSAGE_TRANSPORT = COUNTING_TRANSPORT
    CountingTransport.calls = []


@pytest.fixture
def database_tasks(settings):
    """Jobs are stored (as in production), not run at once: the test reads them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(n: int, **fields) -> OutboundMessage:
    values = {
        "dedupe_key": f"batch:{n}",
        "recipient_phone": f"+6281200000{n:03d}",
        "text": f"Pemberitahuan {n}",
        "status": MessageStatus.QUEUED,
        "next_attempt_at": NOW - timedelta(seconds=1),
    }
    values.update(fields)
    return OutboundMessage.objects.create(**values)


def _jobs() -> list[tuple[str, dict]]:
    """The stored jobs, ordered by the first id each holds."""
    jobs = [(job.task_path, job.args_kwargs["kwargs"]) for job in DBTaskResult.objects.all()]
    return sorted(jobs, key=lambda job: job[1].get("message_ids", [job[1].get("message_id")]))


def _write(n: int) -> int:
    message = message_enqueue(
        recipient=Recipient(phone=f"+6281300000{n:03d}"), text="Teks", dedupe_key=f"new:{n}"
    )
    assert message is not None
    return message.pk


def _write_then_fail(n: int, written: list[int]) -> None:
    """A change (or part of one, in a savepoint) that writes a row, then fails."""
    with transaction.atomic():
        written.append(_write(n))
        raise RuntimeError("the change is undone")


# --- The claim --------------------------------------------------------------------------


def test_a_batch_claims_only_its_queued_due_rows_and_skips_the_rest():
    due = [_queued(1), _queued(2, next_attempt_at=None)]
    later = _queued(3, next_attempt_at=NOW + timedelta(minutes=1))
    taken = _queued(4, status=MessageStatus.SENDING, sending_started_at=NOW)
    sent = _queued(5, status=MessageStatus.SENT, provider_message_id="count.x")
    cancelled = _queued(6, status=MessageStatus.CANCELLED)
    others = [later, taken, sent, cancelled]
    before = [(m.status, m.attempts, m.next_attempt_at) for m in others]
    ids = [later.pk, due[1].pk, taken.pk, 999_999, due[0].pk, sent.pk, cancelled.pk]

    with freeze_time(NOW):
        outcomes = messages_deliver(message_ids=ids)

    assert {pk: o.outcome for pk, o in outcomes.items()} == {
        later.pk: Outcome.SKIPPED,
        due[1].pk: Outcome.SENT,
        taken.pk: Outcome.SKIPPED,
        999_999: Outcome.SKIPPED,
        due[0].pk: Outcome.SENT,
        sent.pk: Outcome.SKIPPED,
        cancelled.pk: Outcome.SKIPPED,
    }
    assert CountingTransport.calls == [due[1].pk, due[0].pk]  # in the order asked
    for message in others:
        message.refresh_from_db()
    assert [(m.status, m.attempts, m.next_attempt_at) for m in others] == before
    rows = OutboundMessage.objects.filter(pk__in=[m.pk for m in due]).order_by("pk")
    assert [(r.status, r.attempts, r.provider_message_id, r.sent_at) for r in rows] == [
        (MessageStatus.SENT, 1, f"count.{due[0].pk}", NOW),
        (MessageStatus.SENT, 1, f"count.{due[1].pk}", NOW),
    ]


def test_a_batch_twice_sends_each_row_once():
    rows = [_queued(n) for n in range(3)]
    ids = [m.pk for m in rows]

    with freeze_time(NOW):
        first = messages_deliver(message_ids=ids)
        again = messages_deliver(message_ids=[*ids, *ids])

    assert [first[pk].outcome for pk in ids] == [Outcome.SENT] * 3
    assert [again[pk].outcome for pk in ids] == [Outcome.SKIPPED] * 3
    assert CountingTransport.calls == ids


@pytest.mark.parametrize("size", [1, 20])
def test_a_batch_costs_the_same_statements_whatever_its_size(size):
    ids = [_queued(n).pk for n in range(size)]

    with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
        outcomes = messages_deliver(message_ids=ids)

    assert [o.outcome for o in outcomes.values()] == [Outcome.SENT] * size
    # UPDATE … RETURNING (claim), SELECT (rows), UPDATE (sent): no pacing, no catch-up.
    assert len(queries) == 3, [q["sql"][:80] for q in queries.captured_queries]


# --- One job per batch of new rows ------------------------------------------------------


def test_rows_written_in_one_transaction_are_queued_as_one_job_per_batch(
    settings, database_tasks, django_capture_on_commit_callbacks
):
    settings.TELEPATI_OUTBOX_BATCH = 3

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        ids = [_write(n) for n in range(7)]

    assert len(callbacks) == 7  # one per row; the first queues them all
    assert _jobs() == [
        (BATCH, {"message_ids": ids[0:3]}),
        (BATCH, {"message_ids": ids[3:6]}),
        (SINGLE, {"message_id": ids[6]}),
    ]


def test_a_row_written_alone_is_queued_as_one_single_job(
    database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_id = _write(1)

    assert _jobs() == [(SINGLE, {"message_id": message_id})]


def test_an_id_from_a_rolled_back_savepoint_rides_along_and_is_skipped(
    database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = _write(1)
        written: list[int] = []
        with pytest.raises(RuntimeError):
            _write_then_fail(2, written)
        [undone] = written
        last = _write(3)

    assert len(callbacks) == 2  # the undone row's callback went with its savepoint
    # SQLite hands the undone row's id to the next row (its sequence is rolled back too);
    # PostgreSQL never reuses it. Either way the job holds each id once.
    ids = list(dict.fromkeys([first, undone, last]))
    assert _jobs() == [(BATCH, {"message_ids": ids})]
    assert (undone == last) == (connection.vendor == "sqlite")

    skipped = {"skipped": 1} if undone != last else {}
    assert deliver_messages.call(message_ids=ids) == {"sent": 2, **skipped}
    assert CountingTransport.calls == [first, last]


def test_ids_of_a_rolled_back_transaction_do_not_join_the_next_ones_job(
    database_tasks, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError):
        _write_then_fail(1, [])

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _write(2)

    assert _jobs() == [(SINGLE, {"message_id": kept})]


def test_a_refusing_queue_leaves_every_row_of_the_batch_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch
):
    def queue_down(**kwargs):
        raise ConnectionError("task queue unavailable")

    monkeypatch.setattr(tasks, "deliver_messages", SimpleNamespace(enqueue=queue_down))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ids = [_write(n) for n in range(3)]

    rows = OutboundMessage.objects.filter(pk__in=ids)
    assert [(r.status, r.attempts) for r in rows] == [(MessageStatus.QUEUED, 0)] * 3


def test_the_sweep_queues_its_due_rows_in_batches(settings, database_tasks):
    settings.TELEPATI_OUTBOX_BATCH = 2
    lost = [_queued(n, next_attempt_at=NOW - timedelta(minutes=5 - n)) for n in range(5)]

    with freeze_time(NOW):
        assert outbox_sweep_task.call() == 5

    ids = [m.pk for m in lost]
    assert _jobs() == [
        (BATCH, {"message_ids": ids[0:2]}),
        (BATCH, {"message_ids": ids[2:4]}),
        (SINGLE, {"message_id": ids[4]}),
    ]


def test_retried_rows_of_a_batch_are_queued_again_for_their_time(settings, database_tasks):
    settings.TELEPATI_MESSAGE_TRANSPORT = f"{__name__}.Refusing"
    rows = [_queued(n) for n in range(3)]

    with freeze_time(NOW):
        counts = deliver_messages.call(message_ids=[m.pk for m in rows])

    assert counts == {"retry": 3}
    queued: list[int] = []
    for job in DBTaskResult.objects.all():  # each job runs when all of its rows are due
        kwargs = job.args_kwargs["kwargs"]
        ids = kwargs.get("message_ids") or [kwargs["message_id"]]
        queued += ids
        due = [m.next_attempt_at for m in OutboundMessage.objects.filter(pk__in=ids)]
        assert job.run_after == max(d for d in due if d is not None)
    assert sorted(queued) == sorted(m.pk for m in rows)


class _Transient(Exception):
    permanent = False


class Refusing(CountingTransport):
    """Answers every send with a transient error (Meta is down)."""

    def send(self, message: OutboundMessage) -> SendResult:
        raise _Transient("503")


# --- The pacing statements for a batch --------------------------------------------------


def test_a_batch_reserves_consecutive_sender_slots_in_one_statement():
    start_us = int(NOW.timestamp() * 1_000_000)

    with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
        first = sender_slots_take(key="sender:1", interval=1000, count=3)
        second = sender_slots_take(key="sender:1", interval=1000, count=2)

    assert len(queries) == 2
    assert (first, second) == (start_us / 1e6, (start_us + 3000) / 1e6)
    assert PaceSlot.objects.get(key="sender:1").next_at_us == start_us + 5000


def test_recipient_gates_for_a_batch_pass_open_ones_and_tell_when_closed_ones_open():
    at = NOW.timestamp()
    at_us = int(at * 1_000_000)
    PaceSlot.objects.create(key="to:closed", next_at_us=at_us + 400_000)
    PaceSlot.objects.create(key="to:reopened", next_at_us=at_us - 5)

    with CaptureQueriesContext(connection) as queries:
        gates = recipient_gates_try(
            moments={"to:new": at, "to:closed": at, "to:reopened": at}, interval=1_000_000
        )

    assert len(queries) == 2  # the multi-row upsert, one SELECT for the closed gate
    assert gates == {
        "to:new": Gate(passed=True),
        "to:closed": Gate(passed=False, retry_at=(at_us + 400_000) / 1e6),
        "to:reopened": Gate(passed=True),
    }
    stored = dict(PaceSlot.objects.values_list("key", "next_at_us"))
    assert stored == {
        "to:new": at_us + 1_000_000,
        "to:closed": at_us + 400_000,
        "to:reopened": at_us + 1_000_000,
    }
