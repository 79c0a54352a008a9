"""Errors of the Open311 door, shaped as the spec wants: a list of `code` + `description`.

HTTP statuses follow GeoReport v2: 404 when a resource, jurisdiction, service or token is not
found, 403 for a missing or invalid api_key, 400 for everything else; 429 when a client is
over its rate. The body's `code` is the HTTP status (several errors may come at once).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorItem:
    code: int
    description: str


class Open311Error(Exception):
    """A request the door refuses; `items` become the `<errors>` body."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.items = [ErrorItem(status, str(text)) for text in descriptions]

    @classmethod
    def from_items(cls, status: int, items: list[ErrorItem]) -> Open311Error:
        error = cls(status)
        error.items = items
        return error
