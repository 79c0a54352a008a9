"""The REST API answers JSON whatever the client's Accept header or `?format=` says (it has
no other format), instead of DRF's 406 (or 404 for an unknown format); the schema view still
honours `?format=yaml`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JsonAlways(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        chosen = list(renderers)
        try:
            return super().select_renderer(request, chosen, format_suffix)
        except (NotAcceptable, Http404):
            renderer = chosen[0]
            return renderer, renderer.media_type
