"""Commands and menu choices that need no draft: report status, rating, dispute, handover
to an officer. (Population documents — check, catalogue, pre-application — are in
`documents` and `documents_apply`.)

A resident sees their own reports only (`report_get_for_citizen`); ratings and disputes go
through the complaints services (`report_rate`, `report_dispute`), which send their own
notices — a domain error becomes a friendly reply and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F

from telepati.core.errors import DomainError, NotFound
from telepati.reports.lifecycle import Status
from telepati.reports.models import Report
from telepati.reports.selectors import report_get_for_citizen
from telepati.reports.services.common import moment_format
from telepati.reports.services.feedback import report_dispute, report_rate
from telepati.whatsapp.bot import documents, texts
from telepati.whatsapp.bot.states import State, is_document_code
from telepati.whatsapp.bot.turn import Turn


def menu_show(turn: Turn) -> None:
    turn.go(State.IDLE, data={})
    turn.choices(
        texts.menu_body(turn.conversation.profile_name),
        button=texts.menu_button(),
        rows=texts.menu_rows(),
    )


def handover(turn: Turn, *, misunderstood: bool = False) -> None:
    """Hand the conversation to an officer; the bot is silent until one releases it."""
    turn.go(State.IDLE, data={})
    turn.conversation.handed_over_at = turn.moment
    text = texts.handover(settings.TELEPATI_OFFICE_HOURS.replace(":", ".").replace("-", "–"))
    if misunderstood:
        text = texts.handover_after_misunderstanding() + " " + text
    turn.reply(text)


def check_prompt(turn: Turn) -> None:
    turn.go(State.CHECK_NUMBER, data={})
    turn.reply(texts.check_prompt())


def check_answer(turn: Turn) -> bool:
    number = turn.message.text.strip().lstrip("#").upper()
    if turn.message.kind != "text" or not number or " " in number or len(number) > 30:
        return False
    turn.go(State.IDLE, data={})
    if is_document_code(number):
        documents.check(turn, number)
    else:
        report_status(turn, number)
    return True


def report_status(turn: Turn, number: str) -> None:
    try:
        report = report_get_for_citizen(tracking_number=number, citizen=turn.citizen)
    except NotFound:
        turn.reply(texts.report_not_found(number))
        return
    details: list[str] = []
    if report.status == Status.ON_HOLD and report.hold_reason:
        details.append(texts.status_on_hold(report.hold_reason))
    elif report.status == Status.REJECTED:
        details.append(texts.status_rejected(report.rejection_reason))
    elif report.status == Status.MERGED and report.merged_into is not None:
        details.append(texts.status_merged(report.merged_into.tracking_number))
    turn.reply(
        texts.report_status(
            number=report.tracking_number,
            category=report.category.name,
            status=report.get_status_display(),
            submitted=moment_format(report.submitted_at),
            details=details,
        ),
        reference=report.tracking_number,
    )


def rate(turn: Turn, rating: int) -> None:
    """A digit 1–5: the rating of the resident's latest resolved or closed, unrated report."""
    report = (
        Report.objects.filter(
            reporter=turn.citizen,
            status__in=[Status.RESOLVED, Status.CLOSED],
            rating__isnull=True,
        )
        .order_by(F("resolved_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if report is None:
        turn.reply(texts.nothing_to_rate())
        return
    try:
        report_rate(report_id=report.pk, citizen=turn.citizen, rating=rating)
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))


def dispute(turn: Turn, *, number: str, reason: str) -> None:
    turn.go(State.IDLE, data={})
    if not number:
        turn.reply(texts.dispute_usage())
        return
    try:
        report = report_get_for_citizen(tracking_number=number, citizen=turn.citizen)
    except NotFound:
        turn.reply(texts.report_not_found(number))
        return
    if not reason:
        turn.go(State.DISPUTE_REASON, data={"dispute": report.tracking_number})
        turn.reply(texts.dispute_reason_prompt(report.tracking_number))
        return
    try:
        report_dispute(report_id=report.pk, citizen=turn.citizen, reason=reason)
    except DomainError as exc:
        turn.reply(texts.error(str(exc)))


def dispute_reason(turn: Turn) -> bool:
    if turn.message.kind != "text" or turn.message.reply_id:
        return False
    dispute(turn, number=str(turn.data.get("dispute", "")), reason=turn.message.text.strip())
    return True
