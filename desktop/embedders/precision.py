"""Where and how the built-in embedder runs on this machine: which onnxruntime providers
(a GPU when onnxruntime offers one) and which weights (int8 or float32).

int8 pays where the processor multiplies 8-bit integers fast: x86 with AVX2 (onnxruntime's
u8s8 kernels) or VNNI, and ARM with its dot-product instructions. Elsewhere, and on a GPU,
the float32 graph is used. When the processor's features cannot be read (no
/proc/cpuinfo), int8 stays, as before this choice existed. docs/benchmarks.md has the
figures, labelled with the processor they came from.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from desktop.embedders.encoder_graph import FLOAT32, INT8

CPUINFO = Path("/proc/cpuinfo")
# Processor features (Linux's names) that give onnxruntime fast 8-bit matrix products.
INTEGER_FEATURES = frozenset({"avx2", "avx512_vnni", "avx_vnni", "asimddp", "i8mm"})
# GPU providers in onnxruntime's own order of preference; the CPU is always last.
GPU_PROVIDERS = ("CUDAExecutionProvider", "DmlExecutionProvider", "CoreMLExecutionProvider")
CPU_PROVIDER = "CPUExecutionProvider"


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The processor's feature flags as Linux lists them (empty when unknown)."""
    try:
        text = CPUINFO.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def providers(available: Sequence[str]) -> list[str]:
    """The providers to ask for, best first, among those onnxruntime has (`available`)."""
    return [p for p in GPU_PROVIDERS if p in available] + [CPU_PROVIDER]


def preferred_precision(available: Sequence[str], flags: frozenset[str]) -> str:
    """float32 on a GPU or on a processor known to lack fast 8-bit products, else int8
    (also when the processor's features are unknown: `flags` empty)."""
    if providers(available)[0] != CPU_PROVIDER:
        return FLOAT32
    return INT8 if not flags or INTEGER_FEATURES & flags else FLOAT32


def this_machine() -> tuple[str, list[str]]:
    """The precision and the providers for this machine (imports onnxruntime)."""
    import onnxruntime as ort

    available = ort.get_available_providers()
    return preferred_precision(available, cpu_flags()), providers(available)
