"""A reader process whose loader fails for real on files named for it, for the tests of
`desktop.ingest.isolation`; every other file is read by the real loaders.

- `segfault*`: reads address 0 through ctypes (the process dies of SIGSEGV);
- `forever*`: loops without end (after writing `<name>.started` beside the file);
- `hungry*`: allocates memory without end;
- `stuck*`: sleeps in native code that holds the interpreter lock, so even the reader's
  own watch of its parent cannot run (only being killed ends it); it first writes
  `<name>.started` beside the file.

Run as a script (see `COMMAND`), it makes this project importable first.
"""

from __future__ import annotations

import ctypes
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.documents import LoadedDocument
    from desktop.core.ports import PageProgress

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, str(Path(__file__).resolve())]


def _load(path: Path, max_bytes: int, ocr: bool, on_page: PageProgress) -> LoadedDocument:
    from desktop.ingest import reader_child

    if path.name.startswith("segfault"):
        ctypes.string_at(0)
    if path.name.startswith("forever"):
        path.with_name(path.name + ".started").touch()
        while True:
            pass
    if path.name.startswith("hungry"):
        hoard = []
        while True:
            hoard.append(b"x" * (8 << 20))
            time.sleep(0.005)
    if path.name.startswith("stuck"):
        path.with_name(path.name + ".started").touch()
        ctypes.PyDLL(None).sleep(600)
    return reader_child._load(path, max_bytes, ocr, on_page)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from desktop.ingest import reader_child

    sys.exit(reader_child.main(_load))
