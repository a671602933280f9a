"""Fuzzing the loaders: a seed file per format (built like the loader tests build theirs),
mutations of those seeds, and the loader contract every input must keep.

The contract: `load_document` either returns a document or raises an `IngestError` whose
sentence names the file. Any other exception is a finding. The same mutations drive the
bounded Hypothesis run in the test suite and the long run in `bench/fuzz_loaders.py`.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx

from desktop.core.documents import LoadedDocument
from desktop.core.errors import IngestError
from desktop.ingest.loaders import load_document
from tests.integration.ingest import samples

# Text in every encoding the decoder recognises, each seeded with text it must read.
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1251",
    "koi8-r",
    "cp1252",
    "shift_jis",
    "gb18030",
    "big5",
)
_PROSE = {
    "utf-8": "Revenue grew. Выручка выросла. 收入增长了。\n\nSecond paragraph.\n",
    "cp1251": "Отчёт за квартал: выручка выросла, расходы упали.\n",
    "koi8-r": "Отчёт за квартал: выручка выросла, расходы упали.\n",
    "cp1252": "Café crème, naïve façade, résumé.\n",
    "shift_jis": "今日は良い天気です。カタカナとひらがな。\n",
    "gb18030": "收入增长了百分之十，成本下降了。\n",
    "big5": "收入增長了百分之十，成本下降了。\n",
}


@dataclass(frozen=True, slots=True)
class Seed:
    """One valid file: its format (the loader it exercises), its name and its bytes."""

    loader: str
    name: str
    data: bytes


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Plan"
    document.add_heading("Plan", level=1)
    document.add_paragraph("We ship in May. Выпуск в мае. 五月发布。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Cost"
    table.cell(1, 0).text, table.cell(1, 1).text = "Disk", "40"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png_bytes() -> bytes:
    """A small picture of a word, as OCR would get it from a phone or a scanner."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (160, 48), 255)
    ImageDraw.Draw(image).text((8, 16), "Revenue 2024", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _package(build: object, *args: object) -> bytes:
    """Bytes of a package the `samples` helpers write to a path."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed"
        build(path, *args)  # type: ignore[operator]
        return path.read_bytes()


def _text_seeds() -> list[Seed]:
    seeds = [
        Seed(
            "html",
            "page.html",
            b"<html><head><title>T</title><script>x()</script></head><body><h1>Intro</h1>"
            b"<p>Hello &amp; welcome</p><table><tr><td>a</td><td>b</td></tr></table>"
            b"<pre>code()</pre><h2>More</h2><ul><li>one</li></ul></body></html>",
        ),
        Seed("csv", "table.csv", b'name,city,amount\nAnna,Paris,10\n"B, b",Moscow,20\n'),
        Seed("tsv", "table.tsv", b"name\tcity\nAnna\tParis\nBoris\tMoscow\n"),
        Seed("json", "data.json", b'{"name": "Anna", "items": [1, 2.5, null, true], "n": {}}'),
        Seed("jsonl", "data.jsonl", b'{"a": 1}\n{"b": [2, 3]}\n"text"\n'),
        Seed("markdown", "notes.md", b"# Title\n\nText.\n\n```py\ncode\n```\n\nSub\n---\n"),
        Seed("rst", "notes.rst", b"Title\n=====\n\nText.\n\nSub\n---\n\nMore.\n"),
        Seed("code", "tool.py", b"def main() -> None:\n    print('hi')\n"),
    ]
    for codec in ENCODINGS:
        prose = _PROSE.get(codec.split("-")[0] if codec.startswith("utf") else codec)
        text = prose or _PROSE["utf-8"]
        seeds.append(Seed(f"text-{codec}", f"text-{codec}.txt", text.encode(codec) * 3))
    return seeds


@cache
def seeds() -> tuple[Seed, ...]:
    """Valid files of every format Hearth reads."""
    return (
        Seed("pdf", "report.pdf", samples.pdf_bytes(["Revenue grew.", "Выручка выросла.", "收入"])),
        Seed("docx", "plan.docx", _docx_bytes()),
        Seed("odt", "notes.odt", _package(samples.odt, _ODT_BODY)),
        Seed("pptx", "deck.pptx", _package(samples.pptx, {1: ["One"], 2: ["Two", "Два"]}, [2, 1])),
        Seed("epub", "book.epub", _package(samples.epub, "Book", ["<h1>C1</h1><p>Text</p>"] * 2)),
        Seed("image", "scan.png", _png_bytes()),
        *_text_seeds(),
    )


_ODT_BODY = (
    '<text:h text:outline-level="1">Intro</text:h><text:p>Hello<text:s text:c="2"/>ODT</text:p>'
    "<table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>"
    "</table:table-row></table:table>"
)


# ---- mutations ------------------------------------------------------------------------------

# Byte strings that mean something to one of the parsers: worth inserting.
TOKENS = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\r\n",
    b"\n" * 64,
    b'"',
    b",",
    b"\t",
    b"{",
    b"[" * 64,
    b"<",
    b"</",
    b">",
    b"&#x10FFFF;",
    b"&amp;",
    b"<!ENTITY a 'aaaa'>",
    b"<!DOCTYPE x [",
    b"]]>",
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"/Length 999999999",
    b"/Filter /FlateDecode",
    b"/Type /ObjStm",
    b"R",
    b"0 0 R",
    b"<<",
    b">>",
    b"trailer",
    b"xref",
    b"%%EOF",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"\xe2\x80\xae",
    b"-1",
    b"99999999999999999999",
    b"# ",
    b"===",
    b"```",
)

# (operation, position, length, token index or byte value)
Mutation = tuple[int, int, int, int]
OPERATIONS = 7


def _mutate_bytes(data: bytes, mutation: Mutation) -> bytes:
    op, position, length, value = mutation
    size = len(data)
    at = position % (size + 1)
    length = 1 + length % 64
    token = TOKENS[value % len(TOKENS)]
    if op == 0:  # flip bits of one byte
        if not size:
            return bytes([value % 256])
        at %= size
        return data[:at] + bytes([data[at] ^ (1 + value % 255)]) + data[at + 1 :]
    if op == 1:  # delete a run
        return data[:at] + data[at + length :]
    if op == 2:  # insert a token
        return data[:at] + token + data[at:]
    if op == 3:  # overwrite with a token
        return data[:at] + token + data[at + len(token) :]
    if op == 4:  # duplicate a run, many times
        return data[:at] + data[at : at + length] * (1 + value % 200) + data[at:]
    if op == 5:  # truncate
        return data[:at]
    # a random byte run
    rng = random.Random(value)
    return data[:at] + rng.randbytes(length) + data[at:]


def _rezip(data: bytes, member: int, mutations: list[Mutation]) -> bytes | None:
    """Mutate one member of a zip package and pack it again (the parsers inside a package
    see damaged XML rather than a damaged zip). None when `data` is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            entries = [(info, source.read(info)) for info in source.infolist()]
    except Exception:
        return None
    if not entries:
        return None
    chosen = member % len(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for index, (info, content) in enumerate(entries):
            if index == chosen:
                for mutation in mutations:
                    content = _mutate_bytes(content, mutation)
            target.writestr(info.filename, content)
    return out.getvalue()


def mutate(seed: Seed, inside: bool, member: int, mutations: list[Mutation]) -> bytes:
    """The seed's bytes with the mutations applied: to one zip member when `inside` (and
    the seed is a package), else to the raw bytes."""
    if inside and seed.data.startswith(b"PK"):
        packed = _rezip(seed.data, member, mutations)
        if packed is not None:
            return packed
    data = seed.data
    for mutation in mutations:
        data = _mutate_bytes(data, mutation)
    return data


def random_mutations(rng: random.Random, count: int) -> list[Mutation]:
    return [
        (rng.randrange(OPERATIONS), rng.randrange(1 << 24), rng.randrange(64), rng.randrange(1024))
        for _ in range(count)
    ]


# ---- the contract ---------------------------------------------------------------------------


class ContractBroken(AssertionError):
    """A loader answered an input with something other than a document or a sentence."""


def check(path: Path) -> LoadedDocument | IngestError:
    """Load one file; return the document or the refusal, raise ContractBroken otherwise."""
    try:
        with warnings.catch_warnings():
            # The app shows warnings from libraries as log lines, never as errors.
            warnings.simplefilter("ignore")
            return load_document(path)
    except IngestError as exc:
        if path.name not in exc.message:
            raise ContractBroken(f"unclear refusal for {path.name}: {exc.message!r}") from exc
        return exc
    except Exception as exc:
        raise ContractBroken(f"{path.name}: {type(exc).__name__}: {exc}") from exc
