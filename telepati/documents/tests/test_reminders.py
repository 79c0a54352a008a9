"""Pick-up reminders for issued documents: due dates, the maximum, exactly once."""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from telepati.core.workdays import WIB
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application, ApplicationEvent, EventKind
from telepati.documents.services.pipeline import application_issue
from telepati.documents.services.reminders import application_reminders_sweep
from telepati.documents.tasks import reminders_sweep
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

TUESDAY_MORNING = datetime(2026, 11, 3, 9, 0, tzinfo=WIB)
FIRST_DUE = datetime(2026, 11, 6, 9, 0, tzinfo=WIB)  # Friday: three working days later
SECOND_DUE = datetime(2026, 11, 11, 9, 0, tzinfo=WIB)  # Wednesday
THIRD_DUE = datetime(2026, 11, 16, 9, 0, tzinfo=WIB)  # Monday


@pytest.fixture
def issued(application_at, desk_operator) -> Application:
    application = application_at(Status.SUBMITTED)
    with freeze_time(TUESDAY_MORNING):
        return application_issue(actor=desk_operator, application_id=application.pk)


def reminders(application: Application) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(
            dedupe_key__startswith=f"application:{application.pk}:reminder:"
        ).order_by("id")
    )


def test_nothing_is_due_before_the_reminder_date(issued):
    assert application_reminders_sweep(now=datetime(2026, 11, 6, 8, 59, tzinfo=WIB)) == 0
    assert reminders(issued) == []


def test_the_first_reminder_offers_the_choice_again_and_schedules_the_next(issued):
    assert application_reminders_sweep(now=FIRST_DUE) == 1

    issued.refresh_from_db()
    assert (issued.reminders_sent, issued.reminder_due_at) == (1, SECOND_DUE)
    assert issued.version == 4  # the sweep's bookkeeping does not make forms stale
    [message] = reminders(issued)
    assert message.dedupe_key == f"application:{issued.pk}:reminder:1"
    assert message.template_name == "dokumen_status"
    assert message.template_params == [issued.code, "Terbit"]
    assert message.text == (
        f"Pengingat: KTP elektronik (KTP-el) Anda (kode {issued.code}) sudah terbit sejak "
        "3 November 2026, 09.00 WIB dan belum diterima. Pilih: ambil di Seksi Pemerintahan "
        "atau kami antar ke rumah."
    )
    assert message.interactive == {
        "type": "buttons",
        "buttons": [
            [f"doc:pickup:{issued.code}", "Ambil di kantor"],
            [f"doc:delivery:{issued.code}", "Antar ke rumah"],
        ],
    }
    event = ApplicationEvent.objects.filter(application=issued).latest("id")
    assert (event.kind, event.data, event.is_public, event.created_at) == (
        EventKind.REMINDER,
        {"reminder": 1},
        False,
        FIRST_DUE,
    )


def test_sweeping_twice_reminds_once(issued):
    assert application_reminders_sweep(now=FIRST_DUE) == 1
    assert application_reminders_sweep(now=FIRST_DUE) == 0

    assert len(reminders(issued)) == 1
    assert ApplicationEvent.objects.filter(application=issued, kind=EventKind.REMINDER).count() == 1


def test_reminders_stop_after_the_maximum(issued):
    for moment in (FIRST_DUE, SECOND_DUE, THIRD_DUE):
        assert application_reminders_sweep(now=moment) == 1

    issued.refresh_from_db()
    assert (issued.reminders_sent, issued.reminder_due_at) == (3, None)
    assert application_reminders_sweep(now=datetime(2027, 1, 4, 9, 0, tzinfo=WIB)) == 0
    assert [m.dedupe_key.rsplit(":", 1)[1] for m in reminders(issued)] == ["1", "2", "3"]


def test_a_document_ready_for_pickup_is_reminded_to_come(issued):
    Application.objects.filter(pk=issued.pk).update(status=Status.READY_FOR_PICKUP)

    assert application_reminders_sweep(now=FIRST_DUE) == 1

    [message] = reminders(issued)
    assert message.interactive is None
    assert message.text == (
        f"Pengingat: KTP elektronik (KTP-el) Anda (kode {issued.code}) sudah siap diambil di "
        "Seksi Pemerintahan sejak 3 November 2026, 09.00 WIB. Datanglah pada jam kerja "
        "dengan membawa KTP-el atau Kartu Keluarga asli dan kode ini."
    )


@pytest.mark.parametrize(
    "status", [Status.HANDED_OVER, Status.DELIVERY_SCHEDULED, Status.OUT_FOR_DELIVERY]
)
def test_documents_on_their_way_or_collected_are_not_reminded(issued, status):
    Application.objects.filter(pk=issued.pk).update(status=status)

    assert application_reminders_sweep(now=FIRST_DUE) == 0
    assert reminders(issued) == []


def test_the_settings_set_the_interval_and_the_maximum(application_at, desk_operator, settings):
    settings.TELEPATI_DOCUMENT_REMINDER_DAYS = 1
    settings.TELEPATI_DOCUMENT_REMINDER_MAX = 1
    application = application_at(Status.SUBMITTED)
    with freeze_time(TUESDAY_MORNING):
        issued = application_issue(actor=desk_operator, application_id=application.pk)
    assert issued.reminder_due_at == datetime(2026, 11, 4, 9, 0, tzinfo=WIB)

    assert application_reminders_sweep(now=issued.reminder_due_at) == 1

    issued.refresh_from_db()
    assert (issued.reminders_sent, issued.reminder_due_at) == (1, None)


def test_a_lowered_maximum_stops_scheduled_reminders_quietly(issued, settings):
    settings.TELEPATI_DOCUMENT_REMINDER_MAX = 0

    assert application_reminders_sweep(now=FIRST_DUE) == 0

    issued.refresh_from_db()
    assert (issued.reminders_sent, issued.reminder_due_at) == (0, None)
    assert reminders(issued) == []


def test_the_task_runs_the_sweep(issued):
    with freeze_time(FIRST_DUE):
        result = reminders_sweep.call()

    assert result == 1


def test_one_failing_application_does_not_block_the_others(
    application_at, desk_operator, monkeypatch
):
    from telepati.documents.services import reminders as module

    first = application_at(Status.SUBMITTED)
    second = application_at(Status.SUBMITTED)
    with freeze_time(TUESDAY_MORNING):
        for application in (first, second):
            application_issue(actor=desk_operator, application_id=application.pk)
    real = module.notices.reminder_text

    def flaky(application: Application) -> str:
        if application.pk == first.pk:
            raise RuntimeError("boom")
        return real(application)

    monkeypatch.setattr(module.notices, "reminder_text", flaky)

    assert application_reminders_sweep(now=FIRST_DUE) == 1

    first.refresh_from_db()
    assert (first.reminders_sent, first.reminder_due_at) == (0, FIRST_DUE)  # rolled back
