"""The reader process: reads the files Hearth asks for, one at a time, and sends back their
text (see `desktop.ingest.isolation`, which starts and watches it).

Parsing libraries run here, away from the store and the window: when one crashes (a
segfault in native code), hangs or eats memory, only this process is lost, and the file it
was reading fails with the reason. Requests come on stdin and answers go out on the
original stdout as frames (`desktop.ingest.framing`); anything a library prints goes to
stderr instead, so it can never corrupt an answer.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop.core.documents import LoadedDocument
from desktop.core.errors import IngestError
from desktop.core.ports import PageProgress
from desktop.ingest.framing import document_messages, read_frame, write_frame
from desktop.ingest.loaders import load_document

# (path, max_bytes, ocr, on_page): the document.
Load = Callable[[Path, int, bool, PageProgress], LoadedDocument]


def _load(path: Path, max_bytes: int, ocr: bool, on_page: PageProgress) -> LoadedDocument:
    return load_document(path, max_bytes=max_bytes, ocr=ocr, on_page=on_page)


def _answer(
    load: Load, request: dict[str, Any], send: Callable[[dict[str, Any]], None]
) -> Iterator[dict[str, Any]]:
    """The messages that answer one request; the last one is `document`, `error` or
    `failure`. Each page OCR is about to read is told at once through `send`."""

    def on_page(page: int, pages: int) -> None:
        send({"page": [page, pages]})

    try:
        doc = load(Path(request["path"]), int(request["max_bytes"]), bool(request["ocr"]), on_page)
    except IngestError as exc:
        error = {"kind": exc.kind, "message": exc.message, "hint": exc.hint, "path": exc.path}
        yield {"error": error}
        return
    except Exception:  # a library's own bug: the details go back to be logged
        yield {"failure": traceback.format_exc()}
        return
    yield from document_messages(doc)


def _exit_with_parent(parent: int) -> None:
    """End this process when the one that started it is gone, even in the middle of a file
    (a killed window must not leave a reader behind)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(load: Load = _load) -> int:
    """Serve requests until stdin ends (Hearth closed it, or it is gone)."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    _exit_with_parent(os.getppid())
    write_frame(answers, {"ready": True})

    def send(message: dict[str, Any]) -> None:
        write_frame(answers, message)

    while (request := read_frame(requests)) is not None:
        for message in _answer(load, request, send):
            send(message)
    answers.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
