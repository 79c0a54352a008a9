"""Item 3: a task worker killed with SIGKILL in the middle of a batch, then restarted.

A real `manage.py db_worker` (django-tasks-db) runs in a subprocess against this test's
database (the SQLite file, or PostgreSQL under `make test-postgres`) and delivers a batch of
outbox rows to the Graph stand-in served from this process, which answers slowly so that
the kill lands while the batch is under way. The worker is SIGKILLed, a new one drains the
queue (`--batch`), and the outbox sweep runs as the scheduler would. Then every row has
reached the stand-in exactly once, or — the one whose send was cut off — is failed as
`unknown_outcome` and was never sent again (docs: telepati/messaging/delivery.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from telepati.citizens.services import citizen_get_or_create
from telepati.core.phone import phone_normalize
from telepati.messaging.delivery import UNKNOWN_OUTCOME
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.messaging.recovery import outbox_sweep
from telepati.messaging.services import Recipient, message_enqueue
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.testing import GraphStandIn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
BATCH = 24
ANSWER_DELAY = 0.15  # seconds per send: the batch takes a few seconds
KILL_AFTER = 6  # requests received before the kill
WORKER = (
    *(sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"),
    *("--interval", "0.1", "--queue-name", "*"),
)
_PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


class SlowStandIn(GraphStandIn):
    """A Graph stand-in that takes its time and remembers what it accepted."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accepted: list[str] = []

    def _answer(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        self._stopping.wait(ANSWER_DELAY)
        return super()._answer(request)

    def _message(self, payload: Any) -> tuple[int, dict[str, str], bytes]:
        answer = super()._message(payload)
        if answer[0] == 200 and isinstance(payload, dict) and payload.get("type") == "text":
            with self._lock:
                self.accepted.append(payload["text"]["body"])
        return answer


def _database_url() -> str:
    """The URL of the database this test runs on, for the worker subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    pytest.skip(f"no worker test for {connection.vendor}")


def _worker_env(stand_in: GraphStandIn, tmp_path: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TELEPATI_ENV="test",
        TELEPATI_VAR_DIR=str(tmp_path),
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="database",
        TELEPATI_MESSAGE_TRANSPORT="whatsapp",
        WHATSAPP_GRAPH_URL=stand_in.base_url,
        WHATSAPP_API_VERSION=stand_in.api_version,
        WHATSAPP_PHONE_NUMBER_ID=stand_in.phone_number_id,
        WHATSAPP_ACCESS_TOKEN=stand_in.access_token,
        WHATSAPP_APP_SECRET="rahasia-aplikasi-uji",
        WHATSAPP_VERIFY_TOKEN="token-verifikasi-uji",
        WHATSAPP_TIMEOUT_SECONDS="5",
        WHATSAPP_RATE_PER_SECOND="1000",
        WHATSAPP_RECIPIENT_INTERVAL_SECONDS="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A db_worker subprocess; its output goes to `log` (shown when the test fails)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [*WORKER, *extra],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(condition, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture
def stand_in():
    with SlowStandIn() as server:
        yield server


@pytest.fixture
def database_tasks(settings):
    """This process queues into the database, as the web process does in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    stand_in, database_tasks, settings, tmp_path
):
    phones = [f"+62812350{i:05d}" for i in range(BATCH)]
    for phone in phones:
        Conversation.objects.create(
            citizen=citizen_get_or_create(phone=phone_normalize(phone)),
            wa_id=phone[1:],
            last_inbound_at=timezone.now(),
        )
    for index, phone in enumerate(phones):
        with transaction.atomic():
            message_enqueue(
                recipient=Recipient(phone=phone),
                text=f"Pemberitahuan {index:02d}",
                dedupe_key=f"reliability:kill:{index}",
            )
    assert DBTaskResult.objects.filter(status="READY").count() == BATCH
    env = _worker_env(stand_in, tmp_path)

    log = tmp_path / "worker.log"
    first = _worker(env, log)
    try:
        _wait_for(
            lambda: len(stand_in.message_requests()) >= KILL_AFTER, 20, "the first sends", log
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = len(stand_in.message_requests())
    assert first.returncode == -signal.SIGKILL
    # Killed mid-batch: some sent, most still waiting.
    assert KILL_AFTER <= killed_at < BATCH
    assert OutboundMessage.objects.filter(status=MessageStatus.QUEUED).count() > BATCH // 2

    second = _worker(env, log, "--batch")
    second.wait(timeout=60)
    assert second.returncode == 0, log.read_text(errors="replace")[-3000:]
    # The scheduler's sweep: whatever was cut off mid-send is no longer "sending". A row
    # becomes "stuck" after TELEPATI_OUTBOX_STUCK_MINUTES; here that is now.
    settings.TELEPATI_OUTBOX_STUCK_MINUTES = 0
    time.sleep(0.01)
    sweep = outbox_sweep()
    _wait_for(
        lambda: len(stand_in.accepted) >= len(stand_in.message_requests()),
        5,
        "the stand-in to answer every request",
    )

    rows = list(OutboundMessage.objects.order_by("pk"))
    accepted = Counter(stand_in.accepted)
    states = Counter((row.status, row.last_error_code) for row in rows)
    # Nothing lost: every row sent, or failed as unknown outcome (at most the one in flight).
    assert sweep.due == []
    assert set(states) <= {(MessageStatus.SENT, ""), (MessageStatus.FAILED, UNKNOWN_OUTCOME)}
    # The kill landed while the stand-in held a request (it is answered after the request
    # is recorded and ANSWER_DELAY has passed): that row's outcome is unknown to us.
    assert states[(MessageStatus.FAILED, UNKNOWN_OUTCOME)] == sweep.stuck == 1
    # Nothing twice: each body reached the stand-in at most once, every sent row exactly once.
    assert len(stand_in.message_requests()) == len(accepted)
    assert set(accepted.values()) == {1}
    for row in rows:
        if row.status == MessageStatus.SENT:
            assert accepted[row.text] == 1, row.text
        else:
            assert accepted[row.text] <= 1, row.text
    assert states[(MessageStatus.SENT, "")] == BATCH - 1
    assert DBTaskResult.objects.filter(status="READY").count() == 0
