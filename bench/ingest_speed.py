"""`hearth ingest` against the raw embedder on the same texts, in one run.

N SciFact abstracts (corpus order) become text files. The raw embedder is a new process
that loads the built-in embedder (building its graph, as a fresh data folder does) and
embeds exactly the chunks `hearth ingest` will make of those files (the same loader and
chunker, computed beforehand), in batches of the ingest batch size and in file order.
`hearth ingest` is a new process on a fresh data folder. Both are timed from launch to
exit (process start, imports and model load included), and their process trees' resident
memory is sampled from /proc. Rounds run raw, ingest, raw, so the ratio divides the ingest
time by the mean of the two raw runs around it.

    python -m bench.ingest_speed [--docs 300] [--rounds 1] [--profile]

`--profile` runs `hearth ingest` under py-spy (every process, 100 samples a second) and
prints where its processor time went by stage. Output: bench/out/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.beir import load
from bench.proctree import TreeSampler, load_average, mb, processor

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BATCH = 32  # the default embedding batch size (settings.embedding.batch_size)


def write_corpus(docs: int, folder: Path) -> None:
    folder.mkdir(parents=True)
    corpus = load("scifact").corpus
    for doc_id, text in list(corpus.items())[:docs]:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")


def chunk_texts(folder: Path) -> list[str]:
    """The chunk texts `hearth ingest` makes of the folder's files, in its file order."""
    from desktop.core.chunking import chunk_document
    from desktop.core.settings import RetrievalSettings
    from desktop.ingest.loaders import load_document
    from desktop.ingest.walk import expand_paths

    settings = RetrievalSettings()
    texts: list[str] = []
    for path in expand_paths([folder]):
        if not isinstance(path, Path):
            raise RuntimeError(f"unexpected error: {path}")
        doc = load_document(path)
        chunks = chunk_document(
            doc,
            doc_id="d",
            max_tokens=settings.chunk_tokens,
            overlap_tokens=settings.chunk_overlap,
        )
        texts.extend(c.text for c in chunks)
    return texts


def raw_worker(chunks_file: Path, batch: int) -> None:
    """In the raw process: load the embedder, embed the chunks, print the split."""
    from desktop.embedders.builtin import BuiltinEmbedder

    texts = json.loads(chunks_file.read_text("utf-8"))
    started = time.perf_counter()
    embedder = BuiltinEmbedder()
    embedder.load()
    loaded = time.perf_counter()
    for first in range(0, len(texts), batch):
        embedder.embed_documents(texts[first : first + batch])
    done = time.perf_counter()
    print(json.dumps({"load_s": loaded - started, "embed_s": done - loaded}))


def timed(command: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run a command to its end: wall seconds, its tree's peak RSS, its output."""
    load_before = load_average()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid).start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor_s = used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
    if proc.returncode != 0:
        raise RuntimeError(f"{command} failed ({proc.returncode}):\n{err[-3000:]}")
    return {
        "wall_s": wall,
        "processor_s": processor_s,  # user + system, the process and its children
        "peak_rss_mb": mb(sampler.peak()),
        "peak_rss_main_mb": mb(sampler.peak("main")),
        "peak_rss_reader_mb": mb(sampler.peak("reader")),
        "load_average": (load_before + load_average()) / 2,
        "rss_mb": sampler.series(),
        "stdout": out,
    }


def run_raw(chunks_file: Path, env: dict[str, str]) -> dict[str, object]:
    result = timed([sys.executable, "-m", "bench.ingest_speed", "--raw", str(chunks_file)], env)
    result.update(json.loads(str(result.pop("stdout")).strip().splitlines()[-1]))
    return result


def run_ingest(
    corpus: Path, data: Path, env: dict[str, str], profile: Path | None
) -> dict[str, object]:
    command = [sys.executable, "-m", "desktop", "--data-dir", str(data)]
    command += ["ingest", str(corpus), "--json"]
    if profile is not None:
        spy = str(Path(sys.executable).with_name("py-spy"))
        command = [
            *(spy, "record", "--subprocesses", "--rate", "100", "--format", "raw"),
            *("--output", str(profile), "--"),
            *command,
        ]
    result = timed(command, env)
    lines = str(result.pop("stdout")).splitlines()  # py-spy adds lines of its own
    summary = json.loads(next(line for line in reversed(lines) if line.startswith('{"kb"')))
    result.update(
        {
            "ingest_seconds": summary["seconds"],
            "chunks": summary["chunks"],
            "ready": summary["indexed"],
        }
    )
    return result


STAGES = (  # the first frame (from the innermost outwards) that matches names the stage
    ("embedding: onnxruntime", ("onnxruntime_inference_collection.py", "run (onnxruntime")),
    ("embedding: tokenising", ("encode_batch", "_token_ids")),
    ("embedding: other", ("embed_in_batches", "forward (desktop/embedders")),
    ("embedder load", ("_open (desktop/embedders", "build_encoder", "_session (")),
    ("store: chromadb writes", ("vectors.py",)),
    ("store: keyword index", ("lexical.py",)),
    ("store: registry", ("registry.py",)),
    ("reading: hash and state", ("_hash_file", "_file_state")),
    ("reading: reader process client", ("isolation.py", "framing.py")),
    ("chunking", ("chunking.py",)),
    ("reader process", ("reader_child.py", "loaders.py", "textual.py")),
    ("imports", ("_find_and_load", "<module>")),
)


def profile_stages(path: Path) -> dict[str, float]:
    """Processor seconds by stage from py-spy's raw output (samples at 100 a second)."""
    stages: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        stage = "other"
        for frame in reversed(frames):
            match = next((name for name, keys in STAGES if any(k in frame for k in keys)), None)
            if match is not None:
                stage = match
                break
        stages[stage] += int(count) / 100
    return dict(stages.most_common())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="run ingest under py-spy")
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw is not None:
        raw_worker(args.raw, BATCH)
        return
    env = {k: v for k, v in os.environ.items() if k != "HEARTH_DATA_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    machine = processor()
    print(f"{machine}; load average {load_average():.2f}", flush=True)
    rounds: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="hearth-ingest-speed-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        write_corpus(args.docs, corpus)
        texts = chunk_texts(corpus)
        chunks_file = work / "chunks.json"
        chunks_file.write_text(json.dumps(texts), encoding="utf-8")
        print(f"{args.docs} abstracts -> {len(texts)} chunks", flush=True)
        before = run_raw(chunks_file, env)
        for index in range(args.rounds):
            profile = OUT / f"ingest_profile_{index}.txt" if args.profile else None
            if profile is not None:
                OUT.mkdir(exist_ok=True)
            ingest = run_ingest(corpus, work / f"data{index}", env, profile)
            after = run_raw(chunks_file, env)
            raw_wall = (float(before["wall_s"]) + float(after["wall_s"])) / 2
            row = {
                "raw_before": before,
                "ingest": ingest,
                "raw_after": after,
                "ratio": raw_wall / float(ingest["wall_s"]),
            }
            if ingest["chunks"] != len(texts):
                raise RuntimeError(f"ingest made {ingest['chunks']} chunks, not {len(texts)}")
            rounds.append(row)
            print(
                f"round {index + 1}: raw {before['wall_s']:.1f}/{after['wall_s']:.1f} s "
                f"({before['processor_s']:.0f}/{after['processor_s']:.0f} s processor) "
                f"(load {before['load_s']:.1f} s, embed {before['embed_s']:.1f} s; "
                f"peak RSS {before['peak_rss_mb']:.0f} MB), "
                f"ingest {ingest['wall_s']:.1f} s ({ingest['processor_s']:.0f} s processor; "
                f"run {ingest['ingest_seconds']:.1f} s; "
                f"peak RSS {ingest['peak_rss_mb']:.0f} MB: main "
                f"{ingest['peak_rss_main_mb']:.0f}, reader {ingest['peak_rss_reader_mb']:.0f}); "
                f"ingest at {row['ratio']:.0%} of the raw embedder; load average "
                f"{ingest['load_average']:.2f}",
                flush=True,
            )
            if profile is not None:
                stages = profile_stages(profile)
                row["profile_s"] = stages
                for stage, seconds in stages.items():
                    print(f"    {stage:<32} {seconds:7.2f} s")
            before = after
    OUT.mkdir(exist_ok=True)
    result = {"processor": machine, "docs": args.docs, "chunks": len(texts), "rounds": rounds}
    (OUT / "ingest_speed.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
