import pytest

from telepati.core.errors import InvalidTransition
from telepati.reports.lifecycle import (
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    Status,
    all_moves,
    allowed_actions,
    transition_target,
)

EXPECTED_MOVES = {
    (Action.VERIFY, Status.NEW): Status.VERIFIED,
    (Action.VERIFY, Status.ON_HOLD): Status.VERIFIED,
    (Action.HOLD, Status.NEW): Status.ON_HOLD,
    (Action.CLARIFY, Status.ON_HOLD): Status.NEW,
    (Action.REJECT, Status.NEW): Status.REJECTED,
    (Action.REJECT, Status.ON_HOLD): Status.REJECTED,
    (Action.REJECT, Status.VERIFIED): Status.REJECTED,
    (Action.FORWARD, Status.VERIFIED): Status.FORWARDED,
    (Action.FORWARD, Status.FORWARDED): Status.FORWARDED,
    (Action.FORWARD, Status.IN_PROGRESS): Status.IN_PROGRESS,
    (Action.FOLLOW_UP, Status.FORWARDED): Status.IN_PROGRESS,
    (Action.FOLLOW_UP, Status.IN_PROGRESS): Status.IN_PROGRESS,
    (Action.RETURN, Status.FORWARDED): Status.VERIFIED,
    (Action.RETURN, Status.IN_PROGRESS): Status.VERIFIED,
    (Action.RESOLVE, Status.VERIFIED): Status.RESOLVED,
    (Action.RESOLVE, Status.FORWARDED): Status.RESOLVED,
    (Action.RESOLVE, Status.IN_PROGRESS): Status.RESOLVED,
    (Action.DISPUTE, Status.RESOLVED): Status.IN_PROGRESS,
    (Action.CLOSE, Status.RESOLVED): Status.CLOSED,
    (Action.REOPEN, Status.RESOLVED): Status.IN_PROGRESS,
    (Action.REOPEN, Status.CLOSED): Status.IN_PROGRESS,
    (Action.REOPEN, Status.REJECTED): Status.NEW,
    (Action.MERGE, Status.NEW): Status.MERGED,
    (Action.MERGE, Status.ON_HOLD): Status.MERGED,
    (Action.MERGE, Status.VERIFIED): Status.MERGED,
    (Action.MERGE, Status.FORWARDED): Status.MERGED,
    (Action.MERGE, Status.IN_PROGRESS): Status.MERGED,
}


def test_the_table_holds_exactly_the_documented_moves():
    assert {(m.action, m.source): m.target for m in all_moves()} == EXPECTED_MOVES


@pytest.mark.parametrize(("action", "source"), list(EXPECTED_MOVES))
def test_every_legal_move_leads_to_its_target(action, source):
    assert transition_target(action, source) == EXPECTED_MOVES[(action, source)]


ILLEGAL = [
    (action, source)
    for action in Action
    for source in Status
    if (action, source) not in EXPECTED_MOVES
]


@pytest.mark.parametrize(("action", "source"), ILLEGAL)
def test_every_other_move_is_refused_with_a_readable_message(action, source):
    with pytest.raises(InvalidTransition) as excinfo:
        transition_target(action, source)

    assert str(action.label) in str(excinfo.value)
    assert str(source.label) in str(excinfo.value)


def test_merged_reports_can_do_nothing():
    assert allowed_actions(Status.MERGED) == []


def test_closed_reports_can_only_be_reopened():
    assert allowed_actions(Status.CLOSED) == [Action.REOPEN]


def test_every_state_is_reachable_from_new():
    reached = {Status.NEW}
    frontier = [Status.NEW]
    while frontier:
        state = frontier.pop()
        for targets in TRANSITIONS.values():
            target = targets.get(state)
            if target is not None and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)


def test_open_and_terminal_states_do_not_overlap():
    assert OPEN_STATES.isdisjoint(TERMINAL_STATES)
    assert Status.RESOLVED not in OPEN_STATES
    assert Status.RESOLVED not in TERMINAL_STATES
