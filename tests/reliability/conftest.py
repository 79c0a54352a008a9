"""Fixtures of the reliability suite: the loopback Graph API and the bot's helpers.

The suite proves the system-wide promises (exactly once under redelivery, outages and
killed workers; no server error on any input; constant queries on every page); see
docs/reliability.md for which test proves which promise.
"""

from __future__ import annotations

from telepati.whatsapp.tests.conftest import graph_stand_in, wa_payload  # noqa: F401
from telepati.whatsapp.tests.test_bot_support import bot_setup, categories  # noqa: F401
