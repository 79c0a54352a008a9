"""Writes of the complaints domain, one module per stage of a report's life.

- `reference`: seeding categories
- `intake`: report_submit (every door), tracking numbers, attachments
- `desk`: verification, hold/clarify, reject, merge, assignment, notes
- `dispositions`: forwarding to units and the units' work on them
- `resolution`: resolve, dispute, close, reopen, rating
- `sla`: deadlines, breach escalation and auto-close sweeps
"""
