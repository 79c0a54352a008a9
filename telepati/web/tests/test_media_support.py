"""Fixtures and helpers for the media door tests (no tests here).

Files are stored the way the application stores them (report intake, unit work, the
courier's proof, the bot's download) in the test settings' in-memory storage; each test
module takes the fixtures it needs with `from telepati.web.tests.test_media_support import *`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from telepati.accounts.models import User
from telepati.reports.models import Attachment, Report
from telepati.reports.services.media import PreparedUpload, upload_prepare
from telepati.reports.tests.conftest import drainage, new_report, sanitation, submit

__all__ = [
    "drainage",
    "new_report",
    "photo_report",
    "sanitation",
    "submit",
]

PERSONAS = (
    "desk_operator",
    "administrator",
    "camat",
    "lurah",
    "kelurahan_staff",
    "section_staff",
    "agency_liaison",
    "courier",
    "outsider",
    "superuser",
)
NOT_FOUND = 404


def image_bytes(color: tuple[int, int, int], *, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format=fmt)
    return buffer.getvalue()


def photo_upload(color: tuple[int, int, int], name: str = "foto.jpg") -> PreparedUpload:
    """A cleaned photo; a distinct colour makes a distinct (content-addressed) file."""
    return upload_prepare(name=name, content=image_bytes(color))


@pytest.fixture
def photo_report(submit) -> Callable[..., Report]:
    """A new report with one photo (`color` picks the file); keywords override the draft."""

    def _make(color: tuple[int, int, int] = (200, 30, 30), **overrides: Any) -> Report:
        return submit(uploads=[photo_upload(color)], **overrides)

    return _make


def photo_of(report: Report) -> Attachment:
    return Attachment.objects.get(report=report)


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def fetch(client: Client, url: str, user: User | None = None) -> Any:
    """GET `url` as `user` (None: an anonymous visitor) and return the response."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
