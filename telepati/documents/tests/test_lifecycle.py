"""The pure lifecycle table: every pair of action and state, without a database."""

from __future__ import annotations

import pytest

from telepati.core.errors import InvalidTransition
from telepati.documents.lifecycle import (
    AWAITING_HANDOVER,
    IN_PROGRESS_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    Status,
    all_moves,
    allowed_actions,
    transition_target,
)

PAIRS = [(action, status) for action in Action for status in Status]


@pytest.mark.parametrize(("action", "status"), PAIRS)
def test_transition_target_follows_the_table_for_every_pair(action, status):
    if status in TRANSITIONS[action]:
        assert transition_target(action, status) == TRANSITIONS[action][status]
    else:
        with pytest.raises(InvalidTransition):
            transition_target(action, status)


def test_every_action_has_moves_and_every_state_is_classified():
    assert set(TRANSITIONS) == set(Action)
    assert all(TRANSITIONS[action] for action in Action)
    groups = [IN_PROGRESS_STATES, AWAITING_HANDOVER, TERMINAL_STATES]
    assert set().union(*groups) == set(Status)
    assert sum(len(g) for g in groups) == len(Status)


def test_terminal_states_allow_nothing():
    for status in TERMINAL_STATES:
        assert allowed_actions(status) == []


def test_every_non_terminal_state_can_move_on():
    for status in set(Status) - TERMINAL_STATES:
        assert allowed_actions(status), status


def test_every_state_but_pre_registration_is_reachable():
    targets = {move.target for move in all_moves()}
    assert set(Status) - targets == {Status.PRE_REGISTERED}


def test_the_illegal_move_message_names_the_action_and_the_state():
    with pytest.raises(InvalidTransition) as caught:
        transition_target(Action.ISSUE, Status.RECEIVED)

    assert str(caught.value) == (
        "Tindakan “Tandai terbit” tidak berlaku untuk permohonan berstatus Berkas diterima."
    )
