"""Turning bytes into text: BOMs, UTF-16 without a BOM, UTF-8, legacy code pages, and
repair of double-encoded UTF-8.

Order: a BOM decides; NUL patterns reveal UTF-16; strict UTF-8 is tried first (most
files, and short Cyrillic text that detectors misread); then Cyrillic and East Asian code
pages checked by plausibility, with charset-normalizer as the last word; and finally
UTF-8 with replacement characters, noted in the encoding name.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters that mark text decoded with the wrong one-byte code page.
_MOJIBAKE = re.compile(r"[ÃÂÐÑâ€™æ—¥ç¼å¤é¢è¯]|Ð[\x80-\xbf]|Ñ[\x80-\xbf]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def repair_double_utf8(text: str) -> str:
    """Undo UTF-8 that was read as cp1252/latin-1/cp1251 and saved again as UTF-8, but only
    when the result is clean UTF-8 with fewer suspicious characters."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1", "cp1251"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)):
            return repaired
    return text


def _plausible(text: str) -> bool:
    if _CONTROL.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and not re.search(r"[\ufffd\u0080-\u009f]", text)


_BASIC_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _cyrillic(data: bytes) -> tuple[str, str] | None:
    """cp1251 or KOI8-R, when the decoded text is plainly Russian-like: nearly all of its
    non-ASCII characters are basic Cyrillic letters (East Asian bytes decoded as cp1251
    give a scatter of rare letters and symbols instead). KOI8-R swaps letter case
    relative to cp1251, so the reading with more lower-case letters wins."""
    best: tuple[int, str, str] | None = None
    for codec in ("cp1251", "koi8-r"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        foreign = [ch for ch in text if ord(ch) > 127]
        letters = _BASIC_CYRILLIC.findall(text)
        if not foreign or len(letters) < 0.9 * len(foreign) or not _plausible(text):
            continue
        lower = sum(ch.islower() for ch in letters)
        if best is None or lower > best[0]:
            best = (lower, codec, text)
    return (best[2], best[1]) if best is not None else None


def _east_asian(data: bytes) -> tuple[str, str] | None:
    """Shift-JIS, Big5 or GB18030/GBK: the ones that decode cleanly, then the statistical
    detector chooses among them."""
    fits = []
    for codec in ("shift_jis", "big5", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and len(_CJK.findall(text)) > len(text) * 0.2:
            fits.append(codec)
    if not fits:
        return None
    codec = fits[0]
    if len(fits) > 1:
        guess = from_bytes(data, cp_isolation=fits).best()
        codec = guess.encoding if guess is not None else fits[-1]
    name = {"cp932": "shift_jis", "shift_jis_2004": "shift_jis"}.get(codec, codec)
    if name == "gb18030" and _is_gbk(data):
        name = "gbk"
    return data.decode(codec), name


def _legacy(data: bytes) -> tuple[str, str] | None:
    found = _cyrillic(data) or _east_asian(data)
    if found is not None:
        return found
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding:
        return str(guess), guess.encoding
    return None


def _is_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode file bytes; return (text, encoding name). Never raises: undecodable bytes
    become U+FFFD and the encoding reads "utf-8 (with replacements)"."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff"), codec
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        repaired = repair_double_utf8(text)
        return repaired, "utf-8" if repaired == text else "utf-8 (repaired double encoding)"
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacements)"
