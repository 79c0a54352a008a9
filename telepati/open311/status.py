"""How report states read in Open311: the spec's open/closed and the extended update statuses.

A report is `closed` once it is resolved (*selesai*: the work is done, the reporter may still
dispute it) or closed; every other public state is `open`. The updates extension
(`servicerequestupdates`) carries the finer statuses of the FixMyStreet extension.
"""

from __future__ import annotations

from telepati.reports.lifecycle import Status

OPEN = "open"
CLOSED = "closed"
CLOSED_STATES = frozenset({Status.RESOLVED, Status.CLOSED})

# Report state → extended status (mySociety/FixMyStreet Open311 extension).
EXTENDED_STATUS: dict[Status, str] = {
    Status.NEW: "FOR_TRIAGE",
    Status.ON_HOLD: "INVESTIGATING",
    Status.VERIFIED: "OPEN",
    Status.FORWARDED: "ACTION_SCHEDULED",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.RESOLVED: "FIXED",
    Status.CLOSED: "CLOSED",
    Status.REJECTED: "NO_FURTHER_ACTION",
    Status.MERGED: "DUPLICATE",
}


# Report state value → `open` / `closed` (a dict look-up per row of a 1,000-row list).
OPEN311_STATUS: dict[str, str] = {
    state.value: CLOSED if state in CLOSED_STATES else OPEN for state in Status
}


def open311_status(status: str) -> str:
    """`open` or `closed` for a report state."""
    return OPEN311_STATUS[Status(status).value]


def status_values(open311_statuses: list[str]) -> list[str]:
    """The report states an Open311 status filter (`open`, `closed`) stands for."""
    states: list[str] = []
    for value in open311_statuses:
        states.extend(sorted(s.value for s in Status if (s in CLOSED_STATES) == (value == CLOSED)))
    return states


def extended_status(status: str) -> str:
    return EXTENDED_STATUS[Status(status)]
