"""Race-free sequence numbers for tracking codes (one counter row per prefix and period)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from telepati.core.models import SequenceCounter
from telepati.core.workdays import WIB


def sequence_next(*, prefix: str, period: str) -> int:
    """The next value of the counter (prefix, period), starting at 1.

    Must run inside a transaction: the row is incremented with an UPDATE (which takes the row
    lock on PostgreSQL; SQLite's IMMEDIATE transaction already serialises writers) and read
    back, so two concurrent callers never get the same value.
    """
    counter, _created = SequenceCounter.objects.get_or_create(prefix=prefix, period=period)
    SequenceCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    return SequenceCounter.objects.values_list("value", flat=True).get(pk=counter.pk)


def tracking_code_next(*, prefix: str, at: datetime) -> str:
    """A tracking code for the month of `at` (WIB): prefix + YYMM + "-" + 4-digit sequence."""
    period = at.astimezone(WIB).strftime("%y%m")
    return f"{prefix}{period}-{sequence_next(prefix=prefix, period=period):04d}"
