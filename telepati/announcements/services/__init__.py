"""Writes of the announcements domain: subscriptions (opt-in/opt-out) in `subscriptions`,
announcements (draft, send in chunks, cancel) in `announcements` and `sending`."""
