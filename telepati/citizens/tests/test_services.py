"""citizen_get_or_create: one contact per person, whichever door they come through."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from telepati.citizens import services
from telepati.citizens.models import Citizen
from telepati.citizens.services import citizen_get_or_create
from telepati.core.errors import InvalidInput
from telepati.core.phone import phone_normalize

pytestmark = pytest.mark.django_db

SITI_PHONE = phone_normalize("0812-3456-7890")
BUDI_PHONE = phone_normalize("+62 813 1111 2222")
SITI_BSUID = "ID.1234567890123456"
NO_CONTACT = "Isi nomor WhatsApp atau surel agar kami dapat menghubungi Anda."


def _rows() -> list[tuple[str | None, str | None, str, str]]:
    return list(Citizen.objects.order_by("pk").values_list("phone", "wa_bsuid", "name", "email"))


def test_a_phone_alone_makes_a_contact(django_assert_num_queries):
    with django_assert_num_queries(4):  # lookup, savepoint, insert, release
        citizen = citizen_get_or_create(phone=SITI_PHONE, name="  Siti Aminah ")

    assert (citizen.phone, citizen.wa_bsuid, citizen.name, citizen.email) == (
        "+6281234567890",
        None,
        "Siti Aminah",
        "",
    )


def test_a_whatsapp_user_id_alone_makes_a_contact():
    citizen = citizen_get_or_create(wa_bsuid=SITI_BSUID)

    assert (citizen.phone, citizen.wa_bsuid) == (None, SITI_BSUID)


def test_an_email_alone_makes_a_contact():
    citizen = citizen_get_or_create(email="siti@example.id", name="Siti")

    assert (citizen.phone, citizen.wa_bsuid, citizen.email) == (None, None, "siti@example.id")


@pytest.mark.parametrize(
    "contact",
    [
        pytest.param({}, id="nothing"),
        pytest.param({"name": "Siti Aminah"}, id="name-only"),
        pytest.param({"email": "   ", "wa_bsuid": " "}, id="blanks"),
    ],
)
def test_without_any_way_back_nothing_is_made(contact):
    with pytest.raises(InvalidInput) as excinfo:
        citizen_get_or_create(**contact)

    assert str(excinfo.value) == NO_CONTACT
    assert Citizen.objects.count() == 0


def test_an_invalid_email_is_refused_and_nothing_is_made():
    with pytest.raises(InvalidInput) as excinfo:
        citizen_get_or_create(email="siti-at-example")

    assert str(excinfo.value) == "Alamat surel tidak valid."
    assert excinfo.value.field_errors == {"email": ["Alamat surel tidak valid."]}
    assert Citizen.objects.count() == 0


def test_the_same_phone_twice_is_one_contact(django_assert_num_queries):
    first = citizen_get_or_create(phone=SITI_PHONE, name="Siti Aminah")

    with django_assert_num_queries(1):  # the lookup; nothing new to fill in
        again = citizen_get_or_create(phone=phone_normalize("6281234567890"), name="Siti")

    assert again.pk == first.pk
    assert _rows() == [("+6281234567890", None, "Siti Aminah", "")]


def test_the_same_email_twice_is_one_contact_whatever_the_case():
    first = citizen_get_or_create(email="siti@example.id")

    again = citizen_get_or_create(email="Siti@Example.ID", name="Siti")

    assert again.pk == first.pk
    assert _rows() == [(None, None, "Siti", "siti@example.id")]


def test_an_email_alone_never_finds_a_whatsapp_contact():
    # An e-mail is not verified: typing someone's address must not reach their WhatsApp.
    whatsapp = citizen_get_or_create(phone=SITI_PHONE, email="siti@example.id")

    web = citizen_get_or_create(email="siti@example.id")

    assert web.pk != whatsapp.pk
    assert _rows() == [
        ("+6281234567890", None, "", "siti@example.id"),
        (None, None, "", "siti@example.id"),
    ]


def test_a_whatsapp_user_who_later_shares_the_number_gets_it_filled_in():
    first = citizen_get_or_create(wa_bsuid=SITI_BSUID)

    again = citizen_get_or_create(phone=SITI_PHONE, wa_bsuid=SITI_BSUID)

    assert again.pk == first.pk
    assert _rows() == [("+6281234567890", SITI_BSUID, "", "")]


def test_a_known_number_learns_its_whatsapp_user_id():
    first = citizen_get_or_create(phone=SITI_PHONE)

    again = citizen_get_or_create(phone=SITI_PHONE, wa_bsuid=SITI_BSUID)

    assert again.pk == first.pk
    assert _rows() == [("+6281234567890", SITI_BSUID, "", "")]


def test_identifiers_owned_by_another_contact_are_never_moved():
    by_user_id = citizen_get_or_create(wa_bsuid=SITI_BSUID)
    by_phone = citizen_get_or_create(phone=SITI_PHONE)

    found = citizen_get_or_create(phone=SITI_PHONE, wa_bsuid=SITI_BSUID)

    assert found.pk == by_phone.pk  # the phone is looked up first
    assert _rows() == [(None, SITI_BSUID, "", ""), ("+6281234567890", None, "", "")]
    assert by_user_id.pk != found.pk


def test_a_known_number_is_never_overwritten():
    first = citizen_get_or_create(phone=SITI_PHONE, wa_bsuid=SITI_BSUID)

    again = citizen_get_or_create(phone=BUDI_PHONE, wa_bsuid=SITI_BSUID)

    assert again.pk == first.pk
    assert _rows() == [("+6281234567890", SITI_BSUID, "", "")]


def test_the_name_and_email_are_filled_only_while_empty():
    citizen_get_or_create(phone=SITI_PHONE)

    citizen_get_or_create(phone=SITI_PHONE, name="Siti Aminah", email="siti@example.id")
    citizen_get_or_create(phone=SITI_PHONE, name="Budi", email="budi@example.id")

    assert _rows() == [("+6281234567890", None, "Siti Aminah", "siti@example.id")]


def test_a_contact_created_by_a_racing_request_is_used(monkeypatch):
    """Two messages from a new resident arrive at once: both look up, find nothing, and
    insert; the slower insert hits the unique phone and must return the faster one's row."""
    real_find = services._citizen_find
    lookups_seen: list[object] = []

    def find_then_let_the_rival_insert(lookups):
        found = real_find(lookups)
        if not lookups_seen:  # only after our first lookup
            Citizen(phone=SITI_PHONE.e164).save()
        lookups_seen.append(lookups)
        return found

    monkeypatch.setattr(services, "_citizen_find", find_then_let_the_rival_insert)

    citizen = citizen_get_or_create(phone=SITI_PHONE, name="Siti Aminah")

    assert len(lookups_seen) == 2  # looked up again after the failed insert
    assert _rows() == [("+6281234567890", None, "Siti Aminah", "")]
    assert citizen.pk == Citizen.objects.get().pk


def test_an_integrity_error_that_is_not_a_race_is_raised(monkeypatch):
    def create_refused(**fields):
        raise IntegrityError("citizen_has_a_contact")

    monkeypatch.setattr(Citizen.objects, "create", create_refused)

    with pytest.raises(IntegrityError):
        citizen_get_or_create(phone=SITI_PHONE)
    assert Citizen.objects.count() == 0
