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
    # shingle's 64-bit BLAKE2b. The numpy computation must give the very same integers, large hashes included, of
    # which a fingerprint keeps the low 16 bits.
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
        assert fingerprint(text) == [value % 2**16 for value in plain] == module.narrowed(plain)


def test_pairs_at_the_threshold_share_at_least_the_bands_a_lookup_asks_for() -> None:
    # A table lookup keeps only records sharing ``least_shared_bands(t)`` bands; no pair scoring t may be lost.
    import math
    import random

    from dhakira.ingest.similarity import band_keys, least_shared_bands

    rng = random.Random(11)
    for threshold in (0.5, 0.8, 0.85, 0.9):
        needed = least_shared_bands(threshold)
        for _ in range(200):
            first = [rng.randrange(1 << 16) for _ in range(PERMUTATIONS)]
            second = list(first)
            for position in rng.sample(range(PERMUTATIONS), rng.randint(0, 40)):
                second[position] = (second[position] + 1) % (1 << 16)
            shared = len(set(band_keys(first)) & set(band_keys(second)))
            if similarity(first, second) >= threshold:
                assert shared >= needed
        differing = PERMUTATIONS - math.ceil(threshold * PERMUTATIONS)  # the most values a pair at the threshold differs in
        if differing < 32:  # the worst case: each differing value in a band of its own
            spread = [0] * PERMUTATIONS
            worst = [1 if position % 4 == 0 and position // 4 < differing else 0 for position in range(PERMUTATIONS)]
            assert similarity(spread, worst) >= threshold
            assert len(set(band_keys(spread)) & set(band_keys(worst))) == needed


def _full_values(text: str) -> list[int]:
    """The 61-bit MinHash values fingerprints kept before b-bit MinHash (the plain definition)."""
    import hashlib

    from dhakira.ingest import similarity as module

    hashes = [int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
              for shingle in module.shingles(text)]
    return [min((a * value + b) % module._PRIME for value in hashes) for a, b in module._PARAMETERS]


def test_fingerprints_keep_16_bits_a_value_and_an_empty_text_stays_recognised() -> None:
    from dhakira.ingest.similarity import VALUE_BITS, narrowed

    text = "The prison administration cut the water supply to the cells for three days."
    values = fingerprint(text)
    assert VALUE_BITS == 16 and all(0 <= value < 2**16 for value in values)
    assert max(values) > 2**12  # the 16 bits are used, not fewer
    empty = fingerprint("")
    assert empty == [2**16 - 1] * PERMUTATIONS and similarity(empty, values) == similarity(values, empty) == 0.0
    # an older export's empty fingerprint (every value 2^61 - 1), narrowed, is still an empty text's
    assert narrowed([2**61 - 1] * PERMUTATIONS) == empty and similarity(narrowed([2**61 - 1] * PERMUTATIONS), values) == 0.0
    assert narrowed(values) == values and narrowed(_full_values(text)) == values


def test_similarity_takes_chance_agreements_out_and_never_exceeds_the_share_of_equal_values() -> None:
    import random

    rng = random.Random(3)
    first = [rng.randrange(1 << 16) for _ in range(PERMUTATIONS)]
    assert similarity(first, first) == 1.0
    unequal = [(value + 1) % (1 << 16) for value in first]
    assert similarity(first, unequal) == 0.0
    one = [first[0]] + unequal[1:]  # one value equal: the share 1/128, less the chance 2^-16 of such an agreement
    assert similarity(first, one) == (1 / 128 - 2**-16) / (1 - 2**-16)
    for equal in range(PERMUTATIONS + 1):
        second = first[:equal] + unequal[equal:]
        assert 0.0 <= similarity(first, second) <= equal / PERMUTATIONS
        assert equal in (0, PERMUTATIONS) or similarity(first, second) < equal / PERMUTATIONS


def test_16_bits_a_value_count_the_same_equal_values_as_the_whole_61_bits_on_variants() -> None:
    # Near-duplicate decisions rest on the count of equal values; narrowed values agree by chance once in 65,536,
    # so over these pairs (about 2,500 unequal values) the counts are the same but for one or two at most.
    import random

    rng = random.Random(17)
    words = [f"word{number}" for number in range(300)]
    base = [rng.choice(words) for _ in range(80)]
    pairs_full, pairs_narrow = [], []
    from dhakira.ingest.similarity import narrowed

    original = _full_values(" ".join(base))
    for edits in range(0, 40, 2):
        variant = list(base)
        for position in rng.sample(range(len(variant)), edits):
            variant[position] = rng.choice(words)
        changed = _full_values(" ".join(variant))
        pairs_full.append(sum(a == b for a, b in zip(original, changed, strict=True)))
        pairs_narrow.append(sum(a == b for a, b in zip(narrowed(original), narrowed(changed), strict=True)))
    assert all(narrow >= full for full, narrow in zip(pairs_full, pairs_narrow, strict=True))
    assert sum(pairs_narrow) - sum(pairs_full) <= 2
    assert min(pairs_full) < 40 < 100 < max(pairs_full)  # the variants span unrelated-looking to near-equal
