"""Normalisation, tokenising and light stemming for Arabic and English.

Search indexes a normalised and a stemmed *shadow* of each text, made here in Python, so that
SQLite FTS5 and PostgreSQL see the same tokens: diacritics (tashkeel), tatweel, hamza forms, ta
marbuta and alef maqsura never hide a match, and the clitics و ف ب ل ك and the article ال fall away.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# Tashkeel, Qur'anic annotation marks, superscript alef and tatweel: dropped by normalise().
MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
_MARKS = re.compile(f"[{MARKS}]")
# A token: word characters plus marks (Python's \w does not match combining marks).
_TOKEN = re.compile(f"[\\w{MARKS}]+")
_TANWEEN_ALEF = re.compile("(?:\u064b\u0627|\u0627\u064b)(?![\\w\u064b-\u065f])")
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
        "ک": "ك", "ی": "ي", "ـ": None,
        **{chr(0x660 + digit): str(digit) for digit in range(10)},
        **{chr(0x6F0 + digit): str(digit) for digit in range(10)},
    }
)
_ENGLISH = Stemmer.Stemmer("english")
_ARABIC_ARTICLES = ("وبال", "وكال", "فبال", "وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Broken plurals common in reports on detention, each with its singular: light stemming cannot see
# that سجون is the plural of سجن, so the stem of the plural is the stem of the singular.
BROKEN_PLURALS = {
    "سجون": "سجن", "سجناء": "سجين", "مساجين": "سجين", "معتقلات": "معتقل", "فروع": "فرع", "أفرع": "فرع",
    "قتلى": "قتيل", "جرحى": "جريح", "أسرى": "أسير", "شهداء": "شهيد", "ضحايا": "ضحية", "محاكم": "محكمة",
    "زنازين": "زنزانة", "زنازن": "زنزانة", "أقبية": "قبو", "أجهزة": "جهاز", "مراكز": "مركز", "حواجز": "حاجز",
    "عناصر": "عنصر", "ضباط": "ضابط", "أحكام": "حكم", "تهم": "تهمة", "جثث": "جثة", "جثامين": "جثمان",
    "أطفال": "طفل", "رجال": "رجل", "أفراد": "فرد", "مدن": "مدينة", "قرى": "قرية", "أحياء": "حي",
    "سجانين": "سجان", "محققين": "محقق", "معابر": "معبر", "مشافي": "مشفى", "مستشفيات": "مستشفى",
}


class Token(NamedTuple):
    """A token with its offsets into the original text, its normalised form and its stem."""

    start: int
    end: int
    norm: str
    stem: str


def is_arabic(word: str) -> bool:
    """True when the word contains a letter of the Arabic block."""
    return any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in word)


def _arabic_letter_runs() -> re.Pattern[str]:
    """Runs of the alphabetic characters of the Arabic blocks (what ``str.isalpha`` calls a letter)."""
    ranges: list[list[int]] = []
    for code in [*range(0x600, 0x700), *range(0x750, 0x780)]:
        if chr(code).isalpha():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges) + "]+")


_ARABIC_LETTERS = _arabic_letter_runs()
_LATIN_LETTERS = re.compile("[A-Za-z]+")


def script_of(text: str) -> str:
    """``ar``, ``en``, ``mixed`` or ``und`` from the share of Arabic and Latin letters (80 % decides)."""
    return script_of_letters(*letter_counts(text))


def letter_counts(text: str) -> tuple[int, int]:
    """How many Arabic and Latin letters ``text`` holds (counts of pieces of a text add up to the whole's)."""
    return len(text) - len(_ARABIC_LETTERS.sub("", text)), len(text) - len(_LATIN_LETTERS.sub("", text))


def script_of_letters(arabic: int, latin: int) -> str:
    """``script_of`` a text from its ``letter_counts``."""
    total = arabic + latin
    if total == 0:
        return "und"
    if arabic / total >= 0.8:
        return "ar"
    if latin / total >= 0.8:
        return "en"
    return "mixed"


def normalise(text: str) -> str:
    """Fold a text for matching: NFKC, no tashkeel or tatweel, one alef, ya and ha, ASCII digits, casefold."""
    text = unicodedata.normalize("NFKC", text)
    text = _TANWEEN_ALEF.sub("", text)
    return _MARKS.sub("", text).translate(_FOLD).casefold()


def _strip_affixes(word: str, plurals: dict[str, str]) -> str:
    if len(word) > 3 and word[0] == "و" and word not in plurals:
        word = word[1:]
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article):]
            break
    if word in plurals:
        return plurals[word]
    for _ in range(2):
        for suffix in _ARABIC_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


# Plural (normalised) to the stem of its singular, so both reach the same index token.
_PLURAL_STEMS = {
    plural.translate(_FOLD): _strip_affixes(singular.translate(_FOLD), {}) for plural, singular in BROKEN_PLURALS.items()
}


@lru_cache(maxsize=200_000)
def _stem_arabic(word: str) -> str:
    return _strip_affixes(word, _PLURAL_STEMS)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The light stem of one *normalised* word (Arabic: clitics and common suffixes; English: Snowball)."""
    if is_arabic(word):
        return _stem_arabic(word)
    if word.isalpha():
        return str(_ENGLISH.stemWord(word))
    return word


@lru_cache(maxsize=200_000)
def _word_parts(word: str) -> tuple[tuple[str, str], ...]:
    """``(normalised form, stem)`` of each part of one written word (cached: words repeat)."""
    return tuple((part, stem(part)) for part in _TOKEN.findall(normalise(word)))


def tokens(text: str) -> Iterator[Token]:
    """Tokens of ``text`` with offsets into it (for highlighting), their normalised form and stem."""
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        for norm, word_stem in _word_parts(match.group()):
            yield Token(start, end, norm, word_stem)


def token_forms(text: str) -> Iterator[tuple[tuple[int, int], str, str]]:
    """``((start, end), normalised form, stem)`` of each token of ``text``: ``tokens`` without a ``Token`` each
    (for the hot loop of snippets)."""
    for match in _TOKEN.finditer(text):
        span = match.span()
        for norm, word_stem in _word_parts(match.group()):
            yield span, norm, word_stem


def word_forms(text: str) -> list[tuple[str, str]]:
    """``(normalised form, stem)`` of each token of ``text``: ``tokens`` without offsets, for the texts made of
    every token (a document's search texts, its linking stems), in one pass."""
    return [part for word in _TOKEN.findall(text) for part in _word_parts(word)]


def normalised_text(text: str) -> str:
    """The normalised shadow of a text: normalised tokens joined by spaces."""
    return " ".join(norm for norm, _ in word_forms(text))


def stemmed_text(text: str) -> str:
    """The stemmed shadow of a text: stems joined by spaces."""
    return " ".join(word_stem for _, word_stem in word_forms(text))
