"""Near-duplicates: MinHash fingerprints and the LSH index."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.ingest import read_bytes, read_path
from dhakira.ingest.similarity import PERMUTATIONS, NearDuplicateIndex, fingerprint, similarity

FIXTURES = Path(__file__).parent / "fixtures"


def test_same_text_behind_different_chrome_scores_high() -> None:
    html = read_path(FIXTURES / "wix_press_release.html")
    body = html.text.split("\n\n", 1)[1]
    copied = (
        "Skip to Main Content\nMenu\n\nGuards Beat Hunger Strikers in Adra Prison\n\n"
        + body.replace(" ", "  ").replace("Damascus", "Damascus\u00a0")
        + "\n\nShare on Facebook\nWe use cookies to make this site work. Accept\n© 2024 Another Site"
    )
    repost = read_bytes(copied.encode("utf-16"), name="repost.txt")
    assert similarity(fingerprint(html.text), fingerprint(repost.text)) >= 0.9


def test_arabic_variants_with_diacritics_and_digits_score_high() -> None:
    plain = "اعتقلت قوات الأمن 25 شابا من مدينة حمص ونقلتهم إلى فرع الأمن العسكري حيث تعرضوا للتعذيب الشديد"
    marked = "اعتقلتْ قواتُ الأمن ٢٥ شابا من مدينة حمص ونقلتهم إلى فرع الأمن العسكري حيث تعرضوا للتعذيب الشديد"
    assert similarity(fingerprint(plain), fingerprint(marked)) >= 0.8


def test_unrelated_texts_score_near_zero() -> None:
    first = read_path(FIXTURES / "wix_press_release.html").text
    second = read_path(FIXTURES / "news_cookie.html").text
    assert similarity(fingerprint(first), fingerprint(second)) < 0.1


def test_fingerprints_are_stable_and_sized() -> None:
    text = "The prison administration cut the water supply to the cells for three days."
    assert fingerprint(text) == fingerprint(text)
    assert len(fingerprint(text)) == PERMUTATIONS
    assert similarity(fingerprint(""), fingerprint("")) == 0.0
    with pytest.raises(ValueError):
        similarity([1, 2], [1, 2, 3])


def test_index_finds_near_duplicates_only() -> None:
    base = (
        "On Tuesday the guards of the central prison in Hama fired tear gas into the cells of the political wing, "
        "and at least twenty prisoners suffered from suffocation, according to relatives who spoke to us."
    )
    others = [
        "Relatives of detainees in Saydnaya waited outside the military court for news that never came.",
        "A new report documents the deaths of detainees in the military hospital of Tishreen in 2013.",
    ]
    index = NearDuplicateIndex()
    index.add("original", fingerprint(base))
    for number, text in enumerate(others):
        index.add(f"other{number}", fingerprint(text))
    assert len(index) == 3
    found = index.query(fingerprint(base.replace("at least twenty", "at least 20") + " Share on Facebook"))
    assert [key for key, _ in found] == ["original"]
    assert found[0][1] >= 0.8
    assert index.query(fingerprint("Completely different words about the weather in spring time.")) == []
    index.remove("original")
    assert index.query(fingerprint(base)) == []


def test_the_vectorised_signature_holds_the_integers_of_the_plain_definition() -> None:
    # Stored fingerprints were made by the plain loop: min over shingles of (a·h + b) mod (2^61 - 1), h the
    # shingle's 64-bit BLAKE2b. The numpy computation must give the very same integers, large hashes included.
    import hashlib
    import random

    from dhakira.ingest import similarity as module

    rng = random.Random(5)
    words = ["detainees", "prison", "released", "المعتقلين", "السجن", "أفرج", "Adra", "Saydnaya"]
    for length in (1, 2, 3, 4, 40, 400):
        text = " ".join(f"{rng.choice(words)}{rng.randint(0, 500)}" for _ in range(length))
        hashes = [int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
                  for shingle in module.shingles(text)]
        assert any(value >= module._PRIME for value in hashes) or length < 40  # the reduction of large hashes is exercised
        plain = [min((a * value + b) % module._PRIME for value in hashes) for a, b in module._PARAMETERS]
        assert fingerprint(text) == plain


def test_pairs_at_the_threshold_share_at_least_the_bands_a_lookup_asks_for() -> None:
    # A table lookup keeps only records sharing ``least_shared_bands(t)`` bands; no pair scoring t may be lost.
    import math
    import random

    from dhakira.ingest.similarity import band_keys, least_shared_bands

    rng = random.Random(11)
    for threshold in (0.5, 0.8, 0.85, 0.9):
        needed = least_shared_bands(threshold)
        for _ in range(200):
            first = [rng.randrange(1 << 61) for _ in range(PERMUTATIONS)]
            second = list(first)
            for position in rng.sample(range(PERMUTATIONS), rng.randint(0, 40)):
                second[position] += 1
            shared = len(set(band_keys(first)) & set(band_keys(second)))
            if similarity(first, second) >= threshold:
                assert shared >= needed
        differing = PERMUTATIONS - math.ceil(threshold * PERMUTATIONS)  # the most values a pair at the threshold differs in
        if differing < 32:  # the worst case: each differing value in a band of its own
            spread = [0] * PERMUTATIONS
            worst = [1 if position % 4 == 0 and position // 4 < differing else 0 for position in range(PERMUTATIONS)]
            assert similarity(spread, worst) >= threshold
            assert len(set(band_keys(spread)) & set(band_keys(worst))) == needed
