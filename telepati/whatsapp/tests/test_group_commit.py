"""Group commit of webhook deliveries: concurrent acknowledgements share one transaction."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from telepati.whatsapp.group_commit import GroupCommit
from telepati.whatsapp.models import WebhookDelivery
from telepati.whatsapp.services import webhook_delivery_store


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.001)


class _Recorder:
    """A write function whose first call blocks until `hold` items are waiting behind it."""

    def __init__(self, *, hold: int, fail_batches: Sequence[int] = ()) -> None:
        self.batches: list[list[int]] = []
        self.hold = hold
        self.fail_batches = set(fail_batches)
        self.group: GroupCommit[int, str] | None = None

    def __call__(self, items: Sequence[int]) -> list[str]:
        if not self.batches:
            assert self.group is not None
            _wait_for(lambda: len(self.group._pending) >= self.hold)
        self.batches.append(list(items))
        if len(self.batches) in self.fail_batches:
            raise OperationalError("database gone")
        return [f"stored {item}" for item in items]


def _submit_all(group: GroupCommit[int, str], count: int) -> dict[int, str]:
    answers: dict[int, str] = {}
    started = threading.Event()

    def one(n: int) -> None:
        if n > 0:
            started.wait()
        try:
            answers[n] = group.submit(n)
        except OperationalError as exc:
            answers[n] = f"error: {exc}"

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    threads[0].start()
    _wait_for(lambda: group._leading)  # the first thread is writing, alone
    started.set()
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return answers


def test_items_arriving_while_a_batch_is_written_share_the_next_one():
    recorder = _Recorder(hold=7)
    group = GroupCommit(recorder, max_batch=64)
    recorder.group = group
    answers = _submit_all(group, 8)
    assert answers == {n: f"stored {n}" for n in range(8)}
    assert [len(b) for b in recorder.batches] == [1, 7]
    assert sorted(recorder.batches[1]) == [1, 2, 3, 4, 5, 6, 7]


def test_no_batch_exceeds_the_limit_and_every_item_is_written_once():
    recorder = _Recorder(hold=9)
    group = GroupCommit(recorder, max_batch=4)
    recorder.group = group
    answers = _submit_all(group, 10)
    assert answers == {n: f"stored {n}" for n in range(10)}
    assert [len(b) for b in recorder.batches] == [1, 4, 4, 1]
    written = [item for batch in recorder.batches for item in batch]
    assert sorted(written) == list(range(10))


def test_a_failed_batch_fails_each_of_its_items_and_the_next_batch_is_unaffected():
    recorder = _Recorder(hold=3, fail_batches=[2])
    group = GroupCommit(recorder, max_batch=2)
    recorder.group = group
    answers = _submit_all(group, 4)
    failed = {n for n, answer in answers.items() if answer.startswith("error")}
    assert [len(b) for b in recorder.batches] == [1, 2, 1]
    assert failed == set(recorder.batches[1])
    assert {n for n in answers if n not in failed} == {0, *recorder.batches[2]}


def test_one_at_a_time_every_batch_is_a_batch_of_one():
    recorder = _Recorder(hold=0)
    group = GroupCommit(recorder, max_batch=64)
    recorder.group = group
    assert [group.submit(n) for n in range(3)] == ["stored 0", "stored 1", "stored 2"]
    assert recorder.batches == [[0], [1], [2]]


# --- Against the database: the deliveries and their job in one transaction ---------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_concurrent_deliveries_are_stored_once_each_with_one_job_per_shared_commit():
    from telepati.whatsapp import services

    count = 12
    real_write = services._deliveries_write
    first_written = threading.Event()
    release = threading.Event()

    def slow_first_write(items):
        if not first_written.is_set():
            first_written.set()
            release.wait(timeout=10)
        return real_write(items)

    errors: list[BaseException] = []

    def post(n: int) -> None:
        try:
            webhook_delivery_store(body=f'{{"n": {n}}}'.encode(), headers={"User-Agent": "t"})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(services._group_commit, "_write", slow_first_write):
        threads = [threading.Thread(target=post, args=(n,)) for n in range(count)]
        threads[0].start()
        first_written.wait(timeout=10)
        for thread in threads[1:]:
            thread.start()
        _wait_for(lambda: len(services._group_commit._pending) == count - 1)
        release.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    bodies = sorted(WebhookDelivery.objects.values_list("body", flat=True))
    assert bodies == sorted(f'{{"n": {n}}}' for n in range(count))
    jobs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [job.task_path for job in jobs] == ["telepati.whatsapp.tasks.webhook_process_many"] * 2
    job_ids = [job.args_kwargs["kwargs"]["delivery_ids"] for job in jobs]
    assert [len(ids) for ids in job_ids] == [1, count - 1]
    assert sorted(i for ids in job_ids for i in ids) == sorted(
        WebhookDelivery.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_a_batch_whose_job_cannot_be_written_keeps_none_of_its_deliveries():
    with (
        mock.patch(
            "django_tasks_db.backend.DatabaseBackend.enqueue",
            side_effect=OperationalError("disk full"),
        ),
        pytest.raises(OperationalError),
    ):
        webhook_delivery_store(body=b"{}", headers={})
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
