"""Decoding bytes: BOMs, UTF-16 without a BOM, code pages, double encoding, broken bytes."""

from __future__ import annotations

import codecs

import pytest

from desktop.ingest.encoding import decode_text, repair_double_utf8

pytestmark = pytest.mark.unit

RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей чаю."


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("Привет", "cp1251", "cp1251"),
        ("Да", "cp1251", "cp1251"),
        (RUSSIAN, "cp1251", "cp1251"),
        ("Привет", "koi8-r", "koi8-r"),
        (RUSSIAN, "koi8-r", "koi8-r"),
        ("机器学习是人工智能的一个分支。", "gbk", "gbk"),
        ("我们今天去公园散步", "gbk", "gbk"),
        ("機器學習是人工智慧的一個分支。", "big5", "big5"),
        ("今天天氣很好", "big5", "big5"),
        ("日本語のテキストです。", "shift_jis", "shift_jis"),
        ("テスト", "shift_jis", "shift_jis"),
        ("café résumé, déjà vu", "cp1252", "cp1252"),
        ("Straße und Grüße für Müller", "cp1252", "cp1252"),
        ("Zażółć gęślą jaźń, to jest polski tekst.", "cp1250", "cp1250"),
    ],
)
def test_legacy_code_pages(text: str, codec: str, expected: str) -> None:
    assert decode_text(text.encode(codec)) == (text, expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Привет ✓".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Привет ✓".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "Привет ✓".encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + "Привет ✓".encode("utf-32-le"), "utf-32-le"),
        (codecs.BOM_UTF32_BE + "Привет ✓".encode("utf-32-be"), "utf-32-be"),
        ("Hello, UTF-16 without a mark".encode("utf-16-le"), "utf-16-le"),
        ("Hello, UTF-16 without a mark".encode("utf-16-be"), "utf-16-be"),
        ("Привет ✓ 日本".encode(), "utf-8"),
    ],
)
def test_unicode_forms(data: bytes, expected: str) -> None:
    text, encoding = decode_text(data)
    assert encoding == expected
    assert "\ufeff" not in text
    assert text in ("Привет ✓", "Hello, UTF-16 without a mark", "Привет ✓ 日本")


def _sloppy_cp1252(data: bytes) -> str:
    """What a cp1252 decoder that maps undefined bytes to C1 controls makes of `data`."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in data
    )


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
        ("æ—¥æœ¬", "日本"),
        ("Привет, мир".encode().decode("cp1251"), "Привет, мир"),
        ("naïve café".encode().decode("latin-1"), "naïve café"),
        (_sloppy_cp1252("Нет, спасибо".encode()), "Нет, спасибо"),
        ("Запустить ☁️ облако".encode().decode("mac_roman"), "Запустить ☁️ облако"),
        ("日本語のテキスト".encode().decode("mac_roman"), "日本語のテキスト"),
        ("Привет, мир".encode().decode("cp437"), "Привет, мир"),
        ("中文文档 über".encode().decode("cp850"), "中文文档 über"),
    ],
)
def test_double_encoded_utf8_is_repaired(garbled: str, expected: str) -> None:
    assert decode_text(garbled.encode()) == (expected, "utf-8 (repaired double encoding)")


_RUSSIAN = "Запустить сервер можно командой ниже, а остановить его нельзя."


@pytest.mark.parametrize(("written", "read"), [("koi8-r", "cp1251"), ("cp1251", "koi8-r")])
def test_cyrillic_read_with_the_other_code_page_is_repaired(written: str, read: str) -> None:
    garbled = _RUSSIAN.encode(written).decode(read)
    assert decode_text(garbled.encode()) == (_RUSSIAN, "utf-8 (repaired double encoding)")


def test_only_the_damaged_lines_are_repaired() -> None:
    clean = "Первая строка написана верно.\nnaïve café — “quotes”\n"
    damaged = "Запустить ☁️ облако".encode().decode("mac_roman")
    text, name = decode_text((clean + damaged + "\n" + clean).encode())
    assert text == clean + "Запустить ☁️ облако\n" + clean
    assert name == "utf-8 (repaired double encoding)"


@pytest.mark.parametrize(
    "text",
    [
        "Привет, мир",
        "café — naïve “quotes” 日本",
        "Ð is a capital eth; Ñ is an N with a tilde.",
        "Сёмга, СЁМГА, Рђ",
        "ЗАПУСК СЕРВЕРА И ОСТАНОВКА СЕРВЕРА",
        "Україна — держава у Східній Європі, столиця Київ.",
        "Съешь же ещё этих мягких французских булок да выпей чаю.",
        "Ångström, Øre, Æsir, naïve, señor, façade, Größe",
    ],
)
def test_clean_text_is_not_repaired(text: str) -> None:
    assert repair_double_utf8(text) == text
    assert decode_text(text.encode()) == (text, "utf-8")


def test_invalid_bytes_in_utf8_text_are_replaced_and_noted() -> None:
    data = "Привет, мир! Как дела? ".encode() + b"\xff\xfe" + " Всё хорошо.".encode()
    text, encoding = decode_text(data)
    assert encoding == "utf-8 (with replacements)"
    assert text == "Привет, мир! Как дела? \ufffd\ufffd Всё хорошо."
    text, encoding = decode_text("Hello wörld ".encode() + b"\xff\xfe")
    assert (text, encoding) == ("Hello wörld \ufffd\ufffd", "utf-8 (with replacements)")


def test_line_ends_are_normalised() -> None:
    assert decode_text(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"
