"""Sending an announcement: who is targeted, chunks, opt-out mid-send, cancel, idempotence."""

from __future__ import annotations

import random

import pytest

from telepati.announcements.lifecycle import Status
from telepati.announcements.models import Announcement, AnnouncementRecipient
from telepati.announcements.selectors import announcement_progress, announcement_recipient_count
from telepati.announcements.services.announcements import announcement_cancel, announcement_send
from telepati.announcements.services.sending import announcement_chunk_process
from telepati.announcements.services.subscriptions import subscription_opt_out
from telepati.announcements.tests.conftest import citizen_make
from telepati.core.errors import Forbidden, InvalidTransition, NotFound
from telepati.messaging.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


class _NoJob:
    """Stands in for the chunk task: the test runs the chunks itself."""

    calls = 0

    @classmethod
    def enqueue(cls, **kwargs):
        cls.calls += 1


@pytest.fixture
def manual_chunks(monkeypatch):
    monkeypatch.setattr("telepati.announcements.tasks.announcement_chunk_task", _NoJob)
    monkeypatch.setattr("telepati.messaging.tasks.deliver_message", _NoJob)


def _recipients(announcement: Announcement) -> set[int]:
    return set(
        AnnouncementRecipient.objects.filter(announcement=announcement).values_list(
            "citizen_id", flat=True
        )
    )


def _state(announcement: Announcement) -> tuple:
    announcement.refresh_from_db()
    return (
        announcement.status,
        announcement.version,
        announcement.recipients_done,
        OutboundMessage.objects.count(),
        AnnouncementRecipient.objects.count(),
    )


def test_a_sent_announcement_reaches_exactly_the_subscribers_with_one_template_message_each(
    desk_operator,
    draft,
    subscribe,
    topics,
    harjosari_i,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    monkeypatch.setattr("telepati.messaging.tasks.deliver_message", _NoJob)
    flood = citizen_make(1)
    subscribe(flood, "info-banjir-drainase", kelurahan=harjosari_i)
    subscribe(citizen_make(2), "pelatihan-umkm")
    citizen_make(3)  # never subscribed
    announcement = draft(desk_operator)

    with django_capture_on_commit_callbacks(execute=True):
        announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)

    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipient_total, announcement.recipients_done) == (
        Status.SENT,
        1,
        1,
    )
    message = OutboundMessage.objects.get()
    assert (message.recipient_phone, message.template_name, message.template_params) == (
        flood.phone,
        "pengumuman_kecamatan",
        ["Gotong royong membersihkan parit", "Minggu, 8 November 2026 07.00"],
    )
    assert message.text == (
        "Pengumuman Kecamatan Medan Amplas: Gotong royong membersihkan parit pada Minggu, "
        "8 November 2026 07.00. Balas BERHENTI untuk berhenti."
    )
    assert (message.dedupe_key, message.reference) == (
        f"announcement:{announcement.pk}:{flood.pk}",
        f"announcement:{announcement.pk}:{flood.pk}",
    )


@pytest.mark.parametrize("seed", range(5))
def test_nobody_without_a_matching_active_subscription_is_ever_targeted(
    seed, desk_operator, draft, subscribe, topics, harjosari_i, sitirejo_ii, johor, manual_chunks
):
    rng = random.Random(seed)
    codes = list(topics)
    places = [None, harjosari_i, sitirejo_ii]
    people = [citizen_make(n) for n in range(40)]
    active: list[tuple[int, str, int | None]] = []
    for person in people:
        for _ in range(rng.randint(0, 3)):
            code, place = rng.choice(codes), rng.choice(places)
            subscribe(person, code, kelurahan=place)
            if rng.random() < 0.3:
                subscription_opt_out(citizen=person, topic_codes=[code])
    from telepati.announcements.models import Subscription

    active = list(
        Subscription.objects.filter(is_active=True).values_list(
            "citizen_id", "topic__code", "kelurahan_id"
        )
    )
    chosen_codes = tuple(rng.sample(codes, rng.randint(1, 2)))
    chosen_places = rng.choice([[], [harjosari_i.pk], [sitirejo_ii.pk]])
    expected = {
        citizen
        for citizen, code, place in active
        if code in chosen_codes and (not chosen_places or place is None or place in chosen_places)
    }
    announcement = draft(desk_operator, codes=chosen_codes, kelurahan_ids=chosen_places)

    count = announcement_recipient_count(
        kecamatan_id=announcement.kecamatan_id,
        topic_ids=[topics[c].pk for c in chosen_codes],
        kelurahan_ids=chosen_places,
    )
    if not expected:
        assert count == 0
        return
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    while announcement_chunk_process(announcement_id=announcement.pk, chunk_size=7):
        pass

    assert count == len(expected)
    assert _recipients(announcement) == expected
    phones = set(OutboundMessage.objects.values_list("recipient_phone", flat=True))
    assert phones == {p.phone for p in people if p.pk in expected}


def test_a_resident_who_opts_out_before_a_later_chunk_is_not_messaged(
    desk_operator, draft, subscribe, manual_chunks
):
    people = [citizen_make(n) for n in range(6)]
    for person in people:
        subscribe(person, "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)

    assert announcement_chunk_process(announcement_id=announcement.pk, chunk_size=3)
    subscription_opt_out(citizen=people[4])
    while announcement_chunk_process(announcement_id=announcement.pk, chunk_size=3):
        pass

    assert _recipients(announcement) == {p.pk for p in people} - {people[4].pk}
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipients_done) == (Status.SENT, 5)


def test_opting_out_cancels_the_residents_queued_announcement_message_at_once(
    desk_operator, draft, subscribe, manual_chunks
):
    person, other = citizen_make(1), citizen_make(2)
    subscribe(person, "info-banjir-drainase", "pengumuman-umum")
    subscribe(other, "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    announcement_chunk_process(announcement_id=announcement.pk)

    subscription_opt_out(citizen=person, topic_codes=["pengumuman-umum"])  # still flood info
    assert OutboundMessage.objects.get(recipient_phone=person.phone).status == MessageStatus.QUEUED
    subscription_opt_out(citizen=person, topic_codes=["info-banjir-drainase"])

    statuses = dict(OutboundMessage.objects.values_list("recipient_phone", "status"))
    assert statuses == {person.phone: MessageStatus.CANCELLED, other.phone: MessageStatus.QUEUED}


def test_cancelling_mid_send_stops_further_chunks_and_cancels_only_queued_messages(
    desk_operator, draft, subscribe, manual_chunks
):
    people = [citizen_make(n) for n in range(6)]
    for person in people:
        subscribe(person, "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    announcement_chunk_process(announcement_id=announcement.pk, chunk_size=3)
    first, second, _third = OutboundMessage.objects.order_by("pk")
    OutboundMessage.objects.filter(pk=first.pk).update(status=MessageStatus.SENT)
    OutboundMessage.objects.filter(pk=second.pk).update(status=MessageStatus.SENDING)

    cancelled = announcement_cancel(actor=desk_operator, announcement_id=announcement.pk)
    more = announcement_chunk_process(announcement_id=announcement.pk, chunk_size=3)

    assert (more, cancelled.status, cancelled.cancelled_messages) == (
        False,
        Status.CANCELLED,
        1,
    )
    assert [m.status for m in OutboundMessage.objects.order_by("pk")] == [
        MessageStatus.SENT,
        MessageStatus.SENDING,
        MessageStatus.CANCELLED,
    ]
    assert _recipients(announcement) == {p.pk for p in people[:3]}
    progress = announcement_progress(announcement=cancelled)
    assert (progress.total, progress.sent, progress.sending, progress.cancelled) == (3, 1, 1, 1)


def test_a_chunk_run_twice_adds_nothing(desk_operator, draft, subscribe, manual_chunks):
    for n in range(4):
        subscribe(citizen_make(n), "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    announcement_chunk_process(announcement_id=announcement.pk, chunk_size=10)
    Announcement.objects.filter(pk=announcement.pk).update(cursor_citizen_id=0)  # a lost cursor

    announcement_chunk_process(announcement_id=announcement.pk, chunk_size=10)
    announcement_chunk_process(announcement_id=announcement.pk, chunk_size=10)

    assert (AnnouncementRecipient.objects.count(), OutboundMessage.objects.count()) == (4, 4)
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipients_done) == (Status.SENT, 4)


def test_an_announcement_without_subscribers_is_not_sent_and_nothing_changes(
    desk_operator, draft, manual_chunks
):
    announcement = draft(desk_operator)
    before = _state(announcement)

    with pytest.raises(InvalidTransition):
        announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)

    assert _state(announcement) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("section_staff", Forbidden), ("camat", Forbidden), ("outsider", NotFound)],
)
def test_officers_who_may_not_send_change_nothing(
    persona, error, request, desk_operator, draft, subscribe, manual_chunks
):
    subscribe(citizen_make(1), "info-banjir-drainase")
    announcement = draft(desk_operator)
    before = _state(announcement)
    actor = request.getfixturevalue(persona)

    with pytest.raises(error):
        announcement_send(actor=actor, announcement_id=announcement.pk, expected_version=1)
    with pytest.raises(error):
        announcement_cancel(actor=actor, announcement_id=announcement.pk)

    assert _state(announcement) == before


def test_a_sent_announcement_with_nothing_waiting_cannot_be_cancelled(
    desk_operator, draft, subscribe, manual_chunks
):
    subscribe(citizen_make(1), "info-banjir-drainase")
    announcement = draft(desk_operator)
    announcement_send(actor=desk_operator, announcement_id=announcement.pk, expected_version=1)
    while announcement_chunk_process(announcement_id=announcement.pk):
        pass
    OutboundMessage.objects.update(status=MessageStatus.DELIVERED)
    before = _state(announcement)

    with pytest.raises(InvalidTransition):
        announcement_cancel(actor=desk_operator, announcement_id=announcement.pk)

    assert _state(announcement) == before
