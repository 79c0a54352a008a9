"""Scoped reads: every role sees exactly its kelurahan, units and colleagues."""

import pytest

from telepati.accounts.models import Membership
from telepati.accounts.selectors import (
    kelurahan_get_for_officer,
    kelurahan_list_for_officer,
    officer_list_for_officer,
    officer_scope_get,
    unit_list_for_officer,
)
from telepati.core.errors import NotFound
from telepati.org.models import Unit

pytestmark = pytest.mark.django_db

AMPLAS_KELURAHAN = ["Harjosari I", "Sitirejo II"]
CITY_UNITS = ["Dinas Lingkungan Hidup", "Dinas SDABMBK"]
AMPLAS_UNITS = [
    *CITY_UNITS,
    "Kantor Lurah Harjosari I",
    "Kantor Lurah Sitirejo II",
    "Pimpinan Kecamatan",
    "Seksi Pelayanan Umum",
    "Seksi Trantibum",
    "UPT Puskesmas Amplas",
]
AMPLAS_OFFICERS = [
    "admin.amplas",
    "camat.amplas",
    "kurir.amplas",
    "lurah.harjosari1",
    "operator.amplas",
    "staf.harjosari1",
    "staf.trantib",
]


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
    """All personas exist, so each list shows whom it leaves out."""
    return {
        "desk_operator": desk_operator,
        "section_staff": section_staff,
        "kelurahan_staff": kelurahan_staff,
        "agency_liaison": agency_liaison,
        "camat": camat,
        "lurah": lurah,
        "courier": courier,
        "administrator": administrator,
        "outsider": outsider,
        "superuser": superuser,
    }


def names(queryset):
    return [row.name for row in queryset]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", AMPLAS_KELURAHAN),
        ("administrator", AMPLAS_KELURAHAN),
        ("camat", AMPLAS_KELURAHAN),
        ("lurah", ["Harjosari I"]),
        ("kelurahan_staff", ["Harjosari I"]),
        ("section_staff", []),
        ("agency_liaison", []),
        ("courier", []),
        ("outsider", ["Gedung Johor"]),
        ("superuser", [*AMPLAS_KELURAHAN, "Gedung Johor"]),
    ],
)
def test_kelurahan_list_for_each_role(everyone, persona, expected):
    assert names(kelurahan_list_for_officer(user=everyone[persona])) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", AMPLAS_UNITS),
        ("administrator", AMPLAS_UNITS),
        ("camat", AMPLAS_UNITS),
        ("lurah", AMPLAS_UNITS),
        ("kelurahan_staff", AMPLAS_UNITS),
        ("section_staff", AMPLAS_UNITS),
        ("agency_liaison", CITY_UNITS),
        ("courier", ["Seksi Pelayanan Umum"]),
        (
            "outsider",
            [*CITY_UNITS, "Kantor Lurah Gedung Johor", "Seksi Pelayanan Umum Johor"],
        ),
    ],
)
def test_unit_list_is_own_kecamatan_plus_city_agencies(everyone, persona, expected):
    assert names(unit_list_for_officer(user=everyone[persona])) == expected


def test_superuser_lists_every_active_unit(everyone):
    assert unit_list_for_officer(user=everyone["superuser"]).count() == 10


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desk_operator", AMPLAS_OFFICERS),
        ("administrator", AMPLAS_OFFICERS),
        ("camat", AMPLAS_OFFICERS),
        ("lurah", ["lurah.harjosari1", "staf.harjosari1"]),
        ("kelurahan_staff", ["lurah.harjosari1", "staf.harjosari1"]),
        ("section_staff", ["staf.trantib"]),
        ("agency_liaison", ["penghubung.dlh"]),
        ("courier", []),
        ("outsider", ["admin.johor"]),
        (
            "superuser",
            sorted([*AMPLAS_OFFICERS, "admin.johor", "penghubung.dlh"]),
        ),
    ],
)
def test_officer_list_shows_colleagues_in_scope(everyone, persona, expected):
    usernames = [u.username for u in officer_list_for_officer(user=everyone[persona])]

    assert usernames == expected


def test_inactive_membership_grants_nothing(lurah):
    Membership.objects.filter(user=lurah).update(is_active=False)

    scope = officer_scope_get(user=lurah)

    assert scope.is_empty
    assert list(kelurahan_list_for_officer(user=lurah)) == []
    assert list(unit_list_for_officer(user=lurah)) == []


def test_inactive_user_sees_nothing(camat):
    camat.is_active = False
    camat.save()

    assert list(kelurahan_list_for_officer(user=camat)) == []
    assert list(officer_list_for_officer(user=camat)) == []


def test_membership_of_an_inactive_unit_grants_nothing(lurah, harjosari_i_office):
    harjosari_i_office.is_active = False
    harjosari_i_office.save()

    assert officer_scope_get(user=lurah).is_empty


def test_inactive_kelurahan_is_not_listed(camat, sitirejo_ii):
    sitirejo_ii.is_active = False
    sitirejo_ii.save()

    assert names(kelurahan_list_for_officer(user=camat)) == ["Harjosari I"]


def test_officer_scope_get_takes_one_query(camat, amplas_trantib, django_assert_num_queries):
    Membership.objects.create(user=camat, unit=amplas_trantib, role="staff")

    with django_assert_num_queries(1):
        scope = officer_scope_get(user=camat)

    assert scope.unit_ids == {camat.memberships.get(role="leader").unit_id, amplas_trantib.pk}


def test_officer_scope_get_for_an_inactive_user_takes_no_query(camat, django_assert_num_queries):
    camat.is_active = False

    with django_assert_num_queries(0):
        scope = officer_scope_get(user=camat)

    assert scope.is_empty


def test_kelurahan_get_for_officer_returns_a_kelurahan_in_scope(lurah, harjosari_i):
    assert kelurahan_get_for_officer(user=lurah, code="medan-amplas--harjosari-i") == harjosari_i


@pytest.mark.parametrize(
    "code",
    ["medan-amplas--sitirejo-ii", "medan-johor--gedung-johor", "tidak-ada"],
)
def test_kelurahan_get_for_officer_hides_what_is_out_of_scope(lurah, code):
    with pytest.raises(NotFound) as raised:
        kelurahan_get_for_officer(user=lurah, code=code)

    assert str(raised.value) == "Kelurahan tidak ditemukan."


def test_outsider_cannot_get_an_amplas_kelurahan(outsider):
    with pytest.raises(NotFound):
        kelurahan_get_for_officer(user=outsider, code="medan-amplas--harjosari-i")


# --- The Q builder against real querysets --------------------------------------------


def unit_codes_in_scope(user):
    scope = officer_scope_get(user=user)
    units = Unit.objects.filter(
        scope.q(kecamatan="kecamatan", kelurahan="kelurahan", forwarded_unit="pk")
    )
    return sorted(units.values_list("code", flat=True))


def test_q_on_units_liaison_gets_only_their_agency(everyone):
    assert unit_codes_in_scope(everyone["agency_liaison"]) == ["kota-medan--dlh"]


def test_q_on_units_section_staff_get_only_their_section(everyone):
    assert unit_codes_in_scope(everyone["section_staff"]) == ["medan-amplas--trantibum"]


def test_q_on_units_lurah_gets_the_units_of_their_kelurahan(everyone):
    assert unit_codes_in_scope(everyone["lurah"]) == ["medan-amplas--kantor-lurah-harjosari-i"]


def test_q_on_units_camat_gets_the_kecamatan_but_no_city_agency(everyone):
    assert unit_codes_in_scope(everyone["camat"]) == [
        "medan-amplas--kantor-lurah-harjosari-i",
        "medan-amplas--kantor-lurah-sitirejo-ii",
        "medan-amplas--pelayanan-umum",
        "medan-amplas--pimpinan",
        "medan-amplas--puskesmas-amplas",
        "medan-amplas--trantibum",
    ]


def test_q_on_units_courier_gets_nothing(everyone):
    assert unit_codes_in_scope(everyone["courier"]) == []


def test_q_on_units_outsider_never_sees_amplas(everyone):
    assert unit_codes_in_scope(everyone["outsider"]) == [
        "medan-johor--kantor-lurah-gedung-johor",
        "medan-johor--pelayanan-umum",
    ]


def test_q_on_memberships_through_a_forwarded_unit_path(everyone):
    scope = officer_scope_get(user=everyone["agency_liaison"])

    memberships = Membership.objects.filter(scope.q(forwarded_unit="unit"))

    assert [m.user.username for m in memberships] == ["penghubung.dlh"]


def test_q_on_memberships_lurah_sees_their_office_only(everyone):
    scope = officer_scope_get(user=everyone["lurah"])

    memberships = Membership.objects.filter(
        scope.q(kecamatan="unit__kecamatan", kelurahan="unit__kelurahan", forwarded_unit="unit")
    )

    assert sorted(m.user.username for m in memberships) == ["lurah.harjosari1", "staf.harjosari1"]
