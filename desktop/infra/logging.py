"""Log files with rotation, and redaction of secrets from every record.

Registered secrets (the cloud API key, added whenever it is read or stored), anything
shaped like an Ollama API key, and bearer tokens are replaced by "***" in the message, its
arguments, its traceback and its stack. A filter on every handler Hearth installs does this
on the final text, and a record factory does it once when a record is created, so handlers
added by others (crash reports, test capture) never see a secret either.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MASK = "***"
LOG_FILE = "hearth.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
# Ollama API keys are 32 hex digits, a dot, then a random tail.
_OLLAMA_KEY = re.compile(r"\b[0-9a-f]{32}\.[A-Za-z0-9_-]{16,}")
# Shorter values are too likely to be ordinary words to be replaced everywhere.
_MIN_SECRET = 4
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log every request or heartbeat at INFO/DEBUG.
_CHATTY = ("httpx", "httpcore", "chromadb", "urllib3", "asyncio", "onnxruntime")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_handlers: list[logging.Handler] = []
_factory_installed = False


def register_secret(value: str | None) -> None:
    """Redact this value from every log record from now on (short or empty values are
    ignored)."""
    if value and len(value) >= _MIN_SECRET:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace each non-empty secret in `text` with "***"."""
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def scrub(text: str) -> str:
    """Redact the registered secrets, Ollama-shaped keys and bearer tokens from `text`."""
    with _secrets_lock:
        registered = list(_secrets)
    text = redact(text, registered)
    text = _OLLAMA_KEY.sub(MASK, text)
    return _BEARER.sub(rf"\g<1>{MASK}", text)


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not turn a log call into a crash
        message = f"{record.msg} (arguments that did not fit: {record.args!r})"
    record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message, traceback and stack with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def install_record_redaction() -> None:
    """Redact every log record when it is created, whichever handler later writes it.

    Idempotent.
    """
    global _factory_installed
    if _factory_installed:
        return
    factory: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(make)
    _factory_installed = True


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Log to `log_dir/hearth.log` (1 MB per file, 5 old files kept) and optionally stderr.

    Calling it again replaces the handlers of the previous call.

    Args:
        log_dir: the folder for the log files; created if missing.
        level: the lowest level written.
        console: also write to stderr.

    Returns:
        The log file's path.
    """
    install_record_redaction()
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    while _handlers:
        old = _handlers.pop()
        root.removeHandler(old)
        old.close()
    _handlers.append(
        logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    )
    if console:
        _handlers.append(logging.StreamHandler(sys.stderr))
    for handler in _handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # With telemetry off, chromadb's telemetry client still reports failures to send.
    logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)
    return path
