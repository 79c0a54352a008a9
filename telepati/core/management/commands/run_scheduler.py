"""`manage.py run_scheduler`: enqueue the periodic tasks on their crontab (WIB), until stopped.

The jobs only enqueue tasks; `db_worker` (or RQ's worker) runs them. SIGINT or SIGTERM stops
the scheduler cleanly: no new ticks, an enqueue in flight finishes, the command exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from telepati.core.scheduling import build_scheduler

logger = logging.getLogger("telepati.core.scheduling")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of TELEPATI_PERIODIC_TASKS on schedule until stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scheduler = build_scheduler()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        jobs = scheduler.get_jobs()
        if not jobs:
            raise CommandError("TELEPATI_PERIODIC_TASKS is empty: nothing to schedule.")
        for job in jobs:
            logger.info("scheduler: %s", job.name)

        stopper: list[threading.Thread] = []

        def request_stop(signum: int, frame: FrameType | None) -> None:
            if stopper:
                return
            logger.info("scheduler: %s received, stopping", signal.Signals(signum).name)
            # Shut down from another thread: the handler may interrupt the scheduler's own
            # loop while it holds its locks.
            thread = threading.Thread(target=scheduler.shutdown, name="scheduler-stop")
            stopper.append(thread)
            thread.start()

        previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
        try:
            logger.info("scheduler: started with %d job(s), timezone Asia/Jakarta", len(jobs))
            scheduler.start()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for thread in stopper:
                thread.join()
        logger.info("scheduler: stopped")
