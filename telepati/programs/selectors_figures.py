"""Program figures for the leaders' dashboard (counts only, no personal data).

`program_figures` answers for one kecamatan and one period (inclusive dates): the UMKM
registry as it stands now (by guidance status), and what happened in the period — trainings
and attendance, activities per program (public or not), people vaccinated, infrastructure
works and their progress, and the complaints the period's activities resolved. The caller
(the dashboard) checks VIEW_DASHBOARD; the figures hold no row a camat may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Avg, Count, Q, Sum

from telepati.org.models import Kecamatan
from telepati.programs.models import (
    Activity,
    ActivityKind,
    Business,
    GuidanceStatus,
    Program,
    Training,
    TrainingAttendance,
)
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report

RESOLVED_STATES = (Status.RESOLVED.value, Status.CLOSED.value)


class Period(NamedTuple):
    """Inclusive range of dates (a plain `(start, end)` tuple works too)."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ProgramFigures:
    """The figures of the five programs for one kecamatan and period."""

    period: Period
    umkm_total: int
    umkm_by_status: dict[str, int]  # GuidanceStatus value → businesses (every status present)
    trainings: int
    training_invitations: int
    training_attended: int
    activities_total: int
    activities_by_program: dict[str, int]  # Program value → activities (every program present)
    vaccination_events: int
    people_vaccinated: int
    infrastructure_works: int
    infrastructure_completed: int
    infrastructure_progress_avg: int | None  # mean progress %, rounded; None without works
    infrastructure_budget: int
    reports_linked: int
    reports_resolved: int

    @property
    def umkm_guided(self) -> int:
        """Businesses under guidance now (calon binaan excluded, tidak aktif excluded)."""
        return (
            self.umkm_by_status[GuidanceStatus.ACTIVE]
            + self.umkm_by_status[GuidanceStatus.INDEPENDENT]
        )


def program_figures(
    *, kecamatan: Kecamatan | int, period: Period | tuple[dt.date, dt.date]
) -> ProgramFigures:
    """The program figures of `kecamatan` for `period` (six queries)."""
    kecamatan_id = kecamatan if isinstance(kecamatan, int) else kecamatan.pk
    span = Period(*period)
    by_status = dict.fromkeys(GuidanceStatus.values, 0)
    rows = (
        Business.objects.filter(kecamatan_id=kecamatan_id)
        .values_list("guidance_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status.update(dict(rows))
    trainings = Training.objects.filter(
        kecamatan_id=kecamatan_id, date__gte=span.start, date__lte=span.end
    )
    attendance = TrainingAttendance.objects.filter(training__in=trainings).aggregate(
        invited=Count("id"), attended=Count("id", filter=Q(attended=True))
    )
    activities = Activity.objects.filter(
        kecamatan_id=kecamatan_id, date__gte=span.start, date__lte=span.end
    )
    by_program = dict.fromkeys(Program.values, 0)
    by_program.update(dict(activities.values_list("program").annotate(n=Count("id")).order_by()))
    vaccination = Q(kind=ActivityKind.VACCINATION)
    works = Q(program=Program.INFRASTRUKTUR)
    sums = activities.aggregate(
        vaccination_events=Count("id", filter=vaccination),
        people_vaccinated=Sum("people_count", filter=vaccination),
        works=Count("id", filter=works),
        completed=Count("id", filter=works & Q(progress_percent=100)),
        progress=Avg("progress_percent", filter=works),
        budget=Sum("budget_amount", filter=works),
    )
    linked = Report.objects.filter(program_activities__in=activities).distinct()
    reports = linked.aggregate(
        total=Count("id", distinct=True),
        resolved=Count("id", distinct=True, filter=Q(status__in=RESOLVED_STATES)),
    )
    progress = sums["progress"]
    return ProgramFigures(
        period=span,
        umkm_total=sum(by_status.values()),
        umkm_by_status=by_status,
        trainings=trainings.count(),
        training_invitations=attendance["invited"],
        training_attended=attendance["attended"],
        activities_total=sum(by_program.values()),
        activities_by_program=by_program,
        vaccination_events=sums["vaccination_events"],
        people_vaccinated=sums["people_vaccinated"] or 0,
        infrastructure_works=sums["works"],
        infrastructure_completed=sums["completed"],
        infrastructure_progress_avg=round(progress) if progress is not None else None,
        infrastructure_budget=sums["budget"] or 0,
        reports_linked=reports["total"],
        reports_resolved=reports["resolved"],
    )
