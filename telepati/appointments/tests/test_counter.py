"""The counter: check in, walk-ins in the same queue, call order, serve, skip, recall, no-show;
who may work which counter (role × action), and refusals that change nothing."""

from __future__ import annotations

import pytest

from telepati.appointments.lifecycle import Status
from telepati.appointments.models import Booking, BookingEvent, Channel
from telepati.appointments.selectors import (
    display_state_public,
    queue_today_for_officer,
    services_for_officer,
)
from telepati.appointments.services.common import AlreadyBooked
from telepati.appointments.services.counter import (
    booking_mark_no_show,
    queue_call_next,
    queue_check_in,
    queue_recall,
    queue_serve,
    queue_skip,
    queue_walk_in,
)
from telepati.appointments.tests.conftest import BUDI, MONDAY, SITI, TUESDAY, at
from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("clock")


def test_the_counter_flow_in_call_order(book, adminduk, desk_operator, clock):
    late = book(slot_start=at(MONDAY, 11))  # booked first: number 1, but at 11.00
    early = book(phone=BUDI, name="Budi", slot_start=at(MONDAY, 9))  # number 2 at 09.00
    clock.move_to(at(MONDAY, 8, 40))
    queue_check_in(user=desk_operator, booking_id=late.pk)
    queue_check_in(user=desk_operator, booking_id=early.pk)
    clock.move_to(at(MONDAY, 9, 10))
    walk_in = queue_walk_in(user=desk_operator, service_id=adminduk.pk, name="Rudi Hartono")

    assert (walk_in.status, walk_in.queue_number, walk_in.is_walk_in) == (
        Status.CHECKED_IN,
        3,
        True,
    )
    assert walk_in.channel == Channel.COUNTER
    called = [
        queue_call_next(user=desk_operator, service_id=adminduk.pk, counter_name="Loket 2")
        for _ in range(3)
    ]
    # Slot time first (a walk-in counts from arrival), then the number.
    assert [b.pk for b in called if b] == [early.pk, walk_in.pk, late.pk]
    assert called[0] is not None
    assert (called[0].status, called[0].counter_name, called[0].served_by) == (
        Status.CALLED,
        "Loket 2",
        desk_operator,
    )
    assert queue_call_next(user=desk_operator, service_id=adminduk.pk) is None
    notice = OutboundMessage.objects.get(dedupe_key=f"booking:{early.pk}:called:3")
    assert notice.text == "Nomor Anda dipanggil: A-002. Silakan menuju Loket 2."
    # A walk-in without a number gets no notice.
    assert not OutboundMessage.objects.filter(dedupe_key__startswith=f"booking:{walk_in.pk}:")

    served = queue_serve(user=desk_operator, booking_id=early.pk)
    skipped = queue_skip(user=desk_operator, booking_id=walk_in.pk)
    recalled = queue_recall(user=desk_operator, booking_id=walk_in.pk)

    assert (served.status, served.served_at is not None) == (Status.SERVED, True)
    assert skipped.status == Status.SKIPPED
    assert recalled.status == Status.CALLED
    actions = list(BookingEvent.objects.filter(booking=walk_in).values_list("action", "to_status"))
    assert actions == [
        ("", "checked_in"),
        ("call", "called"),
        ("skip", "skipped"),
        ("call", "called"),
    ]


def test_the_queue_and_the_display_show_today(book, adminduk, desk_operator, clock):
    waiting = book(name="siti aminah")
    expected = book(phone=BUDI, name="Budi", slot_start=at(MONDAY, 14))
    book(phone="+6281311112222", name="Rina", slot_start=at(TUESDAY, 9))
    clock.move_to(at(MONDAY, 9, 50))
    queue_check_in(user=desk_operator, booking_id=waiting.pk)
    clock.move_to(at(MONDAY, 10, 5))  # after the 10.00 slot: queued behind it
    walk_in = queue_walk_in(
        user=desk_operator, service_id=adminduk.pk, name="Joko", phone="+6281399998888"
    )
    called = queue_call_next(user=desk_operator, service_id=adminduk.pk)

    queue = queue_today_for_officer(user=desk_operator, service=adminduk)
    state = display_state_public(service=adminduk)

    assert called == waiting
    assert [b.pk for b in queue.called] == [waiting.pk]
    assert [b.pk for b in queue.waiting] == [walk_in.pk]
    assert [b.pk for b in queue.expected] == [expected.pk]
    assert (state.service_name, state.waiting_count, state.next_numbers) == (
        "Loket Administrasi Kependudukan",
        1,
        ["A-003"],
    )
    [serving] = state.now_serving
    assert (serving.number, serving.counter, serving.initial) == ("A-001", "Loket 1", "S.")


def test_check_in_only_on_the_booked_day(book, desk_operator):
    booking = book(slot_start=at(TUESDAY, 9))

    with pytest.raises(InvalidInput, match="bukan hari ini"):
        queue_check_in(user=desk_operator, booking_id=booking.pk)

    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.BOOKED, 1)


def test_a_walk_in_with_an_active_booking_is_told_to_check_in_instead(
    book, adminduk, desk_operator
):
    booking = book()

    with pytest.raises(AlreadyBooked) as raised:
        queue_walk_in(user=desk_operator, service_id=adminduk.pk, name="Siti", phone=SITI)

    assert raised.value.existing == booking
    assert Booking.objects.count() == 1


def test_a_stale_version_and_an_illegal_move_change_nothing(book, desk_operator, clock):
    booking = book()
    clock.move_to(at(MONDAY, 9))
    with pytest.raises(Conflict):
        queue_check_in(user=desk_operator, booking_id=booking.pk, expected_version=7)
    with pytest.raises(InvalidTransition):
        queue_serve(user=desk_operator, booking_id=booking.pk)
    with pytest.raises(InvalidTransition):
        queue_recall(user=desk_operator, booking_id=booking.pk)

    booking.refresh_from_db()
    assert (booking.status, booking.version, booking.events.count()) == (Status.BOOKED, 1, 1)


def test_an_officer_marks_a_no_show_only_after_the_slot_began(book, adminduk, desk_operator, clock):
    booking = book()
    with pytest.raises(InvalidInput, match="setelah jadwalnya dimulai"):
        booking_mark_no_show(user=desk_operator, booking_id=booking.pk)

    clock.move_to(at(MONDAY, 10, 20))
    marked = booking_mark_no_show(user=desk_operator, booking_id=booking.pk)

    assert (marked.status, marked.version) == (Status.NO_SHOW, 2)
    assert marked.events.get(action="mark_no_show").actor == desk_operator
    assert adminduk.loads.get().taken == 0


# --- Role × action ---------------------------------------------------------------------------

ACTIONS = ("check_in", "walk_in", "call_next", "no_show")


def _act(action: str, user, booking: Booking):
    if action == "check_in":
        return queue_check_in(user=user, booking_id=booking.pk)
    if action == "walk_in":
        return queue_walk_in(user=user, service_id=booking.service_id, name="Joko")
    if action == "call_next":
        return queue_call_next(user=user, service_id=booking.service_id)
    return booking_mark_no_show(user=user, booking_id=booking.pk)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("persona", "outcome"),
    [
        ("desk_operator", None),  # the kecamatan's desk
        ("administrator", None),
        ("superuser", None),
        ("camat", Forbidden),  # sees the queue, does not work the counter
        ("section_staff", NotFound),  # another unit's staff
        ("kelurahan_staff", NotFound),
        ("agency_liaison", NotFound),
        ("courier", NotFound),
        ("outsider", NotFound),  # Medan Johor
    ],
)
def test_who_may_work_the_counter(request, book, clock, action, persona, outcome):
    booking = book()
    clock.move_to(at(MONDAY, 10, 5))
    user = request.getfixturevalue(persona)
    events, messages = BookingEvent.objects.count(), OutboundMessage.objects.count()

    if outcome is None:
        _act(action, user, booking)
        return
    with pytest.raises(outcome):
        _act(action, user, booking)

    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.BOOKED, 1)
    assert (BookingEvent.objects.count(), OutboundMessage.objects.count()) == (events, messages)
    assert Booking.objects.count() == 1


def test_staff_of_the_services_unit_work_its_counter(adminduk, trantib_desk, section_staff, clock):
    clock.move_to(at(MONDAY, 9))
    walk_in = queue_walk_in(user=section_staff, service_id=trantib_desk.pk, name="Joko")

    assert queue_call_next(user=section_staff, service_id=trantib_desk.pk) == walk_in
    assert services_for_officer(user=section_staff) == [trantib_desk]
