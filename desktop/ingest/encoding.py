"""Turning bytes into text: BOMs, UTF-16 without a BOM, UTF-8, legacy code pages, and
repair of double-encoded UTF-8.

Order: a BOM decides; NUL patterns reveal UTF-16; UTF-8 is checked over the whole file
first (most files, and short Cyrillic text that detectors misread); text that is UTF-8
but for a few broken bytes stays UTF-8 with replacement characters; otherwise Cyrillic
and East Asian code pages are checked by plausibility on a sample, with
charset-normalizer as the last word.

Big files are never held as bytes and text at once: the check reads them block by block,
and `TextDecoder.blocks` hands out the text in blocks of about a megabyte.
"""

from __future__ import annotations

import bisect
import codecs
import io
import itertools
import re
import unicodedata
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from desktop.core.text import BASIC_CYRILLIC_CHAR, HAN, HANGUL, KANA, KANA_CHAR

BLOCK_CHARS = 1 << 20
_READ_BYTES = 1 << 20
_SAMPLE_BYTES = 256 * 1024
# Valid multi-byte UTF-8 characters needed per broken byte to call a file UTF-8 with a few
# broken bytes: legacy code pages rarely form valid UTF-8 pairs (GBK and Big5 text about
# one pair in ten), so they stay far below this.
_UTF8_MAJORITY = 3

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
# The one-byte code pages that UTF-8 is misread as before it is saved again as UTF-8:
# Windows (cp1252, cp1251), ISO (latin-1), old Macs (mac_roman) and DOS (cp437, cp850).
_MISREAD_AS = ("cp1252", "latin-1", "cp1251", "mac_roman", "cp437", "cp850")
# Cyrillic text in one of these code pages decoded as another and saved as UTF-8: the
# letters stay Cyrillic but become other letters ("Привет" in KOI8-R read as cp1251 is
# "рТЙЧЕФ").
_CYRILLIC_SWAPS = (
    ("koi8-r", "cp1251"),
    ("cp1251", "koi8-r"),
    ("koi8-u", "cp1251"),
    ("cp1251", "koi8-u"),
)
# The commonest Russian letter pairs (from frequency counts of a large corpus): about half
# of the pairs in Russian prose, a few in letters swapped between code pages.
_RUSSIAN_PAIR = re.compile(
    "(?=(?:ст|но|то|на|ен|ов|ни|ра|во|ко|ер|ре|ро|пр|по|ал|ли|ос|ан|не|ет|ль|та|ти|ол|ла|ка"
    "|ор|те|ом|ва|ле|да|ел|ри|ит|од|ин|ат|ой|ие|ск|ам|ть))"
)
_CYRILLIC_WORD = re.compile("[а-яё]{2,}")


def _misread_sign() -> re.Pattern[str]:
    """What UTF-8 misread as one of `_MISREAD_AS` always shows: a lead byte's character
    followed by a continuation byte's (0x80-0xBF) in the same code page. In cp1251 both
    are Cyrillic letters or common marks (Russian "всё" is such a pair), so there it
    takes two pairs in a row, as every misread word of two Cyrillic letters gives."""
    alternatives = []
    for codec in _MISREAD_AS:
        lead = bytes(range(0xC2, 0xF5)).decode(codec, errors="ignore")
        follow = bytes(range(0x80, 0xC0)).decode(codec, errors="ignore")
        if codec == "cp1252":
            follow += "\x81\x8d\x8f\x90\x9d"
        pair = f"[{re.escape(lead)}][{re.escape(follow)}]"
        alternatives.append(f"(?:{pair}){{2}}" if codec == "cp1251" else pair)
    return re.compile("|".join(alternatives))


_MISREAD_SIGN = _misread_sign()
# A lower-case Cyrillic letter followed by capitals: Cyrillic read with the other
# Cyrillic code page swaps letter case ("рТЙЧЕФ"); prose almost never does this.
_SWAP_SIGN = re.compile("[а-яё][А-ЯЁ]{2,}")
_MIN_PAIRS = 10
_JUDGE_CHARS = 4000
# Kana, the common ideographs and Hangul: what an East Asian code page decodes text to.
_CJK = re.compile(f"[{KANA}{HAN}{HANGUL}]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN1_LETTER = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_BREAKS = ("\n\n", "\n", " ")


@dataclass(frozen=True, slots=True)
class _Choice:
    codec: str
    name: str
    repair: bool = False


def utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when zero bytes sit mostly at odd or at even positions
    (text in Latin or Cyrillic script), else None."""
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


def _c1_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """Encoding error handler: C1 control characters stand for the bytes that cp1252
    leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d), as decoders that fall back to
    latin-1 for those bytes leave them."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chars = error.object[error.start : error.end]
    if not all("\x80" <= ch <= "\x9f" for ch in chars):
        raise error
    return chars.encode("latin-1"), error.end


codecs.register_error("hearth-c1-bytes", _c1_bytes)


def _suspicious(text: str, codec: str) -> int:
    """How much `text` looks like UTF-8 misread as `codec`: its symbols and punctuation
    beyond ASCII, and its characters that `codec` keeps at 0x80-0xBF (the UTF-8
    continuation bytes every misread multi-byte character leaves behind)."""
    count = 0
    for ch in text:
        if ch.isascii():
            continue
        if not unicodedata.category(ch).startswith(("L", "M")):
            count += 1
            continue
        try:
            byte = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        count += 0x80 <= byte[0] <= 0xBF
    return count


def _undo_misread(text: str) -> str:
    """`text` with UTF-8 that was read as a one-byte code page put back, when one of them
    gives clean UTF-8 that looks less misread; else `text` itself."""
    best, best_score = text, None
    for codec in _MISREAD_AS:
        try:
            errors = "hearth-c1-bytes" if codec == "cp1252" else "strict"
            repaired = text.encode(codec, errors=errors).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        before, after = _suspicious(text, codec), _suspicious(repaired, codec)
        if after < before and (best_score is None or after < best_score):
            best, best_score = repaired, after
    return best


def _russian_pairs(text: str) -> tuple[float, int]:
    """(share of common Russian letter pairs, number of pairs) in the Cyrillic words of
    the first few thousand characters (enough to judge; long lines stay cheap)."""
    words = " ".join(_CYRILLIC_WORD.findall(text[:_JUDGE_CHARS].lower()))
    pairs = len(words) - 2 * words.count(" ") - 1 if words else 0
    return len(_RUSSIAN_PAIR.findall(words)) / max(1, pairs), pairs


def _undo_cyrillic_swap(text: str) -> str:
    """Cyrillic that was decoded with the wrong Cyrillic code page put back, when the
    other reading is plainly Russian and this one plainly is not."""
    share, pairs = _russian_pairs(text)
    if pairs < _MIN_PAIRS or share >= 0.15:
        return text
    for written, read in _CYRILLIC_SWAPS:
        try:
            repaired = text.encode(read).decode(written)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if _russian_pairs(repaired)[0] >= max(0.25, share + 0.15):
            return repaired
    return text


def repair_double_utf8(text: str) -> str:
    """Undo UTF-8 that was read as a one-byte code page (cp1252, latin-1, cp1251, Mac OS
    Roman, cp437, cp850) and saved again as UTF-8, and Cyrillic read with the wrong
    Cyrillic code page (KOI8-R/U and cp1251 either way). Line by line, so that a file
    damaged in part is repaired where it is damaged and left alone elsewhere; only lines
    that show the signs are tried, so clean text costs two scans."""
    if text.isascii():
        return text
    misread = {m.start() for m in _MISREAD_SIGN.finditer(text)}
    swapped = {m.start() for m in _SWAP_SIGN.finditer(text)}
    if not misread and not swapped:
        return text
    lines = text.splitlines(keepends=True)
    starts = list(itertools.accumulate((len(line) for line in lines[:-1]), initial=0))
    to_undo = {bisect.bisect_right(starts, at) - 1 for at in misread}
    to_swap = {bisect.bisect_right(starts, at) - 1 for at in swapped}
    for i in sorted(to_undo | to_swap):
        line = _undo_misread(lines[i]) if i in to_undo else lines[i]
        lines[i] = _undo_cyrillic_swap(line)
    return "".join(lines)


def _plausible(text: str) -> bool:
    if _CONTROL.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and not re.search(r"[\ufffd\u0080-\u009f]", text)


def _russian_like(text: str) -> bool:
    """Nearly all non-ASCII characters are basic Cyrillic letters (East Asian bytes read as
    cp1251 give a scatter of rare letters and symbols instead); they are a good share of
    all letters; and they make whole words (Western text with accents read as cp1251 has
    a Cyrillic letter inside Latin words, as in "cafй")."""
    foreign = sum(ord(ch) > 127 for ch in text)
    letters = len(BASIC_CYRILLIC_CHAR.findall(text))
    if not foreign or letters < 0.9 * foreign or letters < 0.25 * sum(map(str.isalpha, text)):
        return False
    words = [w for w in _LETTER_RUN.findall(text) if BASIC_CYRILLIC_CHAR.search(w)]
    mixed = sum(1 for w in words if _LATIN.search(w))
    return mixed <= 0.2 * len(words) and _plausible(text)


def _cyrillic(data: bytes) -> str | None:
    """cp1251 or KOI8-R, when the decoded text is plainly Russian-like. KOI8-R swaps
    letter case relative to cp1251, so the reading with more lower-case letters wins."""
    best: tuple[int, str] | None = None
    for codec in ("cp1251", "koi8-r"):
        text = data.decode(codec, errors="replace")
        if not _russian_like(text):
            continue
        lower = sum(ch.islower() for ch in BASIC_CYRILLIC_CHAR.findall(text))
        if best is None or lower > best[0]:
            best = (lower, codec)
    return best[1] if best is not None else None


def _east_asian(data: bytes) -> tuple[str, str] | None:
    """Shift-JIS, Big5 or GB18030/GBK: the ones that decode cleanly, then the statistical
    detector chooses among them. Returns (codec, name)."""
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
    if codec == "shift_jis" and _kana_share(data.decode(codec)) >= 0.2:
        # Japanese is full of kana; GBK or Big5 bytes read as Shift-JIS rarely give any,
        # and the detector misjudges a few words of kana.
        return codec, codec
    if len(fits) > 1:
        guess = from_bytes(data, cp_isolation=fits).best()
        codec = guess.encoding if guess is not None else fits[-1]
    name = {"cp932": "shift_jis", "shift_jis_2004": "shift_jis"}.get(codec, codec)
    if name == "gb18030" and _decodes(data, "gbk"):
        name = "gbk"
    return codec, name


def _kana_share(text: str) -> float:
    return len(KANA_CHAR.findall(text)) / max(1, len(_CJK.findall(text)))


def _western(data: bytes) -> _Choice | None:
    """cp1252 when nearly all non-ASCII characters it gives are Latin-1 letters (é, ü,
    ñ): Western European text, which the statistical detector often takes for a Baltic
    or Central European code page. UTF-8 bytes read this way give symbols, not letters."""
    text = data.decode("cp1252", errors="replace")
    foreign = sum(ord(ch) > 127 for ch in text)
    letters = len(_LATIN1_LETTER.findall(text))
    if foreign and letters >= 0.9 * foreign and _plausible(text):
        return _Choice("cp1252", "cp1252")
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _legacy(sample: bytes) -> _Choice | None:
    """A Cyrillic, East Asian or Western code page that fits the sample plainly."""
    cyrillic = _cyrillic(sample)
    if cyrillic is not None:
        return _Choice(cyrillic, cyrillic)
    east = _east_asian(sample)
    return _Choice(*east) if east is not None else _western(sample)


def _detector_guess(sample: bytes) -> _Choice | None:
    guess = from_bytes(sample).best()
    if guess is not None and guess.encoding:
        return _Choice(guess.encoding, guess.encoding)
    return None


def _utf8_counts(blocks: Iterable[bytes]) -> tuple[int, int]:
    """(broken bytes, valid non-ASCII characters) when the blocks are read as UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    broken = valid = 0
    for block, final in _with_final(blocks):
        text = decoder.decode(block, final=final)
        # Broken bytes become lone surrogates, which UTF-32 cannot carry: "ignore" drops
        # exactly them, so the length difference counts them without a Python loop.
        escaped = len(text) - len(text.encode("utf-32-le", "ignore")) // 4
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        broken += escaped
        valid += non_ascii - escaped
    return broken, valid


def _with_final(blocks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    yield from ((block, False) for block in blocks)
    yield b"", True


def _choose(head: bytes, blocks: Iterable[bytes]) -> _Choice:
    """Pick the decoding from the first block and the whole content (`blocks`)."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return _Choice(codec, name)
    utf16 = utf16_without_bom(head)
    if utf16:
        return _Choice(utf16, utf16)
    broken, valid = _utf8_counts(blocks)
    if not broken:
        return _Choice("utf-8", "utf-8", repair=True)
    if valid >= _UTF8_MAJORITY * broken:
        return _Choice("utf-8", "utf-8 (with replacements)")
    sample = head[:_SAMPLE_BYTES]
    if len(head) > _SAMPLE_BYTES and b"\n" in sample:
        # Cut at a line end so that no multi-byte character is cut in two.
        sample = sample[: sample.rindex(b"\n") + 1]
    legacy = _legacy(sample)
    if legacy is not None:
        return legacy
    # Some valid UTF-8 characters and no code page that fits: UTF-8 with a few broken
    # bytes (one-byte code pages almost never form valid UTF-8 sequences).
    guess = None if valid else _detector_guess(sample)
    return guess or _Choice("utf-8", "utf-8 (with replacements)")


def _cut(text: str) -> int:
    """Where to end a block: the last blank line, line end or space in its second half."""
    for mark in _BREAKS:
        position = text.rfind(mark, len(text) // 2)
        if position > 0:
            return position + len(mark)
    return len(text)


class TextDecoder:
    """The text of a seekable binary stream, decoded in blocks.

    Attributes:
        encoding: the detected encoding, as reported in `LoadedDocument.encoding`; after
            `blocks()` has run it also says whether double-encoded UTF-8 was repaired.
        repaired: after `blocks()` has run, whether any text was repaired.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        head = stream.read(_READ_BYTES)
        self._choice = _choose(head, self._read_all(head))
        self.encoding = self._choice.name
        self.repaired = False
        self._handed: list[Generator[str, None, None]] = []

    def _read_all(self, head: bytes) -> Iterator[bytes]:
        yield head
        while block := self._stream.read(_READ_BYTES):
            yield block

    def blocks(self, size: int = BLOCK_CHARS) -> Iterator[str]:
        """The text in blocks of about `size` characters, each ending at a blank line, a
        line end or a space where there is one; line ends are normalised to "\\n"."""
        blocks = self._blocks(size)
        self._handed.append(blocks)
        return blocks

    def close(self) -> None:
        """Finish the blocks handed out while the stream is open: a reader that stopped
        early (a damaged table) leaves its generator to be finished later, on a closed
        stream, otherwise."""
        for blocks in self._handed:
            blocks.close()
        self._handed.clear()

    def _blocks(self, size: int) -> Generator[str, None, None]:
        self._stream.seek(0)
        reader = io.TextIOWrapper(self._stream, encoding=self._choice.codec, errors="replace")
        try:
            buffer = ""
            while piece := reader.read(size):
                buffer += piece
                while len(buffer) >= size:
                    cut = _cut(buffer)
                    yield self._repaired(buffer[:cut])
                    buffer = buffer[cut:]
            if buffer:
                yield self._repaired(buffer)
        finally:
            reader.detach()

    def _repaired(self, text: str) -> str:
        if not self._choice.repair:
            return text
        repaired = repair_double_utf8(text)
        if repaired != text:
            self.encoding = "utf-8 (repaired double encoding)"
            self.repaired = True
        return repaired

    def text(self) -> str:
        """All of the text at once (for small inputs and formats parsed as a whole)."""
        return "".join(self.blocks())


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes held in memory; return (text, encoding name). Never raises: bytes
    that fit no encoding become U+FFFD and the name says "(with replacements)"."""
    decoder = TextDecoder(io.BytesIO(data))
    text = decoder.text()
    return text, decoder.encoding
