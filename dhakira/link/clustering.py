"""Documents into clusters of reports of the same incident, from pairwise incident links.

Connected components over ``same`` links alone would chain: A is the same as B, B as C, so A joins C even
when A and C contradict each other. Here the strongest links are merged first (single link with
constraints): two groups are not merged when some document of one and some document of the other
contradict each other, that is *every* pair of their incidents is vetoed (different governorates or
facilities, dates far apart, unrelated event types): a cannot-link. Cannot-links come from the pairs given
(``all_vetoed``) or, for pairs that blocking never compared, from the ``conflict`` callback. A link between
two groups that are both already larger than one document must also be at least :data:`BRIDGE_MARGIN`
above the ``same`` threshold, so that one borderline link does not fuse two established clusters.
Finally a document left alone joins a cluster when it has ``possible`` links to at least
:data:`ATTACH_MIN_LINKS` of its members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from dhakira.link.scoring import THRESHOLDS

BRIDGE_MARGIN = 0.5
ATTACH_MIN_LINKS = 2


@dataclass(frozen=True)
class DocumentPair:
    """The best link between two documents, and whether every compared incident pair was vetoed."""

    a: str
    b: str
    score: float
    decision: str
    all_vetoed: bool
    weak_evidence: bool = True


def document_pairs(
    incident_links: Iterable[tuple[str, str, float, str, bool]],
) -> dict[tuple[str, str], DocumentPair]:
    """Fold (key a, key b, score, decision, weak evidence) of scored incident pairs (vetoed ones left out)
    into one entry per document pair, keeping the best-scoring incident pair.

    "Weak evidence" marks a ``possible`` pair that may count towards :func:`_attach_by_possible_links`:
    it shares an event type, its dates do not disagree, and it is not held back for want of a shared
    type or of support at country level."""
    best: dict[tuple[str, str], DocumentPair] = {}
    for key_a, key_b, score, decision, weak in incident_links:
        if key_a == key_b:
            continue
        pair = (key_a, key_b) if key_a < key_b else (key_b, key_a)
        current = best.get(pair)
        if current is None or score > current.score:
            best[pair] = DocumentPair(pair[0], pair[1], score, decision, False, weak)
    return best


def cluster_documents(
    keys: Iterable[str],
    pairs: Mapping[tuple[str, str], DocumentPair],
    same: float | None = None,
    conflict: Callable[[str, str], bool] | None = None,
    max_checks: int = 2500,
) -> list[list[str]]:
    """Clusters (of two or more documents) from document pairs; order: by first member, members sorted.

    ``conflict(a, b)``, when given, is asked about pairs of documents across two groups about to merge that
    were never compared (blocking kept them apart): True means every pair of their incidents is vetoed.
    At most ``max_checks`` such questions are asked per merge.
    """
    threshold = THRESHOLDS.same if same is None else same
    parent: dict[str, str] = {key: key for key in keys}
    members: dict[str, set[str]] = {key: {key} for key in parent}
    cannot: dict[str, set[str]] = {key: set() for key in parent}
    for pair in pairs.values():
        if pair.all_vetoed:
            cannot.setdefault(pair.a, set()).add(pair.b)
            cannot.setdefault(pair.b, set()).add(pair.a)
        parent.setdefault(pair.a, pair.a)
        parent.setdefault(pair.b, pair.b)
        members.setdefault(pair.a, {pair.a})
        members.setdefault(pair.b, {pair.b})

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    strong = sorted(
        (
            pair
            for pair in pairs.values()
            if not pair.all_vetoed and pair.decision == "same" and pair.score >= threshold
        ),
        key=lambda pair: (-pair.score, pair.a, pair.b),
    )
    for pair in strong:
        root_a, root_b = root(pair.a), root(pair.b)
        if root_a == root_b:
            continue
        group_a, group_b = members[root_a], members[root_b]
        if len(group_a) > 1 and len(group_b) > 1 and pair.score < threshold + BRIDGE_MARGIN:
            continue
        if any(cannot.get(key, set()) & group_b for key in group_a):
            continue
        if conflict is not None and _conflicting(group_a, group_b, pairs, conflict, max_checks):
            continue
        if len(group_a) < len(group_b):
            root_a, root_b = root_b, root_a
        parent[root_b] = root_a
        members[root_a] |= members.pop(root_b)
    _attach_by_possible_links(parent, members, pairs, cannot, root, conflict, max_checks)
    clusters = [sorted(group) for group in members.values() if len(group) > 1]
    return sorted(clusters, key=lambda group: group[0])


def _attach_by_possible_links(
    parent: dict[str, str],
    members: dict[str, set[str]],
    pairs: Mapping[tuple[str, str], DocumentPair],
    cannot: dict[str, set[str]],
    root: Callable[[str], str],
    conflict: Callable[[str, str], bool] | None,
    max_checks: int,
) -> None:
    """Let a document still alone join a cluster it has ``possible`` links to from several members.

    One weak link is a question for a reviewer; :data:`ATTACH_MIN_LINKS` weak links to different members
    of one cluster are collective evidence. Only links marked as weak evidence count (see
    :func:`document_pairs`). Repeated until nothing changes (a document that joined may
    bring the next one).
    """
    weak: dict[str, list[DocumentPair]] = {}
    for pair in pairs.values():
        if pair.all_vetoed or pair.decision != "possible" or not pair.weak_evidence:
            continue
        weak.setdefault(pair.a, []).append(pair)
        weak.setdefault(pair.b, []).append(pair)
    changed = True
    while changed:
        changed = False
        for key in sorted(weak):
            if len(members.get(root(key), ())) != 1:
                continue
            support: dict[str, int] = {}
            for pair in weak[key]:
                other = pair.b if pair.a == key else pair.a
                group = root(other)
                if len(members[group]) > 1:
                    support[group] = support.get(group, 0) + 1
            for group, count in sorted(support.items(), key=lambda entry: (-entry[1], entry[0])):
                if count < ATTACH_MIN_LINKS:
                    break
                if cannot.get(key, set()) & members[group]:
                    continue
                if conflict is not None and _conflicting({key}, members[group], pairs, conflict, max_checks):
                    continue
                parent[key] = group
                members[group] |= members.pop(key)
                changed = True
                break


def _conflicting(
    group_a: set[str],
    group_b: set[str],
    pairs: Mapping[tuple[str, str], DocumentPair],
    conflict: Callable[[str, str], bool],
    max_checks: int,
) -> bool:
    checks = 0
    for key_a in sorted(group_a):
        for key_b in sorted(group_b):
            pair = (key_a, key_b) if key_a < key_b else (key_b, key_a)
            if pair in pairs:
                continue
            checks += 1
            if checks > max_checks:
                return False
            if conflict(key_a, key_b):
                return True
    return False
