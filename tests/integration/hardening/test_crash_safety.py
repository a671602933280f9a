"""SIGKILL at random moments during ingestion, again and again: after every restart the
store is consistent (no orphan chunks, no half documents, both indexes agree with the
registry), and the next run finishes the job."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, run_hearth, start_hearth

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]

TRIALS = 20
FILES = 40


def corpus(root: Path) -> None:
    root.mkdir()
    rng = random.Random(11)
    words = "river stone light paper garden window engine signal harbor winter".split()  # noqa: SIM905
    for n in range(FILES):
        paragraphs = [" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(12)]
        (root / f"doc{n:02d}.md").write_text(f"# Document {n}\n\n" + "\n\n".join(paragraphs))


def audit(data: Path, env: dict[str, str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.integration.hardening.store_audit", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_sigkill_during_ingestion_never_corrupts_the_store(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    docs = tmp_path / "docs"
    data = Path(cli_env["HEARTH_DATA_DIR"])
    corpus(docs)
    rng = random.Random(2026)
    killed_mid_run = 0
    for trial in range(TRIALS):
        proc = start_hearth(["ingest", str(docs)], cli_env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        proc.wait(timeout=60)
        state = audit(data, cli_env)
        assert state["consistent"], f"trial {trial}: {state['problems']}"
        if state["ready"] == FILES:
            # Everything got indexed: start over so later trials interrupt real work.
            assert run_hearth(["kb", "remove", "default", "--yes"], cli_env).returncode == 0
    assert killed_mid_run >= TRIALS // 2, "most trials must interrupt a running ingestion"
    final = run_hearth(["ingest", str(docs)], cli_env)
    assert final.returncode == 0, final.stderr
    state = audit(data, cli_env)
    assert state["consistent"] and state["ready"] == FILES
