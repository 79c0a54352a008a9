"""The admin for officers and memberships: scoped by kecamatan, writes through the services."""

import pytest
from django.urls import reverse

from telepati.accounts.models import Membership, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(
    desk_operator,
    section_staff,
    kelurahan_staff,
    agency_liaison,
    camat,
    lurah,
    courier,
    administrator,
    outsider,
    superuser,
):
    return None


def usernames(response):
    return sorted(u.username for u in response.context["cl"].queryset)


def test_administrator_lists_the_officers_of_their_kecamatan_only(client, administrator, everyone):
    client.force_login(administrator)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert usernames(response) == [
        "admin.amplas",
        "camat.amplas",
        "kurir.amplas",
        "lurah.harjosari1",
        "operator.amplas",
        "staf.harjosari1",
        "staf.trantib",
    ]


def test_superuser_lists_everyone(client, superuser, everyone):
    client.force_login(superuser)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert len(usernames(response)) == 10


def test_administrator_lists_memberships_of_their_kecamatan(client, administrator, everyone):
    client.force_login(administrator)

    response = client.get(reverse("admin:accounts_membership_changelist"))

    assert sorted(m.user.username for m in response.context["cl"].queryset) == [
        "admin.amplas",
        "camat.amplas",
        "kurir.amplas",
        "lurah.harjosari1",
        "operator.amplas",
        "staf.harjosari1",
        "staf.trantib",
    ]


def test_administrator_cannot_open_officers_of_another_kecamatan_or_superusers(
    client, administrator, everyone
):
    client.force_login(administrator)

    for user in User.objects.filter(username__in=["admin.johor", "root", "penghubung.dlh"]):
        assert client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 302


def test_administrator_cannot_change_an_officer_who_also_works_elsewhere(
    client, administrator, camat, dlh
):
    Membership.objects.create(user=camat, unit=dlh, role="liaison")
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[camat.pk])

    response = client.post(
        url, {"password1": "sandi-baru-panjang-1", "password2": "sandi-baru-panjang-1"}
    )

    assert response.status_code == 403
    camat.refresh_from_db()
    assert not camat.check_password("sandi-baru-panjang-1")


def change_user_form(user, memberships, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        prefix = f"memberships-{index}-"
        data.update(
            {
                prefix + "id": str(membership.pk),
                prefix + "user": str(user.pk),
                prefix + "title": membership.title,
            }
        )
        if membership.is_active:
            data[prefix + "is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_administrator_revokes_a_role_by_unticking_it(client, administrator, lurah):
    client.force_login(administrator)
    membership = lurah.memberships.get()

    response = client.post(
        reverse("admin:accounts_user_change", args=[lurah.pk]),
        change_user_form(lurah, [membership], **{"memberships-0-is_active": None}),
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False


def test_user_phone_is_normalised_and_errors_are_indonesian(client, administrator, lurah):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[lurah.pk])
    memberships = list(lurah.memberships.all())

    bad = client.post(url, change_user_form(lurah, memberships, phone="0812"))
    good = client.post(url, change_user_form(lurah, memberships, phone="0812-3456-7890"))

    assert bad.status_code == 200
    assert bad.context["adminform"].form.errors["phone"] == [
        "Nomor telepon tidak valid. Periksa kembali jumlah digitnya."
    ]
    assert good.status_code == 302
    lurah.refresh_from_db()
    assert lurah.phone == "+6281234567890"


def test_administrator_cannot_make_themselves_superuser(client, administrator):
    client.force_login(administrator)
    memberships = list(administrator.memberships.all())

    response = client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]),
        change_user_form(administrator, memberships, is_superuser="on", is_staff="on"),
    )

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.is_superuser is False


def add_user_form(**extra):
    data = {
        "username": "petugas.baru",
        "first_name": "Petugas",
        "last_name": "Baru",
        "email": "",
        "phone": "081234567890",
        "usable_password": "true",
        "password1": "kata-sandi-cukup-panjang",
        "password2": "kata-sandi-cukup-panjang",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_administrator_adds_an_officer_with_a_role(client, administrator, amplas_trantib):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_add"),
        add_user_form(
            **{
                "memberships-0-unit": str(amplas_trantib.pk),
                "memberships-0-role": "administrator",
                "memberships-0-title": "Kasi Trantibum",
                "memberships-0-is_active": "on",
            }
        ),
    )

    assert response.status_code == 302
    user = User.objects.get(username="petugas.baru")
    assert (user.phone, user.is_staff) == ("+6281234567890", True)
    assert list(user.memberships.values_list("unit__code", "role", "title", "is_active")) == [
        ("medan-amplas--trantibum", "administrator", "Kasi Trantibum", True)
    ]


def test_administrator_must_give_a_new_officer_a_role(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_add"), add_user_form(**{"memberships-TOTAL_FORMS": "0"})
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="petugas.baru").exists()


def test_administrator_cannot_add_a_role_in_another_kecamatan(client, administrator, johor_service):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_add"),
        add_user_form(
            **{
                "memberships-0-unit": str(johor_service.pk),
                "memberships-0-role": "staff",
                "memberships-0-is_active": "on",
            }
        ),
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="petugas.baru").exists()
    assert not Membership.objects.filter(unit=johor_service).exists()


def test_membership_admin_grants_through_the_service(
    client, administrator, section_staff, amplas_service
):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": str(section_staff.pk),
            "unit": str(amplas_service.pk),
            "role": "administrator",
            "title": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    section_staff.refresh_from_db()
    assert section_staff.is_staff is True


def test_memberships_are_never_deleted_by_kecamatan_administrators(client, administrator, lurah):
    client.force_login(administrator)
    membership = lurah.memberships.get()

    response = client.post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
