"""Text formats and failures, on files the tests write: Markdown, reST, HTML, CSV, JSON,
code, encodings, odd names, bad inputs and big files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from desktop.core.chunking import chunk_document, full_text
from desktop.core.errors import (
    CorruptFile,
    FileTooLarge,
    FileUnreadable,
    NoTextLayer,
    UnsupportedFile,
)
from desktop.core.text import estimate_tokens
from desktop.ingest.loaders import load_document

pytestmark = pytest.mark.integration


def test_markdown_headings_code_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "# Guide\n\nIntro.\n\n## Install\n\nRun it:\n\n```sh\npip install hearth\n# not a heading\n"
        "```\n\nDone.\n\n#### Deep\n\nDetail.\n\n### Mid\n\nMiddle.\n\nSetext\n------\n\nUnder.\n"
    )
    doc = load_document(path)
    assert doc.title == "Guide"
    assert [(s.heading_path, s.kind, s.text) for s in doc.segments] == [
        (("Guide",), "text", "Intro."),
        (("Guide", "Install"), "text", "Run it:"),
        (("Guide", "Install"), "code", "pip install hearth\n# not a heading"),
        (("Guide", "Install"), "text", "Done."),
        (("Guide", "Install", "Deep"), "text", "Detail."),
        (("Guide", "Install", "Mid"), "text", "Middle."),
        (("Guide", "Setext"), "text", "Under."),
    ]
    text = full_text(doc)
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in doc.segments)
    chunks = chunk_document(doc, doc_id="g")
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert chunks[1].text == "Run it:\n\npip install hearth\n# not a heading\n\nDone."


def test_unclosed_fence_keeps_its_code(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("Text.\n\n~~~\ncode line\n```\nstill code\n")
    assert [(s.kind, s.text) for s in load_document(path).segments] == [
        ("text", "Text."),
        ("code", "code line\n```\nstill code"),
    ]


def test_rst_sections(tmp_path: Path) -> None:
    path = tmp_path / "notes.rst"
    path.write_text(
        "=====\nTitle\n=====\n\nIntro text.\n\nPart\n----\n\nBody text.\n\nMore\n~~~~\n\nDeep.\n\n"
        "Other\n-----\n\nBack.\n"
    )
    doc = load_document(path)
    assert [(s.heading_path, s.text) for s in doc.segments] == [
        (("Title",), "Intro text."),
        (("Title", "Part"), "Body text."),
        (("Title", "Part", "More"), "Deep."),
        (("Title", "Other"), "Back."),
    ]


def test_html_visible_text_headings_code_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>The  page</title><style>p {color: red}</style>"
        "<script>var secret = 1;</script></head><body><nav><h2>Menu</h2>home</nav>"
        "<h1>Main</h1><p>First &amp; best.</p><h2>Sub</h2><p>Second.</p>"
        "<pre>x = 1\n  y = 2</pre>"
        "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>41</td></tr></table>"
        "<h1>Next</h1><p>Third.</p><footer>© me</footer></body></html>"
    )
    doc = load_document(path)
    assert doc.title == "The page"
    assert [(s.heading_path, s.kind, s.text) for s in doc.segments] == [
        (("Main",), "text", "First & best."),
        (("Main", "Sub"), "text", "Second."),
        (("Main", "Sub"), "code", "x = 1\n  y = 2"),
        (("Main", "Sub"), "text", "Name | Age\nAnn | 41"),
        (("Next",), "text", "Third."),
    ]
    assert "secret" not in full_text(doc) and "Menu" not in full_text(doc)
    unclosed = tmp_path / "unclosed.htm"
    unclosed.write_text("<html><head><title>U</title><body><p>Body text.</p>")
    assert [s.text for s in load_document(unclosed).segments] == ["Body text."]


def test_csv_rows_as_named_values(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('name;city;note\nAnna;Oslo;"likes\nsnow"\nBo;Rome\n;;\nCy;Kyiv;x;extra\n')
    assert [s.text for s in load_document(path).segments] == [
        "name: Anna; city: Oslo; note: likes\nsnow\n"
        "name: Bo; city: Rome\n"
        "name: Cy; city: Kyiv; note: x; column 4: extra"
    ]
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1\t2\n")
    assert load_document(tsv).segments[0].text == "a: 1; b: 2"
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,title\n")
    assert load_document(header_only).segments[0].text == "id | title"


def test_big_csv_is_cut_into_table_segments(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("n,square\n" + "".join(f"{n},{n * n}\n" for n in range(120)))
    doc = load_document(path)
    assert [len(s.text.splitlines()) for s in doc.segments] == [50, 50, 20]
    assert {s.kind for s in doc.segments} == {"table"}
    assert doc.segments[2].text.endswith("n: 119; square: 14161")


def test_json_and_json_lines(tmp_path: Path) -> None:
    data = tmp_path / "cfg.json"
    data.write_text('{"a": [1, 2], "b": "Привет"}')
    doc = load_document(data)
    assert doc.segments[0].text == json.dumps(
        {"a": [1, 2], "b": "Привет"}, ensure_ascii=False, indent=2
    )
    lines = tmp_path / "log.jsonl"
    lines.write_text('{"event": "start"}\n\n{"event": "stop"}\n')
    assert [s.text for s in load_document(lines).segments] == [
        '{\n  "event": "start"\n}\n\n{\n  "event": "stop"\n}',
    ]
    many = tmp_path / "many.jsonl"
    many.write_text("1\n" * 120)
    assert [s.text.count("1") for s in load_document(many).segments] == [50, 50, 20]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert load_document(deep).segments[0].text.startswith("[[[")


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    with pytest.raises(CorruptFile, match=r"broken\.json is not valid JSON") as info:
        load_document(broken)
    assert info.value.path == str(broken)
    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"ok": 1}\n{"ok": \n')
    with pytest.raises(CorruptFile, match=r"rows\.jsonl is not valid JSON Lines \(line 2"):
        load_document(lines)


def test_source_code_is_code(tmp_path: Path) -> None:
    for name in ("main.py", "Makefile", "app.ts", "query.sql", "conf.yaml"):
        path = tmp_path / name
        path.write_text("line one\n\nline two\n")
        assert [(s.kind, s.text) for s in load_document(path).segments] == [
            ("code", "line one\n\nline two")
        ]


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("Привет, мир! Как дела?", "cp1251", "cp1251"),
        ("Привет", "koi8-r", "koi8-r"),
        ("机器学习是人工智能的一个分支。", "gbk", "gbk"),
        ("機器學習是人工智慧的一個分支。", "big5", "big5"),
        ("日本語のテキストです。", "shift_jis", "shift_jis"),
        ("Hello UTF-16 ✓", "utf-16", "utf-16-le"),
        ("Hello", "utf-16-be", "utf-16-be"),
    ],
)
def test_file_encodings(tmp_path: Path, text: str, codec: str, expected: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(codec))
    doc = load_document(path)
    assert [s.text for s in doc.segments] == [text]
    assert doc.encoding == expected


def test_double_encoded_file_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.md"
    path.write_bytes("# Заголовок\n\nПривет, мир.\n".encode().decode("cp1252").encode())
    doc = load_document(path)
    assert [(s.heading_path, s.text) for s in doc.segments] == [(("Заголовок",), "Привет, мир.")]
    assert doc.encoding == "utf-8 (repaired double encoding)"


def test_broken_bytes_are_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("Всё хорошо, ".encode() + b"\xff\xfe" + " правда.".encode())
    doc = load_document(path)
    assert doc.segments[0].text == "Всё хорошо, \ufffd\ufffd правда."
    assert doc.encoding == "utf-8 (with replacements)"


def test_binary_named_txt_is_not_text(tmp_path: Path) -> None:
    for name, data in (
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("blob.md", bytes(range(256)) * 8),
        ("program.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnsupportedFile, match=re.escape(f"{name} is not a text file")):
            load_document(path)
    old = tmp_path / "report.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnsupportedFile, match="old Microsoft Office file") as info:
        load_document(old)
    assert ".docx" in info.value.hint


def test_empty_blank_large_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFile, match=r"empty\.md is an empty file, nothing to index"):
        load_document(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t\n")
    with pytest.raises(NoTextLayer, match="contains no readable text"):
        load_document(blank)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    with pytest.raises(FileTooLarge, match=r"too large \(0\.0 MB; the limit is 0\.0 MB\)"):
        load_document(big, max_bytes=1000)
    with pytest.raises(FileUnreadable, match=r"missing\.txt cannot be read"):
        load_document(tmp_path / "missing.txt")
    with pytest.raises(FileUnreadable, match="cannot be read"):
        load_document(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions do not stop reads")
        with pytest.raises(FileUnreadable, match=r"locked\.txt cannot be read"):
            load_document(path)
    finally:
        path.chmod(0o600)


def test_names_with_emoji_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "notes 😀\nsecond line.md"
    path.write_text("# Заметки 😀\n\nText with 😀 inside.\n")
    doc = load_document(path)
    assert doc.path == str(path)
    assert doc.segments[0].heading_path == ("Заметки 😀",)
    chunk = chunk_document(doc, doc_id="e")[0]
    assert (chunk.source, chunk.text) == (str(path), "Text with 😀 inside.")


def test_five_megabyte_single_lines(tmp_path: Path) -> None:
    spaced = tmp_path / "line.txt"
    spaced.write_text("word " * 1_000_000)
    unbroken = tmp_path / "base64.txt"
    unbroken.write_text("QUJD" * 1_250_000)
    for path in (spaced, unbroken):
        doc = load_document(path)
        chunks = chunk_document(doc, doc_id="l", max_tokens=350, overlap_tokens=0)
        text = full_text(doc)
        assert len(text) >= 5_000_000 - 1
        assert max(estimate_tokens(c.text) for c in chunks) <= 350
        assert max(len(c.text) for c in chunks) < 10_000
        assert sum(len(c.text) for c in chunks) >= len(text.replace("\n", "")) * 0.79
        assert all(text[c.start : c.end] == c.text for c in chunks[:50])
