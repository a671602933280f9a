"""The bundle starts its reader process as `hearth --reader-process` and the window's
indexing process as `hearth --indexer-process`: the entry point sends each word to its
process, which ends when its input ends."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.indexer.client import INDEXER_FLAG
from desktop.ingest.framing import read_frame
from desktop.ingest.isolation import READER_FLAG

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


_START = "import sys; from desktop.entry import main; sys.exit(main())"


def test_the_entry_point_runs_the_reader_for_its_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _START, READER_FLAG],
        cwd=ROOT,
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert read_frame(io.BytesIO(done.stdout)) == {"ready": True}


def test_the_entry_point_runs_the_indexer_for_its_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _START, INDEXER_FLAG],
        cwd=ROOT,
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    # The indexer, given no start message, ends quietly (the command line would have
    # refused the unknown option with a usage message).
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
