"""Races of temu cepat with real threads and connections, on SQLite (a file database with
the production locking) and PostgreSQL (row locks): the last place, the same person twice,
two counters calling, and workers sweeping reminders at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, BookingEvent, SlotLoad
from telepati.appointments.services.common import AlreadyBooked, SlotFull
from telepati.appointments.services.counter import queue_call_next, queue_walk_in
from telepati.appointments.services.reminders import booking_reminders_sweep
from telepati.appointments.tests.conftest import MONDAY, TUESDAY, at
from telepati.messaging.models import OutboundMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


def run_together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `count` threads at one barrier; collect results and errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcome = work(index)
            with lock:
                results.append(outcome)
        except BaseException as exc:  # collected for the assertion
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _phone(index: int) -> str:
    return f"+62813000000{index:02d}"


def test_two_residents_taking_the_last_place_one_wins_the_other_gets_alternatives(
    book, camat_meeting
):
    slot = at(TUESDAY, 10)

    results, errors = run_together(
        2,
        lambda i: book(
            service_id=camat_meeting.pk, slot_start=slot, phone=_phone(i), name=f"Warga {i}"
        ),
    )

    assert len(results) == 1
    assert [type(e) for e in errors] == [SlotFull]
    full = errors[0]
    assert isinstance(full, SlotFull)
    assert [o.start for o in full.alternatives] == [
        at(TUESDAY, 9, 30),
        at(TUESDAY, 10, 30),
        at(TUESDAY, 11),
    ]
    assert SlotLoad.objects.get(service=camat_meeting, starts_at=slot).taken == 1
    assert Booking.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_many_residents_at_once_fill_exactly_the_capacity(book, adminduk):
    slot = at(MONDAY, 10)  # two places

    results, errors = run_together(
        6, lambda i: book(slot_start=slot, phone=_phone(i), name=f"Warga {i}").queue_number
    )

    assert sorted(results) == [1, 2]
    assert len(errors) == 4
    assert all(isinstance(e, SlotFull) for e in errors)
    assert SlotLoad.objects.get(service=adminduk, starts_at=slot).taken == 2


def test_the_same_person_booking_twice_at_once_gets_one_booking(book, adminduk):
    slots = [at(MONDAY, 10), at(MONDAY, 14)]

    results, errors = run_together(2, lambda i: book(slot_start=slots[i]).code)

    assert len(results) == 1
    assert [type(e) for e in errors] == [AlreadyBooked]
    assert Booking.objects.count() == 1
    assert sum(SlotLoad.objects.values_list("taken", flat=True)) == 1


def test_two_counters_calling_at_once_never_call_the_same_person(adminduk, desk_operator, clock):
    clock.move_to(at(MONDAY, 9))
    walk_ins = [
        queue_walk_in(user=desk_operator, service_id=adminduk.pk, name=f"Warga {i}")
        for i in range(3)
    ]

    def call(index: int) -> int | None:
        called = queue_call_next(
            user=desk_operator, service_id=adminduk.pk, counter_name=f"Loket {index + 1}"
        )
        return called.pk if called else None

    results, errors = run_together(2, call)

    assert errors == []
    assert sorted(results) == [walk_ins[0].pk, walk_ins[1].pk]
    assert Booking.objects.filter(status=Status.CALLED).count() == 2
    assert BookingEvent.objects.filter(action="call").count() == 2


def test_workers_sweeping_at_once_remind_each_booking_once(book):
    bookings = [book(slot_start=at(TUESDAY, 10), phone=_phone(i)) for i in range(2)]

    results, errors = run_together(4, lambda _i: booking_reminders_sweep(now=at(MONDAY, 16)))

    assert errors == []
    assert sum(results) == 2
    keys = OutboundMessage.objects.filter(dedupe_key__contains=":remind:").values_list(
        "dedupe_key", flat=True
    )
    assert sorted(keys) == sorted(f"booking:{b.pk}:remind:day:261103T1000" for b in bookings)
