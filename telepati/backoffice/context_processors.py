"""The back-office menu in every back-office template (only for signed-in officers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from telepati.backoffice.nav import nav_for


def backoffice(request: HttpRequest) -> dict[str, Any]:
    scope = getattr(request, "officer_scope", None)
    if scope is None:
        return {}
    return {"backoffice_nav": nav_for(scope)}
