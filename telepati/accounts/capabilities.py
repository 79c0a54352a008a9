"""What each role may do, as a table. Pure: no database access.

Where a capability applies (which reports, which kecamatan) is decided by the officer's
scope (`telepati.accounts.scope`); this table only says which roles hold it at all.
"""

from __future__ import annotations

from enum import StrEnum

from telepati.accounts.roles import Role


class Capability(StrEnum):
    """An action in the back-office that is granted to some roles."""

    VIEW_REPORTS = "view_reports"
    VERIFY_REPORT = "verify_report"
    DISPOSE_REPORT = "dispose_report"
    FOLLOW_UP = "follow_up"
    CLOSE_REPORT = "close_report"
    HANDLE_CONVERSATIONS = "handle_conversations"
    MANAGE_DOCUMENTS = "manage_documents"
    DELIVER_DOCUMENTS = "deliver_documents"
    SERVE_COUNTER = "serve_counter"
    SEND_ANNOUNCEMENTS = "send_announcements"
    MANAGE_PROGRAMS = "manage_programs"
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    MANAGE_OFFICERS = "manage_officers"


_A, _O, _S, _L, _P, _C = (
    Role.ADMINISTRATOR,
    Role.OPERATOR,
    Role.STAFF,
    Role.LIAISON,
    Role.LEADER,
    Role.COURIER,
)

CAPABILITY_ROLES: dict[Capability, frozenset[Role]] = {
    # Everyone who handles complaints reads them (within scope); couriers never do.
    Capability.VIEW_REPORTS: frozenset({_A, _O, _S, _L, _P}),
    # The WA Center desk checks a new report before anyone acts on it.
    Capability.VERIFY_REPORT: frozenset({_A, _O}),
    # Forwarding (disposisi) is the desk's job; leaders may redirect.
    Capability.DISPOSE_REPORT: frozenset({_A, _O, _P}),
    # Whoever received the matter records what was done.
    Capability.FOLLOW_UP: frozenset({_A, _O, _S, _L}),
    Capability.CLOSE_REPORT: frozenset({_A, _O, _P}),
    # Conversations with residents on the WhatsApp line.
    Capability.HANDLE_CONVERSATIONS: frozenset({_A, _O}),
    # Adminduk documents: registering, marking issued, arranging pick-up or delivery.
    Capability.MANAGE_DOCUMENTS: frozenset({_A, _O, _S}),
    Capability.DELIVER_DOCUMENTS: frozenset({_C}),
    # Temu cepat: the counter queue (check in, walk-ins, call, serve) and bookings on behalf.
    Capability.SERVE_COUNTER: frozenset({_A, _O, _S}),
    # Priority programs: the UMKM registry and activity logs (sweeps, drainage, works…).
    Capability.MANAGE_PROGRAMS: frozenset({_A, _O, _S}),
    # Announcements to residents who opted in (compose, send, cancel).
    Capability.SEND_ANNOUNCEMENTS: frozenset({_A, _O}),
    Capability.VIEW_DASHBOARD: frozenset({_A, _O, _P}),
    Capability.MANAGE_REFERENCE_DATA: frozenset({_A}),
    Capability.MANAGE_OFFICERS: frozenset({_A}),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    """The roles that hold a capability."""
    return CAPABILITY_ROLES[capability]
