"""Quantities written for people: byte counts in decimal units."""

from __future__ import annotations


def human_bytes(n: float) -> str:
    """A byte count in decimal units: "512 B", "1.5 KB", "2.0 GB" (one decimal above bytes)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"
