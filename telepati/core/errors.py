"""Domain errors raised by services and selectors.

Every door maps them the same way: `NotFound` → 404, `Forbidden` → 403 (or 404 where
existence itself must not leak), `Conflict` → 409, the rest → 400. Messages are
translatable text a resident or officer can read.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """Base class: a rule of the domain refused the request; nothing was changed."""

    code = "error"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class InvalidInput(DomainError):
    code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        field_errors: dict[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.field_errors = field_errors or {}


class InvalidTransition(DomainError):
    code = "invalid_transition"


class Conflict(DomainError):
    """Someone else changed the row first; the caller may reload and retry."""

    code = "conflict"
