"""Log files with rotation, and redaction of secrets from every record.

Every log record is redacted when it is created: registered secrets (the cloud API key,
added whenever it is read or stored) and anything shaped like a bearer token are removed
from the message, its arguments and its traceback, whichever handler writes it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
MASK = "***"
_MIN_SECRET = 4


def register_secret(value: str | None) -> None:
    """Redact this value from every log record from now on."""
    if value and len(value) >= _MIN_SECRET:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """Replace each secret (the registered ones when none are given) and bearer tokens."""
    if secrets is None:
        with _secrets_lock:
            secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return _BEARER.sub(rf"\g<1>{MASK}", text)


def _redact_record(record: logging.LogRecord) -> None:
    """Format the message (and traceback) once, redacted, before any handler sees it."""
    message = record.getMessage()
    clean = redact(message)
    if clean != message or record.args:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_record_redaction() -> None:
    """Redact every log record at creation, so every handler (files, stderr, crash
    reports, test capture) sees only redacted text. Idempotent."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_hearth", False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _redact_record(record)
        return record

    make._hearth = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_QUIET = ("httpx", "httpcore", "chromadb", "urllib3", "asyncio", "onnxruntime")


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Log to `log_dir/hearth.log` (1 MB, 5 files kept) and optionally to stderr.

    Returns:
        The log file's path.
    """
    install_record_redaction()
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "hearth.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hearth", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    ]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(_RedactingFormatter(_FORMAT))
        handler._hearth = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # chromadb's telemetry logger complains loudly when telemetry is off; it is off.
    logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)
    return path
