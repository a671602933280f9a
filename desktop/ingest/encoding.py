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


def _legacy(data: bytes) -> tuple[str, str] | None:
    # Cyrillic code pages: the one whose text has the most lower-case Cyrillic letters
    # (KOI8-R swaps cases relative to cp1251, which makes this a good discriminator).
    best: tuple[int, str, str] | None = None
    for codec in ("cp1251", "koi8-r"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        cyr = _CYRILLIC.findall(text)
        lower = sum(ch.islower() for ch in cyr)
        if len(cyr) > len(text) * 0.2 and _plausible(text) and (best is None or lower > best[0]):
            best = (lower, codec, text)
    if best is not None:
        return best[2], best[1]
    for codec in ("gb18030", "big5", "shift_jis", "euc-kr"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and len(_CJK.findall(text)) > len(text) * 0.2:
            return text, "gbk" if codec == "gb18030" and _is_gbk(data) else codec
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
