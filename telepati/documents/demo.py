"""Demo applications for population documents in Kecamatan Medan Amplas, in every state.

About forty residents apply for every document type of the catalogue, from every
kelurahan, and their applications are moved through the real services — registration and
the pipeline (`application_register`/`_preregister`, process, fix, submit, issue, reject,
cancel), then the hand-over (`application_choose_pickup`/`_delivery`, `application_hand_over`)
and the courier's work (`delivery_assign`, `_dispatch`, `_record` with a photo, `_fail`).
Each step runs under a frozen clock (freezegun) at a plausible office moment of the last
few weeks, all steps of all applications in time order, so codes, timelines and notices
look like the office's own. The demo courier ("kurir") has a round on the next delivery day
(today when the office works today) and the one after, one document delivered today with a
photo, and one failed attempt rescheduled.

Deterministic (no randomness) and idempotent: submission keys start with "demo-doc-"; when
one exists the loader does nothing. Without a catalogue (no document types in the
kecamatan) it makes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from freezegun import freeze_time
from PIL import Image, ImageDraw

from telepati.accounts.models import User
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WIB, WorkCalendar, is_working_day, next_working_day
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, Channel, DocumentType
from telepati.documents.services import delivery, handover, pipeline
from telepati.documents.services.registration import (
    ApplicationDraft,
    application_accept,
    application_preregister,
    application_register,
)
from telepati.org.models import Kecamatan, Kelurahan
from telepati.org.services import SeedCount

if TYPE_CHECKING:
    from telepati.demo.loaders import DemoContext

DEMO_KEY_PREFIX = "demo-doc-"
DEMO_KECAMATAN_CODE = "medan-amplas"
DESK_USERNAME = "operator"
COURIER_USERNAME = "kurir"

S = Status
# (fate, variant) in plan order; the variant picks a path (channel, delivery, who collects).
FATES: tuple[tuple[Status, str], ...] = (
    *((S.PRE_REGISTERED, v) for v in ("whatsapp", "web", "whatsapp")),
    *((S.RECEIVED, v) for v in ("counter", "accepted", "counter")),
    *((S.PROCESSING, "") for _i in range(4)),
    *((S.NEEDS_FIX, "") for _i in range(3)),
    *((S.SUBMITTED, "") for _i in range(4)),
    *((S.ISSUED, "") for _i in range(4)),
    *((S.READY_FOR_PICKUP, "") for _i in range(4)),
    *((S.DELIVERY_SCHEDULED, v) for v in ("first", "first", "second", "second", "failed")),
    (S.OUT_FOR_DELIVERY, "first"),
    *((S.HANDED_OVER, v) for v in ("self", "relative", "self", "kuasa", "self", "relative")),
    (S.HANDED_OVER, "delivered"),
    *((S.REJECTED, "") for _i in range(2)),
    *((S.CANCELLED, v) for v in ("resident", "officer")),
)

NAMES = (
    "Rina Siregar", "Budi Santoso", "Hendra Nasution", "Sri Wahyuni", "Ahmad Fauzi Lubis",
    "Dewi Lestari Harahap", "Tigor Simanjuntak", "Maria Br Sitepu", "Yusuf Daulay",
    "Nur Aisyah Pohan", "Hendra Gunawan", "Susanti Wijaya", "Rudi Hartono Tarigan",
    "Fitri Handayani", "Ikhsan Batubara", "Lestari Br Ginting", "Andi Saputra",
    "Ratna Sari Hasibuan", "Darwin Manurung", "Wulan Sembiring", "Joko Prasetyo",
    "Siti Rahmah Rangkuti", "Benny Sinaga", "Yanti Br Purba", "Fadli Matondang",
    "Nurhayati Ritonga", "Agus Salim Siregar", "Rosmawati Panjaitan", "Irwansyah Tanjung",
    "Linda Halim", "Samuel Situmorang", "Erni Br Tambunan", "Zulkifli Hasibuan",
    "Putri Ayu Nasution", "Rizky Ramadhan", "Evi Susanti Lubis", "Martin Hutapea",
    "Kartini Br Karo", "Dedi Irawan", "Herlina Simatupang", "Syahrul Munthe",
    "Ayu Wandira Saragih",
)  # fmt: skip
STREETS = (
    "Jl. Garu II", "Jl. Bajak II", "Jl. Panglima Denai", "Jl. Sisingamangaraja Km 7",
    "Jl. Pertahanan", "Jl. Marindal", "Jl. Garu III", "Jl. Bajak V", "Jl. Sakti Lubis",
)  # fmt: skip
FIX_NOTES = (
    "Fotokopi Kartu Keluarga belum dilampirkan.",
    "Surat pengantar kelurahan belum ditandatangani lurah.",
    "Nama di formulir berbeda dengan di Kartu Keluarga; mohon bawa KK asli.",
)
REJECT_REASONS = (
    "Pemohon tercatat sebagai penduduk Kecamatan Medan Johor; silakan mengurus di sana.",
    "Permohonan ganda: dokumen yang sama sedang diproses dengan kode lain.",
)
RELATIVES = (("Budi Santoso", "suami"), ("Anggi Pratama", "anak"), ("Rahmat Hidayat", "kuasa"))

Step = tuple[datetime, int, int, Callable[[], object]]


@dataclass(frozen=True)
class Plan:
    """One demo application: who, what, where, and how far it gets."""

    index: int
    fate: Status
    variant: str
    name: str
    phone: str
    document_type: DocumentType
    kelurahan: Kelurahan
    address: str
    age: int  # working days ago it was made

    @property
    def key(self) -> str:
        return f"{DEMO_KEY_PREFIX}{self.index:03d}"


class Moments:
    """Office moments counted in working days before today; "today" steps stay before now."""

    def __init__(self, *, now: datetime, calendar: WorkCalendar) -> None:
        self.now = now
        self.calendar = calendar
        self.today = now.astimezone(WIB).date()
        first = self.today if is_working_day(calendar, self.today) else None
        self.first_day = first or next_working_day(calendar, self.today)
        self.second_day = next_working_day(calendar, self.first_day)

    def day_before(self, days: int) -> date:
        day = self.today
        for _step in range(days):
            day -= timedelta(days=1)
            while not is_working_day(self.calendar, day):
                day -= timedelta(days=1)
        return day

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day_before(days_ago), time(hour, minute), tzinfo=WIB)

    def today_at(self, slot: int) -> datetime:
        """Slot 0, 1, 2… of today's courier round: in the morning, or just before now."""
        midnight = datetime.combine(self.today, time.min, tzinfo=WIB)
        planned = midnight + timedelta(hours=9, minutes=40 * slot)
        if planned < self.now:
            return planned
        return max(midnight + timedelta(minutes=slot), self.now - timedelta(minutes=10 - slot))


def demo_photo(*, label: str) -> SimpleUploadedFile:
    """A small JPEG standing in for the courier's photo of the hand-over."""
    image = Image.new("RGB", (480, 360), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 90, 360, 270), fill=(250, 250, 250), outline=(30, 64, 120), width=4)
    draw.text((140, 110), label, fill=(30, 64, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _plans(kecamatan: Kecamatan) -> list[Plan]:
    types = list(DocumentType.objects.filter(kecamatan=kecamatan, is_active=True))
    kelurahan = list(Kelurahan.objects.filter(kecamatan=kecamatan).order_by("name"))
    if not types or not kelurahan:
        return []
    deliverable = [t for t in types if t.delivery_available] or types
    via_disdukcapil = [t for t in types if t.via_disdukcapil] or types
    plans: list[Plan] = []
    for index, (fate, variant) in enumerate(FATES):
        delivered = fate in (S.DELIVERY_SCHEDULED, S.OUT_FOR_DELIVERY) or variant == "delivered"
        pool = deliverable if delivered else via_disdukcapil if fate == S.SUBMITTED else types
        # Cycle the whole catalogue where any type fits, so every type appears.
        document_type = types[index % len(types)] if pool is types else pool[index % len(pool)]
        place = kelurahan[index % len(kelurahan)]
        plans.append(
            Plan(
                index=index + 1,
                fate=fate,
                variant=variant,
                name=NAMES[index % len(NAMES)],
                phone=f"+62812000{10001 + index:05d}",
                document_type=document_type,
                kelurahan=place,
                address=f"{STREETS[index % len(STREETS)]} No. {3 + (index * 7) % 90}",
                age=_age(index, fate, delivered),
            )
        )
    return plans


def _age(index: int, fate: Status, delivered: bool) -> int:
    """Working days since the application was made: young pre-registrations, older issued
    documents (their pipeline needs room before the delivery or hand-over steps)."""
    if fate == S.PRE_REGISTERED:
        return 2
    if delivered:
        return 7 + index % 6
    spread = 3 + (index * 5) % 17
    issued_or_later = fate in (S.ISSUED, S.READY_FOR_PICKUP, S.HANDED_OVER)
    return max(spread, 6) if issued_or_later else spread


class Story:
    """The steps of one plan, each a service call at a moment (scheduled, run later)."""

    def __init__(self, plan: Plan, *, moments: Moments, desk: User, courier: User) -> None:
        self.plan = plan
        self.m = moments
        self.desk = desk
        self.courier = courier
        self.application_id = 0
        self.steps: list[Step] = []

    def add(self, moment: datetime, call: Callable[[], object]) -> None:
        self.steps.append((moment, self.plan.index, len(self.steps), call))

    def _id(self) -> int:
        return self.application_id

    def build(self) -> list[Step]:
        p, m, desk = self.plan, self.m, self.desk
        age = p.age
        self.add(m.at(age, 8 if p.fate != S.PRE_REGISTERED else 19, 15 + p.index), self._create)
        if p.fate == S.PRE_REGISTERED:
            return self.steps
        if p.variant == "accepted":
            self.add(m.at(age - 1, 9, p.index), lambda: application_accept(
                actor=desk, application_id=self._id()))  # fmt: skip
        if p.fate in (S.RECEIVED, S.PRE_REGISTERED):
            return self.steps
        if p.fate == S.CANCELLED:
            return self._cancel()
        self.add(m.at(age, 10, p.index), lambda: pipeline.application_process(
            actor=desk, application_id=self._id()))  # fmt: skip
        if p.fate == S.PROCESSING:
            return self.steps
        if p.fate == S.NEEDS_FIX:
            note = FIX_NOTES[p.index % len(FIX_NOTES)]
            self.add(m.at(age - 1, 11), lambda: pipeline.application_request_fix(
                actor=desk, application_id=self._id(), fix_note=note))  # fmt: skip
            return self.steps
        if p.fate == S.REJECTED:
            reason = REJECT_REASONS[p.index % len(REJECT_REASONS)]
            self.add(m.at(age - 1, 11), lambda: pipeline.application_reject(
                actor=desk, application_id=self._id(), reason=reason))  # fmt: skip
            return self.steps
        if p.document_type.via_disdukcapil:
            self.add(m.at(age - 1, 13), lambda: pipeline.application_submit(
                actor=desk, application_id=self._id()))  # fmt: skip
        if p.fate == S.SUBMITTED:
            return self.steps
        return self._after_issue()

    def _create(self) -> None:
        p = self.plan
        draft = ApplicationDraft(
            document_type_id=p.document_type.pk,
            applicant_name=p.name,
            phone=p.phone,
            kelurahan_id=p.kelurahan.pk,
            address=f"{p.address}, {p.kelurahan.name}",
            submission_key=p.key,
        )
        if p.fate == S.PRE_REGISTERED or p.variant == "accepted":
            channel = Channel.WEB if p.variant == "web" else Channel.WHATSAPP
            application = application_preregister(draft=draft, channel=channel)
        else:
            application = application_register(actor=self.desk, draft=draft)
        self.application_id = application.pk

    def _cancel(self) -> list[Step]:
        p, m = self.plan, self.m
        if p.variant == "resident":
            self.add(m.at(p.age - 1, 20), lambda: pipeline.application_cancel(
                application_id=self._id(), **self._chooser(),
                reason="Sudah mengurus sendiri ke Disdukcapil."))  # fmt: skip
        else:
            self.add(m.at(p.age - 1, 10), lambda: pipeline.application_cancel(
                application_id=self._id(), actor=self.desk,
                reason="Pemohon meminta pembatalan lewat telepon."))  # fmt: skip
        return self.steps

    def _chooser(self) -> dict[str, Any]:
        """Who taps "Ambil di kantor"/"Antar ke rumah": the resident, else the desk for them."""
        citizen = Application.objects.select_related("applicant").get(pk=self._id()).applicant
        return {"citizen": citizen} if citizen is not None else {"actor": self.desk}

    def _after_issue(self) -> list[Step]:
        p, m, desk, courier = self.plan, self.m, self.desk, self.courier
        delivery_plan = p.fate in (S.DELIVERY_SCHEDULED, S.OUT_FOR_DELIVERY) or (
            p.variant == "delivered"
        )
        # Deliveries are chosen a day or two ahead; everything else ages freely.
        issue_age = 4 if delivery_plan else max(1, p.age - 3)
        number = f"{p.index:04d}/AMP/{m.day_before(issue_age):%m%Y}"
        self.add(m.at(issue_age, 14, p.index), lambda: pipeline.application_issue(
            actor=desk, application_id=self._id(), document_number=number))  # fmt: skip
        if p.fate == S.ISSUED:
            return self.steps
        if not delivery_plan:
            self.add(m.at(issue_age, 19, 30), lambda: handover.application_choose_pickup(
                application_id=self._id(), **self._chooser()))  # fmt: skip
            if p.fate == S.HANDED_OVER and issue_age > 1:
                name, relation = {
                    "self": (p.name, ""),
                    "relative": RELATIVES[p.index % 2],
                    "kuasa": RELATIVES[2],
                }[p.variant]
                self.add(m.at(issue_age - 1, 10, p.index), lambda: handover.application_hand_over(
                    actor=desk, application_id=self._id(), received_by_name=name,
                    received_by_relation=relation, identity_checked=True))  # fmt: skip
            return self.steps
        address = f"{p.address}, {p.kelurahan.name}"
        if p.variant == "failed":
            self._deliver_on(m.day_before(1), address, chosen=m.at(3, 19), assigned=m.at(2, 8))
            self.add(m.at(1, 9, 30), lambda: delivery.delivery_dispatch(
                courier=courier, application_id=self._id()))  # fmt: skip
            self.add(m.at(1, 11), lambda: delivery.delivery_fail(
                courier=courier, application_id=self._id(),
                reason="Rumah terkunci, tidak ada yang bisa menerima.",
                reschedule_to=m.second_day))  # fmt: skip
            return self.steps
        day = m.second_day if p.variant == "second" else m.first_day
        self._deliver_on(day, address, chosen=m.at(2, 19, p.index), assigned=m.at(1, 8, p.index))
        if p.fate == S.OUT_FOR_DELIVERY or p.variant == "delivered":
            self.add(m.today_at(0), lambda: delivery.delivery_dispatch(
                courier=courier, application_id=self._id()))  # fmt: skip
        if p.variant == "delivered":
            photo = demo_photo(label=p.key)
            self.add(m.today_at(1), lambda: delivery.delivery_record(
                courier=courier, application_id=self._id(), recipient_name=p.name,
                photo=photo))  # fmt: skip
        return self.steps

    def _deliver_on(self, day: date, address: str, *, chosen: datetime, assigned: datetime) -> None:
        self.add(chosen, lambda: handover.application_choose_delivery(
            application_id=self._id(), address=address, day=day, **self._chooser()))  # fmt: skip
        self.add(assigned, lambda: delivery.delivery_assign(
            actor=self.desk, application_id=self._id(), courier_id=self.courier.pk))  # fmt: skip


def demo_documents_build() -> int:
    """Make the demo applications (no guard); return how many were made."""
    kecamatan = Kecamatan.objects.get(code=DEMO_KECAMATAN_CODE)
    plans = _plans(kecamatan)
    if not plans:
        return 0
    moments = Moments(now=timezone.now(), calendar=work_calendar_get())
    desk = User.objects.get(username=DESK_USERNAME)
    courier = User.objects.get(username=COURIER_USERNAME)
    steps: list[Step] = []
    for plan in plans:
        steps.extend(Story(plan, moments=moments, desk=desk, courier=courier).build())
    steps.sort(key=lambda step: step[:3])
    with freeze_time(moments.now) as clock:
        for moment, _index, _order, call in steps:
            clock.move_to(moment)
            call()
    return len(plans)


@transaction.atomic
def load_document_demo(context: DemoContext) -> None:
    """About forty document applications in every state, made through the services (once)."""
    seeded = SeedCount(_("Permohonan dokumen demo"))
    existing = Application.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
    if existing:
        seeded.existing = existing
    else:
        seeded.created = demo_documents_build()
    context.counts.append(seeded)
