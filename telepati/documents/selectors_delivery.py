"""Reads for couriers: a day's deliveries, grouped by kelurahan, with map links.

Access is built in: a courier sees only the deliveries assigned to them (the officer scope's
`assigned_user` rule); someone without the courier capability gets Forbidden. Two queries
whatever the number of stops (the scope, then the applications with what they show).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote_plus

from django.db.models import Q
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Forbidden
from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, DeliveryAttempt
from telepati.documents.services.common import application_scope_q

MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query="


@dataclass(frozen=True)
class DeliveryStop:
    """One address on the courier's round."""

    application_id: int
    code: str
    version: int
    status: Status
    applicant_name: str
    phone: str
    address: str
    document: str
    map_link: str
    handed_over_at: datetime | None = None
    received_by_name: str = ""

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def is_done(self) -> bool:
        return self.status == Status.HANDED_OVER


@dataclass
class KelurahanStop:
    """The stops of one kelurahan (`name` "" when the application has none)."""

    name: str
    stops: list[DeliveryStop] = field(default_factory=list)


def map_link(
    *, latitude: Decimal | None, longitude: Decimal | None, address: str, area: str = ""
) -> str:
    """A Google Maps search link: the exact position when known, else the written address."""
    if latitude is not None and longitude is not None:
        query = f"{latitude},{longitude}"
    else:
        query = ", ".join(part for part in (address, area) if part)
    return MAP_SEARCH_URL + quote_plus(query, safe=",")


def courier_day_list(*, courier: User, day: date) -> list[KelurahanStop]:
    """The courier's deliveries for `day`: still to do (scheduled or on the way) and, for the
    record, those handed over that day; by kelurahan name, then application code."""
    scope = officer_scope_get(user=courier)
    if not scope.can(Capability.DELIVER_DOCUMENTS):
        raise Forbidden(_("Halaman ini hanya untuk kurir dokumen."))
    day_start = datetime.combine(day, time.min, tzinfo=WIB)
    due = Q(status__in=[Status.DELIVERY_SCHEDULED, Status.OUT_FOR_DELIVERY], delivery_date=day)
    done = Q(
        status=Status.HANDED_OVER,
        handed_over_at__gte=day_start,
        handed_over_at__lt=day_start + timedelta(days=1),
    )
    rows = (
        Application.objects.filter(application_scope_q(scope), due | done, courier=courier)
        .select_related("kelurahan", "kecamatan", "document_type")
        .order_by("kelurahan__name", "code")
    )
    groups: dict[int | None, KelurahanStop] = {}
    for application in rows:
        kelurahan = application.kelurahan
        group = groups.get(application.kelurahan_id)
        if group is None:
            group = groups[application.kelurahan_id] = KelurahanStop(
                name=kelurahan.name if kelurahan is not None else ""
            )
        area = ", ".join(
            part
            for part in (
                kelurahan.name if kelurahan is not None else "",
                application.kecamatan.name,
                application.kecamatan.city,
            )
            if part
        )
        address = application.delivery_address or application.address
        group.stops.append(
            DeliveryStop(
                application_id=application.pk,
                code=application.code,
                version=application.version,
                status=Status(application.status),
                applicant_name=application.applicant_name,
                phone=application.phone,
                address=address,
                document=application.document_type.name,
                map_link=map_link(
                    latitude=application.delivery_latitude,
                    longitude=application.delivery_longitude,
                    address=address,
                    area=area,
                ),
                handed_over_at=application.handed_over_at,
                received_by_name=application.received_by_name,
            )
        )
    # Rows without a kelurahan sort first in SQL on some databases: list them last.
    return sorted(groups.values(), key=lambda g: (g.name == "", g.name))


def application_delivery_attempts(*, application: Application) -> list[DeliveryAttempt]:
    """Every courier visit of an application (proof photos and failure reasons), oldest first.

    The caller already holds the application through a scoped selector; one query.
    """
    return list(
        DeliveryAttempt.objects.filter(application=application)
        .select_related("courier")
        .order_by("attempted_at", "pk")
    )
