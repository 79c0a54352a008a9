"""Announcement tasks: thin wrappers that load by id and call the sending service.

`announcement_chunk_task` is queued on commit by `announcement_send`; each run writes one
chunk and queues the next, so a cancel between two chunks stops the rest. The chunk
service is idempotent (cursor, unique recipient, outbox dedupe key): a duplicate job adds
nothing.
"""

from __future__ import annotations

import logging

from django_tasks import task

from telepati.announcements.services.sending import announcement_chunk_process

logger = logging.getLogger(__name__)


@task()
def announcement_chunk_task(*, announcement_id: int) -> bool:
    """Write one chunk of recipients; queue the next while more remain."""
    more = announcement_chunk_process(announcement_id=announcement_id)
    if more:
        announcement_chunk_task.enqueue(announcement_id=announcement_id)
    return more


@task()
def announcement_resume_sweep() -> int:
    """Queue a chunk for announcements still sending whose job was lost (periodic)."""
    from telepati.announcements.selectors import announcement_ids_stalled

    queued = 0
    for announcement_id in announcement_ids_stalled():
        try:
            announcement_chunk_task.enqueue(announcement_id=announcement_id)
        except Exception:  # the next sweep tries again
            logger.exception("Could not queue a chunk of announcement %s", announcement_id)
            break
        queued += 1
    return queued
