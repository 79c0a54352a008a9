"""API clients of the integration doors (Open311, REST API): hashed keys, per-client limits."""
