"""When to try a provider call again, and how long to wait first.

Only calls that can be repeated without harm are retried: the idempotent reads (version,
tags, show, ps, embed) and a chat that has not produced any text yet. Waits grow
exponentially with full jitter, so many clients that failed together do not come back
together.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from desktop.core.errors import (
    Overloaded,
    ProviderError,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    ServerBusy,
    StreamInterrupted,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# A usage limit is only waited out when the server says it lifts within this many seconds;
# a session or weekly limit lasts hours, and the person should hear about it at once.
MAX_RETRY_AFTER = 30.0

_TRANSIENT = (ProviderUnreachable, ProviderTimeout, Overloaded, ServerBusy, StreamInterrupted)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date).

    Args:
        value: the header's value, or None when it was absent.
        now: the current time, for HTTP dates (defaults to the clock).

    Returns:
        The wait in seconds (never negative), or None when absent or unreadable.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_retryable(exc: ProviderError) -> bool:
    """Whether a failed idempotent call (or a chat with no text yet) may be tried again.

    Unreachable, timed out, overloaded, busy and dropped connections are; a usage limit
    only when the server asked for a short wait; refusals (400, 401, 403, 404) and server
    failures never are.
    """
    if isinstance(exc, RateLimited):
        return exc.retry_after is not None and exc.retry_after <= MAX_RETRY_AFTER
    return isinstance(exc, _TRANSIENT)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to retry and how long to wait.

    Attributes:
        retries: retries after the first attempt (0 disables retrying).
        backoff_base: the ceiling of the first wait, in seconds; it doubles each attempt.
        backoff_cap: the largest ceiling, in seconds.
    """

    retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 10.0

    def delay(self, attempt: int, exc: ProviderError) -> float:
        """The wait before retry number `attempt` (1-based): full jitter, or the server's
        Retry-After when it asked for longer."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        wait = random.uniform(0.0, ceiling)  # noqa: S311 - jitter, not security
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            wait = max(wait, exc.retry_after)
        return wait

    def should_retry(self, attempt: int, exc: ProviderError) -> bool:
        """Whether to make retry number `attempt` (1-based) after `exc`."""
        return attempt <= self.retries and is_retryable(exc)

    async def pause(self, attempt: int, exc: ProviderError) -> None:
        """Sleep before retry number `attempt`, logging why."""
        wait = self.delay(attempt, exc)
        log.info("retry %d of %d after %s, in %.2f s", attempt, self.retries, exc.kind, wait)
        await asyncio.sleep(wait)

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Await `call()`, retrying it on transient provider errors.

        Raises:
            ProviderError: the last error, once it is not retryable or retries ran out.
        """
        attempt = 0
        while True:
            try:
                return await call()
            except ProviderError as exc:
                attempt += 1
                if not self.should_retry(attempt, exc):
                    raise
                await self.pause(attempt, exc)
