"""Who may act on an application: role × action, and every illegal move changes nothing.

Officers who handle the application (the kecamatan desk, the handling unit's staff, the
kantor kelurahan of the applicant's kelurahan) act; leaders see but may not act
(Forbidden); everyone who cannot see the application gets NotFound, so its existence does
not leak; a courier sees only what is assigned to them, and may not manage it either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from telepati.core.errors import Forbidden, InvalidTransition, NotFound
from telepati.documents.lifecycle import TRANSITIONS, Action, Status, all_moves
from telepati.documents.models import Application, ApplicationEvent
from telepati.documents.services import pipeline
from telepati.documents.services.registration import application_accept
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

# The officer actions of this app: (call, extra arguments, a state it is legal from).
ACTIONS: dict[Action, tuple[Callable[..., Application], dict[str, Any], Status]] = {
    Action.ACCEPT: (application_accept, {}, Status.PRE_REGISTERED),
    Action.PROCESS: (pipeline.application_process, {}, Status.RECEIVED),
    Action.REQUEST_FIX: (
        pipeline.application_request_fix,
        {"fix_note": "Pas foto belum ada."},
        Status.PROCESSING,
    ),
    Action.FIXED: (pipeline.application_fixed, {}, Status.NEEDS_FIX),
    Action.SUBMIT: (pipeline.application_submit, {}, Status.PROCESSING),
    Action.ISSUE: (pipeline.application_issue, {}, Status.SUBMITTED),
    Action.REJECT: (pipeline.application_reject, {"reason": "Bukan warga."}, Status.PROCESSING),
    Action.CANCEL: (
        pipeline.application_cancel,
        {"reason": "Permintaan pemohon."},
        Status.RECEIVED,
    ),
}

ALLOWED = ["desk_operator", "administrator", "document_staff", "kelurahan_staff", "superuser"]
FORBIDDEN = ["camat", "lurah"]
NOT_FOUND = ["outsider", "agency_liaison", "section_staff", "courier"]


def snapshot(application: Application) -> tuple[str, int, int, int]:
    application.refresh_from_db()
    return (
        application.status,
        application.version,
        ApplicationEvent.objects.filter(application=application).count(),
        OutboundMessage.objects.count(),
    )


def act(action: Action, actor: Any, application: Application) -> Application:
    call, extra, _source = ACTIONS[action]
    return call(actor=actor, application_id=application.pk, **extra)


def test_the_table_above_covers_every_officer_action_of_this_app():
    handover = {
        Action.CHOOSE_PICKUP,
        Action.CHOOSE_DELIVERY,
        Action.DISPATCH,
        Action.DELIVER,
        Action.DELIVERY_FAIL,
        Action.HAND_OVER,
    }
    assert set(ACTIONS) == set(Action) - handover
    for action, (_call, _extra, source) in ACTIONS.items():
        assert source in TRANSITIONS[action]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", ALLOWED)
def test_officers_who_handle_the_application_may_act(application_at, action, persona, request):
    application = application_at(ACTIONS[action][2])

    done = act(action, request.getfixturevalue(persona), application)

    assert done.status == TRANSITIONS[action][ACTIONS[action][2]]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", FORBIDDEN)
def test_leaders_see_but_may_not_act(application_at, action, persona, request):
    application = application_at(ACTIONS[action][2])
    before = snapshot(application)

    with pytest.raises(Forbidden):
        act(action, request.getfixturevalue(persona), application)

    assert snapshot(application) == before


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", NOT_FOUND)
def test_officers_who_cannot_see_the_application_do_not_find_it(
    application_at, action, persona, request
):
    application = application_at(ACTIONS[action][2])
    before = snapshot(application)

    with pytest.raises(NotFound):
        act(action, request.getfixturevalue(persona), application)

    assert snapshot(application) == before


def test_kelurahan_staff_do_not_find_applications_of_another_kelurahan(
    application_at, kelurahan_staff, sitirejo_ii
):
    application = application_at(Status.RECEIVED, kelurahan_id=sitirejo_ii.pk)
    before = snapshot(application)

    with pytest.raises(NotFound):
        pipeline.application_process(actor=kelurahan_staff, application_id=application.pk)

    assert snapshot(application) == before


def test_a_courier_sees_an_assigned_application_but_may_not_manage_it(application_at, courier):
    application = application_at(Status.RECEIVED)
    # Assignment is the hand-over services' business; only the visibility matters here.
    Application.objects.filter(pk=application.pk).update(courier=courier)
    before = snapshot(application)

    with pytest.raises(Forbidden):
        pipeline.application_process(actor=courier, application_id=application.pk)

    assert snapshot(application) == before


def test_an_officer_with_a_leader_role_here_and_staff_elsewhere_may_not_act(
    application_at, camat, amplas_trantib
):
    from telepati.accounts.models import Role
    from telepati.accounts.tests.factories import MembershipFactory

    MembershipFactory.create(user=camat, unit=amplas_trantib, role=Role.STAFF)
    application = application_at(Status.RECEIVED)

    with pytest.raises(Forbidden):
        pipeline.application_process(actor=camat, application_id=application.pk)


# --- The lifecycle, through the services -------------------------------------------------


def _illegal() -> list[tuple[Action, Status]]:
    return [
        (action, status)
        for action in ACTIONS
        for status in Status
        if status not in TRANSITIONS[action]
    ]


def _legal() -> list[tuple[Action, Status, Status]]:
    return [(m.action, m.source, m.target) for m in all_moves() if m.action in ACTIONS]


@pytest.mark.parametrize(("action", "source", "target"), _legal())
def test_every_legal_move_of_this_app_leads_where_the_table_says(
    application_at, desk_operator, action, source, target
):
    application = application_at(source)
    events = ApplicationEvent.objects.filter(application=application).count()

    done = act(action, desk_operator, application)

    assert done.status == target
    assert done.version == application.version + 1
    assert ApplicationEvent.objects.filter(application=application).count() == events + 1


@pytest.mark.parametrize(("action", "status"), _illegal())
def test_every_illegal_move_is_refused_and_changes_nothing(
    application_at, desk_operator, action, status
):
    application = application_at(status)
    before = snapshot(application)

    with pytest.raises(InvalidTransition):
        act(action, desk_operator, application)

    assert snapshot(application) == before


def test_an_applicant_cannot_cancel_once_submitted(application_at):
    application = application_at(Status.SUBMITTED)
    before = snapshot(application)

    with pytest.raises(InvalidTransition):
        pipeline.application_cancel(
            citizen=application.applicant, application_id=application.pk, reason="Tidak jadi."
        )

    assert snapshot(application) == before
