"""Reading Open311 parameters: comma lists, W3C date-times and the 90-day window.

An optional argument passed empty behaves as if it were absent (the spec says so). Anything
malformed raises `Open311Error(400, …)` with an Indonesian description naming the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.core.workdays import WIB
from telepati.open311.errors import Open311Error
from telepati.open311.status import CLOSED, OPEN

MAX_WINDOW = timedelta(days=90)
MAX_LIST_ITEMS = 1000
EARLIEST_YEAR = 2000
LATEST_YEAR = 2200


def optional(params: Mapping[str, str], name: str) -> str | None:
    """The stripped value, or None when absent or empty."""
    value = (params.get(name) or "").strip()
    return value or None


def comma_list(params: Mapping[str, str], name: str) -> list[str]:
    value = optional(params, name)
    if value is None:
        return []
    items = [item.strip() for item in value.split(",") if item.strip()]
    if len(items) > MAX_LIST_ITEMS:
        raise Open311Error(
            400, _("%(name)s: paling banyak %(n)d nilai.") % {"name": name, "n": MAX_LIST_ITEMS}
        )
    return items


def statuses(params: Mapping[str, str]) -> list[str]:
    values = [value.lower() for value in comma_list(params, "status")]
    wrong = [value for value in values if value not in (OPEN, CLOSED)]
    if wrong:
        raise Open311Error(400, _("status: gunakan open, closed, atau keduanya (open,closed)."))
    return sorted(set(values))


def w3c_datetime_parse(value: str, name: str) -> datetime:
    """A W3C/ISO 8601 date or date-time; without a zone it is read as WIB."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            moment = datetime.combine(datetime.fromisoformat(text).date(), time.min)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Open311Error(
            400,
            _("%(name)s: tulis tanggal dan jam W3C, mis. 2026-11-02T10:00:00+07:00.")
            % {"name": name},
        )
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=WIB)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def window(params: Mapping[str, str], *, now: datetime | None = None) -> Window:
    """`start_date`/`end_date` with the spec's defaults: the last 90 days, at most 90 days."""
    now = now or timezone.now()
    start_text, end_text = optional(params, "start_date"), optional(params, "end_date")
    start = w3c_datetime_parse(start_text, "start_date") if start_text else None
    end = w3c_datetime_parse(end_text, "end_date") if end_text else None
    if start is None and end is None:
        return Window(now - MAX_WINDOW, now)
    if start is None:
        assert end is not None
        return Window(end - MAX_WINDOW, end)
    if end is None:
        return Window(start, start + MAX_WINDOW)
    if start > end:
        raise Open311Error(400, _("start_date harus sebelum end_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
    return Window(start, end)


def coordinates(params: Mapping[str, str]) -> tuple[Decimal, Decimal] | None:
    """`lat` + `long` (both or neither), within the globe's range."""
    lat_text, long_text = optional(params, "lat"), optional(params, "long")
    if lat_text is None and long_text is None:
        return None
    message = _("lat/long: kirim lintang dan bujur desimal, mis. lat=3.5412&long=98.7005.")
    if lat_text is None or long_text is None:
        raise Open311Error(400, message)
    try:
        latitude, longitude = Decimal(lat_text), Decimal(long_text)
    except InvalidOperation:
        raise Open311Error(400, message) from None
    if not (latitude.is_finite() and longitude.is_finite()):
        raise Open311Error(400, message)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Open311Error(400, message)
    return latitude, longitude


def attributes(params: Mapping[str, list[str]]) -> dict[str, str | list[str]]:
    """`attribute[CODE]=v` and multi-value `attribute[CODE][]=v1&attribute[CODE][]=v2`."""
    answers: dict[str, str | list[str]] = {}
    for name, values in params.items():
        if not name.startswith("attribute[") or not name.endswith("]"):
            continue
        inner = name[len("attribute[") : -1]
        if inner.endswith("]["):
            code = inner[:-2]
            answers[code] = list(values)
        elif "]" not in inner and "[" not in inner:
            answers[inner] = values[-1] if len(values) == 1 else list(values)
    return answers
