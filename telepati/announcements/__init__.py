"""Announcements to opted-in residents: topics, subscriptions (opt-in/opt-out), approved
WhatsApp templates, and announcements sent through the messaging outbox."""
