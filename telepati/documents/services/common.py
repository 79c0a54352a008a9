"""Building blocks shared by the document services: locking, access, timeline, notices, NIK.

Every change of an application follows the complaints' recipe, inside one short
`transaction.atomic()`:

1. `application_lock(application_id=…)` — re-read the row under a lock;
2. an access check (`officer_require` for officers, `applicant_require` for residents):
   outside the scope → NotFound (existence does not leak), visible but not allowed →
   Forbidden;
3. `version_check(…)` — a newer row than the caller saw raises Conflict;
4. `transition_target()` from the pure lifecycle (→ InvalidTransition), input validation
   (→ InvalidInput with Indonesian per-field messages);
5. `transition_record(…)` (row + version + public timeline event) and `applicant_notify(…)`
   (outbox rows with a stable key per cause, so a repeated call never sends twice).

No network I/O happens inside: notices are outbox rows delivered after commit.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.models import User
from telepati.accounts.roles import Role
from telepati.accounts.scope import KELURAHAN_OFFICE, OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from telepati.core.selectors import work_calendar_get
from telepati.core.workdays import WorkCalendar, add_working_days
from telepati.documents.lifecycle import Action, Status, transition_target
from telepati.documents.models import Application, ApplicationEvent, EventKind
from telepati.messaging.services import Recipient, message_enqueue

CODE_PREFIX = "D"
NIK_LENGTH = 16
_NIK_RE = re.compile(r"^\d{16}$")
# Roles that run the kecamatan's document desk (every application of their kecamatan).
_DESK_ROLES = frozenset({Role.ADMINISTRATOR, Role.OPERATOR})


def application_scope_q(scope: OfficerScope) -> Q:
    """The applications an officer may see: in their area, handled by their unit, or assigned
    to them for delivery (couriers)."""
    return scope.q(
        kecamatan="kecamatan",
        kelurahan="kelurahan",
        forwarded_unit="handling_unit",
        assigned_user="courier",
    )


def application_lock(*, application_id: int) -> Application:
    """The application row, locked for the rest of the transaction; NotFound if absent."""
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("document_type", "applicant", "handling_unit")
            .get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise NotFound(_("Permohonan tidak ditemukan.")) from None


def version_check(application: Application, expected_version: int | None) -> None:
    """Refuse to act on an application that changed since the caller looked at it."""
    if expected_version is not None and application.version != expected_version:
        raise Conflict(
            _(
                "Permohonan %(code)s baru saja diubah oleh petugas lain. "
                "Muat ulang halaman untuk melihat keadaan terbaru."
            )
            % {"code": application.code}
        )


def officer_require(
    *,
    user: User,
    application: Application,
    capability: Capability,
    scope: OfficerScope | None = None,
) -> OfficerScope:
    """Check that `user` may see `application` and holds `capability`; return their scope."""
    scope = scope if scope is not None else officer_scope_get(user=user)
    visible = Application.objects.filter(application_scope_q(scope), pk=application.pk).exists()
    if not visible:
        raise NotFound(_("Permohonan tidak ditemukan."))
    allowed = (
        documents_manage_allowed(
            scope,
            kecamatan_id=application.kecamatan_id,
            handling_unit_id=application.handling_unit_id,
            kelurahan_id=application.kelurahan_id,
        )
        if capability == Capability.MANAGE_DOCUMENTS
        else scope.can(capability)
    )
    if not allowed:
        raise Forbidden(_("Peran Anda tidak berwenang melakukan tindakan ini pada permohonan."))
    assigned_elsewhere = application.courier_id != user.pk and not scope.is_superuser
    if capability == Capability.DELIVER_DOCUMENTS and assigned_elsewhere:
        raise Forbidden(_("Pengantaran ini tidak ditugaskan kepada Anda."))
    return scope


def documents_manage_allowed(
    scope: OfficerScope,
    *,
    kecamatan_id: int,
    handling_unit_id: int | None,
    kelurahan_id: int | None,
) -> bool:
    """Whether the officer handles applications located like this, through one membership
    that holds MANAGE_DOCUMENTS: the kecamatan desk (administrator, operator), the handling
    unit's staff, or the kantor kelurahan of the applicant's kelurahan. A camat or lurah sees
    these applications but does not act on them; a courier only delivers."""
    if scope.is_superuser:
        return True
    allowed = roles_with(Capability.MANAGE_DOCUMENTS)
    for grant in scope.grants:
        if grant.role not in allowed:
            continue
        if grant.role in _DESK_ROLES and grant.kecamatan_id == kecamatan_id:
            return True
        if handling_unit_id is not None and grant.unit_id == handling_unit_id:
            return True
        if (
            kelurahan_id is not None
            and grant.unit_kind == KELURAHAN_OFFICE
            and grant.kelurahan_id == kelurahan_id
        ):
            return True
    return False


def applicant_require(*, application: Application, citizen: Citizen) -> None:
    """A resident acts only on their own application (by account or WhatsApp number);
    anyone else gets NotFound, so codes cannot be probed."""
    own = application.applicant_id == citizen.pk or (
        bool(citizen.phone) and application.phone == citizen.phone
    )
    if not own:
        raise NotFound(_("Permohonan tidak ditemukan."))


def transition_apply(
    application: Application, action: Action, *, fields: dict[str, Any] | None = None
) -> tuple[Status, Status]:
    """Move the (locked) application by `action`, set extra fields, bump the version, save."""
    source = Status(application.status)
    target = transition_target(action, source)
    changed = ["status", "version", "updated_at"]
    application.status = target
    application.version += 1
    for name, value in (fields or {}).items():
        setattr(application, name, value)
        changed.append(name)
    application.save(update_fields=changed)
    return source, target


def application_touch(application: Application, *, fields: dict[str, Any]) -> None:
    """Change fields of the (locked) application without a state change; bumps the version."""
    for name, value in fields.items():
        setattr(application, name, value)
    application.version += 1
    application.save(update_fields=[*fields, "version", "updated_at"])


def event_append(
    *,
    application: Application,
    kind: EventKind,
    at: datetime,
    action: Action | None = None,
    from_status: Status | None = None,
    to_status: Status | None = None,
    actor: User | None = None,
    actor_citizen: Citizen | None = None,
    is_public: bool = False,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Append one line to the application's timeline."""
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        action=action.value if action else "",
        from_status=from_status.value if from_status else "",
        to_status=to_status.value if to_status else "",
        actor=actor,
        actor_citizen=actor_citizen,
        is_public=is_public,
        message=message,
        data=data or {},
        created_at=at,
    )


def transition_record(
    application: Application,
    action: Action,
    *,
    at: datetime,
    message: str = "",
    fields: dict[str, Any] | None = None,
    user: User | None = None,
    citizen: Citizen | None = None,
    data: dict[str, Any] | None = None,
) -> tuple[Status, Status]:
    """Apply a lifecycle move to the locked application and record it on the timeline."""
    source, target = transition_apply(application, action, fields=fields)
    event_append(
        application=application,
        kind=EventKind.TRANSITION,
        at=at,
        action=action,
        from_status=source,
        to_status=target,
        actor=user,
        actor_citizen=citizen,
        is_public=True,
        message=message,
        data=data,
    )
    return source, target


def applicant_notify(
    *,
    application: Application,
    key: str,
    text: str,
    template_name: str = "dokumen_status",
    template_params: list[str] | None = None,
    interactive: dict[str, Any] | None = None,
) -> bool:
    """Queue one WhatsApp notice to the applicant (an outbox row in the same transaction).

    `key` names the cause (e.g. "issued" or "reminder:2"); with the application it forms the
    outbox's dedupe key, so repeating a service call never sends twice. Outside WhatsApp's
    24-hour window the approved template goes out instead (default `dokumen_status` with
    [code, status text]); quick-reply buttons travel in `interactive`. Returns False when
    the applicant has no WhatsApp contact.
    """
    bsuid = application.applicant.wa_bsuid if application.applicant is not None else ""
    recipient = Recipient(phone=application.phone, wa_bsuid=bsuid or "")
    message = message_enqueue(
        recipient=recipient,
        text=text,
        dedupe_key=f"application:{application.pk}:{key}",
        reference=f"application:{application.code}",
        template_name=template_name,
        template_params=(
            template_params
            if template_params is not None
            else [application.code, str(Status(application.status).label)]
        ),
        interactive=interactive,
    )
    return message is not None


def deadline(*, start: datetime, days: int, calendar: WorkCalendar | None = None) -> datetime:
    """`days` working days after `start`, on the office calendar."""
    return add_working_days(calendar or work_calendar_get(), start=start, days=days)


def now() -> datetime:
    return timezone.now()


def nik_clean(value: str, *, field: str = "nik") -> str:
    """A NIK as 16 digits ("" when left empty), or InvalidInput with a clear reason.

    Beyond the length, the birth-date part (digits 7–12: DDMMYY, women's day + 40) must be a
    possible date, which catches most typing slips.
    """
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not digits:
        return ""
    if not _NIK_RE.match(digits):
        message = _("NIK harus 16 angka.")
        raise InvalidInput(message, field_errors={field: [message]})
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12) or digits[:6] == "000000":
        message = _("NIK tidak valid: periksa kembali angka-angkanya.")
        raise InvalidInput(message, field_errors={field: [message]})
    return digits


def nik_mask(nik: str) -> str:
    """The NIK as most people may see it: only the last four digits."""
    if not nik:
        return ""
    return "•" * (len(nik) - 4) + nik[-4:]


def nik_visible_to(scope: OfficerScope, application: Application) -> bool:
    """Whether an officer may read the full NIK: those who handle the application (see
    `documents_manage_allowed`; superusers too); leaders, couriers, liaisons and everyone
    else see it masked."""
    return documents_manage_allowed(
        scope,
        kecamatan_id=application.kecamatan_id,
        handling_unit_id=application.handling_unit_id,
        kelurahan_id=application.kelurahan_id,
    )


def text_required(value: str, *, field: str, message: str, max_length: int = 1000) -> str:
    """A required free text (reason, what to fix), stripped; InvalidInput when empty."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field_errors={field: [message]})
    if len(text) > max_length:
        too_long = _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": max_length}
        raise InvalidInput(too_long, field_errors={field: [too_long]})
    return text
