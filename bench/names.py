"""Precision, recall and F of the person matcher on name pairs of our own (bench/data/person_names.txt).

    .venv/bin/python bench/names.py [--split tune|held-out|all] [--libraries] [--json] [--errors]

Pairs: every two spellings of one person (same), spellings of two persons who share a given or
family name, namesakes included (different), a sample of other cross pairs (different), and the
"!" pairs that must never merge. One person line in five (the 5th, 10th, …) is held out: its pairs
form the held-out split, reported once at the end of tuning. ``--libraries`` scores the same pairs
with plain library baselines (normality/ICU transliteration + rapidfuzz, jellyfish, rigour).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.persons import PersonContext, compare, known_persons, name_key  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "person_names.txt"
Pair = tuple[str, str, bool, dict[str, Any], dict[str, Any], str]


def _context(text: str) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for item in text.split():
        key, _, values = item.partition("=")
        context[key] = [int(v) if key == "years" else v for v in values.split(";") if v]
    return context


def load_pairs(path: Path = DATA, seed: int = 7) -> list[Pair]:
    """All pairs with their label, both contexts and their split (``tune`` or ``held-out``)."""
    persons: list[tuple[list[str], dict[str, Any], str]] = []
    pairs: list[Pair] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            left, right = (part.strip() for part in line[1:].split("|"))
            pairs.append((left, right, False, {}, {}, "tune" if len(pairs) % 2 else "held-out"))
            continue
        written, _, context_text = line.partition(" @ ")
        split = "held-out" if len(persons) % 5 == 4 else "tune"
        persons.append(([name.strip() for name in written.split("|")], _context(context_text), split))
    for spellings, context, split in persons:
        for left, right in itertools.combinations(spellings, 2):
            pairs.append((left, right, True, context, context, split))
    rng = random.Random(seed)
    for (names_a, context_a, split_a), (names_b, context_b, split_b) in itertools.combinations(persons, 2):
        split = "held-out" if "held-out" in (split_a, split_b) else "tune"
        keys_a = {part for name in names_a for part in name_key(name).split()}
        keys_b = {part for name in names_b for part in name_key(name).split()}
        if keys_a & keys_b:  # a shared given or family name: the hard cases, namesakes among them
            for left, right in list(itertools.product(names_a, names_b))[:6]:
                pairs.append((left, right, False, context_a, context_b, split))
        elif rng.random() < 0.03:
            pairs.append((rng.choice(names_a), rng.choice(names_b), False, context_a, context_b, split))
    return pairs


def score(pairs: list[Pair], decide: Callable[[Pair], bool]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    errors = []
    for pair in pairs:
        predicted = decide(pair)
        if predicted and pair[2]:
            tp += 1
        elif predicted:
            fp += 1
            errors.append(("false merge", pair[0], pair[1]))
        elif pair[2]:
            fn += 1
            errors.append(("missed", pair[0], pair[1]))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(pairs), "same": tp + fn, "different": fp + tn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f": round(f, 3), "errors": errors}


def dhakira_matcher(pair: Pair) -> bool:
    left, right, _, context_left, context_right, _ = pair
    return compare(left, right, PersonContext.of(context_left), PersonContext.of(context_right), known=known_persons()).same


def _library_baselines() -> dict[str, Callable[[Pair], bool]]:
    """Plain uses of the libraries, each with its best threshold on the tuning split (see docs/persons.md)."""
    baselines: dict[str, Callable[[Pair], bool]] = {}
    try:
        from normality import ascii_text
        from rapidfuzz import fuzz

        def normality_rapidfuzz(pair: Pair) -> bool:
            return fuzz.token_sort_ratio(ascii_text(pair[0]) or "", ascii_text(pair[1]) or "") >= 80

        baselines["normality+rapidfuzz token_sort_ratio>=80"] = normality_rapidfuzz
    except ImportError:
        pass
    try:
        import icu
        from rapidfuzz import fuzz

        transform = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")

        def icu_rapidfuzz(pair: Pair) -> bool:
            return fuzz.token_sort_ratio(transform.transliterate(pair[0]), transform.transliterate(pair[1])) >= 80

        baselines["PyICU Any-Latin+rapidfuzz>=80"] = icu_rapidfuzz
    except ImportError:
        pass
    try:
        import jellyfish
        from normality import ascii_text

        def jellyfish_jw(pair: Pair) -> bool:
            return jellyfish.jaro_winkler_similarity(ascii_text(pair[0]) or "", ascii_text(pair[1]) or "") >= 0.9

        def jellyfish_metaphone(pair: Pair) -> bool:
            def code(text: str) -> str:
                return " ".join(jellyfish.metaphone(word) for word in (ascii_text(text) or "").split())
            return code(pair[0]) == code(pair[1])

        baselines["jellyfish jaro_winkler>=0.9"] = jellyfish_jw
        baselines["jellyfish metaphone equal"] = jellyfish_metaphone
    except ImportError:
        pass
    try:
        from rigour.names import NameTypeTag, analyze_names, compare_parts

        def rigour_compare(pair: Pair) -> bool:
            left = next(iter(analyze_names(NameTypeTag.PER, [pair[0]])), None)
            right = next(iter(analyze_names(NameTypeTag.PER, [pair[1]])), None)
            if left is None or right is None:
                return False
            alignments = compare_parts(list(left.parts), list(right.parts))
            weight = sum(item.weight for item in alignments) or 1.0
            return sum(item.score * item.weight for item in alignments) / weight >= 0.7

        baselines["rigour compare_parts>=0.7"] = rigour_compare
    except ImportError:
        pass
    try:
        from fingerprints import generate

        def fingerprints_equal(pair: Pair) -> bool:
            return generate(pair[0]) == generate(pair[1])

        baselines["fingerprints equal"] = fingerprints_equal
    except ImportError:
        pass
    return baselines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("tune", "held-out", "all"), default="tune")
    parser.add_argument("--libraries", action="store_true", help="score library baselines too")
    parser.add_argument("--errors", action="store_true", help="list the wrong decisions")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pairs = [pair for pair in load_pairs() if args.split == "all" or pair[5] == args.split]
    matchers: dict[str, Callable[[Pair], bool]] = {"dhakira.persons": dhakira_matcher}
    if args.libraries:
        matchers.update(_library_baselines())
    report: dict[str, Any] = {"split": args.split}
    for name, decide in matchers.items():
        started = time.perf_counter()
        result = score(pairs, decide)
        result["pairs_per_second"] = round(len(pairs) / max(time.perf_counter() - started, 1e-9))
        report[name] = result
    if args.json:
        print(json.dumps({name: {k: v for k, v in value.items() if k != "errors"} if isinstance(value, dict) else value
                          for name, value in report.items()}, ensure_ascii=False, indent=1))
        return 0
    first = report["dhakira.persons"]
    print(f"split {args.split}: {first['pairs']} pairs ({first['same']} same person, {first['different']} different)")
    for name, result in report.items():
        if name == "split":
            continue
        print(f"{name:45s} precision {result['precision']:.3f}  recall {result['recall']:.3f}  F {result['f']:.3f}"
              f"  ({result['pairs_per_second']} pairs/s)")
        if args.errors:
            for kind, left, right in result["errors"]:
                print(f"    {kind}: {left} | {right}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
