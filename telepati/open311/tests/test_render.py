"""The XML writer is byte for byte ElementTree's serialisation of the same payload; the JSON
encoder (orjson) says what the standard library's would, in UTF-8."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest

from telepati.open311.render import (
    ITEM_TAGS,
    XML_DECLARATION,
    Payload,
    _text,
    json_bytes,
    xml_bytes,
)


def _element(tag: str, value: Any) -> ET.Element:
    """The tree the payload stands for, built with ElementTree (the reference)."""
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_element(ITEM_TAGS[tag], child))
    else:
        element.text = _text(value)
    return element


def _reference(payload: Payload) -> bytes:
    return XML_DECLARATION + ET.tostring(_element(payload.root, payload.data), encoding="utf-8")


PAYLOADS = [
    Payload("service_requests", []),
    Payload("discovery", {}),
    Payload("errors", [{"code": 404, "description": "service_request_id tidak ditemukan."}]),
    Payload(
        "service_requests",
        [
            {
                "service_request_id": "L2611-0042",
                "status": "open",
                "status_notes": None,
                "description": "Sampah <menumpuk> & bau > 3 hari\r\ndi \"gang\" 'Mawar' ✓ 😀",
                "address": "",
                "lat": 3.5412,
                "long": -98.7005,
                "zipcode": 0,
                "amount": Decimal("1.50"),
                "metadata": False,
                "required": True,
                "control": "a\x00b\x07c\x1fd\ufffee\uffff\tf",
                "surrogate": "x\ud800y",
                "media_url": "http://testserver/media/a.jpg?x=1&y=2",
            }
        ],
    ),
    Payload(
        "discovery",
        {
            "changeset": "2026-11-04T09:00:00+07:00",
            "endpoints": [{"formats": ["text/xml", "application/json"], "url": "http://x/"}],
        },
    ),
    Payload(
        "service_definition",
        {
            "service_code": "kebersihan",
            "attributes": [{"code": "volume", "values": []}, {"code": "jenis", "values": [{}]}],
        },
    ),
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_writer_equals_elementtree(payload: Payload) -> None:
    assert xml_bytes(payload) == _reference(payload)


def test_an_unknown_list_tag_is_refused_as_before() -> None:
    with pytest.raises(KeyError):
        xml_bytes(Payload("things", [1]))


JSON_PAYLOADS = [
    Payload("service_requests", []),
    Payload("discovery", {}),
    Payload(
        "service_requests",
        [
            {
                "service_request_id": "L2611-0042",
                "status_notes": None,
                "description": 'Sampah <menumpuk> & "bau" — 3 hari\r\n\t✓ 😀 \u2028 \x00\x1f/',
                "lat": 3.5412,
                "long": -98.7005,
                "zero": 0.0,
                "tiny": 1e-7,
                "count": 12345678901,
                "metadata": False,
                "required": True,
                "values": [{"key": "a", "name": "Á"}],
            }
        ],
    ),
]


@pytest.mark.parametrize("payload", JSON_PAYLOADS)
def test_the_json_says_what_the_standard_library_says(payload: Payload) -> None:
    body = json_bytes(payload)
    assert json.loads(body) == json.loads(json.dumps(payload.data, ensure_ascii=False))
    assert body.decode("utf-8")  # UTF-8 text; non-ASCII letters are written as they are


def test_json_writes_letters_as_utf8_not_escapes() -> None:
    assert json_bytes(Payload("x", {"name": "Kecamatan Medan Amplas ✓"})) == (
        '{"name":"Kecamatan Medan Amplas ✓"}'.encode()
    )
