"""Numbers written in digits or in words, in English and Arabic.

:func:`parse_number` turns one phrase ("twenty-five", "half a million", "خمسة وعشرون", "١٢٠٠",
"11 ألف") into an integer. :func:`find_numbers` finds every such phrase in a text, with its span.

Vague quantities ("dozens", "hundreds", "عشرات", "مئات", "آلاف", "several hundred") have no
integer value: :func:`parse_number` returns ``None`` for them and :func:`find_numbers` reports them
with ``value=None`` and ``vague=True`` so that callers can tell them from plain failures.

:func:`fold` is the length-preserving Arabic folding that the date and count finders run their
patterns on: hamza forms, alef maqsura and ta marbuta become one letter each and Arabic-Indic
digits become ASCII, so a span found in the folded text is the same span in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DIACRITICS", "NumberMention", "alternation", "arabic_pattern", "find_numbers", "fold", "parse_number"]

# Tashkeel, superscript alef and tatweel; patterns allow them after any Arabic letter.
DIACRITICS = "\u064b-\u0652\u0670\u0640"
_D = f"[{DIACRITICS}]*"

_FOLD_TABLE = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي",
        "٬": ",", "٫": ".", "،": "،",
        **{chr(0x660 + digit): str(digit) for digit in range(10)},
        **{chr(0x6F0 + digit): str(digit) for digit in range(10)},
    }
)


# The last text folded and its fold: extraction folds a document's whole text in several steps (dates, counts).
# The text is kept, so its identity is a safe key.
_last_fold: tuple[str, str] = ("", "")


def fold(text: str) -> str:
    """Fold Arabic letter variants and digits one-for-one, so offsets stay valid; English is lower-cased."""
    global _last_fold
    last = _last_fold
    if last[0] is text:
        return last[1]
    folded = text.translate(_FOLD_TABLE)
    lowered = folded.lower()
    # str.lower() can change the length of a few exotic characters ("İ"); keep offsets safe.
    result = lowered if len(lowered) == len(folded) else folded
    if len(text) > 1000:  # short texts (a line, a phrase) are cheap to fold and would only push out the document
        _last_fold = (text, result)
    return result


def arabic_pattern(word: str) -> str:
    """A regex for a folded Arabic word that tolerates tashkeel and tatweel after every letter."""
    parts = []
    for char in word:
        if char == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char) + _D)
    return "".join(parts)


def alternation(words: Iterable[str], *, arabic: bool) -> str:
    """A regex alternation of ``words``, longest first (Arabic words through :func:`arabic_pattern`)."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(arabic_pattern(word) if arabic else re.escape(word) for word in ordered)


@dataclass(frozen=True)
class NumberMention:
    """A number found in a text: ``value`` is ``None`` when the quantity is vague ("dozens")."""

    start: int
    end: int
    value: int | None
    vague: bool = False


# --- English words ------------------------------------------------------------------------------------

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12,
}
_EN_HUNDRED = {"hundred": 100}
_EN_BIG = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_VAGUE = {"dozens", "hundreds", "thousands", "millions", "tens", "scores", "several", "few", "many"}

# --- Arabic words (folded spelling) --------------------------------------------------------------------

_AR_UNITS: dict[str, int] = {}
for _value, _forms in {
    1: ("واحد", "واحدا", "واحده", "احد", "احدي"),
    2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي"),
    3: ("ثلاث", "ثلاثه"),
    4: ("اربع", "اربعه"),
    5: ("خمس", "خمسه"),
    6: ("ست", "سته"),
    7: ("سبع", "سبعه"),
    8: ("ثمان", "ثماني", "ثمانيه"),
    9: ("تسع", "تسعه"),
    10: ("عشر", "عشره"),
    20: ("عشرون", "عشرين"),
    30: ("ثلاثون", "ثلاثين"),
    40: ("اربعون", "اربعين"),
    50: ("خمسون", "خمسين"),
    60: ("ستون", "ستين"),
    70: ("سبعون", "سبعين"),
    80: ("ثمانون", "ثمانين"),
    90: ("تسعون", "تسعين"),
    200: ("مئتان", "مئتين", "مائتان", "مائتين", "مئتا", "مئتي", "مائتا", "مائتي"),
    2000: ("الفان", "الفين", "الفي"),
    2_000_000: ("مليونان", "مليونين", "مليونا", "مليوني"),
}.items():
    for _form in _forms:
        _AR_UNITS[_form] = _value
for _unit, _stems in {3: ("ثلاث",), 4: ("اربع",), 5: ("خمس",), 6: ("ست",), 7: ("سبع",), 8: ("ثمان", "ثماني"),
                      9: ("تسع",)}.items():
    for _stem in _stems:
        for _hundred in ("مئه", "مائه", "ميه"):
            _AR_UNITS[_stem + _hundred] = _unit * 100
_AR_HUNDRED = {"مئه": 100, "مائه": 100, "ميه": 100}
_AR_BIG = {"الف": 1_000, "الفا": 1_000, "الاف": 1_000, "الوف": 1_000, "ملايين": 1_000_000, "مليون": 1_000_000, "مليار": 1_000_000_000}
_AR_VAGUE = {"عشرات", "مئات", "بضع", "بضعه", "العشرات", "المئات", "الالاف", "الالوف"}
_PLURAL_BIG = {"الاف", "الوف", "ملايين"}
_AR_HALF = {"نصف"}

_DIACRITIC = re.compile(f"[{DIACRITICS}]")


def _ar_word(token: str) -> str:
    """Folded Arabic token without tashkeel or tatweel."""
    return _DIACRITIC.sub("", fold(token))


def _is_arabic_number_word(word: str) -> bool:
    return word in _AR_UNITS or word in _AR_HUNDRED or word in _AR_BIG


def _word_value(word: str, language: str) -> tuple[str, int] | None:
    """The kind ('unit' | 'hundred' | 'big' | 'vague' | 'half' | 'a') and value of one number word."""
    if language == "ar" or re.search("[\u0600-\u06ff]", word):
        word = _ar_word(word)
        candidates = [word]
        if word.startswith("و") and len(word) > 2:
            candidates.append(word[1:])
        for candidate in candidates:
            if candidate in _AR_UNITS:
                return "unit", _AR_UNITS[candidate]
            if candidate in _AR_HUNDRED:
                return "hundred", 100
            if candidate in _AR_VAGUE:
                return "vague", 0
            if candidate in _AR_BIG:
                return "big", _AR_BIG[candidate]
            if candidate in _AR_HALF:
                return "half", 0
        return None
    word = word.lower()
    if word in _EN_UNITS:
        return "unit", _EN_UNITS[word]
    if word in _EN_HUNDRED:
        return "hundred", 100
    if word in _EN_BIG:
        return "big", _EN_BIG[word]
    if word in _EN_VAGUE:
        return "vague", 0
    if word == "half":
        return "half", 0
    if word in ("a", "an"):
        return "a", 1
    return None


_DIGITS = re.compile(r"\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SPLIT = re.compile(r"[\s\-\u2010\u2011]+|(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\d\s,.])")
_CONNECTORS = {"and", "و"}


def _may_follow(previous: int, value: int) -> bool:
    """Whether a number word may follow another inside one number ("twenty five", "خمسة وعشرون", "مئتان وخمسون")."""
    if previous >= 100:
        return value < previous
    if previous < 10:
        return value == 10 or (value >= 20 and value < 100 and value % 10 == 0)
    if previous >= 20 and previous % 10 == 0:
        return value < 10
    return False


def parse_number(words: str, *, language: str) -> int | None:
    """The integer a number phrase stands for, or ``None`` if it is vague ("dozens", "عشرات") or not a number.

    Handles digits (with thousands separators and Arabic-Indic digits), digits with a multiplier word
    ("11 ألف", "1.5 million"), English and Arabic number words, "half a million" and "نصف مليون".
    """
    text = fold(words.strip())
    if not text:
        return None
    total = 0
    current = 0
    seen = False
    half = False
    previous: int | None = None  # the last unit word, to reject "three five"
    for raw in _SPLIT.split(text):
        token = raw.strip(".,،;:()\"'")
        if not token or token in _CONNECTORS:
            continue
        digits = _DIGITS.fullmatch(token)
        if digits:
            number = float(token.replace(",", "").replace(" ", ""))
            current += number  # type: ignore[assignment]
            seen = True
            continue
        kind_value = _word_value(token, language)
        if kind_value is None and token.startswith("و"):
            kind_value = _word_value(token[1:], language)
        if kind_value is None:
            return None
        kind, value = kind_value
        if kind == "vague":
            return None
        if kind == "half":
            half = True
            continue
        if kind == "a":
            continue
        seen = True
        if kind == "unit":
            if previous is not None and not _may_follow(previous, value):
                return None  # "three and five", "ثلاثة وخمسة": two numbers, not one
            current += value
            previous = value
        elif kind == "hundred":
            current = (current or 1) * value
            previous = 100
        elif kind == "big":
            previous = None
            if not current and not half and _DIACRITIC.sub("", token) in _PLURAL_BIG:
                return None  # "آلاف" on its own: thousands, a vague quantity
            if half and not current:
                current = 0.5  # type: ignore[assignment]
            total += (current or 1) * value
            current = 0
    if not seen:
        return None
    result = total + current
    return int(round(result))


# --- Finding number phrases in a text -----------------------------------------------------------------

_EN_WORD = alternation(list(_EN_UNITS) + list(_EN_HUNDRED) + list(_EN_BIG), arabic=False)
_EN_PHRASE = re.compile(
    rf"\b(?:half\s+a\s+(?:million|billion)|(?:a\s+)?(?:{_EN_WORD})"
    rf"(?:(?:(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+|[\s\-]+)(?:{_EN_WORD}))*)\b"
    rf"|\b(?:several\s+hundred|several\s+thousand|tens\s+of\s+thousands|hundreds\s+of\s+thousands"
    rf"|dozens|hundreds|thousands|scores)\b"
)  # run on fold(text), which is lower-cased
# "احد"/"احدي" alone mean "one of"/"someone" (and "الأحد" is Sunday): only "احد عشر" counts as a number.
_AR_NUMBER_WORDS = [w for w in list(_AR_UNITS) + list(_AR_HUNDRED) + ["الف", "مليون", "مليار", "احد عشر",
                                                                    "احدي عشره", "احدي عشر"]
                    if w not in ("احد", "احدي")]
_AR_WORD = alternation(_AR_NUMBER_WORDS, arabic=True)
_AR_BIG_WORD = alternation(["الف", "الفا", "الاف", "مليون", "ملايين", "مليار"], arabic=True)
_AR_END = rf"(?![\w{DIACRITICS}])"
_AR_PHRASE = re.compile(
    rf"(?<![\w{DIACRITICS}])(?:و|ب|ل)?(?:"
    rf"نصف\s+(?:{_AR_BIG_WORD}){_AR_END}"
    rf"|(?:{_AR_WORD}){_AR_END}(?:\s*(?:و\s*)?(?:{_AR_WORD}|{_AR_BIG_WORD}){_AR_END})*"
    rf"|(?:ال)?(?:عشرات|مئات|الاف|الوف)(?:\s+(?:ال)?(?:الاف|الوف))?{_AR_END}"
    rf")"
)
# (The look-behind comes after the first digit, so that the pattern starts with a character set the regex engine
# scans for, instead of trying every position; the matches are the same.)
_DIGIT_PHRASE = re.compile(
    r"\d(?<![\d.,/:A-Za-z_]\d)(?:\d{0,2}(?:,\n?\d{3})+(?!\d)|\d*(?:\.\d+)?(?![\d/:]))"
    rf"(?:\s*(?:thousand|million|billion|{_AR_BIG_WORD}){_AR_END})?",
    re.IGNORECASE,
)
_LEADING_CLITIC = re.compile("^(?:و|ب|ل)(?=.)")
_PIECE = re.compile(r"[^\s\-]+")
_VAGUE_PHRASE = re.compile(
    r"dozens|hundreds|thousands|millions|scores|several|tens|عشرات|مئات|الاف|الوف|ملايين|بضع", re.IGNORECASE
)


def find_numbers(text: str, *, language: str, folded: str | None = None) -> list[NumberMention]:
    """Every number phrase in ``text`` in order of position; ``folded`` may pass ``fold(text)`` if known."""
    if folded is None:
        folded = fold(text)
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, phrase: str) -> None:
        for a, b in taken:
            if start < b and a < end:
                return
        value = parse_number(phrase.replace("\n", ""), language=language)
        if value is None and not _VAGUE_PHRASE.search(phrase):
            # Not one number ("ثلاثة وخمسة", "three and five"): take the words one by one.
            for piece in _PIECE.finditer(phrase):
                word = piece.group()
                offset = 1 if word.startswith("و") and _is_arabic_number_word(_ar_word(word[1:])) else 0
                piece_value = parse_number(word[offset:], language=language)
                if piece_value is not None:
                    taken.append((start + piece.start() + offset, start + piece.end()))
                    found.append(NumberMention(start + piece.start() + offset, start + piece.end(), piece_value))
            return
        taken.append((start, end))
        found.append(NumberMention(start, end, value, value is None))

    for match in _DIGIT_PHRASE.finditer(folded):
        add(match.start(), match.end(), match.group())
    if language != "ar" or re.search("[a-z]", folded):
        for match in _EN_PHRASE.finditer(folded):
            phrase = match.group()
            if phrase.strip().lower() in ("a", "an", "one"):
                # "one" is too often a pronoun ("one of them"); kept only by the count finder's own rules.
                continue
            add(match.start(), match.end(), phrase)
    if language != "en" or re.search("[\u0600-\u06ff]", folded):
        for match in _AR_PHRASE.finditer(folded):
            start = match.start()
            phrase = match.group()
            first = _ar_word(phrase.split()[0])
            if _LEADING_CLITIC.match(phrase) and not _is_arabic_number_word(first) and (
                    _is_arabic_number_word(first[1:]) or first[1:] in _AR_VAGUE):
                start += 1
                phrase = phrase[1:]
            add(start, match.end(), phrase)
    found.sort(key=lambda mention: mention.start)
    return found
