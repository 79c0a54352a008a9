"""Rate limits shared by every door: counting attempts per key in the shared "ratelimit" cache.

Built on django-ratelimit's counting (fixed windows with per-key jitter, counts kept in the
cache named by RATELIMIT_USE_CACHE), but usable without a request, so the WhatsApp bot and
the web pages limit with the same function:

    if rate_limited(group="web.status_check.ip", key=client_ip(request), rate="10/10m"):
        ...  # refuse, look nothing up

A key is limited once it has used up its rate in the current window. The cache is shared by
all processes (a database table by default, Redis by setting), so the limit holds across web
workers. Call it outside a transaction: a rollback would also roll back the count.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]


def rate_limited(*, group: str, key: str, rate: str, increment: bool = True) -> bool:
    """Whether `key` is over `rate` ("5/h", "10/10m", "100/d") in `group`.

    With `increment` (an attempt being made) the attempt is counted first: the first N calls
    in a window return False, the next ones True. Without it (a peek, e.g. before counting
    only failures) nothing is counted and the answer is True once N attempts are counted.
    When the cache cannot be reached the answer is True (closed) unless RATELIMIT_FAIL_OPEN.
    """
    usage = get_usage(
        None,
        group=group,
        key=lambda _group, _request: key,
        rate=rate,
        increment=increment,
    )
    if usage is None:  # RATELIMIT_ENABLE = False, or the cache failed with RATELIMIT_FAIL_OPEN
        return False
    if increment:
        return bool(usage["should_limit"])
    return bool(usage["count"] >= usage["limit"])


def client_ip(request: HttpRequest) -> str:
    """The client's address as the rate limits see it (settings.RATELIMIT_IP_META_KEY).

    Behind a reverse proxy the key names a header such as HTTP_X_FORWARDED_FOR; its last entry
    is the one our proxy added (earlier entries are whatever the client sent). IPv6 addresses
    are reduced to their /64 network, as django-ratelimit does, so one host cannot rotate
    through its own block.
    """
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    raw = str(request.META.get(meta_key) or request.META.get("REMOTE_ADDR") or "")
    candidate = raw.split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return candidate or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
