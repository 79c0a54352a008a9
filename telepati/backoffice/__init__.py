"""The officers' back-office door: server-rendered pages with small HTMX fragments."""
