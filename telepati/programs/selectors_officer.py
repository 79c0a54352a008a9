"""Back-office reads of the priority programs, with the officer's area built in.

An officer reads what they may manage (`services.common.programs_manage_allowed`): a
MANAGE_PROGRAMS role in any unit of a kecamatan covers every business and activity of that
kecamatan; in a kantor kelurahan it covers only that kelurahan (activities across several
kelurahan stay with the kecamatan). Trainings belong to the kecamatan: every MANAGE_PROGRAMS
holder there reads them, but only kecamatan-wide managers record them and their attendance.
Rows outside the area raise NotFound, so their existence does not leak. A superuser reads
everything. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.models import User
from telepati.accounts.scope import KELURAHAN_OFFICE, OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import NotFound
from telepati.org.models import Kecamatan, Kelurahan
from telepati.programs.models import (
    Activity,
    ActivityPhoto,
    Business,
    GuidanceStatus,
    Product,
    Retailer,
    Training,
    TrainingAttendance,
)
from telepati.programs.selectors import ActivityFilters
from telepati.reports.models import Report


@dataclass(frozen=True)
class ProgramsArea:
    """Where an officer manages programs: whole kecamatan, or single kelurahan."""

    everything: bool = False
    kecamatan_ids: frozenset[int] = field(default_factory=frozenset)
    kelurahan_ids: frozenset[int] = field(default_factory=frozenset)
    # Kecamatan where the officer holds MANAGE_PROGRAMS at all (kantor kelurahan included).
    member_kecamatan_ids: frozenset[int] = field(default_factory=frozenset)

    def q(self, *, kecamatan: str, kelurahan: str) -> Q:
        """A filter on rows located by these field paths (kecamatan id, kelurahan id)."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if self.kecamatan_ids:
            condition |= Q(**{f"{kecamatan}__in": sorted(self.kecamatan_ids)})
        if self.kelurahan_ids:
            condition |= Q(**{f"{kelurahan}__in": sorted(self.kelurahan_ids)})
        return condition

    def manages_kecamatan(self, kecamatan_id: int) -> bool:
        """Whether the officer manages the kecamatan as a whole (trainings, activities
        across kelurahan)."""
        return self.everything or kecamatan_id in self.kecamatan_ids

    @property
    def kecamatan_wide(self) -> bool:
        return self.everything or bool(self.kecamatan_ids)


def programs_area(scope: OfficerScope) -> ProgramsArea:
    """The programs area of a scope (pure: no database access)."""
    if scope.is_superuser:
        return ProgramsArea(everything=True)
    allowed = roles_with(Capability.MANAGE_PROGRAMS)
    kecamatan_ids: set[int] = set()
    kelurahan_ids: set[int] = set()
    members: set[int] = set()
    for grant in scope.grants:
        if grant.role not in allowed or grant.kecamatan_id is None:
            continue
        members.add(grant.kecamatan_id)
        if grant.unit_kind != KELURAHAN_OFFICE:
            kecamatan_ids.add(grant.kecamatan_id)
        elif grant.kelurahan_id is not None:
            kelurahan_ids.add(grant.kelurahan_id)
    return ProgramsArea(
        kecamatan_ids=frozenset(kecamatan_ids),
        kelurahan_ids=frozenset(kelurahan_ids),
        member_kecamatan_ids=frozenset(members),
    )


def programs_area_get(*, user: User, scope: OfficerScope | None = None) -> ProgramsArea:
    return programs_area(scope if scope is not None else officer_scope_get(user=user))


def _area(user: User, scope: OfficerScope | None) -> ProgramsArea:
    return programs_area_get(user=user, scope=scope)


# --- Reference lists for forms and filters ----------------------------------------------


def kelurahan_list_for_programs(*, area: ProgramsArea) -> list[Kelurahan]:
    """Active kelurahan where the officer may register businesses and record activities."""
    rows = Kelurahan.objects.filter(is_active=True, kecamatan__is_active=True).filter(
        area.q(kecamatan="kecamatan_id", kelurahan="pk")
    )
    return list(rows.select_related("kecamatan").order_by("kecamatan__name", "name"))


def kecamatan_list_for_programs(*, area: ProgramsArea) -> list[Kecamatan]:
    """Active kecamatan the officer manages as a whole (trainings, cross-kelurahan work)."""
    rows = Kecamatan.objects.filter(is_active=True)
    if not area.everything:
        rows = rows.filter(pk__in=sorted(area.kecamatan_ids))
    return list(rows.order_by("name"))


def retailer_list_for_programs(*, area: ProgramsArea) -> list[Retailer]:
    """Active partner retailers of the kecamatan where the officer manages programs."""
    rows = Retailer.objects.filter(is_active=True)
    if not area.everything:
        rows = rows.filter(kecamatan_id__in=sorted(area.member_kecamatan_ids))
    return list(rows.order_by("name", "id"))


# --- Businesses -------------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessFilters:
    kelurahan_id: int | None = None
    sector: str = ""
    guidance_status: str = ""
    query: str = ""


def business_list_for_officer(
    *, user: User, filters: BusinessFilters, scope: OfficerScope | None = None
) -> QuerySet[Business]:
    """Businesses in the officer's area matching the filters, by name, with the kelurahan
    and the number of products (one query a page)."""
    rows = Business.objects.filter(
        _area(user, scope).q(kecamatan="kecamatan_id", kelurahan="kelurahan_id")
    )
    if filters.kelurahan_id is not None:
        rows = rows.filter(kelurahan_id=filters.kelurahan_id)
    if filters.sector:
        rows = rows.filter(sector=filters.sector)
    if filters.guidance_status:
        rows = rows.filter(guidance_status=filters.guidance_status)
    if filters.query.strip():
        rows = rows.filter(name__icontains=filters.query.strip()[:80])
    return (
        rows.select_related("kelurahan")
        .annotate(product_count=Count("products"))
        .order_by("name", "id")
    )


def business_get_for_officer(
    *, user: User, business_id: int, scope: OfficerScope | None = None
) -> Business:
    """One business with its products, partner retailers and trainings attended (as
    `products_all`, `retailers_all`, `trainings_attended`); NotFound outside the area."""
    area = _area(user, scope)
    products = Product.objects.order_by("name", "id")
    retailers = Retailer.objects.order_by("name", "id")
    attended = (
        TrainingAttendance.objects.filter(attended=True)
        .select_related("training")
        .order_by("-training__date", "-training_id")
    )
    business = (
        Business.objects.filter(area.q(kecamatan="kecamatan_id", kelurahan="kelurahan_id"))
        .select_related("kelurahan__kecamatan", "created_by")
        .prefetch_related(
            Prefetch("products", queryset=products, to_attr="products_all"),
            Prefetch("retailers", queryset=retailers, to_attr="retailers_all"),
            Prefetch("attendances", queryset=attended, to_attr="trainings_attended"),
        )
        .filter(pk=business_id)
        .first()
    )
    if business is None:
        raise NotFound(_("UMKM tidak ditemukan."))
    return business


# --- Trainings --------------------------------------------------------------------------


def training_list_for_officer(
    *, user: User, scope: OfficerScope | None = None
) -> QuerySet[Training]:
    """Trainings of the kecamatan where the officer manages programs, newest first, with
    `invited` and `attended` counts."""
    area = _area(user, scope)
    rows = Training.objects.all()
    if not area.everything:
        rows = rows.filter(kecamatan_id__in=sorted(area.member_kecamatan_ids))
    return rows.annotate(
        invited=Count("attendances"),
        attended=Count("attendances", filter=Q(attendances__attended=True)),
    ).order_by("-date", "-id")


def training_get_for_officer(
    *, user: User, training_id: int, scope: OfficerScope | None = None
) -> Training:
    """One training; NotFound outside the kecamatan where the officer manages programs."""
    training = (
        training_list_for_officer(user=user, scope=scope)
        .select_related("kecamatan")
        .filter(pk=training_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    return training


@dataclass(frozen=True)
class ChecklistRow:
    """One business on a training's attendance checklist."""

    business_id: int
    name: str
    kelurahan: str
    invited: bool
    attended: bool


def training_checklist(
    *, user: User, training: Training, scope: OfficerScope | None = None
) -> list[ChecklistRow]:
    """The businesses of the training's kecamatan in the officer's area: every one already
    invited, and every other one still under guidance (not *tidak aktif*), by name (two
    queries)."""
    area = _area(user, scope)
    marks = dict(
        TrainingAttendance.objects.filter(training=training).values_list("business_id", "attended")
    )
    businesses = (
        Business.objects.filter(kecamatan_id=training.kecamatan_id)
        .filter(area.q(kecamatan="kecamatan_id", kelurahan="kelurahan_id"))
        .filter(~Q(guidance_status=GuidanceStatus.INACTIVE) | Q(pk__in=sorted(marks)))
        .order_by("name", "id")
        .values_list("pk", "name", "kelurahan__name")
    )
    return [
        ChecklistRow(
            business_id=pk,
            name=name,
            kelurahan=kelurahan,
            invited=pk in marks,
            attended=bool(marks.get(pk)),
        )
        for pk, name, kelurahan in businesses
    ]


# --- Activities -------------------------------------------------------------------------


def _month_span(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def activity_list_for_officer(
    *, user: User, filters: ActivityFilters, scope: OfficerScope | None = None
) -> QuerySet[Activity]:
    """Activities in the officer's area matching the filters, newest first, with the
    kelurahan and the numbers of photos and linked complaints (one query a page)."""
    rows = Activity.objects.filter(
        _area(user, scope).q(kecamatan="kecamatan_id", kelurahan="kelurahan_id")
    )
    if filters.program:
        rows = rows.filter(program=filters.program)
    if filters.kelurahan_id is not None:
        rows = rows.filter(kelurahan_id=filters.kelurahan_id)
    if filters.month is not None:
        first, following = _month_span(filters.month)
        rows = rows.filter(date__gte=first, date__lt=following)
    return (
        rows.select_related("kelurahan")
        .annotate(
            photo_count=Count("photos", distinct=True),
            report_count=Count("reports", distinct=True),
        )
        .order_by("-date", "-id")
    )


def activity_get_for_officer(
    *, user: User, activity_id: int, scope: OfficerScope | None = None
) -> Activity:
    """One activity with its photos (`photos_all`) and every linked complaint, confidential
    ones included (`reports_all`: number and status only); NotFound outside the area."""
    area = _area(user, scope)
    photos = ActivityPhoto.objects.order_by("created_at", "id")
    reports = Report.objects.only("id", "tracking_number", "status").order_by("tracking_number")
    activity = (
        Activity.objects.filter(area.q(kecamatan="kecamatan_id", kelurahan="kelurahan_id"))
        .select_related("kelurahan", "kecamatan", "created_by")
        .prefetch_related(
            Prefetch("photos", queryset=photos, to_attr="photos_all"),
            Prefetch("reports", queryset=reports, to_attr="reports_all"),
        )
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise NotFound(_("Kegiatan tidak ditemukan."))
    return activity


def activity_months_for_officer(*, user: User, scope: OfficerScope | None = None) -> list[dt.date]:
    """The months (first days) with activities in the officer's area, newest first."""
    rows = Activity.objects.filter(
        _area(user, scope).q(kecamatan="kecamatan_id", kelurahan="kelurahan_id")
    )
    return list(rows.dates("date", "month", order="DESC"))
