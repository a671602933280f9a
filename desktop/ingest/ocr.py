"""Reading the text in pictures of pages (OCR), offline.

Two engines, chosen by measurement on generated scans (`bench/ocr_eval.py`, figures in
docs/benchmarks.md): RapidOCR (PP-OCRv6, models inside its wheel) reads Chinese best and
fastest but has no Cyrillic; Tesseract from the distribution reads English and Russian
best. So a page goes to RapidOCR first: a blank page stops there, a Chinese page keeps its
reading, and any other page is read again by Tesseract with Russian and English. Either
engine alone still works when the other is not installed.

Blocking and slow (seconds a page): run it in an executor.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.text import HAN_CHAR
from desktop.ingest.layout import Line, reading_order

log = logging.getLogger(__name__)

# A page whose recognised text is at least this share Han characters is Chinese.
_CHINESE_SHARE = 0.3
# A page whose lines were read with less mean confidence than this is marked as read with
# low confidence. Measured (`bench/ocr_confidence.py`): pages read well scored 0.93 and
# more with both engines; every page below 0.8 had a character error rate over 10 %.
LOW_CONFIDENCE = 0.8
_TESSERACT_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What was read on one page: its text in reading order, the lines with their
    positions, the mean confidence (0..1) and the engine that read it."""

    text: str
    lines: tuple[Line, ...]
    confidence: float
    engine: str

    @property
    def uncertain(self) -> bool:
        return bool(self.lines) and self.confidence < LOW_CONFIDENCE


def _page(lines: Sequence[Line], text: str, engine: str) -> OcrPage:
    weight = sum(len(line.text) for line in lines)
    confidence = sum(line.confidence * len(line.text) for line in lines) / weight if weight else 0.0
    return OcrPage(text, tuple(lines), confidence, engine)


# ---- the engines -------------------------------------------------------------------------


class RapidOcrEngine:
    name = "RapidOCR"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(params={"Global.log_level": "error"})
        self._lock = threading.Lock()

    def read(self, image: Any) -> OcrPage:
        import numpy as np

        with self._lock:  # one inference at a time: the model uses every core anyway
            result: Any = self._engine(np.asarray(image.convert("RGB")))
        if result.boxes is None or result.txts is None:
            return _page([], "", self.name)
        lines = []
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs, ys = box[:, 0], box[:, 1]
            box_ = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            lines.append(Line(str(text), box_, float(score)))
        return _page(lines, reading_order(lines, image.size[0]), self.name)


class TesseractEngine:
    name = "Tesseract"

    def __init__(self, binary: str, languages: str) -> None:
        self._binary = binary
        self._languages = languages

    def read(self, image: Any) -> OcrPage:
        with tempfile.TemporaryDirectory(prefix="hearth-ocr-") as folder:
            path = Path(folder) / "page.png"
            image.save(path)
            done = subprocess.run(
                [self._binary, str(path), "-", "-l", self._languages, "--psm", "3", "tsv"],
                capture_output=True,
                text=True,
                timeout=_TESSERACT_TIMEOUT,
                check=True,
            )
        return self._parse(done.stdout)

    def _parse(self, tsv: str) -> OcrPage:
        # Columns: level page block paragraph line word left top width height conf text.
        words: dict[tuple[int, int, int], list[tuple[list[str], str]]] = {}
        for row in tsv.splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
                continue
            words.setdefault((int(cells[2]), int(cells[3]), int(cells[4])), []).append(
                (cells[6:11], cells[11])
            )
        lines, text, previous = [], [], None
        for key, items in words.items():
            left = min(float(c[0]) for c, _ in items)
            top = min(float(c[1]) for c, _ in items)
            right = max(float(c[0]) + float(c[2]) for c, _ in items)
            bottom = max(float(c[1]) + float(c[3]) for c, _ in items)
            confidence = sum(max(0.0, float(c[4])) for c, _ in items) / len(items) / 100
            line = Line(" ".join(word for _, word in items), (left, top, right, bottom), confidence)
            if previous is not None and previous[:2] != key[:2]:
                text.append("")  # a new paragraph or block
            text.append(line.text)
            lines.append(line)
            previous = key
        return _page(lines, "\n".join(text), self.name)


@functools.cache
def _tesseract_languages(binary: str) -> frozenset[str]:
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:])


class Reader:
    """Reads pages with the engines this machine has; `available` says whether any."""

    def __init__(self) -> None:
        self._rapid: RapidOcrEngine | None = None
        self._rapid_tried = False
        self._lock = threading.Lock()
        binary = shutil.which("tesseract")
        languages = _tesseract_languages(binary) if binary else frozenset()
        wanted = [lang for lang in ("rus", "eng") if lang in languages]
        self._tesseract = TesseractEngine(binary, "+".join(wanted)) if binary and wanted else None

    def _rapidocr(self) -> RapidOcrEngine | None:
        with self._lock:
            if not self._rapid_tried:
                self._rapid_tried = True
                try:
                    self._rapid = RapidOcrEngine()
                except ImportError:
                    log.info("RapidOCR is not installed; OCR uses Tesseract alone")
                except Exception:  # its models missing or broken: the other engine reads
                    log.exception("RapidOCR could not start; OCR uses Tesseract alone")
        return self._rapid

    @property
    def available(self) -> bool:
        return self._tesseract is not None or self._rapidocr() is not None

    def read(self, image: Any) -> OcrPage:
        """The text on one page image (a PIL image, already upright)."""
        rapid = self._rapidocr()
        first = rapid.read(image) if rapid is not None else None
        if first is not None and (not first.lines or _is_chinese(first.text)):
            return first
        if self._tesseract is None:
            return first if first is not None else _page([], "", "none")
        try:
            return self._tesseract.read(image)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("Tesseract failed on a page (%s)", type(exc).__name__)
            if first is not None:
                return first
            raise


def _is_chinese(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and len(HAN_CHAR.findall(text)) >= _CHINESE_SHARE * len(letters)


@functools.cache
def reader() -> Reader:
    """The process's one OCR reader (the engines load once)."""
    return Reader()
