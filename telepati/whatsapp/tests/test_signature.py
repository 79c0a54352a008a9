"""Webhook authenticity: X-Hub-Signature-256 and the GET verification handshake."""

from __future__ import annotations

import hashlib
import hmac
from unittest import mock

import pytest

from telepati.whatsapp import signature
from telepati.whatsapp.signature import handshake_response, signature_header, signature_valid

SECRET = "app-secret-of-the-wa-center"
BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_signature_header_is_hmac_sha256_of_the_raw_body_in_hex():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()

    assert signature_header(body=BODY, app_secret=SECRET) == f"sha256={expected}"


def test_signature_header_matches_a_known_vector():
    assert signature_header(body=b"hello", app_secret="secret") == (
        "sha256=88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b"
    )


def test_a_valid_signature_is_accepted():
    header = signature_header(body=BODY, app_secret=SECRET)

    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is True


def test_an_upper_case_hex_digest_is_accepted():
    header = "sha256=" + signature_header(body=BODY, app_secret=SECRET).split("=", 1)[1].upper()

    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is True


def test_a_signature_made_with_another_secret_is_refused():
    header = signature_header(body=BODY, app_secret="another-secret")

    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is False


def test_a_signature_of_another_body_is_refused():
    header = signature_header(body=BODY, app_secret=SECRET)

    assert signature_valid(body=BODY + b" ", header=header, app_secret=SECRET) is False


def test_a_reserialised_body_does_not_match_the_signature_of_the_raw_bytes():
    raw = b'{"object": "whatsapp_business_account",  "entry": []}'
    header = signature_header(body=raw, app_secret=SECRET)

    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is False


@pytest.mark.parametrize("header", [None, ""])
def test_a_missing_signature_is_refused(header):
    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is False


@pytest.mark.parametrize(
    "header",
    [
        "sha256=",
        "sha256=xyz",
        "sha1=" + "a" * 40,
        "a" * 64,
        "sha256=" + "a" * 63,
        "sha256=" + "a" * 65,
        "sha256=" + "é" * 64,
        "sha256=" + "g" * 64,
        "Bearer sha256=" + "a" * 64,
    ],
)
def test_a_garbled_signature_is_refused(header):
    assert signature_valid(body=BODY, header=header, app_secret=SECRET) is False


def test_without_an_app_secret_nothing_is_valid():
    header = signature_header(body=BODY, app_secret="")

    assert signature_valid(body=BODY, header=header, app_secret="") is False


def test_signatures_are_compared_in_constant_time():
    header = signature_header(body=BODY, app_secret=SECRET)

    with mock.patch.object(signature.hmac, "compare_digest", wraps=hmac.compare_digest) as cmp:
        assert signature_valid(body=BODY, header=header, app_secret=SECRET) is True

    cmp.assert_called_once()


HANDSHAKE = {
    "hub.mode": "subscribe",
    "hub.challenge": "1158201444",
    "hub.verify_token": "verify-token-of-the-wa-center",
}


def test_the_handshake_echoes_the_challenge_for_our_token():
    assert (
        handshake_response(params=HANDSHAKE, verify_token="verify-token-of-the-wa-center")
        == "1158201444"
    )


def test_the_handshake_refuses_another_token():
    assert handshake_response(params=HANDSHAKE, verify_token="another-token") is None


@pytest.mark.parametrize("mode", ["unsubscribe", "", "SUBSCRIBE", None])
def test_the_handshake_refuses_another_mode(mode):
    params = {**HANDSHAKE, "hub.mode": mode}

    assert handshake_response(params=params, verify_token=HANDSHAKE["hub.verify_token"]) is None


@pytest.mark.parametrize("missing", ["hub.mode", "hub.challenge", "hub.verify_token"])
def test_the_handshake_refuses_missing_parameters(missing):
    params = {k: v for k, v in HANDSHAKE.items() if k != missing}

    assert handshake_response(params=params, verify_token=HANDSHAKE["hub.verify_token"]) is None


def test_the_handshake_refuses_everything_without_a_configured_token():
    params = {**HANDSHAKE, "hub.verify_token": ""}

    assert handshake_response(params=params, verify_token="") is None


def test_the_handshake_compares_tokens_in_constant_time():
    with mock.patch.object(signature.hmac, "compare_digest", wraps=hmac.compare_digest) as cmp:
        handshake_response(params=HANDSHAKE, verify_token="another-token")

    cmp.assert_called_once_with(b"verify-token-of-the-wa-center", b"another-token")
