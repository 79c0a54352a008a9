import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from telepati.core.phone import mask_phone, phone_from_wa_id, phone_normalize


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812-3456-7890",
        "+6281234567890",
        "6281234567890",
        "62 812 3456 7890",
        "+62 (0)812 3456 7890",
        "81234567890",
        "  0812.3456.7890  ",
    ],
)
def test_indonesian_mobile_forms_normalise_to_one_number(raw):
    number = phone_normalize(raw)

    assert number.e164 == "+6281234567890"
    assert number.wa_id == "6281234567890"
    assert number.last4 == "7890"


def test_national_form_is_readable():
    assert phone_normalize("081234567890").national == "0812-3456-7890"


def test_foreign_mobile_numbers_are_kept_in_their_country():
    assert phone_normalize("+60 12-345 6789").e164 == "+60123456789"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("abc", "invalid"),
        ("0812", "invalid"),
        ("08123456789012345", "invalid"),
        ("1" * 41, "too_long"),
        ("(061) 7866 123", "not_mobile"),
    ],
)
def test_bad_numbers_raise_a_coded_validation_error(raw, code):
    with pytest.raises(ValidationError) as excinfo:
        phone_normalize(raw)

    assert excinfo.value.code == code


def test_landline_is_accepted_when_mobile_is_not_required():
    assert phone_normalize("(061) 7866 123", mobile_only=False).e164 == "+62617866123"


def test_error_messages_are_indonesian_by_default_and_translatable():
    with pytest.raises(ValidationError) as excinfo:
        phone_normalize("abc")

    with translation.override("id"):
        assert excinfo.value.messages == [
            "Nomor telepon tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812-3456-7890."
        ]
    with translation.override("en"):
        assert excinfo.value.messages == [
            "The phone number was not recognised. "
            "Write it like 0812-3456-7890 or +62 812-3456-7890."
        ]


def test_wa_id_reads_back_to_the_same_number():
    assert phone_from_wa_id("6281234567890").e164 == "+6281234567890"


@pytest.mark.parametrize("wa_id", ["", "+6281234567890", "62-812", "ID.12345"])
def test_wa_id_must_be_digits(wa_id):
    with pytest.raises(ValidationError):
        phone_from_wa_id(wa_id)


def test_mask_shows_only_country_code_and_last_four_digits():
    assert mask_phone("+6281234567890") == "+62 ••• •••• 7890"
    assert mask_phone("+62") == "••••"


@given(st.text(max_size=60))
def test_normaliser_never_fails_with_anything_but_validation_error(text):
    try:
        number = phone_normalize(text)
    except ValidationError:
        return
    assert number.e164.startswith("+")
    assert number.wa_id.isdigit()
    assert phone_normalize(number.e164) == number


@given(st.from_regex(r"\A8[1-9][0-9]{8,9}\Z"))
def test_every_written_form_of_a_valid_mobile_number_agrees(national_digits):
    try:
        expected = phone_normalize("0" + national_digits)
    except ValidationError:
        return
    assert phone_normalize("+62" + national_digits) == expected
    assert phone_normalize("62" + national_digits) == expected
    assert phone_normalize("+62 " + national_digits[:3] + "-" + national_digits[3:]) == expected
