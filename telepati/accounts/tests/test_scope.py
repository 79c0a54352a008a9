"""The pure scope rules: who sees what, built from membership facts without a database."""

import pytest
from django.db.models import Q

from telepati.accounts.capabilities import Capability
from telepati.accounts.roles import Role
from telepati.accounts.scope import KELURAHAN_OFFICE, Grant, OfficerScope, scope_build
from telepati.org.models import UnitKind

AMPLAS, JOHOR = 1, 2
HARJOSARI_I = 11
SECTION, OFFICE, AGENCY = 101, 102, 103

PATHS = {"kecamatan": "kecamatan", "kelurahan": "kelurahan", "forwarded_unit": "dispositions__unit"}


def build(*grants, is_active=True, is_superuser=False):
    return scope_build(user_id=7, is_active=is_active, is_superuser=is_superuser, grants=grants)


def section(role):
    return Grant(role=role, unit_id=SECTION, unit_kind="section", kecamatan_id=AMPLAS)


def office(role):
    return Grant(
        role=role,
        unit_id=OFFICE,
        unit_kind=KELURAHAN_OFFICE,
        kecamatan_id=AMPLAS,
        kelurahan_id=HARJOSARI_I,
    )


def agency(role):
    return Grant(role=role, unit_id=AGENCY, unit_kind="agency", kecamatan_id=None)


def test_kelurahan_office_constant_matches_the_unit_kind():
    assert UnitKind.KELURAHAN_OFFICE.value == KELURAHAN_OFFICE


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.OPERATOR])
def test_administrator_and_operator_see_their_whole_kecamatan(role):
    scope = build(section(role))

    assert scope.kecamatan_ids == {AMPLAS}
    assert scope.kelurahan_ids == frozenset()
    assert scope.q(**PATHS) == Q(kecamatan__in=[AMPLAS]) | Q(dispositions__unit__in=[SECTION])


def test_camat_in_a_kecamatan_unit_sees_the_whole_kecamatan():
    scope = build(section(Role.LEADER))

    assert scope.kecamatan_ids == {AMPLAS}
    assert scope.kelurahan_ids == frozenset()


def test_lurah_sees_only_their_kelurahan_and_matters_forwarded_to_their_office():
    scope = build(office(Role.LEADER))

    assert scope.kecamatan_ids == frozenset()
    assert scope.q(**PATHS) == Q(kelurahan__in=[HARJOSARI_I]) | Q(dispositions__unit__in=[OFFICE])


def test_section_staff_see_only_matters_forwarded_to_their_unit():
    scope = build(section(Role.STAFF))

    assert scope.q(**PATHS) == Q(dispositions__unit__in=[SECTION])
    assert scope.home_kecamatan_ids == {AMPLAS}


def test_kelurahan_office_staff_also_see_everything_in_their_kelurahan():
    scope = build(office(Role.STAFF))

    assert scope.q(**PATHS) == Q(kelurahan__in=[HARJOSARI_I]) | Q(dispositions__unit__in=[OFFICE])


def test_liaison_sees_only_matters_forwarded_to_their_agency():
    scope = build(agency(Role.LIAISON))

    assert scope.q(**PATHS) == Q(dispositions__unit__in=[AGENCY])
    assert scope.home_kecamatan_ids == frozenset()


def test_liaison_in_a_kelurahan_office_gets_no_area_either():
    scope = build(office(Role.LIAISON))

    assert scope.q(**PATHS) == Q(dispositions__unit__in=[OFFICE])


def test_administrator_of_a_city_unit_is_treated_like_a_liaison():
    scope = build(agency(Role.ADMINISTRATOR))

    assert scope.kecamatan_ids == frozenset()
    assert scope.q(**PATHS) == Q(dispositions__unit__in=[AGENCY])


def test_courier_sees_nothing_area_or_unit_based():
    scope = build(section(Role.COURIER))

    assert scope.q(**PATHS) == Q(pk__in=[])
    assert scope.unit_ids == frozenset()
    assert scope.member_unit_ids == {SECTION}
    assert not scope.is_empty


def test_courier_sees_rows_assigned_to_them():
    scope = build(section(Role.COURIER))

    assert scope.q(**PATHS, assigned_user="courier") == Q(courier=7)


def test_memberships_combine():
    scope = build(office(Role.STAFF), agency(Role.LIAISON))

    assert scope.q(**PATHS) == Q(kelurahan__in=[HARJOSARI_I]) | Q(
        dispositions__unit__in=[OFFICE, AGENCY]
    )
    assert scope.roles == {Role.STAFF, Role.LIAISON}


def test_superuser_sees_everything():
    scope = build(is_superuser=True)

    assert scope.q(**PATHS) == Q()
    assert not scope.is_empty


def test_inactive_user_sees_nothing_even_as_superuser():
    scope = build(section(Role.ADMINISTRATOR), is_active=False, is_superuser=True)

    assert scope.is_empty
    assert scope.q(**PATHS) == Q(pk__in=[])
    assert not scope.can(Capability.VIEW_REPORTS)


def test_no_memberships_means_an_empty_scope():
    scope = build()

    assert scope.is_empty
    assert scope.q(**PATHS) == Q(pk__in=[])


def test_paths_the_model_lacks_are_left_out():
    scope = build(office(Role.LEADER))

    assert scope.q(kecamatan="kecamatan") == Q(pk__in=[])
    assert scope.q(kelurahan="pk") == Q(pk__in=[HARJOSARI_I])


def test_anonymous_scope_is_empty():
    scope = scope_build(user_id=None, is_active=True, is_superuser=False, grants=[section("staff")])

    assert scope == OfficerScope(user_id=None)


def test_can_follows_the_capability_table():
    scope = build(agency(Role.LIAISON))

    assert scope.can(Capability.FOLLOW_UP)
    assert not scope.can(Capability.VERIFY_REPORT)


def test_can_in_is_bound_to_the_kecamatan_of_the_role():
    scope = build(section(Role.ADMINISTRATOR), agency(Role.LIAISON))

    assert scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=AMPLAS)
    assert not scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=JOHOR)
    assert not scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=None)
    assert scope.kecamatan_ids_for(Capability.FOLLOW_UP) == {AMPLAS}


def test_superuser_can_in_any_kecamatan_and_city_level():
    scope = build(is_superuser=True)

    assert scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=None)
    assert scope.can_in(Capability.MANAGE_OFFICERS, kecamatan_id=JOHOR)
