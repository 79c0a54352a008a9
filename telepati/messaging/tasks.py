"""Delivery tasks: thin wrappers that load by id and call the delivery service."""

from __future__ import annotations

from django_tasks import task

from telepati.messaging.delivery import message_deliver


@task()
def deliver_message(*, message_id: int) -> None:
    message_deliver(message_id=message_id)
