"""Demo data of the priority programs for Kecamatan Medan Amplas, made through the services.

25 businesses under guidance (binaan aktif or mandiri) across the 7 kelurahan, one candidate
and one no longer active; their products with small generated photos; 4 partner retailers;
3 trainings with attendance; ~20 activities of the last three months across the five
programs with generated before/after photos, the cleanliness, drainage and road works
linked to resolved demo complaints of the matching category.

Deterministic and idempotent: when the first demo business exists the loader does nothing.
Without the kecamatan's kelurahan (no reference data) it makes nothing. Runs as the demo
administrator (a superuser), so every row goes through the same checks as an officer's.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from telepati.accounts.models import User
from telepati.org.models import Kecamatan, Kelurahan
from telepati.org.services import SeedCount
from telepati.programs import demo_data as data
from telepati.programs.models import Business, PhotoStage, Retailer
from telepati.programs.services.activities import (
    ActivityDraft,
    activity_link_report,
    activity_photo_add,
    activity_record,
)
from telepati.programs.services.common import PhotoUpload
from telepati.programs.services.umkm import (
    BusinessDraft,
    business_register,
    product_add,
    training_record,
    training_record_attendance,
)
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report

if TYPE_CHECKING:
    from telepati.demo.loaders import DemoContext

DEMO_KECAMATAN_CODE = "medan-amplas"
OWNER_PHONE = "+62812000400{:02d}"
CONTACT_PHONE = "+62812000410{:02d}"
PALETTE = ("#c0392b", "#d35400", "#f39c12", "#27ae60", "#16a085", "#2980b9", "#8e44ad")


def demo_photo(label: str, *, index: int, stage: str = "") -> PhotoUpload:
    """A small generated JPEG: a coloured card with the label (and a worn look for 'before')."""
    colour = "#7f6a55" if stage == PhotoStage.BEFORE else PALETTE[index % len(PALETTE)]
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 456, 336), outline="white", width=4)
    if stage == PhotoStage.BEFORE:
        for step in range(0, 480, 40):
            draw.line((step, 360, step + 120, 200), fill="#5b4a3a", width=6)
    draw.text((40, 150), label[:40], fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return PhotoUpload(name=f"demo-{index}.jpg", content=buffer.getvalue())


def load_programs_demo(context: DemoContext) -> None:
    """Businesses, products, retailers, trainings and activities of the demo kecamatan."""
    count = SeedCount(_("UMKM dan kegiatan program demo"))
    context.counts.append(count)
    kecamatan = Kecamatan.objects.filter(code=DEMO_KECAMATAN_CODE).first()
    if kecamatan is None:
        return
    kelurahan = {
        k.code.removeprefix(data.K): k for k in Kelurahan.objects.filter(kecamatan=kecamatan)
    }
    if not all(biz.kelurahan in kelurahan for biz in data.BUSINESSES):
        return
    first = data.BUSINESSES[0]
    if Business.objects.filter(kelurahan=kelurahan[first.kelurahan], name=first.name).exists():
        count.existing = Business.objects.filter(kecamatan=kecamatan).count()
        return
    actor = context.administrator()
    with transaction.atomic():
        businesses = _businesses(actor, kecamatan, kelurahan)
        _trainings(actor, kecamatan, businesses)
        activities = _activities(actor, kecamatan, kelurahan)
    count.created = len(businesses) + activities


def _businesses(
    actor: User, kecamatan: Kecamatan, kelurahan: dict[str, Kelurahan]
) -> list[Business]:
    retailers = [
        Retailer.objects.get_or_create(
            kecamatan=kecamatan, name=name, defaults={"address": address, "kind": kind}
        )[0]
        for name, address, kind in data.RETAILERS
    ]
    today = timezone.localdate()
    made: list[Business] = []
    for index, biz in enumerate(data.BUSINESSES):
        # Food businesses sell at the wholesale partner; crafts at the galleries; some online.
        picks = [retailers[3]] if index % 3 == 0 else []
        if biz.sector == "kuliner" and index % 2 == 0:
            picks.append(retailers[0])
        if biz.sector in ("kerajinan", "fesyen"):
            picks.extend((retailers[1], retailers[2]))
        business = business_register(
            actor=actor,
            draft=BusinessDraft(
                kelurahan_id=kelurahan[biz.kelurahan].pk,
                name=biz.name,
                sector=biz.sector,
                owner_name=biz.owner,
                owner_phone=OWNER_PHONE.format(index + 1),
                registered_at=today - timedelta(days=400 - index * 9),
                description=biz.description,
                address=biz.address,
                public_contact=CONTACT_PHONE.format(index + 1) if biz.public_contact else "",
                public_contact_consent=biz.public_contact,
                guidance_status=biz.status,
                nib=f"91200{index + 1:08d}" if index % 2 == 0 else "",
                is_public=biz.status != "inactive",
                retailer_ids=[r.pk for r in picks],
            ),
        )
        for number, (name, low, high) in enumerate(biz.products):
            product_add(
                actor=actor,
                business_id=business.pk,
                name=name,
                price_min=low,
                price_max=high,
                photo=demo_photo(name, index=index + number),
            )
        made.append(business)
    return made


def _trainings(actor: User, kecamatan: Kecamatan, businesses: list[Business]) -> None:
    today = timezone.localdate()
    guided = [b for b in businesses if b.guidance_status in ("active", "independent")]
    for number, (title, days_ago, place, organiser, description) in enumerate(data.TRAININGS):
        training = training_record(
            actor=actor,
            kecamatan_id=kecamatan.pk,
            title=title,
            date=today - timedelta(days=days_ago),
            place=place,
            organiser=organiser,
            description=description,
        )
        invited = guided[number * 6 : number * 6 + 14]
        training_record_attendance(
            actor=actor,
            training_id=training.pk,
            attendance={b.pk: (i + number) % 5 != 0 for i, b in enumerate(invited)},
        )


def _activities(actor: User, kecamatan: Kecamatan, kelurahan: dict[str, Kelurahan]) -> int:
    today = timezone.localdate()
    resolved = {
        category: list(
            Report.objects.filter(
                kecamatan=kecamatan,
                category__code=category,
                status__in=[Status.RESOLVED, Status.CLOSED],
            )
            .order_by("resolved_at", "pk")
            .values_list("tracking_number", flat=True)
        )
        for category in {act.category for act in data.ACTIVITIES if act.category}
    }
    for index, act in enumerate(data.ACTIVITIES):
        lat, lng = data.CENTRES[act.kelurahan]
        start = today - timedelta(days=act.days_ago)
        end = start + timedelta(days=act.span_days) if act.span_days else None
        activity = activity_record(
            actor=actor,
            draft=ActivityDraft(
                kecamatan_id=kecamatan.pk,
                kelurahan_id=kelurahan[act.kelurahan].pk if act.kelurahan else None,
                program=act.program,
                kind=act.kind,
                title=act.title,
                date=start,
                end_date=end if end is None or end <= today or act.progress < 100 else today,
                place_name=act.place,
                latitude=Decimal(f"{lat + (index % 5 - 2) * 0.0011:.6f}"),
                longitude=Decimal(f"{lng + (index % 3 - 1) * 0.0013:.6f}"),
                description=act.description,
                partner=act.partner,
                budget_source=act.budget_source,
                budget_amount=act.budget,
                progress_percent=act.progress,
                target_group=act.target,
                people_count=act.people,
            ),
        )
        stages = [PhotoStage.BEFORE, PhotoStage.AFTER] if act.progress == 100 else []
        stages = stages or [PhotoStage.BEFORE, PhotoStage.OTHER]
        if act.program in ("kesehatan", "umkm"):
            stages = [PhotoStage.OTHER]
        for stage in stages:
            activity_photo_add(
                actor=actor,
                activity_id=activity.pk,
                photo=demo_photo(act.title, index=index, stage=stage),
                stage=stage,
                caption=f"{act.place} ({PhotoStage(stage).label.lower()})",
            )
        numbers = resolved.get(act.category, [])
        for _turn in range(min(2, len(numbers))):
            activity_link_report(
                actor=actor, activity_id=activity.pk, tracking_number=numbers.pop(0)
            )
    return len(data.ACTIVITIES)
