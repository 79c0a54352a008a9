"""Public reads of the priority programs: the UMKM catalogue and the activity timeline/map.

Everything here is for anonymous visitors, so it returns plain frozen records built from the
public columns only — a template cannot reach the owner's name or phone because they are
never loaded. A business is public when `is_public` and still active (not *tidak aktif*);
its contact is shown only with the owner's consent. An activity is public when `is_public`;
of its linked complaints only the public ones (`reports.lifecycle.PUBLIC_STATES`, not
*rahasia*) are named, by tracking number. Lists cost a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from telepati.core.errors import NotFound
from telepati.core.phone import phone_normalize
from telepati.programs.models import (
    Activity,
    ActivityPhoto,
    Business,
    GuidanceStatus,
    PhotoStage,
    Product,
    Retailer,
    TrainingAttendance,
)
from telepati.reports.models import Report
from telepati.reports.selectors_public import PUBLIC_STATUS_VALUES

T = TypeVar("T")

CATALOGUE_PAGE_SIZE = 24
TIMELINE_PAGE_SIZE = 30
MAP_POINTS_LIMIT = 500

_BUSINESS_PUBLIC_FIELDS = (
    "id",
    "name",
    "sector",
    "description",
    "address",
    "public_contact",
    "public_contact_consent",
    "kelurahan__name",
    "kelurahan__kecamatan__name",
)


def _url(field: FieldFile) -> str:
    return field.url if field else ""


@dataclass(frozen=True)
class PublicProduct:
    name: str
    description: str
    price_min: int | None
    price_max: int | None
    photo_url: str
    thumbnail_url: str


@dataclass(frozen=True)
class PublicTraining:
    title: str
    date: dt.date
    organiser: str


@dataclass(frozen=True)
class PublicBusiness:
    """What the catalogue shows of a business: never its owner."""

    id: int
    name: str
    sector: str
    sector_label: str
    description: str
    address: str
    kelurahan: str
    kecamatan: str
    contact: str
    contact_wa_id: str
    products: tuple[PublicProduct, ...]
    retailers: tuple[str, ...]
    trainings: tuple[PublicTraining, ...] = ()

    @property
    def cover_url(self) -> str:
        return next((p.thumbnail_url or p.photo_url for p in self.products if p.photo_url), "")


@dataclass(frozen=True)
class CatalogueFilters:
    sector: str = ""
    kelurahan_id: int | None = None
    query: str = ""


@dataclass(frozen=True)
class PublicPage(Generic[T]):
    """One page of a public list."""

    items: tuple[T, ...]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _public_businesses() -> QuerySet[Business]:
    return (
        Business.objects.filter(is_public=True, kecamatan__is_active=True)
        .exclude(guidance_status=GuidanceStatus.INACTIVE)
        .select_related("kelurahan__kecamatan")
        .only(*_BUSINESS_PUBLIC_FIELDS)
    )


def _business_prefetches(queryset: QuerySet[Business]) -> QuerySet[Business]:
    products = Product.objects.only(
        "business_id", "name", "description", "price_min", "price_max", "photo", "thumbnail"
    ).order_by("name", "id")
    retailers = Retailer.objects.filter(is_active=True).only("name").order_by("name")
    return queryset.prefetch_related(
        Prefetch("products", queryset=products, to_attr="public_products"),
        Prefetch("retailers", queryset=retailers, to_attr="public_retailers"),
    )


def _contact(business: Business) -> tuple[str, str]:
    if not (business.public_contact_consent and business.public_contact):
        return "", ""
    number = phone_normalize(business.public_contact, mobile_only=False)
    return number.national, number.wa_id


def _business_public(
    business: Business, trainings: Iterable[PublicTraining] = ()
) -> PublicBusiness:
    contact, wa_id = _contact(business)
    return PublicBusiness(
        id=business.pk,
        name=business.name,
        sector=business.sector,
        sector_label=str(business.get_sector_display()),
        description=business.description,
        address=business.address,
        kelurahan=business.kelurahan.name,
        kecamatan=business.kelurahan.kecamatan.name,
        contact=contact,
        contact_wa_id=wa_id,
        products=tuple(
            PublicProduct(
                name=p.name,
                description=p.description,
                price_min=p.price_min,
                price_max=p.price_max,
                photo_url=_url(p.photo),
                thumbnail_url=_url(p.thumbnail),
            )
            for p in business.public_products  # type: ignore[attr-defined]
        ),
        retailers=tuple(r.name for r in business.public_retailers),  # type: ignore[attr-defined]
        trainings=tuple(trainings),
    )


def business_page_public(*, filters: CatalogueFilters, page: int = 1) -> PublicPage[PublicBusiness]:
    """One page of the public UMKM catalogue, by name (four queries whatever the page size)."""
    businesses = _public_businesses()
    if filters.sector:
        businesses = businesses.filter(sector=filters.sector)
    if filters.kelurahan_id is not None:
        businesses = businesses.filter(kelurahan_id=filters.kelurahan_id)
    if filters.query.strip():
        businesses = businesses.filter(name__icontains=filters.query.strip()[:80])
    paginator = Paginator(businesses.order_by("name", "id"), CATALOGUE_PAGE_SIZE)
    current = paginator.get_page(page)
    rows = list(_business_prefetches(current.object_list))  # type: ignore[arg-type]
    return PublicPage(
        items=tuple(_business_public(b) for b in rows),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
    )


def business_get_public(*, business_id: int) -> PublicBusiness:
    """A public business with its products, partner retailers and trainings attended."""
    business = _business_prefetches(_public_businesses()).filter(pk=business_id).first()
    if business is None:
        raise NotFound(_("UMKM tidak ditemukan."))
    attended = (
        TrainingAttendance.objects.filter(business_id=business.pk, attended=True)
        .select_related("training")
        .order_by("-training__date")
    )
    trainings = [
        PublicTraining(title=a.training.title, date=a.training.date, organiser=a.training.organiser)
        for a in attended
    ]
    return _business_public(business, trainings)


# --- Activities -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPhoto:
    stage: str
    stage_label: str
    caption: str
    photo_url: str
    thumbnail_url: str


@dataclass(frozen=True)
class PublicActivity:
    """What the public timeline, map and detail page show of an activity."""

    id: int
    program: str
    program_label: str
    kind_label: str
    title: str
    date: dt.date
    end_date: dt.date | None
    place_name: str
    kelurahan: str
    latitude: Decimal | None
    longitude: Decimal | None
    description: str
    partner: str
    budget_source_label: str
    budget_amount: int | None
    progress_percent: int
    target_group: str
    people_count: int | None
    report_numbers: tuple[str, ...]
    photos: tuple[PublicPhoto, ...]

    def photos_at(self, stage: str) -> tuple[PublicPhoto, ...]:
        return tuple(p for p in self.photos if p.stage == stage)

    @property
    def before_photos(self) -> tuple[PublicPhoto, ...]:
        return self.photos_at(PhotoStage.BEFORE)

    @property
    def after_photos(self) -> tuple[PublicPhoto, ...]:
        return self.photos_at(PhotoStage.AFTER)

    @property
    def other_photos(self) -> tuple[PublicPhoto, ...]:
        return self.photos_at(PhotoStage.OTHER)

    @property
    def cover(self) -> PublicPhoto | None:
        return (self.after_photos or self.photos or (None,))[0]


@dataclass(frozen=True)
class ActivityFilters:
    program: str = ""
    kelurahan_id: int | None = None
    month: dt.date | None = None  # any day of the month


@dataclass(frozen=True)
class MapPoint:
    id: int
    title: str
    program: str
    program_label: str
    date: dt.date
    latitude: float
    longitude: float


def public_reports() -> QuerySet[Report]:
    """Complaints a public page may name: accepted by the desk and not *rahasia*."""
    return Report.objects.filter(is_confidential=False, status__in=PUBLIC_STATUS_VALUES)


def _public_activities(filters: ActivityFilters) -> QuerySet[Activity]:
    activities = Activity.objects.filter(is_public=True, kecamatan__is_active=True)
    if filters.program:
        activities = activities.filter(program=filters.program)
    if filters.kelurahan_id is not None:
        activities = activities.filter(kelurahan_id=filters.kelurahan_id)
    if filters.month is not None:
        first = filters.month.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        activities = activities.filter(date__gte=first, date__lt=following)
    return activities


def _activity_prefetches(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    reports = public_reports().only("id", "tracking_number").order_by("tracking_number")
    photos = ActivityPhoto.objects.only(
        "activity_id", "photo", "thumbnail", "stage", "caption"
    ).order_by("created_at", "id")
    return queryset.select_related("kelurahan").prefetch_related(
        Prefetch("reports", queryset=reports, to_attr="public_reports"),
        Prefetch("photos", queryset=photos, to_attr="public_photos"),
    )


def _activity_public(activity: Activity) -> PublicActivity:
    return PublicActivity(
        id=activity.pk,
        program=activity.program,
        program_label=str(activity.get_program_display()),
        kind_label=str(activity.get_kind_display()),
        title=activity.title,
        date=activity.date,
        end_date=activity.end_date,
        place_name=activity.place_name,
        kelurahan=activity.kelurahan.name if activity.kelurahan else "",
        latitude=activity.latitude,
        longitude=activity.longitude,
        description=activity.description,
        partner=activity.partner,
        budget_source_label=str(activity.get_budget_source_display())
        if activity.budget_source
        else "",
        budget_amount=activity.budget_amount,
        progress_percent=activity.progress_percent,
        target_group=activity.target_group,
        people_count=activity.people_count,
        report_numbers=tuple(r.tracking_number for r in activity.public_reports),  # type: ignore[attr-defined]
        photos=tuple(
            PublicPhoto(
                stage=p.stage,
                stage_label=str(p.get_stage_display()),
                caption=p.caption,
                photo_url=_url(p.photo),
                thumbnail_url=_url(p.thumbnail),
            )
            for p in activity.public_photos  # type: ignore[attr-defined]
        ),
    )


def activity_page_public(*, filters: ActivityFilters, page: int = 1) -> PublicPage[PublicActivity]:
    """One page of the public timeline, newest first (five queries whatever the page size)."""
    paginator = Paginator(_public_activities(filters).order_by("-date", "-id"), TIMELINE_PAGE_SIZE)
    current = paginator.get_page(page)
    rows = list(_activity_prefetches(current.object_list))  # type: ignore[arg-type]
    return PublicPage(
        items=tuple(_activity_public(a) for a in rows),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
    )


def activity_map_points_public(*, filters: ActivityFilters) -> list[MapPoint]:
    """Every public activity with coordinates that matches the filters (one query)."""
    rows = (
        _public_activities(filters)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-date", "-id")
        .only("id", "title", "program", "date", "latitude", "longitude")[:MAP_POINTS_LIMIT]
    )
    return [
        MapPoint(
            id=a.pk,
            title=a.title,
            program=a.program,
            program_label=str(a.get_program_display()),
            date=a.date,
            latitude=float(a.latitude),  # type: ignore[arg-type]
            longitude=float(a.longitude),  # type: ignore[arg-type]
        )
        for a in rows
    ]


def activity_get_public(*, activity_id: int) -> PublicActivity:
    """A public activity with its photos and public linked complaints."""
    activity = _activity_prefetches(_public_activities(ActivityFilters())).filter(pk=activity_id)
    found = activity.first()
    if found is None:
        raise NotFound(_("Kegiatan tidak ditemukan."))
    return _activity_public(found)


def activity_months_public() -> list[dt.date]:
    """The months (first days) that have public activities, newest first, for the filter."""
    dates = Activity.objects.filter(is_public=True).dates("date", "month", order="DESC")
    return list(dates)
