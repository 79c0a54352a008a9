"""The admin (services per kecamatan, bookings read-only), the pure lifecycle table, and
officers booking on a resident's behalf."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telepati.appointments.lifecycle import (
    ACTIVE_STATES,
    HOLDING_PLACE,
    Action,
    Status,
    all_moves,
    allowed_actions,
    transition_target,
)
from telepati.appointments.models import Booking, Channel, OfficeService
from telepati.appointments.tests.conftest import MONDAY, at
from telepati.core.errors import Forbidden, InvalidTransition, NotFound


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("administrator", ["Loket Administrasi Kependudukan"]),
        ("outsider", ["Loket Johor"]),
        ("superuser", ["Loket Administrasi Kependudukan", "Loket Johor"]),
    ],
)
def test_each_administrator_edits_the_services_of_their_kecamatan(
    client, adminduk, johor_counter, persona, expected, request
):
    OfficeService.objects.filter(pk=johor_counter.pk).update(name="Loket Johor")
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:appointments_officeservice_changelist"))

    assert response.status_code == 200
    assert sorted(s.name for s in response.context["cl"].queryset) == expected


def test_the_weekdays_are_check_boxes_and_the_hours_are_validated(client, administrator, adminduk):
    client.force_login(administrator)
    url = reverse("admin:appointments_officeservice_change", args=[adminduk.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name != "weekdays"
    }
    data.update(weekdays=["0", "2"], break_starts_at="07:00", break_ends_at="07:30", is_active="on")

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "Istirahat harus berada di dalam jam buka." in refused.content.decode()
    data.update(break_starts_at="12:00", break_ends_at="13:00")
    assert client.post(url, data).status_code == 302
    adminduk.refresh_from_db()
    assert adminduk.weekdays == [0, 2]


def test_bookings_are_read_only_in_the_admin(client, administrator, book, clock):
    booking = book()
    client.force_login(administrator)

    page = client.get(reverse("admin:appointments_booking_change", args=[booking.pk]))

    assert page.status_code == 200
    assert booking.code in page.content.decode()
    assert not page.context["has_change_permission"]


def test_the_lifecycle_table():
    assert transition_target(Action.CALL, Status.SKIPPED) == Status.CALLED
    assert allowed_actions(Status.BOOKED) == [
        Action.CHECK_IN,
        Action.RESCHEDULE,
        Action.CANCEL,
        Action.MARK_NO_SHOW,
    ]
    with pytest.raises(InvalidTransition):
        transition_target(Action.CANCEL, Status.CHECKED_IN)
    assert len(all_moves()) == 8
    assert Status.CANCELLED not in ACTIVE_STATES | HOLDING_PLACE


def test_an_officer_books_on_a_residents_behalf(book, clock, desk_operator, camat, outsider):
    booking = book(channel=Channel.COUNTER, user=desk_operator)
    assert booking.events.get().actor == desk_operator

    with pytest.raises(Forbidden):
        book(slot_start=at(MONDAY, 11), phone="+6285261234567", user=camat)
    with pytest.raises(NotFound):
        book(slot_start=at(MONDAY, 11), phone="+6285261234567", user=outsider)
    assert Booking.objects.count() == 1
