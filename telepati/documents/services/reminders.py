"""Pick-up reminders: an issued document that waits for its owner is not forgotten.

`application_issue` sets `reminder_due_at` (N working days after issuing; setting
TELEPATI_DOCUMENT_REMINDER_DAYS, default 3). The periodic sweep
(`application_reminders_sweep`, task `documents.tasks.reminders_sweep`) finds applications
still ISSUED or READY_FOR_PICKUP whose reminder is due, through the partial index on
`reminder_due_at`, and reminds each one exactly once per round: it *claims* the row with a
conditional UPDATE that advances `reminders_sent` and `reminder_due_at` only while both
still hold the values it read. Only the worker whose UPDATE changed the row writes the
REMINDER event and the notice (key "reminder:<n>"), in the same short transaction, so
several workers running the sweep at once never remind twice. After
TELEPATI_DOCUMENT_REMINDER_MAX reminders (default 3) no next one is scheduled.

Like the complaint SLA marks, the claim does not bump the application's `version`: it is the
sweep's bookkeeping, not an officer's change, and must not make an officer's form stale.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.documents import notices
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, EventKind
from telepati.documents.services import common

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
REMINDER_DAYS_DEFAULT = 3
REMINDER_MAX_DEFAULT = 3
REMINDED_STATES = (Status.ISSUED, Status.READY_FOR_PICKUP)


def reminder_days() -> int:
    """Working days between issuing (or the previous reminder) and the next reminder."""
    return int(getattr(settings, "TELEPATI_DOCUMENT_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))


def reminder_max() -> int:
    """How many reminders an uncollected document gets at most."""
    return int(getattr(settings, "TELEPATI_DOCUMENT_REMINDER_MAX", REMINDER_MAX_DEFAULT))


def application_reminders_sweep(*, now: datetime | None = None) -> int:
    """Send every reminder due by `now` (default: now), each exactly once; returns how many."""
    at = now or common.now()
    candidates = Application.objects.filter(
        status__in=REMINDED_STATES, reminder_due_at__lte=at
    ).order_by("reminder_due_at", "pk")
    sent = 0
    tried: set[int] = set()
    while True:
        batch = list(candidates.exclude(pk__in=tried).values_list("pk", flat=True)[:BATCH_SIZE])
        if not batch:
            return sent
        for pk in batch:
            tried.add(pk)
            try:
                with transaction.atomic():
                    sent += application_remind(application_id=pk, at=at)
            except Exception:
                logger.exception("Document reminders: application %s failed; the others go on", pk)


def application_remind(*, application_id: int, at: datetime) -> bool:
    """Claim one due reminder and, if this caller won the claim, send it.

    Returns False (and does nothing) when the reminder is no longer due: collected,
    reminded by another worker, or past the maximum. Call inside a transaction, so the claim,
    the event and the notice commit together.
    """
    due = Application.objects.filter(
        pk=application_id, status__in=REMINDED_STATES, reminder_due_at__lte=at
    )
    seen = due.values_list("reminders_sent", "reminder_due_at").first()
    if seen is None:
        return False
    already_sent, due_at = seen
    limit = reminder_max()
    number = already_sent + 1
    if number > limit:
        # The maximum was lowered since this reminder was scheduled: stop quietly.
        due.filter(reminders_sent=already_sent).update(reminder_due_at=None)
        return False
    next_due = common.deadline(start=at, days=reminder_days()) if number < limit else None
    claimed = due.filter(reminders_sent=already_sent, reminder_due_at=due_at).update(
        reminders_sent=number, reminder_due_at=next_due
    )
    if claimed != 1:
        return False
    application = Application.objects.select_related(
        "document_type", "applicant", "handling_unit"
    ).get(pk=application_id)
    common.event_append(
        application=application,
        kind=EventKind.REMINDER,
        at=at,
        message=_("Pengingat ke-%(n)d dikirim: dokumen belum diambil.") % {"n": number},
        data={"reminder": number},
    )
    common.applicant_notify(
        application=application,
        key=f"reminder:{number}",
        text=notices.reminder_text(application),
        template_name=notices.TEMPLATE_STATUS,
        template_params=notices.template_status_params(application),
        interactive=(
            notices.issued_buttons(application) if application.status == Status.ISSUED else None
        ),
    )
    logger.info("Document reminders: reminder %d for %s", number, application.code)
    return True
