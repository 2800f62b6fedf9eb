"""Plain text: find the encoding (UTF-8, UTF-16/32, Windows-1256, ISO-8859-6, Windows-1252…) and decode.

Order: a byte-order mark decides; then strict UTF-8 (also when only its last character is cut off);
then BOM-less UTF-16 (NULs on every other byte); then the single-byte code pages, each decoded strictly
and scored, against UTF-8 with a few invalid bytes replaced. Arabic text makes Windows-1256 and
ISO-8859-6 easy to tell apart: decoded with the wrong one, Arabic words come out with Latin letters
inside them, or lose their article «ال» (which becomes «اف»). charset-normalizer adds its own guess
as one more candidate. Text that is plausible in none of them is refused.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from dhakira.ingest.detect import BYTE_ORDER_MARKS
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError

_SINGLE_BYTE = ("cp1256", "iso-8859-6", "cp1252")
_SAMPLE = 50_000
# ISO-8859-6 «ط» read as Windows-1256 is «×»: a multiplication sign glued to Arabic letters.
_SIGN_IN_ARABIC = re.compile("[\u0621-\u064a][×÷]|[×÷][\u0621-\u064a]")
UTF8_TRUNCATED = "utf-8 (last character cut off)"
UTF8_REPLACED = "utf-8 (invalid bytes replaced)"


def _mojibake_pattern() -> re.Pattern[str]:
    """UTF-8 bytes read with a single-byte code page: a lead byte's character, then continuation bytes'."""
    parts = []
    for codec in ("cp1252", "cp1256"):
        leads2 = bytes(range(0xC2, 0xE0)).decode(codec, errors="ignore")
        leads3 = bytes(range(0xE0, 0xF0)).decode(codec, errors="ignore")
        follow = "".join(
            char for char in bytes(range(0x80, 0xC0)).decode(codec, errors="ignore") if char not in "،؛؟"
        )
        parts.append(f"[{re.escape(leads2)}][{re.escape(follow)}]|[{re.escape(leads3)}][{re.escape(follow)}]{{2}}")
    return re.compile("|".join(parts))


# UTF-8 read as Windows-1252/1256: «Ã©», «â€™», «ط§ظ„»…
_MOJIBAKE = _mojibake_pattern()
_WORD = re.compile(r"[^\W\d_]+")
_ARABIC_FUNCTION_WORDS = frozenset(
    "في من على إلى الى عن أن ان التي الذي التى مع هذا هذه كان كانت بعد قبل حتى أو او لم لا ما".split()
)
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]+")
_LATIN_WORD = re.compile("[\u0000-\u024f]+")


def control_share(text: str) -> float:
    """Share of characters that never occur in real text: C0/C1 controls (bar tab/newlines), U+FFFD."""
    if not text:
        return 0.0
    return len(_BAD_CHARACTERS.findall(text)) / len(text)


def plausibility(text: str) -> tuple[float, float]:
    """(clean, arabic) scores of a decoded text, both in 0..1.

    ``clean``: share of letters that sit in words written in one script (Arabic or Latin); a wrong code
    page produces words mixing scripts. ``arabic``: share of Arabic words that are function words or
    carry the article «ال» – near 0 when Arabic was decoded with the wrong Arabic code page.
    Long texts are judged on three samples (start, middle, end).
    """
    if len(text) > 3 * _SAMPLE:
        middle = len(text) // 2
        text = " ".join((text[:_SAMPLE], text[middle:middle + _SAMPLE], text[-_SAMPLE:]))
    letters = mixed = arabic_words = arabic_hits = 0
    for word in _WORD.findall(text):
        letters += len(word)
        if _ARABIC_WORD.fullmatch(word):
            arabic_words += 1
            if word in _ARABIC_FUNCTION_WORDS or (word.startswith("ال") and len(word) > 3):
                arabic_hits += 1
        elif not _LATIN_WORD.fullmatch(word):
            mixed += len(word)
    mixed += 2 * len(_MOJIBAKE.findall(text)) + 2 * len(_SIGN_IN_ARABIC.findall(text))
    clean = max(0.0, 1.0 - mixed / letters) if letters else 1.0
    arabic = arabic_hits / arabic_words if arabic_words else 0.0
    return clean, arabic


def _check_not_binary(text: str) -> None:
    if control_share(text) > 0.01:
        raise IngestError("the file looks like binary data, not text (control characters)")


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    pairs = len(even)
    for zeros, encoding in ((odd.count(0), "utf-16-le"), (even.count(0), "utf-16-be")):
        if zeros / pairs >= 0.3:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if control_share(text) <= 0.01 and plausibility(text)[0] >= 0.9:
                return text
    return None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding). :class:`IngestError` if no encoding fits.

    ``declared`` (e.g. an HTML meta charset) is tried right after the byte-order marks and UTF-8.
    """
    for bom, encoding in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                raise IngestError(
                    f"the text starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}"
                ) from error
            _check_not_binary(text)
            return text, encoding
    lenient: str | None = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            # Valid UTF-8 cut in the middle of its last character (a truncated download or copy).
            text = data[:error.start].decode("utf-8", errors="replace")
            if "\ufffd" not in text:
                _check_not_binary(text)
                return text, UTF8_TRUNCATED
        replaced = data.decode("utf-8", errors="replace")
        if replaced.count("\ufffd") <= max(3, len(data) // 2000):
            lenient = replaced
    else:
        if "\x00" in text:
            utf16 = _utf16_without_bom(data)
            if utf16 is not None:
                return utf16, "utf-16"
        _check_not_binary(text)
        return text, "utf-8"
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16, "utf-16"
        raise IngestError("the file looks like binary data, not text (NUL bytes)")
    candidates: list[str] = []
    if declared:
        candidates.append(declared.lower())
    candidates.extend(_SINGLE_BYTE)
    guess = from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding not in candidates:
        candidates.append(guess.encoding)
    best: tuple[float, float, str, str] | None = None
    if lenient is not None and control_share(lenient.replace("\ufffd", "")) <= 0.01:
        # A few stray bytes in otherwise valid UTF-8: loses ties against a clean single-byte reading.
        clean, arabic = plausibility(lenient)
        best = (clean - 0.001, arabic, lenient, UTF8_REPLACED)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if control_share(text) > 0.01:
            continue
        clean, arabic = plausibility(text)
        if best is None or (clean, arabic) > (best[0], best[1]):
            best = (clean, arabic, text, encoding)
    if best is None or best[0] < 0.9:
        raise IngestError(
            "the text is not valid in any encoding we read (UTF-8, UTF-16, Windows-1256, ISO-8859-6, "
            "Windows-1252); save it as UTF-8"
        )
    return best[2], best[3]


def read_text(data: bytes, *, name: str | None = None, source_url: str | None = None) -> Draft:
    """Read a plain-text original."""
    text, encoding = decode_text(data)
    draft = Draft(text=text, media_type="text/plain", reader="text", source_url=source_url, encoding=encoding)
    draft.warnings.extend(encoding_warnings(encoding))
    return draft


def encoding_warnings(encoding: str) -> list[str]:
    """Warnings to keep with a document whose bytes were not entirely clean."""
    if encoding == UTF8_TRUNCATED:
        return ["the text ends in the middle of a character: the file looks truncated"]
    if encoding == UTF8_REPLACED:
        return ["a few invalid bytes in the UTF-8 text were replaced by \ufffd"]
    return []
