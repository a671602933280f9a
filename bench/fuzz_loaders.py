"""The long fuzz run of every loader: mutated seed files (see
tests/integration/ingest/fuzzing.py) fed to `load_document` for a number of minutes, the
loaders taken in turn.

Every input that breaks the loader contract (a traceback other than a per-file sentence,
a hang beyond --hang-seconds, memory beyond --memory-mb) is written to
bench/out/fuzz/<loader>-<n>.<ext> with a .txt note beside it, to become a regression test.

    python -m bench.fuzz_loaders --minutes 60 [--seed 1] [--loaders pdf,docx]

A summary (inputs tried per loader, refusals, findings) goes to bench/out/fuzz-seed<seed>.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import signal
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from random import Random
from types import FrameType

from desktop.core.errors import IngestError
from tests.integration.ingest.fuzzing import ContractBroken, Seed, check, mutate, random_mutations
from tests.integration.ingest.fuzzing import seeds as all_seeds

OUT = Path(__file__).resolve().parent / "out"
_SEED = [0]  # the run's seed, in the names of the inputs it keeps


class Hang(Exception):
    """The loader ran past the per-input limit."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def _one(seed: Seed, rng: Random, folder: Path) -> tuple[Path, str]:
    """Write one mutated input; return its path and the outcome ("ok", "refused: Kind")."""
    data = mutate(
        seed, rng.random() < 0.6, rng.randrange(64), random_mutations(rng, 1 + rng.randrange(8))
    )
    path = folder / seed.name
    path.write_bytes(data)
    result = check(path)
    kind = f"refused: {type(result).__name__}" if isinstance(result, IngestError) else "ok"
    return path, kind


def _signature(note: str) -> str:
    """The kind of a finding: its last line up to the first digit (the numbers in a
    message vary from input to input)."""
    last = note.strip().splitlines()[-1] if note.strip() else ""
    return "".join(c for c in last if not c.isdigit())[:160]


def _record(loader: str, path: Path, note: str, found: Counter[str], seen: set[str]) -> None:
    """Keep the first input of each kind of finding (later ones only count)."""
    found[loader] += 1
    signature = f"{loader}: {_signature(note)}"
    if signature in seen:
        return
    seen.add(signature)
    target = OUT / "fuzz" / f"seed{_SEED[0]}-{loader}-{len(seen)}{path.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())
    target.with_suffix(".txt").write_text(note, encoding="utf-8")
    print(f"FINDING {target.name}: {note.splitlines()[-1] if note else ''}", flush=True)


def run(minutes: float, seed: int, loaders: set[str], hang_seconds: int) -> dict[str, object]:
    rng = Random(seed)
    _SEED[0] = seed
    chosen = [s for s in all_seeds() if not loaders or s.loader in loaders]
    tried: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    found: Counter[str] = Counter()
    seen: set[str] = set()
    signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    deadline = started + minutes * 60
    slice_seconds = 20.0
    with tempfile.TemporaryDirectory() as folder:
        while time.monotonic() < deadline:
            for item in chosen:  # each loader in turn, a slice of time each
                until = min(deadline, time.monotonic() + slice_seconds)
                while time.monotonic() < until:
                    signal.alarm(hang_seconds)
                    path = Path(folder) / item.name
                    try:
                        path, outcome = _one(item, rng, Path(folder))
                        outcomes[outcome] += 1
                    except Hang:
                        _record(item.loader, path, f"hang: over {hang_seconds} s", found, seen)
                    except MemoryError:
                        _record(item.loader, path, "memory limit reached", found, seen)
                    except ContractBroken:
                        _record(item.loader, path, traceback.format_exc(), found, seen)
                    finally:
                        signal.alarm(0)
                    tried[item.loader] += 1
                if time.monotonic() >= deadline:
                    break
            print(
                f"{(time.monotonic() - started) / 60:.1f} min, {sum(tried.values())} inputs,"
                f" {sum(found.values())} findings",
                flush=True,
            )
    return {
        "minutes": round((time.monotonic() - started) / 60, 1),
        "seed": seed,
        "inputs": sum(tried.values()),
        "per_loader": dict(tried),
        "outcomes": dict(outcomes),
        "findings": dict(found),
        "kinds": sorted(seen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loaders", default="", help="comma-separated, e.g. pdf,docx")
    parser.add_argument("--hang-seconds", type=int, default=30)
    parser.add_argument("--memory-mb", type=int, default=3072)
    args = parser.parse_args()
    # Damaged files make the parsers log warnings by the thousand; the findings are what count.
    logging.basicConfig(level=logging.CRITICAL)
    limit = args.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    summary = run(
        args.minutes, args.seed, set(filter(None, args.loaders.split(","))), args.hang_seconds
    )
    OUT.mkdir(exist_ok=True)
    (OUT / f"fuzz-seed{args.seed}.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
