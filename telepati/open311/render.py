"""One payload, two formats: XML (required by the spec) and JSON (its mechanical mapping).

A payload is a root element name and plain data: dicts become elements in key order, lists
repeat their item element (`ITEM_TAGS`: `<services>` holds `<service>`…), booleans read
`true`/`false`, None is an empty element. JSON follows the spec's "Spark convention": a root
list is a bare array, a root object a bare object. XML is built with ElementTree (text is
escaped there), opens with the declaration the spec asks for and carries no namespace.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from telepati.open311.errors import ErrorItem

FORMATS = ("xml", "json")
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_requests_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Payload:
    root: str
    data: Any
    status: int = 200


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_FORBIDDEN.sub("", str(value))


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    _fill(element, value)
    return element


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        item_tag = ITEM_TAGS[element.tag]
        for child in value:
            element.append(_element(item_tag, child))
    else:
        element.text = _text(value)


def xml_bytes(payload: Payload) -> bytes:
    return XML_DECLARATION + ET.tostring(_element(payload.root, payload.data), encoding="utf-8")


def json_bytes(payload: Payload) -> bytes:
    return json.dumps(payload.data, ensure_ascii=False).encode("utf-8")


def respond(payload: Payload, fmt: str) -> HttpResponse:
    """The payload as an HTTP response in `fmt` ("xml" or "json")."""
    body = xml_bytes(payload) if fmt == "xml" else json_bytes(payload)
    return HttpResponse(body, status=payload.status, content_type=CONTENT_TYPES[fmt])


def errors_payload(status: int, items: list[ErrorItem]) -> Payload:
    return Payload(
        "errors",
        [{"code": item.code, "description": item.description} for item in items],
        status=status,
    )
