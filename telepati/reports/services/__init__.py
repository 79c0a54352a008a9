"""Writes of the complaints domain, one module per stage of a report's life.

- `common`: the recipe every change follows (lock, version, access, transition, event, notice)
- `reference`: seeding categories
- `intake`: report_submit (every door), tracking numbers; `media`: cleaned uploads
- `desk`: verification, hold/clarify, reject; `merge`: duplicates; `notes`: assignment, notes
- `dispositions`: forwarding to units; `unit_work`: the units' work on what they received
- `resolution`: resolve, close, reopen; `feedback`: the resident's dispute and rating
- `sla`: breach escalation and auto-close sweeps (run periodically by the scheduler)
"""
