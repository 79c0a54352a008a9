"""The hand-over at the office: ID checked, who received it, who may record it."""

from __future__ import annotations

import pytest

from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.documents.lifecycle import Action, Status
from telepati.documents.models import HandoverMode
from telepati.documents.services.handover import (
    application_hand_over,
)
from telepati.documents.tests.handover_fixtures import *  # noqa: F403
from telepati.documents.tests.handover_fixtures import (
    MONDAY_MORNING,
    snapshot,
)
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.usefixtures("monday")


@pytest.fixture
def ready(make_application):
    return make_application(Status.READY_FOR_PICKUP)


def test_staff_hand_over_to_the_applicant_after_checking_the_id(ready, desk_operator):
    application = application_hand_over(
        actor=desk_operator,
        application_id=ready.pk,
        received_by_name=" siti  AMINAH ",
        identity_checked=True,
        expected_version=1,
    )

    application.refresh_from_db()
    assert application.status == Status.HANDED_OVER
    assert application.handed_over_at == MONDAY_MORNING
    assert application.handed_over_by == desk_operator
    assert (application.received_by_name, application.received_by_relation) == (
        "siti AMINAH",
        "",
    )
    assert application.identity_checked is True
    event = application.events.get()
    assert (event.action, event.actor, event.message) == (
        Action.HAND_OVER,
        desk_operator,
        "Dokumen diserahkan di kantor.",
    )
    assert OutboundMessage.objects.get().text == (
        f"Dokumen KTP-el (kode {ready.code}) telah diserahkan kepada siti AMINAH pada "
        "2 November 2026, 10.00 WIB. Terima kasih telah menggunakan layanan kami."
    )


def test_a_family_member_may_collect_with_their_relation(ready, kelurahan_staff):
    application_hand_over(
        actor=kelurahan_staff,
        application_id=ready.pk,
        received_by_name="Budi Santoso",
        received_by_relation="suami",
        identity_checked=True,
    )
    ready.refresh_from_db()
    assert (ready.received_by_name, ready.received_by_relation) == ("Budi Santoso", "suami")


def test_hand_over_straight_from_issued(issued, desk_operator):
    application_hand_over(
        actor=desk_operator,
        application_id=issued.pk,
        received_by_name="Siti Aminah",
        identity_checked=True,
    )
    issued.refresh_from_db()
    assert (issued.status, issued.handover_mode) == (Status.HANDED_OVER, HandoverMode.PICKUP)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"received_by_name": "Siti Aminah", "identity_checked": False},
            "identity_checked",
            "Periksa KTP-el/identitas penerima terlebih dahulu.",
        ),
        (
            {"received_by_name": "  ", "identity_checked": True},
            "received_by_name",
            "Tulis nama penerima dokumen.",
        ),
        (
            {"received_by_name": "Budi Santoso", "identity_checked": True},
            "received_by_relation",
            "Penerima bukan pemohon: tulis hubungannya dengan pemohon (mis. suami, anak, "
            "penerima kuasa).",
        ),
    ],
)
def test_hand_over_needs_id_check_name_and_relation(ready, desk_operator, kwargs, field, message):
    before = snapshot(ready)
    with pytest.raises(InvalidInput) as refused:
        application_hand_over(actor=desk_operator, application_id=ready.pk, **kwargs)
    assert refused.value.field_errors == {field: [message]}
    assert snapshot(ready) == before


def test_hand_over_of_a_scheduled_delivery_is_refused(scheduled, desk_operator):
    before = snapshot(scheduled)
    with pytest.raises(InvalidTransition):
        application_hand_over(
            actor=desk_operator,
            application_id=scheduled.pk,
            received_by_name="Siti Aminah",
            identity_checked=True,
        )
    assert snapshot(scheduled) == before


def test_hand_over_on_a_stale_page_is_refused(ready, desk_operator):
    before = snapshot(ready)
    with pytest.raises(Conflict):
        application_hand_over(
            actor=desk_operator,
            application_id=ready.pk,
            received_by_name="Siti Aminah",
            identity_checked=True,
            expected_version=0,
        )
    assert snapshot(ready) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("camat", Forbidden),
        ("lurah", Forbidden),
        ("section_staff", NotFound),
        ("agency_liaison", NotFound),
        ("outsider", NotFound),
        ("courier", NotFound),
    ],
)
def test_who_may_not_hand_over(request, ready, persona, error):
    actor = request.getfixturevalue(persona)
    before = snapshot(ready)
    with pytest.raises(error):
        application_hand_over(
            actor=actor,
            application_id=ready.pk,
            received_by_name="Siti Aminah",
            identity_checked=True,
        )
    assert snapshot(ready) == before


def test_superuser_may_hand_over(ready, superuser):
    application_hand_over(
        actor=superuser,
        application_id=ready.pk,
        received_by_name="Siti Aminah",
        identity_checked=True,
    )
    ready.refresh_from_db()
    assert ready.status == Status.HANDED_OVER


def test_hand_over_queries(ready, desk_operator, django_assert_num_queries):
    # savepoint, lock, scope, visibility, update, event, outbox get_or_create (select,
    # savepoint, insert, release), release
    with django_assert_num_queries(11):
        application_hand_over(
            actor=desk_operator,
            application_id=ready.pk,
            received_by_name="Siti Aminah",
            identity_checked=True,
        )
