"""Fixtures of the programs tests: a business, an activity and small photos."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from telepati.programs.models import Activity, ActivityKind, Business, GuidanceStatus, Program
from telepati.programs.services.common import PhotoUpload
from telepati.reports.tests.conftest import sanitation, submit  # noqa: F401 - shared fixtures


def jpeg_bytes(*, color: str = "orange", exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", (64, 48), color)
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (3.0, 32.0, 40.0), 3: "E", 4: (98.0, 42.0, 30.0)}
        exif[0x8825] = gps
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo() -> PhotoUpload:
    return PhotoUpload(name="foto.jpg", content=jpeg_bytes())


def business_make(kelurahan, **overrides) -> Business:
    values = {
        "kecamatan": kelurahan.kecamatan,
        "kelurahan": kelurahan,
        "name": "Bika Ambon Kak Ros",
        "sector": "kuliner",
        "owner_name": "Rosmawati Br Tambunan",
        "owner_phone": "+6281377001122",
        "address": "Jl. Garu II No. 5",
        "guidance_status": GuidanceStatus.ACTIVE,
        "registered_at": date(2026, 1, 5),
        "is_public": True,
    }
    values.update(overrides)
    return Business.objects.create(**values)


def activity_make(kecamatan, **overrides) -> Activity:
    values = {
        "kecamatan": kecamatan,
        "program": Program.DRAINASE,
        "kind": ActivityKind.INLET_CLEANING,
        "title": "Pembersihan inlet Jl. Garu II",
        "date": date(2026, 10, 5),
        "place_name": "Jl. Garu II",
        "is_public": True,
    }
    values.update(overrides)
    return Activity.objects.create(**values)


@pytest.fixture
def business(harjosari_i) -> Business:
    return business_make(harjosari_i)


@pytest.fixture
def activity(amplas, harjosari_i) -> Activity:
    return activity_make(amplas, kelurahan=harjosari_i)
