"""Periods the figures are counted over: a calendar month in WIB (`Period`, chosen on the
dashboard) or any half-open interval (`Window`, e.g. the public page's twelve months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from django.db.models import Q
from django.utils.formats import date_format

from telepati.core.workdays import WIB


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month in WIB, as the half-open interval [start, end)."""

    year: int
    month: int

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=WIB)

    @property
    def end(self) -> datetime:
        return self.next().start

    @property
    def label(self) -> str:
        """The month's name and year in the active language ("November 2026")."""
        return date_format(date(self.year, self.month, 1), "F Y")

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def months_back(self, count: int) -> list[Period]:
        """`count` months ending with this one, oldest first."""
        months = [self]
        while len(months) < count:
            months.append(months[-1].previous())
        return months[::-1]

    @classmethod
    def containing(cls, moment: datetime) -> Period:
        local = moment.astimezone(WIB)
        return cls(local.year, local.month)

    @classmethod
    def parse(cls, code: str) -> Period | None:
        """A period from "YYYY-MM", or None when the text is not one."""
        try:
            year_text, month_text = code.split("-")
            year, month = int(year_text), int(month_text)
        except ValueError:
            return None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        return cls(year, month)

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


class Span(Protocol):
    """A half-open interval of time [start, end): a `Period` or a `Window`."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...

    def q(self, field: str) -> Q: ...


@dataclass(frozen=True, slots=True)
class Window:
    """Any half-open interval [start, end) (e.g. the last twelve months)."""

    start: datetime
    end: datetime

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})
