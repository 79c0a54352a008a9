"""Reads of the documents domain, with access built in.

Officer-facing selectors take the signed-in `user` and apply their scope
(`application_scope_q`): an application outside it raises `NotFound`, so its existence
never leaks. Who may read a full NIK is decided here too (`application_nik_display`: the
officers who handle the application; leaders, couriers and liaisons see the last four
digits). Residents read their own applications (`application_get_for_citizen`); anyone may
check a status with the code and the last four digits of the phone number
(`application_status_lookup`), which answers with a view that holds no NIK, phone or
address and only the initials of the name. Delivery lists live in `selectors_delivery.py`.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import AnyUser, officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import NotFound
from telepati.documents.lifecycle import IN_PROGRESS_STATES, Status
from telepati.documents.models import (
    Application,
    ApplicationEvent,
    Channel,
    DocumentType,
    HandoverMode,
)
from telepati.documents.services.common import (
    application_scope_q,
    nik_mask,
    nik_visible_to,
    now,
)
from telepati.org.models import Kecamatan

_LIST_RELATED = ("document_type", "kecamatan", "kelurahan", "handling_unit", "courier")


def _not_found() -> NotFound:
    return NotFound(_("Permohonan tidak ditemukan."))


def _code_normalize(code: str) -> str:
    return (code or "").strip().upper()


# --- Officers ----------------------------------------------------------------------------


def application_get_for_officer(
    *, user: AnyUser, code: str, scope: OfficerScope | None = None
) -> Application:
    """The application with this code if the officer may see it; NotFound otherwise."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    application = (
        Application.objects.filter(application_scope_q(scope), code=_code_normalize(code))
        .select_related(*_LIST_RELATED, "applicant", "registered_by", "handed_over_by")
        .first()
    )
    if application is None:
        raise _not_found()
    return application


@dataclass(frozen=True)
class ApplicationFilters:
    """What the officers' list is narrowed to; empty fields do not filter."""

    status: Status | str | tuple[Status | str, ...] | None = None
    document_type_id: int | None = None
    kelurahan_id: int | None = None
    handling_unit_id: int | None = None
    channel: Channel | str | None = None
    handover_mode: HandoverMode | str | None = None
    courier_id: int | None = None
    delivery_date: date | None = None
    applied_from: date | None = None
    applied_until: date | None = None
    search: str = ""
    overdue: bool = False


def application_list_for_officer(
    *, user: AnyUser, filters: ApplicationFilters | None = None, scope: OfficerScope | None = None
) -> QuerySet[Application]:
    """The applications the officer may see, newest first, narrowed by `filters`."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    filters = filters or ApplicationFilters()
    queryset = Application.objects.filter(application_scope_q(scope)).select_related(*_LIST_RELATED)
    return _filters_apply(queryset, filters).order_by("-applied_at", "-id")


def _filters_apply(queryset: QuerySet[Application], f: ApplicationFilters) -> QuerySet[Application]:
    if f.status:
        statuses = [f.status] if isinstance(f.status, str) else list(f.status)
        queryset = queryset.filter(status__in=[str(s) for s in statuses])
    exact = {
        "document_type_id": f.document_type_id,
        "kelurahan_id": f.kelurahan_id,
        "handling_unit_id": f.handling_unit_id,
        "courier_id": f.courier_id,
        "delivery_date": f.delivery_date,
    }
    queryset = queryset.filter(**{k: v for k, v in exact.items() if v is not None})
    if f.channel:
        queryset = queryset.filter(channel=str(f.channel))
    if f.handover_mode:
        queryset = queryset.filter(handover_mode=str(f.handover_mode))
    if f.applied_from is not None:
        queryset = queryset.filter(applied_at__date__gte=f.applied_from)
    if f.applied_until is not None:
        queryset = queryset.filter(applied_at__date__lte=f.applied_until)
    if f.overdue:
        queryset = queryset.filter(
            status__in=sorted(IN_PROGRESS_STATES), due_at__lt=now(), due_at__isnull=False
        )
    term = f.search.strip()
    if term:
        condition = Q(code__iexact=term) | Q(applicant_name__icontains=term)
        digits = re.sub(r"[\s.\-]", "", term)
        if digits.isdigit() and len(digits) >= 4:
            # A number: the whole NIK, or the end of the phone number (0812… = +62812…).
            condition |= Q(nik=digits) | Q(phone__endswith=digits.lstrip("0"))
        queryset = queryset.filter(condition)
    return queryset


def application_nik_display(*, scope: OfficerScope, application: Application) -> str:
    """The NIK as this officer may read it: in full for those who handle the application,
    otherwise only the last four digits ("••••••••••••1234")."""
    if nik_visible_to(scope, application):
        return application.nik
    return nik_mask(application.nik)


def application_timeline(*, application: Application, public_only: bool) -> list[ApplicationEvent]:
    """The application's events in order; residents see only the public ones."""
    events = application.events.select_related("actor", "actor_citizen")
    if public_only:
        events = events.filter(is_public=True)
    return list(events.order_by("created_at", "id"))


# --- Residents ---------------------------------------------------------------------------


def application_get_for_citizen(*, code: str, citizen: Citizen) -> Application:
    """A resident's own application (by contact or WhatsApp number); NotFound otherwise."""
    own = Q(applicant=citizen)
    if citizen.phone:
        own |= Q(phone=citizen.phone)
    application = (
        Application.objects.filter(own, code=_code_normalize(code))
        .select_related("document_type", "handling_unit", "kelurahan")
        .first()
    )
    if application is None:
        raise _not_found()
    return application


@dataclass(frozen=True)
class ApplicationStatusView:
    """What the public status check shows: no NIK, no phone, no address, initials only."""

    code: str
    document_name: str
    status: Status
    status_label: str
    applicant_initials: str
    applied_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    issued_at: datetime | None
    handed_over_at: datetime | None
    closed_at: datetime | None
    fix_note: str
    office_name: str
    handover_mode: str
    handover_mode_label: str
    delivery_date: date | None


_DUMMY_LAST4 = "\x00\x00\x00\x00"


def application_status_lookup(*, code: str, phone_last4: str) -> ApplicationStatusView:
    """The public status check: the code and the last four digits of the applicant's phone.

    An unknown code and wrong digits give the same NotFound, and the digits are compared in
    constant time, so neither codes nor numbers can be probed (the door rate-limits too).
    """
    application = (
        Application.objects.filter(code=_code_normalize(code))
        .select_related("document_type", "handling_unit")
        .first()
    )
    given = (phone_last4 or "").strip()
    expected = application.phone[-4:] if application is not None else _DUMMY_LAST4
    matches = hmac.compare_digest(given.encode(), expected.encode())
    if application is None or not matches or len(given) != 4 or not given.isdigit():
        raise NotFound(_("Permohonan tidak ditemukan. Periksa kode dan 4 angka terakhir nomor."))
    status = Status(application.status)
    mode = HandoverMode(application.handover_mode)
    return ApplicationStatusView(
        code=application.code,
        document_name=application.document_type.name,
        status=status,
        status_label=str(status.label),
        applicant_initials=name_mask(application.applicant_name),
        applied_at=application.applied_at,
        received_at=application.received_at,
        due_at=application.due_at,
        issued_at=application.issued_at,
        handed_over_at=application.handed_over_at,
        closed_at=application.closed_at,
        fix_note=application.fix_note if status == Status.NEEDS_FIX else "",
        office_name=application.handling_unit.name,
        handover_mode=mode.value,
        handover_mode_label=str(mode.label) if mode != HandoverMode.NONE else "",
        delivery_date=application.delivery_date if mode == HandoverMode.DELIVERY else None,
    )


def name_mask(name: str) -> str:
    """A name reduced to initials: "Budi Santoso" → "B*** S***"."""
    return " ".join(f"{word[0].upper()}***" for word in name.split() if word)


# --- The catalogue -----------------------------------------------------------------------


def _default_kecamatan_q() -> Q:
    return Q(kecamatan__code=settings.TELEPATI_DEFAULT_KECAMATAN)


def document_type_list_public(*, kecamatan: Kecamatan | None = None) -> list[DocumentType]:
    """The active document types residents may apply for, in display order."""
    where = Q(kecamatan=kecamatan) if kecamatan is not None else _default_kecamatan_q()
    return list(
        DocumentType.objects.filter(where, is_active=True)
        .select_related("handling_unit")
        .order_by("sort_order", "name")
    )


def document_type_get_public(*, code: str, kecamatan: Kecamatan | None = None) -> DocumentType:
    """One active document type by code (default kecamatan unless given); NotFound otherwise."""
    where = Q(kecamatan=kecamatan) if kecamatan is not None else _default_kecamatan_q()
    document_type = (
        DocumentType.objects.filter(where, code=(code or "").strip(), is_active=True)
        .select_related("handling_unit", "kecamatan")
        .first()
    )
    if document_type is None:
        raise NotFound(_("Jenis dokumen tidak ditemukan."))
    return document_type
