"""Writes of temu cepat (appointments at the kecamatan office).

- `common`: errors (`SlotFull`, `AlreadyBooked`), locking, access, places, timeline, notices
- `booking`: booking, cancelling, rescheduling (residents; officers on their behalf)
- `counter`: today's queue at the counter (check in, walk-in, call, serve, skip, recall)
- `reminders`: the day-before and hour-before reminders, the no-show sweep
"""
