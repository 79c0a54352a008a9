"""Reads the Open311 door needs besides the public report selectors: jurisdictions, the
kelurahan an `address_id` names, and a client's recent identical submission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _

from telepati.open311.errors import Open311Error
from telepati.org.models import Kecamatan, Kelurahan
from telepati.reports.models import Report


def jurisdiction_resolve(*, jurisdiction_id: str | None) -> Kecamatan | None:
    """The kecamatan a call is about (`jurisdiction_id` is a kecamatan code).

    Required only when the deployment hosts several active kecamatan (400 without it);
    an unknown one is 404. With a single kecamatan and no id, that kecamatan.
    """
    active = Kecamatan.objects.filter(is_active=True)
    if jurisdiction_id is not None:
        kecamatan = active.filter(code=jurisdiction_id).first()
        if kecamatan is None:
            raise Open311Error(404, _("jurisdiction_id tidak dikenal."))
        return kecamatan
    hosted = list(active.order_by("pk")[:2])
    if len(hosted) > 1:
        raise Open311Error(
            400, _("jurisdiction_id wajib diisi: layanan ini melayani beberapa kecamatan.")
        )
    return hosted[0] if hosted else None


def kelurahan_by_code(*, kecamatan: Kecamatan, code: str) -> Kelurahan | None:
    """The active kelurahan of `kecamatan` with this code (an Open311 `address_id`)."""
    return Kelurahan.objects.filter(kecamatan=kecamatan, code=code, is_active=True).first()


def report_recently_submitted(*, submission_keys: Sequence[str], since: datetime) -> Report | None:
    """A report made from one of these submission keys at or after `since`, if any."""
    return (
        Report.objects.select_related("category")
        .filter(submission_key__in=list(submission_keys), created_at__gte=since)
        .order_by("-created_at")
        .first()
    )
