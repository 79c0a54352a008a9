"""The capability table: which roles may do what."""

import pytest

from telepati.accounts.capabilities import CAPABILITY_ROLES, Capability, roles_with
from telepati.accounts.roles import Role
from telepati.accounts.scope import Grant, scope_build


def test_every_capability_is_in_the_table():
    assert set(CAPABILITY_ROLES) == set(Capability)


def test_the_table_is_as_documented():
    table = {cap.value: sorted(r.value for r in roles) for cap, roles in CAPABILITY_ROLES.items()}

    assert table == {
        "view_reports": ["administrator", "leader", "liaison", "operator", "staff"],
        "verify_report": ["administrator", "operator"],
        "dispose_report": ["administrator", "leader", "operator"],
        "follow_up": ["administrator", "liaison", "operator", "staff"],
        "close_report": ["administrator", "leader", "operator"],
        "handle_conversations": ["administrator", "operator"],
        "manage_documents": ["administrator", "operator", "staff"],
        "deliver_documents": ["courier"],
        "serve_counter": ["administrator", "operator", "staff"],
        "send_announcements": ["administrator", "operator"],
        "manage_programs": ["administrator", "operator", "staff"],
        "view_dashboard": ["administrator", "leader", "operator"],
        "manage_reference_data": ["administrator"],
        "manage_officers": ["administrator"],
    }


def test_couriers_only_deliver():
    held = {cap for cap in Capability if Role.COURIER in roles_with(cap)}

    assert held == {Capability.DELIVER_DOCUMENTS}


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        (Role.OPERATOR, Capability.VERIFY_REPORT, True),
        (Role.STAFF, Capability.VERIFY_REPORT, False),
        (Role.LEADER, Capability.VIEW_DASHBOARD, True),
        (Role.LIAISON, Capability.VIEW_DASHBOARD, False),
        (Role.COURIER, Capability.VIEW_REPORTS, False),
        (Role.ADMINISTRATOR, Capability.MANAGE_REFERENCE_DATA, True),
        (Role.OPERATOR, Capability.MANAGE_REFERENCE_DATA, False),
    ],
)
def test_scope_can_reads_the_table(role, capability, allowed):
    grant = Grant(role=role, unit_id=1, unit_kind="section", kecamatan_id=1)
    scope = scope_build(user_id=1, is_active=True, is_superuser=False, grants=[grant])

    assert scope.can(capability) is allowed
