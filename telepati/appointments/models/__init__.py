"""Models of the appointments app: services offered, slot loads, bookings and their events."""

from telepati.appointments.models.booking import Booking, BookingEvent, Channel, SlotLoad
from telepati.appointments.models.service import OfficeService

__all__ = ["Booking", "BookingEvent", "Channel", "OfficeService", "SlotLoad"]
