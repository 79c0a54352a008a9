"""The back-office landing page: the officer's menu and what waits for them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from telepati.backoffice.access import officer_view
from telepati.backoffice.nav import nav_for


@officer_view()
def home(request: HttpRequest) -> HttpResponse:
    scope = request.officer_scope  # type: ignore[attr-defined]
    return render(request, "backoffice/home.html", {"links": nav_for(scope)[1:]})
