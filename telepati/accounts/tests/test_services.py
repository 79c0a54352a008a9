"""Creating officers and granting or revoking roles, with the permission rules."""

import pytest

from telepati.accounts.models import Membership, Role, User
from telepati.accounts.services import membership_grant, membership_revoke, officer_create
from telepati.core.errors import Conflict, Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def memberships_snapshot():
    return sorted(
        Membership.objects.values_list("user__username", "unit__code", "role", "is_active", "title")
    )


def staff_flags():
    return dict(User.objects.values_list("username", "is_staff"))


def test_administrator_grants_a_role_in_their_kecamatan(
    administrator, section_staff, amplas_service
):
    membership = membership_grant(
        actor=administrator,
        user=section_staff,
        unit=amplas_service,
        role=Role.OPERATOR,
        title="Operator",
    )

    assert (
        membership.user,
        membership.unit,
        membership.role,
        membership.title,
        membership.is_active,
    ) == (
        section_staff,
        amplas_service,
        "operator",
        "Operator",
        True,
    )
    section_staff.refresh_from_db()
    assert section_staff.is_staff is False


def test_granting_administrator_gives_access_to_the_admin(
    administrator, section_staff, amplas_trantib
):
    membership_grant(
        actor=administrator, user=section_staff, unit=amplas_trantib, role="administrator"
    )

    section_staff.refresh_from_db()
    assert section_staff.is_staff is True


def test_grant_is_idempotent(administrator, section_staff, amplas_trantib):
    first = membership_grant(
        actor=administrator, user=section_staff, unit=amplas_trantib, role=Role.STAFF
    )

    assert first == section_staff.memberships.get()
    assert Membership.objects.filter(user=section_staff).count() == 1


@pytest.mark.parametrize(
    "actor_name", ["outsider", "camat", "desk_operator", "lurah", "agency_liaison"]
)
def test_only_an_administrator_of_the_kecamatan_may_grant(
    request, actor_name, section_staff, amplas_service
):
    actor = request.getfixturevalue(actor_name)
    before, flags = memberships_snapshot(), staff_flags()

    with pytest.raises(Forbidden) as raised:
        membership_grant(
            actor=actor, user=section_staff, unit=amplas_service, role=Role.ADMINISTRATOR
        )

    assert str(raised.value) == "Anda tidak berwenang mengatur petugas unit kerja ini."
    assert memberships_snapshot() == before
    assert staff_flags() == flags


def test_kecamatan_administrator_may_not_grant_in_a_city_agency(administrator, section_staff, dlh):
    before = memberships_snapshot()

    with pytest.raises(Forbidden):
        membership_grant(actor=administrator, user=section_staff, unit=dlh, role=Role.LIAISON)

    assert memberships_snapshot() == before


def test_superuser_grants_in_a_city_agency(superuser, section_staff, dlh):
    membership = membership_grant(actor=superuser, user=section_staff, unit=dlh, role=Role.LIAISON)

    assert membership.unit == dlh


def test_inactive_administrator_may_not_grant(administrator, section_staff, amplas_service):
    administrator.is_active = False
    administrator.save()
    before = memberships_snapshot()

    with pytest.raises(Forbidden):
        membership_grant(
            actor=administrator, user=section_staff, unit=amplas_service, role=Role.STAFF
        )

    assert memberships_snapshot() == before


def test_unknown_role_is_refused(administrator, section_staff, amplas_service):
    with pytest.raises(InvalidInput):
        membership_grant(actor=administrator, user=section_staff, unit=amplas_service, role="camat")


def test_revoke_deactivates_and_keeps_the_row(administrator, lurah):
    membership = lurah.memberships.get()

    membership_revoke(actor=administrator, membership=membership)

    membership.refresh_from_db()
    assert membership.is_active is False
    assert Membership.objects.filter(user=lurah).count() == 1


def test_revoking_the_administrator_role_removes_admin_access(superuser, administrator):
    membership_revoke(actor=superuser, membership=administrator.memberships.get())

    administrator.refresh_from_db()
    assert administrator.is_staff is False


def test_grant_after_revoke_reactivates_the_same_row(administrator, lurah, harjosari_i_office):
    membership = lurah.memberships.get()
    membership_revoke(actor=administrator, membership=membership)

    again = membership_grant(
        actor=administrator, user=lurah, unit=harjosari_i_office, role=Role.LEADER
    )

    assert again.pk == membership.pk
    assert again.is_active is True


@pytest.mark.parametrize("actor_name", ["outsider", "camat", "lurah"])
def test_revoke_is_denied_outside_administration_and_changes_nothing(request, actor_name, lurah):
    actor = request.getfixturevalue(actor_name)
    membership = lurah.memberships.get()
    before = memberships_snapshot()

    with pytest.raises(Forbidden):
        membership_revoke(actor=actor, membership=membership)

    assert memberships_snapshot() == before


def test_officer_create_makes_an_account_with_one_role(administrator, amplas_service):
    user = officer_create(
        actor=administrator,
        username="operator.baru",
        password="kata-sandi-cukup-panjang",
        unit=amplas_service,
        role=Role.OPERATOR,
        first_name="Budi",
        phone="0812-3456-7890",
        title="Operator WA Center",
    )

    assert (user.username, user.first_name, user.phone, user.is_staff) == (
        "operator.baru",
        "Budi",
        "+6281234567890",
        False,
    )
    assert user.check_password("kata-sandi-cukup-panjang")
    assert list(user.memberships.values_list("unit__code", "role", "title")) == [
        ("medan-amplas--pelayanan-umum", "operator", "Operator WA Center")
    ]


def test_officer_create_without_password_cannot_sign_in(administrator, amplas_service):
    user = officer_create(
        actor=administrator,
        username="tanpa.sandi",
        password=None,
        unit=amplas_service,
        role="staff",
    )

    assert user.has_usable_password() is False


def test_officer_create_is_denied_to_non_administrators(section_staff, outsider, amplas_service):
    users_before = User.objects.count()

    for actor in (section_staff, outsider):
        with pytest.raises(Forbidden):
            officer_create(
                actor=actor,
                username="penyusup",
                password="kata-sandi-cukup-panjang",
                unit=amplas_service,
                role="staff",
            )

    assert User.objects.count() == users_before
    assert not User.objects.filter(username="penyusup").exists()


def test_officer_create_refuses_a_taken_username(administrator, amplas_service, camat):
    with pytest.raises(Conflict):
        officer_create(
            actor=administrator,
            username="CAMAT.amplas",
            password="kata-sandi-cukup-panjang",
            unit=amplas_service,
            role="staff",
        )


def test_officer_create_refuses_a_weak_password_and_creates_nothing(administrator, amplas_service):
    with pytest.raises(InvalidInput) as raised:
        officer_create(
            actor=administrator, username="lemah", password="123", unit=amplas_service, role="staff"
        )

    assert "password" in raised.value.field_errors
    assert not User.objects.filter(username="lemah").exists()


def test_officer_create_refuses_an_invalid_phone_in_indonesian(administrator, amplas_service):
    with pytest.raises(InvalidInput) as raised:
        officer_create(
            actor=administrator,
            username="salah.nomor",
            password="kata-sandi-cukup-panjang",
            unit=amplas_service,
            role="staff",
            phone="12345",
        )

    assert raised.value.field_errors["phone"] == [
        "Nomor telepon tidak valid. Periksa kembali jumlah digitnya."
    ]
    assert not User.objects.filter(username="salah.nomor").exists()
