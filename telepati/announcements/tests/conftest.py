"""Fixtures of the announcements tests: an approved template, residents who subscribe,
and drafts made through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from telepati.announcements.models import (
    Announcement,
    AnnouncementTemplate,
    Source,
    Subscription,
    Topic,
)
from telepati.announcements.services.announcements import AnnouncementDraft, announcement_create
from telepati.announcements.services.subscriptions import subscription_opt_in
from telepati.citizens.models import Citizen
from telepati.org.models import Kelurahan

BODY = "Pengumuman Kecamatan Medan Amplas: {{1}} pada {{2}}. Balas BERHENTI untuk berhenti."


@pytest.fixture
def template(db) -> AnnouncementTemplate:
    return AnnouncementTemplate.objects.create(
        name="pengumuman_kecamatan", body=BODY, param_labels=["Kegiatan", "Waktu"]
    )


@pytest.fixture
def topics(db) -> dict[str, Topic]:
    return {topic.code: topic for topic in Topic.objects.all()}


def citizen_make(n: int, *, name: str = "") -> Citizen:
    return Citizen.objects.create(phone=f"+62813{n:08d}", name=name or f"Warga {n}")


@pytest.fixture
def subscribe(amplas) -> Callable[..., list[Subscription]]:
    def make(
        citizen: Citizen, *codes: str, kelurahan: Kelurahan | None = None
    ) -> list[Subscription]:
        return subscription_opt_in(
            citizen=citizen,
            kecamatan=amplas,
            topic_codes=list(codes),
            kelurahan=kelurahan,
            source=Source.WHATSAPP,
        )

    return make


@pytest.fixture
def draft(template, topics) -> Callable[..., Announcement]:
    def make(actor: Any, *, codes: tuple[str, ...] = ("info-banjir-drainase",), **over: Any):
        values: dict[str, Any] = {
            "title": "Gotong royong parit",
            "template_id": template.pk,
            "params": ["Gotong royong membersihkan parit", "Minggu, 8 November 2026 07.00"],
            "topic_ids": [topics[code].pk for code in codes],
            "kelurahan_ids": [],
        }
        values.update(over)
        return announcement_create(actor=actor, draft=AnnouncementDraft(**values))

    return make
