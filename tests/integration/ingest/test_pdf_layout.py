"""PDFs with real text layers drawn by Qt: columns, tables over a page break, running
headers and page numbers, Chinese and Russian text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.pdf_samples import plain, table, two_columns
from desktop.core.chunking import chunk_document
from desktop.ingest.loaders import load_document
from tests.integration.conftest import run_hearth

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("qapp")]

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")
# Every word numbered, so that no two lines are alike (alike lines at the top of pages
# would rightly be taken for a running header).
PARAGRAPHS = [
    " ".join(f"{WORDS[(i + j) % 9]}{i * 60 + j}" for j in range(60)) + "." for i in range(12)
]
ROWS = [["Product", "Region", "Revenue"]] + [
    [f"Item {i}", ["North", "South", "East"][i % 3], f"{1000 + i * 37} USD"] for i in range(45)
]


def test_two_columns_are_read_column_by_column_without_running_lines(tmp_path: Path) -> None:
    sample = two_columns(tmp_path / "cols.pdf", "en", PARAGRAPHS, "Quarterly review")
    assert len(sample.pages) >= 2
    document = load_document(sample.path)
    pages = [s.text for s in document.segments]
    assert pages == sample.pages  # left column, then right; no header, no page number
    assert all("Quarterly review" not in text for text in pages)


def test_a_table_over_a_page_break_keeps_its_rows_and_header(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    (tmp_path / "docs").mkdir()
    sample = table(tmp_path / "docs" / "sales.pdf", "en", ROWS, "Sales 2025", "Revenue by item.")
    assert len(sample.pages) == 2
    on_second_page = sample.pages[1].splitlines()[3]  # "Item N | Region | N USD"
    document = load_document(sample.path)
    tables = [s for s in document.segments if s.kind == "table"]
    assert [s.page for s in tables] == [1, 2]
    assert all(s.heading_path == ("Product | Region | Revenue",) for s in tables)
    rows = [row for s in tables for row in s.text.splitlines()]
    assert rows == [" | ".join(row) for row in ROWS]
    chunks = [c for c in chunk_document(document, doc_id="d") if on_second_page in c.text]
    assert chunks and all(c.heading_path == ("Product | Region | Revenue",) for c in chunks)

    assert run_hearth(["ingest", str(sample.path.parent)], cli_env).returncode == 0
    item = on_second_page.split(" | ")[0]
    question = f"How much revenue did {item} make?"
    hits = json.loads(run_hearth(["search", question, "--json"], cli_env).stdout)
    assert on_second_page in hits[0]["text"].splitlines()
    assert hits[0]["heading"] == ["Product | Region | Revenue"]
    assert hits[0]["page"] == 2


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("zh", "叶绿体有自己的脱氧核糖核酸，人们对多个物种进行了测序。" * 8, "自己的脱氧核糖核酸"),
        ("ru", "Договор аренды склада подписан в марте прошлого года. " * 8, "аренды склада"),
    ],
)
def test_chinese_and_russian_text_layers_read_as_written(
    tmp_path: Path, lang: str, text: str, expected: str
) -> None:
    sample = plain(tmp_path / f"{lang}.pdf", lang, [text], "")
    document = load_document(sample.path)
    flat = "".join(document.segments[0].text.split())
    assert expected.replace(" ", "") in flat
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in flat)  # no Kangxi look-alikes
