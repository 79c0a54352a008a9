"""Models of the documents app; see each module."""

from telepati.documents.models.application import (
    Application,
    ApplicationEvent,
    AttemptOutcome,
    Channel,
    DeliveryAttempt,
    EventKind,
    HandoverMode,
)
from telepati.documents.models.catalogue import DocumentType
from telepati.documents.models.imports import BatchStatus, ImportBatch, ImportRow, RowResult

__all__ = [
    "Application",
    "ApplicationEvent",
    "AttemptOutcome",
    "BatchStatus",
    "Channel",
    "DeliveryAttempt",
    "DocumentType",
    "EventKind",
    "HandoverMode",
    "ImportBatch",
    "ImportRow",
    "RowResult",
]
