"""Log files on disk: rotation settings, quiet libraries, and secrets never written."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

import pytest

from desktop.infra.logging import RedactingFilter, register_secret, setup_logging

pytestmark = pytest.mark.integration

SECRET = "sk-logging-canary-4242"


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_file_handler_rotates_and_every_handler_redacts(
    tmp_path: Path, isolated_logging: None
) -> None:
    path = setup_logging(tmp_path / "logs", console=True)
    assert path == tmp_path / "logs" / "hearth.log"
    ours = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactingFilter) for f in h.filters)
    ]
    files = [h for h in ours if isinstance(h, logging.handlers.RotatingFileHandler)]
    streams = [h for h in ours if type(h) is logging.StreamHandler]
    assert len(files) == 1 and len(streams) == 1
    assert files[0].maxBytes == 1_000_000 and files[0].backupCount == 5
    assert Path(files[0].baseFilename) == path
    assert streams[0].stream is sys.stderr


def test_setting_up_again_replaces_the_handlers(tmp_path: Path, isolated_logging: None) -> None:
    setup_logging(tmp_path / "a")
    setup_logging(tmp_path / "b")
    files = [
        Path(h.baseFilename)
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    ]
    assert files == [tmp_path / "b" / "hearth.log"]
    logging.getLogger("hearth.test").info("only in b")
    flush()
    assert "only in b" in (tmp_path / "b" / "hearth.log").read_text()
    assert "only in b" not in (tmp_path / "a" / "hearth.log").read_text()


def test_levels_and_chatty_libraries(tmp_path: Path, isolated_logging: None) -> None:
    path = setup_logging(tmp_path, level=logging.INFO)
    log = logging.getLogger("hearth.test")
    log.debug("debug line")
    log.info("info line")
    logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1:11434/api/tags")
    logging.getLogger("httpcore.connection").debug("connect_tcp.started")
    flush()
    text = path.read_text()
    assert "INFO hearth.test: info line" in text
    assert "debug line" not in text
    assert "HTTP Request" not in text and "connect_tcp" not in text
    assert logging.getLogger("chromadb.telemetry").getEffectiveLevel() == logging.CRITICAL


def test_registered_secret_never_reaches_the_file(
    tmp_path: Path, isolated_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    register_secret(SECRET)
    path = setup_logging(tmp_path, level=logging.DEBUG)
    log = logging.getLogger("hearth.test")
    log.debug(f"in the message {SECRET}")
    log.info("in the args %s and %r", SECRET, {"key": SECRET})
    log.info("in a mapping %(key)s", {"key": SECRET})
    try:
        raise ValueError(f"failed with {SECRET}")
    except ValueError:
        log.exception("in the traceback")
    log.info("in the stack", stack_info=True, extra={"note": SECRET})
    flush()
    text = path.read_text()
    assert SECRET not in text
    assert text.count("***") >= 5
    assert "ValueError: failed with ***" in text
    assert "Traceback (most recent call last)" in text
    assert SECRET not in caplog.text


def test_redaction_applies_to_a_record_made_before_the_secret_was_known(
    tmp_path: Path, isolated_logging: None
) -> None:
    path = setup_logging(tmp_path)
    late = "sk-registered-late-9191"
    record = logging.getLogger("hearth.test").makeRecord(
        "hearth.test", logging.INFO, __file__, 1, "value %s", (late,), None
    )
    register_secret(late)
    logging.getLogger("hearth.test").handle(record)
    flush()
    assert late not in path.read_text()
    assert "value ***" in path.read_text()


def test_bearer_tokens_are_masked_without_registration(
    tmp_path: Path, isolated_logging: None
) -> None:
    path = setup_logging(tmp_path)
    logging.getLogger("hearth.test").info("headers {'Authorization': 'Bearer unregistered-tok'}")
    flush()
    text = path.read_text()
    assert "unregistered-tok" not in text and "Bearer ***" in text


def test_a_bad_format_string_is_logged_not_raised(tmp_path: Path, isolated_logging: None) -> None:
    register_secret(SECRET)
    path = setup_logging(tmp_path)
    logging.getLogger("hearth.test").info("two %s %s", SECRET)
    flush()
    text = path.read_text()
    assert "two %s %s (arguments that did not fit: ('***',))" in text
    assert SECRET not in text
