"""Words broken by PDF layout, put back together in English and Arabic.

Three kinds of breaks, each repaired only when a word list agrees (wordfreq's frequency lists, which
ship with the package, plus the words of the document itself):

* letter spacing: ``P R E S S``, «ب ي ا ن» – runs of three or more single letters become one word;
* a gap inside a word: ``rep ort``, «فلس طين» – two neighbours are joined when the joined word is
  known and at least one half is not a common word on its own, or the joined word is clearly more
  frequent than either half ("ta ken"), or the second half starts with a letter no Arabic word starts
  with (ة ى ؤ); "in to", "a round", "some thing" stay two words;
* hyphenation at a line end: ``collect-`` / ``ing`` – joined when the joined word is known, else
  the hyphen stays (``well-`` / ``known`` becomes ``well-known``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_LETTER = r"[^\W\d_]"
_SPACED_RUN = re.compile(rf"(?<!\S){_LETTER}(?: {_LETTER}){{2,}}(?!\S)")
_WORD = re.compile(rf"{_LETTER}+")
_HYPHEN_END = re.compile(rf"({_LETTER}+)-$")
_ARABIC = re.compile("[\u0600-\u06ff]")
COMMON = 3.5  # zipf frequency above which a fragment is a word of its own
_NEVER_FIRST = frozenset("ةىؤ")


@lru_cache(maxsize=200_000)
def frequency(word: str) -> float:
    """Zipf frequency of a word in its script's language (0 when unknown or wordfreq is missing)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a dependency; without it only the document's words count
        return 0.0
    language = "ar" if _ARABIC.search(word) else "en"
    return zipf_frequency(word, language)


class WordRepair:
    """Repairs for one document; the document's own words count as known words."""

    def __init__(self, text: str) -> None:
        self.own = Counter(word.casefold() for word in _WORD.findall(text))

    def known(self, word: str) -> bool:
        folded = word.casefold()
        return self.own.get(folded, 0) >= 1 or frequency(folded) >= 2.5

    def _letters(self, match: re.Match[str]) -> str:
        return match.group().replace(" ", "")

    def join_spaced(self, line: str) -> str:
        """``P R E S S   R E L E A S E`` → ``PRESS RELEASE`` (wider gaps between words stay spaces)."""
        return _SPACED_RUN.sub(self._letters, line)

    def join_split(self, line: str) -> str:
        """``rep ort`` → ``report`` when the joined word is known and one half is no common word."""
        tokens = line.split(" ")
        out: list[str] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if index + 1 < len(tokens):
                following = tokens[index + 1]
                left = _WORD.fullmatch(token)
                right = re.match(rf"({_LETTER}+)(\W*)$", following)
                if left and right and _same_script(token, right.group(1)):
                    joined = token + right.group(1)
                    fragments = min(frequency(token.casefold()), frequency(right.group(1).casefold()))
                    whole = frequency(joined.casefold())
                    seen = self.own.get(joined.casefold(), 0) >= 1
                    larger = max(frequency(token.casefold()), frequency(right.group(1).casefold()))
                    # Arabic letters that never begin a word (ة ى ؤ) continue the word before them
                    continues = right.group(1)[0] in _NEVER_FIRST and bool(_ARABIC.search(token))
                    unknown_half = fragments == 0.0 and whole >= 1.5  # «سجل اتها»: half is no word at all
                    # Arabic words carry their prefixes and suffixes: each inflected form is rarer
                    known = 2.0 if _ARABIC.search(token) else 3.0
                    if continues or unknown_half or ((seen or whole >= known) and (fragments < COMMON or whole >= larger + 0.5) and whole >= fragments):
                        out.append(joined + right.group(2))
                        index += 2
                        continue
            out.append(token)
            index += 1
        return " ".join(out)

    def join_hyphenated(self, lines: list[str]) -> list[str]:
        """Lines of one paragraph: a word hyphenated at a line end joined with its other half."""
        out: list[str] = []
        for line in lines:
            if out:
                ending = _HYPHEN_END.search(out[-1])
                start = re.match(rf"({_LETTER}+)", line)
                if ending and start and start.group(1)[0].islower():
                    joined = ending.group(1) + start.group(1)
                    glue = "" if self.known(joined) else "-"
                    out[-1] = out[-1][: ending.start()] + ending.group(1) + glue + line
                    continue
            out.append(line)
        return out

    def repair_paragraph(self, lines: list[str]) -> list[str]:
        lines = [self.join_split(self.join_spaced(line)) for line in lines]
        return self.join_hyphenated(lines)


def _same_script(left: str, right: str) -> bool:
    return bool(_ARABIC.search(left)) == bool(_ARABIC.search(right))
