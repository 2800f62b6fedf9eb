"""Phrase matching over Arabic and English text, on normalised tokens, with Arabic clitics.

A text is cut once into :class:`TextToken` objects (offsets into the original text, the folded
forms that a lexicon may match). A :class:`Lexicon` holds phrases (sequences of pattern words, a
word ending in ``*`` matching any word that starts with it) with a payload each, and finds the
longest phrase at each position.

Arabic: a text word also matches without its leading clitics (و ف, then ب ل ك, then the article
ال or the fused لل), so "وبسجن" matches "سجن" and "للمعتقلين" matches "المعتقلين"; the article is
ignored on both sides. The span of a match starts after the clitics it dropped, so that the name
reads as it would in a dictionary ("وزارة الداخلية", not "لوزارة الداخلية").

English: matching is case-insensitive, but a pattern word written with a capital needs a capital
in the text (so "Homs" does not match "homs", and "AP" only matches "AP").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Generic, NamedTuple, TypeVar

from dhakira.text import is_arabic, normalise, tokens
from dhakira.text.normalise import MARKS

# A written word: word characters plus Arabic marks (as dhakira.text.tokens cuts them).
_WORD = re.compile(f"[\\w{MARKS}]+")

P = TypeVar("P")

# The same marks as single characters, for walking a text letter by letter.
_MARKS = frozenset(char for char in map(chr, range(0x600, 0x700)) if re.fullmatch(f"[{MARKS}]", char))


def core(word: str) -> str:
    """A folded word without the Arabic article when enough of it remains (as the scorer of names does)."""
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    return word


@lru_cache(maxsize=100_000)
def _arabic_forms(word: str) -> tuple[tuple[str, int, bool], ...]:
    """The forms of one folded Arabic word without its leading clitics.

    Each form comes with how many letters were cut before it and whether it carried the article.
    """
    forms: list[tuple[str, int]] = [(word, 0)]
    if len(word) > 3 and word[0] in "وف":
        forms.append((word[1:], 1))
    for base, cut in list(forms):
        if base.startswith("لل") and len(base) > 4:
            forms.append(("ال" + base[2:], cut + 1))
        elif len(base) > 3 and base[0] in "بلك":
            forms.append((base[1:], cut + 1))
    result: dict[str, tuple[int, bool]] = {}
    for form, cut in forms:
        stripped = core(form)
        if stripped not in result:
            result[stripped] = (cut, stripped != form)
    return tuple((form, cut, article) for form, (cut, article) in result.items())


class TextToken(NamedTuple):
    """One word of a text: offsets, folded forms (with the number of clitic letters each one drops)."""

    start: int
    end: int
    forms: tuple[tuple[str, int, bool], ...]
    arabic: bool
    capital: bool
    upper: bool
    names: frozenset[str]  # the folded forms alone
    # The fields above after the offsets, as one tuple shared by every token of the same written word (lexicons
    # key their caches on its identity).
    word: _WordFields


_WordFields = tuple[tuple[tuple[str, int, bool], ...], bool, bool, bool, frozenset[str]]


@lru_cache(maxsize=200_000)
def _word_parts(word: str) -> tuple[tuple[tuple[tuple[str, int, bool], ...], bool], ...]:
    """The folded parts of one written word: their forms and whether they are Arabic (cached)."""
    parts = []
    for part in _WORD.findall(normalise(word)):
        arabic = is_arabic(part)
        parts.append((_arabic_forms(part) if arabic else ((part, 0, False),), arabic))
    return tuple(parts)


@lru_cache(maxsize=200_000)
def _word_tokens(original: str) -> tuple[tuple[object, ...], ...]:
    """The fields of each token of one written word after its offsets (cached): forms, Arabic, capital, upper,
    names, and these five as one tuple, shared by every token of the same word (the ``word`` field)."""
    capital = original[:1].isupper()
    upper = len(original) > 1 and original.isupper()
    result = []
    for forms, arabic in _word_parts(original):
        fields = (forms, arabic, capital, upper, frozenset(form for form, _, _ in forms))
        result.append((*fields, fields))
    return tuple(result)


def prepare(text: str) -> list[TextToken]:
    """Cut ``text`` into tokens ready for :meth:`Lexicon.find` (call once per text, share across lexicons)."""
    result: list[TextToken] = []
    append, new = result.append, tuple.__new__
    for match in _WORD.finditer(text):
        original = match.group()
        start = match.start()
        if original in ("s", "S") and start > 0 and text[start - 1] in "'’`":
            continue  # the English possessive: "Aleppo's central prison" reads as "Aleppo central prison"
        offsets = (start, match.end())
        for rest in _word_tokens(original):
            append(new(TextToken, offsets + rest))
    return result


# The last token list seen and the positions of each of its words (by the id of the word's shared fields): the
# lexicons of one text share them. The list is kept, so its identity is a safe key.
_last_positions: tuple[Sequence[TextToken], dict[int, list[int]]] | None = None


def _word_positions(toks: Sequence[TextToken]) -> dict[int, list[int]]:
    """The indexes of the tokens of each word of ``toks`` (computed once for the last list seen)."""
    global _last_positions
    last = _last_positions
    if last is not None and last[0] is toks:
        return last[1]
    positions: dict[int, list[int]] = {}
    for index, token in enumerate(toks):
        positions.setdefault(id(token.word), []).append(index)
    _last_positions = (toks, positions)
    return positions


def _clitic_offset(text: str, start: int, letters: int) -> int:
    """The offset in ``text`` after ``letters`` letters (and their marks) from ``start``."""
    position = start
    while letters > 0 and position < len(text):
        position += 1
        if text[position - 1] not in _MARKS:
            letters -= 1
    while position < len(text) and text[position] in _MARKS:
        position += 1
    return position


@dataclass(frozen=True)
class PatternWord:
    """One word of a phrase: its folded core, whether it is a prefix, and the case it needs in English."""

    text: str
    prefix: bool = False
    capital: bool = False
    upper: bool = False
    article: bool | None = None

    def accepts(self, token: TextToken) -> int | None:
        """The number of clitic letters dropped when ``token`` matches this word, or ``None``.

        ``article`` (names): ``True`` when the Arabic word must carry the article, ``False`` when it
        must not ("سورية" is the country, "السورية" the adjective); ``None`` (triggers): either.
        """
        if not token.arabic:
            if self.upper and not token.upper:
                return None
            if self.capital and not (token.capital or token.upper):
                return None
        for form, cut, article in token.forms:
            if form == self.text or (self.prefix and form.startswith(self.text)):
                if self.article is not None and token.arabic and article != self.article:
                    continue
                return cut
        return None


def pattern_words(phrase: str, *, strict_article: bool = False) -> tuple[PatternWord, ...]:
    """Cut a phrase into pattern words with the tokeniser used for texts."""
    words: list[PatternWord] = []
    raw = phrase.strip()
    for position, token in enumerate(tokens(raw)):
        original = raw[token.start:token.end]
        if token.norm == "s" and token.start > 0 and raw[token.start - 1] in "'’`":
            continue
        prefix = token.end < len(raw) and raw[token.end] == "*"
        arabic = is_arabic(token.norm)
        upper = (not arabic) and original.isupper() and len(original) > 1 and len(original) <= 5
        # A capital is required on the first word of a name (and on the word after a leading article,
        # "The National"); later words may be written in lower case ("Aleppo's central prison").
        lead = position == 0 or (position == 1 and bool(words) and words[0].text in ("the", "al", "el"))
        capital = (not arabic) and original[:1].isupper() and lead
        text = core(token.norm) if arabic else token.norm
        article = (text != token.norm) if (arabic and strict_article) else None
        words.append(PatternWord(text, prefix, capital, upper, article))
    return tuple(words)


class Match(NamedTuple, Generic[P]):  # type: ignore[misc]
    """A phrase found in a text: token range, character span and the phrase's payload."""

    first: int
    last: int
    start: int
    end: int
    payload: P
    phrase: str


@dataclass
class Lexicon(Generic[P]):
    """Phrases with payloads; ``find`` returns the longest non-overlapping matches, left to right.

    When two entries share a phrase, the one added first with the lowest ``rank`` wins. A lexicon of
    names (``strict_article=True``) requires the Arabic article exactly where the name has it.
    """

    _exact: dict[str, list[tuple[tuple[PatternWord, ...], P, str, int]]] = field(default_factory=dict)
    _prefix: dict[str, list[tuple[tuple[PatternWord, ...], P, str, int]]] = field(default_factory=dict)
    _seen: dict[tuple[PatternWord, ...], int] = field(default_factory=dict)
    size: int = 0
    strict_article: bool = False
    _cache: dict[int, tuple[_WordFields, list[tuple[tuple[PatternWord, ...], P, str, int, int]],
                            frozenset[str] | None]] = field(default_factory=dict, repr=False)
    # The ids of the cached words that start no phrase (the cache keeps those words alive, so an id stays theirs).
    _nothing: set[int] = field(default_factory=set, repr=False)

    def add(self, phrase: str, payload: P, *, rank: int = 0) -> None:
        """Add one phrase; an empty phrase is ignored."""
        words = pattern_words(phrase, strict_article=self.strict_article)
        if not words:
            return
        if words in self._seen and self._seen[words] <= rank:
            return
        self._seen[words] = rank
        self._cache.clear()
        self._nothing.clear()
        entry = (words, payload, phrase, rank)
        head = words[0]
        if head.prefix:
            self._prefix.setdefault(head.text[:3], []).append(entry)
        else:
            self._exact.setdefault(head.text, []).append(entry)
        self.size += 1

    def add_all(self, phrases: Iterable[str], payload: P, *, rank: int = 0) -> None:
        for phrase in phrases:
            self.add(phrase, payload, rank=rank)

    def _entry(self, token: TextToken) -> tuple[list[tuple[tuple[PatternWord, ...], P, str, int, int]],
                                                frozenset[str] | None]:
        """The entries whose first word accepts ``token``, each once, with the clitic letters it drops, and the
        second words they need (see below) (cached)."""
        # The fields of a written word are one shared tuple (``_word_tokens`` is cached): its identity is a cheap
        # key, checked against the tuple kept with the entry.
        word = token.word
        cached = self._cache.get(id(word))
        if cached is not None and cached[0] is word:
            return cached[1], cached[2]
        found: list[tuple[tuple[PatternWord, ...], P, str, int, int]] = []
        seen: set[int] = set()
        exact, prefix = self._exact, self._prefix
        for form, _, _ in token.forms:
            hits = list(exact.get(form) or ())
            if prefix:
                hits += prefix.get(form[:3]) or ()
                if len(form) > 2:
                    hits += prefix.get(form[:2]) or ()
            for words, payload, phrase, rank in hits:
                if id(words) in seen:
                    continue
                seen.add(id(words))
                cut = words[0].accepts(token)
                if cut is not None:
                    found.append((words, payload, phrase, rank, cut))
        # Longest phrase first, then best rank (a stable sort keeps the order of entries otherwise): the
        # matches at a position come out in this order, and the first that fits is the one :meth:`find` keeps.
        found.sort(key=lambda entry: (-len(entry[0]), entry[3]))
        # When every candidate needs a given second word, the words it may be (else None): a cheap test of the
        # next token before :meth:`_matches_of`.
        seconds = frozenset(entry[0][1].text for entry in found) \
            if found and all(len(entry[0]) > 1 and not entry[0][1].prefix for entry in found) else None
        if len(self._cache) > 100_000:
            self._cache.clear()
            self._nothing.clear()
        self._cache[id(word)] = (word, found, seconds)
        if not found:
            self._nothing.add(id(word))
        return found, seconds

    def may_start(self, token: TextToken) -> bool:
        """True when some phrase can start with ``token`` (a cheap test before :meth:`matches_at`)."""
        return bool(self._entry(token)[0])

    def matches_at(self, toks: Sequence[TextToken], index: int, text: str) -> list[Match[P]]:
        """Every phrase that starts at token ``index`` (longest first, then best rank)."""
        word = toks[index].word
        cached = self._cache.get(id(word))
        candidates, seconds = (cached[1], cached[2]) if cached is not None and cached[0] is word \
            else self._entry(toks[index])
        if not candidates or seconds is not None and (
                index + 1 == len(toks) or seconds.isdisjoint(toks[index + 1].names)):
            return []
        return self._matches_of(candidates, toks, index, text)

    def _matches_of(self, candidates: list[tuple[tuple[PatternWord, ...], P, str, int, int]],
                    toks: Sequence[TextToken], index: int, text: str, *, first: bool = False) -> list[Match[P]]:
        """The matches of ``candidates`` (in their order: longest first, then best rank); only the first when
        ``first``."""
        found: list[Match[P]] = []
        size = len(toks)
        second: frozenset[str] | None = None
        for words, payload, phrase, _, cut in candidates:
            length = len(words)
            if index + length > size:
                continue
            if length > 1:
                if second is None:
                    second = toks[index + 1].names
                if not words[1].prefix and words[1].text not in second:
                    continue
                if not all(word.accepts(toks[index + k]) is not None for k, word in enumerate(words[1:], 1)):
                    continue
            last = index + length - 1
            start = _clitic_offset(text, toks[index].start, cut) if cut else toks[index].start
            found.append(Match(index, last, start, toks[last].end, payload, phrase))
            if first:
                break
        return found

    def starts_in(self, toks: Sequence[TextToken]) -> list[int]:
        """The indexes of the tokens where a phrase may start (every other token starts none)."""
        positions = _word_positions(toks)
        maybe = positions.keys() - self._nothing
        return sorted(chain.from_iterable(positions[word] for word in maybe))

    def find(self, toks: Sequence[TextToken], text: str) -> list[Match[P]]:
        """The longest matches, left to right, without overlap."""
        result: list[Match[P]] = []
        size = len(toks)
        after = 0  # the first token after the last match
        cache, compute, matches_of = self._cache, self._entry, self._matches_of
        for index in self.starts_in(toks):
            if index < after:
                continue
            word = toks[index].word
            cached = cache.get(id(word))
            candidates, seconds = (cached[1], cached[2]) if cached is not None and cached[0] is word \
                else compute(toks[index])
            if not candidates or seconds is not None and (
                    index + 1 == size or seconds.isdisjoint(toks[index + 1].names)):
                continue
            options = matches_of(candidates, toks, index, text, first=True)
            if options:
                result.append(options[0])
                after = options[0].last + 1
        return result

    def whole(self, text: str) -> P | None:
        """The payload of the best phrase that spans the whole of ``text`` (a name on its own), or ``None``."""
        toks = prepare(text)
        for match in self.matches_at(toks, 0, text) if toks else []:
            if match.last == len(toks) - 1:
                return match.payload
        return None

    def find_all(self, toks: Sequence[TextToken], text: str) -> list[Match[P]]:
        """Every match at every position (overlaps allowed; longest first at each position)."""
        result: list[Match[P]] = []
        for index in range(len(toks)):
            result.extend(self.matches_at(toks, index, text))
        return result


def fold(text: str) -> str:
    """The folded form used for comparing names (normalise, then the core of each Arabic word)."""
    return " ".join(core(word) if is_arabic(word) else word for word in normalise(text).split())
