"""WhatsApp Cloud API door: the adapter (signature, parser, Graph client) and the ingest."""
