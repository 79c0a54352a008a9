"""A month of reports with known timelines for the statistics and dashboard tests.

Rows are written directly with set timestamps (the figures read only stored columns), in
Medan Amplas (Harjosari I, Sitirejo II) and one in Medan Johor that must never count.
The expected figures are worked out by hand in the tests, for November 2026 seen on
Friday 20 November 2026 at 12:00 WIB, on the default calendar (Mon–Fri 08:00–16:00, no
holiday rows).
"""

from datetime import datetime
from decimal import Decimal

from telepati.core.workdays import WIB
from telepati.reports.models import Category, Disposition, Report
from telepati.reports.periods import Period

NOVEMBER = Period(2026, 11)
MOMENT = datetime(2026, 11, 20, 12, 0, tzinfo=WIB)


def at(month, day, hour=10, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def make_report(number, *, kelurahan, category, status, submitted_at, **fields):
    return Report.objects.create(
        tracking_number=number,
        kecamatan=kelurahan.kecamatan,
        kelurahan=kelurahan,
        category=category,
        channel="whatsapp",
        description=f"Uraian {number}",
        status=status,
        submitted_at=submitted_at,
        **fields,
    )


def build_scenario(*, harjosari_i, sitirejo_ii, gedung_johor, dlh, roads_agency, office, actor):
    """R1…R8 and five dispositions; returns the reports by name."""
    sanitation = Category.objects.create(code="kebersihan", name="Kebersihan & sampah")
    drainage = Category.objects.create(code="banjir-drainase", name="Banjir & drainase")
    r = {}
    r["R1"] = make_report(
        "R1",
        kelurahan=harjosari_i,
        category=sanitation,
        status="resolved",
        submitted_at=at(11, 2),
        first_response_at=at(11, 3),
        resolved_at=at(11, 5),
        resolution_due_at=at(11, 20),
        rating=5,
        rated_at=at(11, 6),
        latitude=Decimal("3.541234"),
        longitude=Decimal("98.702468"),
    )
    r["R2"] = make_report(
        "R2",
        kelurahan=sitirejo_ii,
        category=drainage,
        status="in_progress",
        submitted_at=at(11, 9),
        first_response_at=at(11, 10, 14),
        resolution_due_at=at(11, 16),
        latitude=Decimal("3.5412"),
        longitude=Decimal("98.7024"),
    )
    r["R3"] = make_report(
        "R3",
        kelurahan=harjosari_i,
        category=sanitation,
        status="closed",
        submitted_at=at(10, 26),
        first_response_at=at(10, 27),
        resolved_at=at(11, 10),
        resolution_due_at=at(11, 12),
        rating=3,
        rated_at=at(11, 11),
    )
    r["R4"] = make_report(
        "R4",
        kelurahan=harjosari_i,
        category=sanitation,
        status="new",
        submitted_at=at(11, 18, 9),
        verification_due_at=at(11, 19, 9),
        latitude=Decimal("3.55"),
        longitude=Decimal("98.71"),
    )
    r["R5"] = make_report(
        "R5",
        kelurahan=sitirejo_ii,
        category=drainage,
        status="verified",
        submitted_at=at(11, 19),
        resolution_due_at=at(12, 10),
    )
    r["R6"] = make_report(
        "R6",
        kelurahan=harjosari_i,
        category=sanitation,
        status="rejected",
        submitted_at=at(10, 20),
        rejection_reason="Bukan wewenang kecamatan.",
    )
    r["R7"] = make_report(
        "R7",
        kelurahan=gedung_johor,
        category=sanitation,
        status="in_progress",
        submitted_at=at(11, 3),
        first_response_at=at(11, 4),
        resolution_due_at=at(11, 10),
        latitude=Decimal("3.55"),
        longitude=Decimal("98.71"),
    )
    r["R8"] = make_report(
        "R8",
        kelurahan=harjosari_i,
        category=drainage,
        status="forwarded",
        submitted_at=at(9, 1),
        resolution_due_at=at(9, 30),
    )

    def forward(report, unit, status, forwarded_at, due_at, **fields):
        Disposition.objects.create(
            report=report,
            unit=unit,
            status=status,
            forwarded_at=forwarded_at,
            due_at=due_at,
            forwarded_by=actor,
            **fields,
        )

    forward(r["R2"], roads_agency, "in_progress", at(11, 9, 11), at(11, 13, 11))
    forward(r["R1"], dlh, "done", at(11, 2, 11), at(11, 6, 11), done_at=at(11, 4, 11))
    forward(r["R8"], roads_agency, "pending", at(9, 2), at(9, 9))
    forward(r["R3"], dlh, "returned", at(10, 26, 11), at(11, 2), returned_at=at(10, 27))
    forward(r["R3"], office, "done", at(10, 27), at(11, 3), done_at=at(11, 9))
    forward(r["R7"], dlh, "in_progress", at(11, 3, 11), at(11, 5))
    return r
