"""Periodic temu cepat tasks: thin wrappers the scheduler enqueues and the worker runs.

Idempotent and safe on several workers at once (the services claim each row); see
`telepati.appointments.services.reminders`.
"""

from __future__ import annotations

from django_tasks import task

from telepati.appointments.services.reminders import (
    booking_no_show_sweep,
    booking_reminders_sweep,
)


@task()
def reminders_sweep() -> int:
    """Send the day-before and hour-before reminders that are due; returns how many."""
    return booking_reminders_sweep()


@task()
def no_show_sweep() -> int:
    """Mark bookings whose slot ended over 30 minutes ago without a visit; returns how many."""
    return booking_no_show_sweep()
