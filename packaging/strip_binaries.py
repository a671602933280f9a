"""Strip the symbol tables and debug information from the bundle's ELF libraries (Linux).

Several wheels ship their libraries unstripped (libpython, tokenizers, cryptography,
pyclipper, PDFium...): about 30 MB of symbols nothing reads at run time. PyInstaller's own
`strip` option cannot be used: libraries rewritten by auditwheel's patchelf (the `*.libs`
folders, numpy's OpenBLAS) come out of `strip` with load segments that are no longer
page-aligned, and then fail to load. So each library is stripped into a copy, the copy's
load segments are checked, and the copy replaces the original only when they are sound.

Usage: python packaging/strip_binaries.py BUNDLE_DIR
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

_ELF_MAGIC = b"\x7fELF"
_PT_LOAD = 1
_SHT_SYMTAB = 2
_PAGE = 4096


def _header(data: bytes) -> tuple[str, int, int, int, int, int, int] | None:
    """(byte order, phoff, phentsize, phnum, shoff, shentsize, shnum) of a 64-bit ELF."""
    if data[:4] != _ELF_MAGIC or data[4] != 2:  # only ELFCLASS64 is bundled here
        return None
    order = "<" if data[5] == 1 else ">"
    phoff, shoff = struct.unpack_from(order + "QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from(order + "HHHH", data, 0x36)
    return order, phoff, phentsize, phnum, shoff, shentsize, shnum


def has_symbol_table(data: bytes) -> bool:
    """Whether the file still carries a static symbol table (it is not stripped)."""
    header = _header(data)
    if header is None:
        return False
    order, _, _, _, shoff, shentsize, shnum = header
    for index in range(shnum):
        (kind,) = struct.unpack_from(order + "I", data, shoff + index * shentsize + 4)
        if kind == _SHT_SYMTAB:
            return True
    return False


def loads_soundly(data: bytes) -> bool:
    """Whether every load segment's file offset and address agree modulo its alignment,
    which the dynamic loader demands ("ELF load command address/offset not page-aligned")."""
    header = _header(data)
    if header is None:
        return False
    order, phoff, phentsize, phnum, _, _, _ = header
    for index in range(phnum):
        kind, _, offset, vaddr, _, _, _, align = struct.unpack_from(
            order + "IIQQQQQQ", data, phoff + index * phentsize
        )
        if kind == _PT_LOAD and (vaddr - offset) % max(align, _PAGE):
            return False
    return True


def strip_bundle(bundle: Path) -> tuple[int, int, list[Path]]:
    """Strip every unstripped library under `bundle`; return (bytes before, bytes after,
    the libraries kept as they were because stripping would have broken them)."""
    before = after = 0
    kept: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="hearth-strip-") as scratch:
        copy = Path(scratch) / "lib"
        for path in sorted(bundle.rglob("*")):
            if path.is_symlink() or not path.is_file() or ".so" not in path.name:
                continue
            data = path.read_bytes()
            if not has_symbol_table(data):
                continue
            shutil.copyfile(path, copy)
            subprocess.run(["strip", str(copy)], check=True)
            stripped = copy.read_bytes()
            before += len(data)
            if loads_soundly(stripped):
                shutil.copyfile(copy, path)
                after += len(stripped)
            else:
                kept.append(path.relative_to(bundle))
                after += len(data)
    return before, after, kept


def main() -> int:
    bundle = Path(sys.argv[1])
    before, after, kept = strip_bundle(bundle)
    print(f"stripped libraries: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    for path in kept:
        print(f"left unstripped (strip would misalign its load segments): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
