"""An HTTP/1.1 load generator on raw asyncio streams (cheap enough to share two cores).

Requests are prepared as bytes beforehand (payload, signature, headers), so the generator
spends its time on sockets only. Each request opens its own connection and asks to close it,
as a reverse proxy in front of gunicorn does upstream.

- `open_loop`: request i starts at t0 + i / rate whatever happened to earlier ones (Meta
  does not wait for us). Latency runs from the scheduled start, so a server — or a
  generator — that falls behind shows up in the latency instead of hiding it.
- `closed_loop`: `concurrency` clients each send the next request as soon as the previous
  one is answered, for `seconds`: the most the server can take.
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 10.0


@dataclass(slots=True)
class LoadResult:
    """What one phase achieved."""

    label: str
    offered: float | None  # requests per second offered (None: closed loop)
    elapsed: float = 0.0  # first scheduled start → last answer
    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # seconds, answered 200 only
    lag_max: float = 0.0  # how late the generator started a request, at worst
    client_cpu: float = 0.0  # CPU seconds the generator used
    answered: list[int] = field(default_factory=list)  # indices of requests answered 200

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def http_request(*, host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode() + body


async def _exchange(host: str, port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n")
        await reader.read()  # the rest, until the server closes
        return int(head.split(b" ", 2)[1])
    finally:
        writer.close()


async def _timed(
    result: LoadResult, index: int, host: str, port: int, request: bytes, start: float
) -> None:
    try:
        status = await asyncio.wait_for(_exchange(host, port, request), TIMEOUT_SECONDS)
    except TimeoutError:
        result.errors["timeout"] += 1
        return
    except OSError as exc:
        result.errors[type(exc).__name__] += 1
        return
    if status == 200:
        result.ok += 1
        result.latencies.append(time.monotonic() - start)
        result.answered.append(index)
    else:
        result.errors[f"http_{status}"] += 1


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _open_loop(
    label: str, host: str, port: int, requests: Sequence[bytes], rate: float
) -> LoadResult:
    result = LoadResult(label=label, offered=rate)
    cpu = _cpu()
    tasks: list[asyncio.Task[None]] = []
    t0 = time.monotonic() + 0.05
    for index, request in enumerate(requests):
        scheduled = t0 + index / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        result.lag_max = max(result.lag_max, time.monotonic() - scheduled)
        tasks.append(
            asyncio.create_task(_timed(result, index, host, port, request, start=scheduled))
        )
    await asyncio.gather(*tasks)
    result.elapsed = time.monotonic() - t0
    result.client_cpu = _cpu() - cpu
    return result


async def _closed_loop(
    label: str, host: str, port: int, requests: Sequence[bytes], concurrency: int, seconds: float
) -> LoadResult:
    result = LoadResult(label=label, offered=None)
    cpu = _cpu()
    t0 = time.monotonic()
    stop_at = t0 + seconds
    cursor = iter(range(len(requests)))

    async def client() -> None:
        for index in cursor:
            if time.monotonic() >= stop_at:
                return
            await _timed(result, index, host, port, requests[index], start=time.monotonic())

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.elapsed = time.monotonic() - t0
    result.client_cpu = _cpu() - cpu
    return result


def open_loop(
    *, label: str, host: str, port: int, requests: Sequence[bytes], rate: float
) -> LoadResult:
    return asyncio.run(_open_loop(label, host, port, requests, rate))


def closed_loop(
    *,
    label: str,
    host: str,
    port: int,
    requests: Sequence[bytes],
    concurrency: int,
    seconds: float,
) -> LoadResult:
    return asyncio.run(_closed_loop(label, host, port, requests, concurrency, seconds))
