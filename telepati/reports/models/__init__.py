"""Complaints (laporan): categories, reports, their timeline, dispositions and attachments.

Lifecycle rules live in `reports.lifecycle` (pure) and every change goes through
`reports.services`; nothing here has logic in `save()`.
"""

from telepati.reports.models.category import MAX_RESOLUTION_WORKING_DAYS, Category
from telepati.reports.models.questions import LIST_DATATYPES, CategoryQuestion, QuestionDatatype
from telepati.reports.models.report import (
    Channel,
    Classification,
    EventKind,
    Priority,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.models.work import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    AttachmentKind,
    CannedResponse,
    Disposition,
    DispositionStatus,
)

__all__ = [
    "LIST_DATATYPES",
    "MAX_RESOLUTION_WORKING_DAYS",
    "OPEN_DISPOSITION_STATES",
    "Attachment",
    "AttachmentKind",
    "CannedResponse",
    "Category",
    "CategoryQuestion",
    "Channel",
    "Classification",
    "Disposition",
    "DispositionStatus",
    "EventKind",
    "Priority",
    "QuestionDatatype",
    "Report",
    "ReportEvent",
    "ReportFollower",
]
