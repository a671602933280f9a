"""The one byte-count formatter the window and the commands share."""

from __future__ import annotations

import pytest

from desktop.core.units import human_bytes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1_000, "1.0 KB"),
        (12_345, "12.3 KB"),
        (3_000_000, "3.0 MB"),
        (2_000_000_000, "2.0 GB"),
        (5e15, "5000.0 TB"),
        (-1_500, "-1.5 KB"),
    ],
)
def test_human_bytes(n: float, text: str) -> None:
    assert human_bytes(n) == text
