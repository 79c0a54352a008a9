"""gunicorn settings of `make serve` (production); environment variables override them.

Threaded workers (gthread): a request spends most of its time waiting — for the database,
and for the commit that makes a webhook's acknowledgement durable — so a few processes with
several threads each serve many more requests on a small server than one request per
process, and concurrent webhook deliveries then share one commit
(`telepati.whatsapp.group_commit`). Each thread keeps its own database connection
(DATABASE_CONN_MAX_AGE), so PostgreSQL sees up to WEB_CONCURRENCY × GUNICORN_THREADS
connections from the web server.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
# Connections waiting to be accepted during a surge (Meta retries what is refused, but late).
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
accesslog = "-"
