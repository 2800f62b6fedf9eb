"""Plain text: encodings, refusals, cleaning of chrome, paragraphs and language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhakira.ingest import IngestError, read_bytes
from dhakira.ingest.clean import clean_text, is_chrome_line
from dhakira.ingest.text import decode_text

ARABIC = (
    "أفرجت السلطات عن عشرين معتقلا من سجن حمص المركزي بعد إضراب عن الطعام استمر أسبوعين، "
    "وقال ذوو المعتقلين إن الإفراج جاء في إطار تسوية محلية."
)
ENGLISH = "Twenty detainees were released from Homs Central Prison after a two-week hunger strike."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso-8859-6"])
def test_arabic_in_every_common_encoding(encoding: str) -> None:
    data = ARABIC.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + ARABIC).encode(encoding)  # a BOM, as Windows writes it
    document = read_bytes(data, name="statement.txt")
    assert document.text == ARABIC
    assert document.language == "ar"


@pytest.mark.parametrize(
    "phrase",
    ["سجن حمص المركزي", "فرع فلسطين", "طالب ضرب", "قتل تحت التعذيب في سجن صيدنايا", "الغوطة الشرقية", "مدينة كفرنبل في ريف إدلب"],
)
@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6"])
def test_short_arabic_phrases_are_not_mistaken_between_the_two_code_pages(phrase: str, encoding: str) -> None:
    text, found = decode_text(phrase.encode(encoding))
    assert text == phrase, found


def test_cp1256_with_english_and_digits() -> None:
    mixed = f"{ARABIC}\n\n{ENGLISH} 2017-10-19"
    document = read_bytes(mixed.encode("cp1256"), name="mixed.txt")
    assert document.text == mixed
    assert document.language == "mixed"


def test_utf16_without_bom() -> None:
    text, encoding = decode_text(ENGLISH.encode("utf-16-le"))
    assert text == ENGLISH and encoding.startswith("utf-16")


def test_western_european_text_in_windows_1252() -> None:
    text = "Témoignage d'un détenu libéré à Alep, reçu le 3 mars."
    assert read_bytes(text.encode("cp1252")).text == text


def test_text_valid_in_no_encoding_is_refused() -> None:
    # High bytes with no structure: not UTF-8, and gibberish in every single-byte code page.
    data = bytes(range(0x80, 0x100)) * 3
    with pytest.raises(IngestError, match="not valid in any encoding|binary"):
        read_bytes(data, name="broken.txt")


def test_bad_utf16_after_a_bom_is_refused() -> None:
    with pytest.raises(IngestError, match="UTF-16"):
        read_bytes(b"\xff\xfe" + b"\x00\xd8" + b"a\x00", name="broken.txt")


def test_binary_junk_with_nuls_is_refused() -> None:
    with pytest.raises(IngestError, match="binary"):
        read_bytes(b"text\x00\x01\x02\x03 more\x00\x00\x07\x08 stuff" * 20, name="junk.txt")


def test_control_characters_are_refused_as_binary() -> None:
    with pytest.raises(IngestError, match="binary"):
        read_bytes(("word \x01\x02\x03\x04\x05\x06 " * 30).encode(), name="junk.txt")


def test_whitespace_is_normalised() -> None:
    raw = "First\u00a0line  with   spaces\u200b.\r\nSecond\u2060 line.\r\r\n\n\n\nNext\tparagraph\u202e."
    document = read_bytes(raw.encode("utf-8"))
    assert document.text == "First line with spaces.\nSecond line.\n\nNext paragraph."


def test_paragraph_spans_and_languages() -> None:
    document = read_bytes(f"{ENGLISH}\n\n\n{ARABIC}\n\nسجن Sednaya".encode())
    assert [document.text[p.start:p.end] for p in document.paragraphs] == [ENGLISH, ARABIC, "سجن Sednaya"]
    assert [p.language for p in document.paragraphs] == ["en", "ar", "mixed"]
    assert document.language == "mixed"
    assert document.title == ENGLISH


def test_wix_chrome_arriving_as_plain_text_is_stripped() -> None:
    raw = (
        "top of page\n\nSkip to Main Content\n\nPrisoners moved from Hama\n\n"
        "Five prisoners were moved at night.\n\nShare on Facebook\nShare on Twitter\n"
        "We use cookies on our website to see how you interact with it. By accepting, you agree to our use.\n"
        "Accept\n\nSubscribe to our newsletter\n© 2023 by Free Detainees. Proudly created with Wix.com\n\n"
        "bottom of page\n"
    )
    document = read_bytes(raw.encode())
    assert document.text == "Prisoners moved from Hama\n\nFive prisoners were moved at night."
    assert document.title == "Prisoners moved from Hama"


@pytest.mark.parametrize(
    "line",
    ["Top of Page", "Share on LinkedIn", "Facebook Twitter WhatsApp", "شارك على فيسبوك", "إلى أعلى الصفحة",
     "جميع الحقوق محفوظة 2020", "All rights reserved.", "Enter your email here *"],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    ["The guards shared the food between forty prisoners.", "أطلق سراح المعتقل بعد ثلاث سنوات.",
     "Facebook posts by relatives described the raid on 3 May 2015 in detail."],
)
def test_real_sentences_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)
    assert clean_text(line) == line


def test_text_that_is_only_chrome_has_no_text() -> None:
    with pytest.raises(IngestError, match="no text"):
        read_bytes(b"top of page\n\nbottom of page\n")


def test_utf8_cut_in_the_middle_of_the_last_character() -> None:
    data = ARABIC.rstrip(".").encode("utf-8")[:-1]
    document = read_bytes(data, name="cut.txt")
    assert document.text == ARABIC[:-2]
    assert any("truncated" in warning for warning in document.warnings)


def test_a_stray_byte_in_utf8_arabic_is_replaced_not_misread() -> None:
    data = ARABIC.encode("utf-8") + b" \xff " + ARABIC.encode("utf-8")
    document = read_bytes(data, name="stray.txt")
    assert document.text == f"{ARABIC} \ufffd {ARABIC}"
    assert any("replaced" in warning for warning in document.warnings)


def test_windows_1252_quote_in_ascii_text_is_read_as_windows_1252() -> None:
    text = "The prisoners\u2019 families waited outside the court."
    assert read_bytes(text.encode("cp1252")).text == text


def test_utf8_latin_with_a_stray_byte_is_not_read_as_mojibake() -> None:
    text = "Témoignage d'un détenu libéré à Alep. " * 20
    data = text.encode("utf-8") + b"\x92"
    document = read_bytes(data, name="fr.txt")
    assert "Ã" not in document.text and document.text.startswith("Témoignage d'un détenu libéré")


_ARTICLE_WORDS = ["السجن", "المعتقلين", "الأمن", "المركزي", "الحراس", "التعذيب", "اللجنة", "الطعام"]
_OTHER_WORDS = ["حمص", "حماة", "عدرا", "طالب", "ضرب", "غاز", "رصاص", "قتل", "ثلاثة", "آلاف", "في", "من", "على",
                "إلى", "شاب", "امرأة", "طبيب", "جوع", "برد", "ظلم", "فرع", "قسرا"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_OTHER_WORDS), min_size=1, max_size=15),
    st.sampled_from(_ARTICLE_WORDS),
    st.sampled_from(["cp1256", "iso-8859-6"]),
)
def test_any_arabic_sentence_with_an_article_decodes_right_in_both_code_pages(
    words: list[str], article_word: str, encoding: str
) -> None:
    sentence = " ".join([*words, article_word])
    assert decode_text(sentence.encode(encoding))[0] == sentence
