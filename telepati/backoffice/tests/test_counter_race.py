"""Counters calling at the same moment through the pages (real threads and connections):
each waiting resident is called to exactly one counter."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import get_resolver, reverse

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking
from telepati.appointments.services.counter import queue_walk_in
from telepati.appointments.tests import conftest as appointments
from telepati.appointments.tests.conftest import MONDAY, at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]

clock = appointments.clock
adminduk = appointments.adminduk


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Import every URL module before the clock freezes: a C extension imported under a frozen
    clock (psycopg, through some door's views) fails its datetime size check."""
    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)


def test_three_counters_calling_at_once_never_get_the_same_person(
    adminduk, desk_operator, administrator, superuser, clock
):
    clock.move_to(at(MONDAY, 9))
    waiting = [
        queue_walk_in(user=desk_operator, service_id=adminduk.pk, name=name).pk
        for name in ("Rudi Hartono", "Joko Susilo")
    ]
    clients = []
    for officer in (desk_operator, administrator, superuser):
        client = Client()
        client.force_login(officer)
        clients.append(client)
    url = reverse("backoffice:counter_call_next", kwargs={"service_id": adminduk.pk})
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def call(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[index].post(url, {"loket": f"Loket {index + 1}"})
            statuses.append(response.status_code)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [302, 302, 302]
    called = Booking.objects.filter(pk__in=waiting).order_by("pk")
    assert [b.status for b in called] == [Status.CALLED, Status.CALLED]
    counters = [b.counter_name for b in called]
    assert len(set(counters)) == 2
    assert set(counters) <= {"Loket 1", "Loket 2", "Loket 3"}
    assert sum(b.events.filter(action="call").count() for b in called) == 2
