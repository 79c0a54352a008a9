"""The programs demo (made once for the module, rolled back at the end) and the promise of
the public pages: no owner's or resident's personal data, no non-public complaint named."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from django.db import transaction

from telepati.citizens.models import Citizen
from telepati.demo.loaders import DemoContext, demo_accounts_load, demo_lingkungan_load
from telepati.demo.reference import reference_seed
from telepati.programs.demo import load_programs_demo
from telepati.programs.models import (
    Activity,
    ActivityPhoto,
    Business,
    GuidanceStatus,
    PhotoStage,
    Product,
    Program,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.reports import demo as reports_demo
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        context = DemoContext()
        reference_seed()
        demo_accounts_load(context)
        demo_lingkungan_load(context)
        reports_demo.demo_reports_seed(count=80)
        load_programs_demo(context)
        yield context
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        "businesses": Business.objects.count(),
        "products": Product.objects.count(),
        "retailers": Retailer.objects.count(),
        "trainings": Training.objects.count(),
        "attendance": TrainingAttendance.objects.count(),
        "activities": Activity.objects.count(),
        "photos": ActivityPhoto.objects.count(),
    }


def test_the_demo_has_25_businesses_under_guidance_across_the_seven_kelurahan(seeded):
    guided = Business.objects.filter(
        guidance_status__in=[GuidanceStatus.ACTIVE, GuidanceStatus.INDEPENDENT]
    )

    assert guided.count() == 25
    assert guided.values("kelurahan").distinct().count() == 7
    assert Business.objects.count() == 27
    assert Retailer.objects.count() == 4
    assert Training.objects.count() == 3
    assert TrainingAttendance.objects.filter(attended=True).exists()
    assert not Product.objects.filter(photo="").exists()


def test_the_demo_activities_cover_every_program_with_photos_and_resolved_complaints(seeded):
    activities = Activity.objects.all()

    assert activities.count() == 20
    assert set(activities.values_list("program", flat=True)) == set(Program.values)
    assert ActivityPhoto.objects.filter(stage=PhotoStage.BEFORE).exists()
    assert ActivityPhoto.objects.filter(stage=PhotoStage.AFTER).exists()
    linked = Report.objects.filter(program_activities__isnull=False).distinct()
    assert linked.exists()
    assert set(linked.values_list("status", flat=True)) <= {Status.RESOLVED, Status.CLOSED}
    assert set(linked.values_list("kecamatan__code", flat=True)) == {"medan-amplas"}


def test_the_demo_loader_runs_again_without_making_anything(seeded):
    before = _counts()

    context = DemoContext()
    load_programs_demo(context)

    assert _counts() == before
    assert context.counts[0].created == 0
    assert context.counts[0].existing == 27


def _phone_forms(e164: str) -> set[str]:
    parsed = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = re.sub(r"\D", "", national)
    return {e164, e164.removeprefix("+"), national, digits, digits[-8:]}


def _public_pages(client) -> str:
    pages = []
    for url in ("/", "/umkm/", "/umkm/?halaman=2", "/program/", "/program/?halaman=2"):
        pages.append(client.get(url).content.decode())
    for pk in Business.objects.values_list("pk", flat=True):
        pages.append(client.get(f"/umkm/{pk}/").content.decode())
    for pk in Activity.objects.values_list("pk", flat=True):
        pages.append(client.get(f"/program/{pk}/").content.decode())
    return "\n".join(pages)


def test_public_pages_carry_no_owner_or_resident_personal_data(seeded, client):
    owners = list(Business.objects.values_list("owner_name", "owner_phone"))
    residents = list(Citizen.objects.exclude(name="").values_list("name", "phone"))
    assert len(owners) == 27
    assert len(residents) > 20

    content = _public_pages(client)

    for name, phone in [*owners, *residents]:
        assert name not in content
        for form in _phone_forms(phone) if phone else ():
            assert form not in content, (name, form)


def test_public_pages_show_consented_contacts_only(seeded, client):
    consented = Business.objects.filter(public_contact_consent=True)[0]
    silent = Business.objects.filter(public_contact_consent=False, is_public=True)[0]

    shown = client.get(f"/umkm/{consented.pk}/").content.decode()
    hidden = client.get(f"/umkm/{silent.pk}/").content.decode()

    assert consented.public_contact.removeprefix("+") in shown
    assert "wa.me" not in hidden
    assert "Hubungi melalui kantor camat." in hidden


def test_confidential_or_unaccepted_complaints_are_never_named_publicly(seeded, client):
    activity = Activity.objects.filter(reports__isnull=False)[0]
    public, confidential, unaccepted = Report.objects.filter(kecamatan=activity.kecamatan)[:3]
    Report.objects.filter(pk=public.pk).update(status=Status.CLOSED, is_confidential=False)
    Report.objects.filter(pk=confidential.pk).update(status=Status.CLOSED, is_confidential=True)
    Report.objects.filter(pk=unaccepted.pk).update(status=Status.NEW, is_confidential=False)
    activity.reports.set([public, confidential, unaccepted])

    detail = client.get(f"/program/{activity.pk}/").content.decode()
    timeline = client.get("/program/").content.decode()

    assert public.tracking_number in detail
    for hidden in (confidential, unaccepted):
        assert hidden.tracking_number not in detail
        assert hidden.tracking_number not in timeline
