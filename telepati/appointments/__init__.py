"""Temu cepat: face-to-face appointments at the office, queue numbers and the counter."""
