"""Regression on the development set: clusters from the gold annotations (a stand-in for extraction)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhakira.link import link_extractions
from dhakira.link.evaluation import items_from_gold, pairs_of, pairwise_scores

EVAL_DEV = Path("/work/shared/eval-dev")
DATA = Path("/work/shared/data")

pytestmark = pytest.mark.skipif(not (EVAL_DEV / "gold.jsonl").exists(), reason="eval-dev set not available")


def _f1(predicted: list[list[str]], gold: list[list[str]]) -> float:
    """Pairwise F1 computed independently of dhakira.link.evaluation."""

    def pairs(clusters: list[list[str]]) -> set[frozenset[str]]:
        return {frozenset((a, b)) for cluster in clusters for a in cluster for b in cluster if a < b}

    predicted_pairs, gold_pairs = pairs(predicted), pairs(gold)
    true = len(predicted_pairs & gold_pairs)
    if not true:
        return 0.0
    precision, recall = true / len(predicted_pairs), true / len(gold_pairs)
    return 2 * precision * recall / (precision + recall)


def test_gold_stand_in_clusters_reach_target_f1() -> None:
    items = items_from_gold(EVAL_DEV / "gold.jsonl", EVAL_DEV / "corpus", DATA if DATA.is_dir() else None)
    gold = json.loads((EVAL_DEV / "clusters.json").read_text(encoding="utf-8"))
    result = link_extractions(items, embeddings=False)
    assert _f1(result.clusters, gold) >= 0.85
    assert pairwise_scores(result.clusters, gold)["f1"] == pytest.approx(_f1(result.clusters, gold))
    languages = {item.key: item.extraction["document"]["language"] for item in items}
    cross_lingual = {pair for pair in pairs_of(result.clusters) if languages[pair[0]] != languages[pair[1]]}
    assert cross_lingual & pairs_of(gold), "Arabic-English pairs are found"
