"""The incremental incident index and the batch entry point :func:`link_extractions`."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dhakira.link import embedding
from dhakira.link.blocking import BlockingIndex
from dhakira.link.clustering import DocumentPair, cluster_documents, document_pairs
from dhakira.link.features import add_content_features, structural_features
from dhakira.link.records import (
    DocumentProfile,
    IncidentRecord,
    document_entities,
    document_profile,
    incident_records,
    lead_of,
)
from dhakira.link.scoring import score_pair, veto_of, weak_evidence


@dataclass(frozen=True)
class LinkItem:
    """One document to link: a key (file name, archive id), its extraction object and optionally its text."""

    key: str
    extraction: Mapping[str, Any]
    text: str | None = None
    embedding: Any = None  # the lead's vector made earlier (``lead_vector``), so that it is not computed again
    profile: DocumentProfile | None = None  # its ``document_profile`` made earlier (where it was read), not made again


@dataclass(frozen=True)
class Link:
    """A compared pair of incidents: ``a``'s incident ``incident_a`` against ``b``'s ``incident_b``."""

    a: str
    b: str
    incident_a: int
    incident_b: int
    decision: str
    score: float
    features: dict[str, float | str] = field(default_factory=dict)


@dataclass
class LinkResult:
    """Clusters of document keys (two or more each) and the ``same``/``possible`` links behind them."""

    clusters: list[list[str]]
    links: list[Link]


class IncidentIndex:
    """Incidents of documents added one by one; each new document is compared through blocking only.

    ``embeddings``: None uses the bundled sentence encoder when it can be imported and a text is given;
    False never does. ``keep_different``: also return the ``different`` links (for review).
    ``keep_links``: also keep every returned link in memory (:attr:`links`); an archive stores them itself.
    Memory per document otherwise: its incident records, its text profile and its document-level links.
    """

    def __init__(
        self,
        *,
        embeddings: bool | None = None,
        cap: int = 64,
        max_candidates: int = 256,
        keep_different: bool = False,
        keep_links: bool = False,
        entity_counts: Mapping[str, int] | None = None,
        document_count: int = 0,
    ) -> None:
        self._blocking = BlockingIndex(cap=cap, max_candidates=max_candidates)
        self._records: list[IncidentRecord] = []
        self._documents: dict[str, DocumentProfile] = {}
        self._by_document: dict[str, list[IncidentRecord]] = {}
        self._pairs: dict[tuple[str, str], DocumentPair] = {}
        self._links: list[Link] = []
        self._embeddings = embedding.available() if embeddings is None else embeddings
        self._keep_different = keep_different
        self._keep_links = keep_links
        # Document frequencies of entities, for their rarity weights; a batch may seed them in advance.
        self._entity_counts: Counter[str] = Counter(entity_counts or {})
        self._seeded = document_count

    @property
    def blocking(self) -> BlockingIndex:
        """The blocking index (its ``queries`` and ``returned`` counters show the comparisons made)."""
        return self._blocking

    def __len__(self) -> int:
        """Number of incidents indexed."""
        return len(self._records)

    @property
    def documents(self) -> list[str]:
        """Keys of the documents indexed, in the order they were added."""
        return list(self._documents)

    @property
    def links(self) -> list[Link]:
        """Every ``same`` and ``possible`` link found so far (and ``different`` ones if kept), when the index
        was made with ``keep_links=True``; otherwise empty (the caller stores what ``add`` returns)."""
        return list(self._links)

    def add(self, item: LinkItem, *, compare: bool = True) -> list[Link]:
        """Index a document's incidents and return their links to incidents indexed before.

        ``compare=False`` indexes the document without comparing it with those before (and returns no link): for
        documents whose links are already known, brought in only to be compared with documents added later (an
        archive's stored records, loaded as candidates for a new one). What a later document is linked to is the
        same either way; the pairs among such documents are simply not scored again.

        Raises ``ValueError`` when a document with the same key is already indexed.
        """
        if item.key in self._documents:
            raise ValueError(f"{item.key!r} is already indexed")
        profile = item.profile if item.profile is not None and item.profile.key == item.key else document_profile(item.key, item.extraction, item.text)
        if self._embeddings and item.text and profile.lead:
            if item.embedding is not None:
                profile.embedding = item.embedding
            elif profile.embedding is None:  # a profile made earlier may carry its lead's vector
                vectors = embedding.embed([profile.lead])
                profile.embedding = vectors[0] if vectors else None
        self._documents[item.key] = profile
        self._weigh_entities(profile)
        records = incident_records(item.key, item.extraction, profile)
        found: list[Link] = []
        compared: list[tuple[str, str, float, str, bool]] = []
        for record in records if compare else []:
            for serial in self._blocking.candidates(record):
                other = self._records[serial]
                if other.key == record.key:
                    continue
                features = structural_features(record, other)
                if veto_of(features) and not self._keep_different:
                    continue  # texts are not read for pairs that cannot be one incident
                add_content_features(features, record, other)
                score, decision = score_pair(features)
                if "veto" not in features:
                    compared.append((record.key, other.key, score, decision, weak_evidence(features)))
                if decision != "different" or self._keep_different:
                    found.append(
                        Link(record.key, other.key, record.index, other.index, decision, score, features)
                    )
        self._by_document[item.key] = records
        for record in records:
            record.serial = len(self._records)
            self._records.append(record)
            self._blocking.add(record)
        # Only pairs worth a link are kept; contradictions are asked again by clustering (``conflict``).
        for pair, summary in document_pairs(compared).items():
            if summary.decision != "different":
                self._pairs[pair] = summary
        if self._keep_links:
            self._links.extend(found)
        return found

    def _weigh_entities(self, profile: DocumentProfile) -> None:
        """Count the document's entities and give each its normalised inverse document frequency."""
        if self._seeded:
            total = max(self._seeded, len(self._documents))
        else:
            self._entity_counts.update(profile.entities)
            total = len(self._documents)
        scale = math.log(total + 1)
        profile.entity_weights = {
            entity: (
                math.log((total + 1) / (self._entity_counts.get(entity, 0) + 1)) / scale if scale else 0.0
            )
            for entity in profile.entities
        }

    def clusters(self) -> list[list[str]]:
        """Current clusters of document keys (two or more each)."""
        return cluster_documents(self._documents, self._pairs, conflict=self.conflict)

    def conflict(self, key_a: str, key_b: str) -> bool:
        """True when two indexed documents have incidents and every pair of them is vetoed."""
        records_a, records_b = self._by_document.get(key_a, []), self._by_document.get(key_b, [])
        if not records_a or not records_b:
            return False
        for record_a in records_a:
            for record_b in records_b:
                if not veto_of(structural_features(record_a, record_b)):
                    return False
        return True


def lead_vector(extraction: Mapping[str, Any], text: str | None) -> Any:
    """The lead sentence's vector that ``IncidentIndex.add`` would compute for this document, or None
    (no text, no lead, or no encoder). Made where the document is read, it is passed back as ``LinkItem.embedding``."""
    return lead_vectors([(extraction, text)])[0]


def lead_vectors(documents: Sequence[tuple[Mapping[str, Any], str | None]]) -> list[Any]:
    """``lead_vector`` of each ``(extraction, text)``, the leads encoded together (a batch costs the encoder
    a fraction of what one call per lead does)."""
    if not embedding.available():
        return [None] * len(documents)
    return encode_leads([lead_of((extraction.get("document") or {}).get("title"), text) if text else "" for extraction, text in documents])


def encode_leads(leads: Sequence[str]) -> list[Any]:
    """The vectors of lead sentences (``DocumentProfile.lead``), encoded together; None for an empty lead or
    without the encoder."""
    vectors: list[Any] = [None] * len(leads)
    if not embedding.available():
        return vectors
    wanted = [position for position, lead in enumerate(leads) if lead]
    encoded = embedding.embed([leads[position] for position in wanted]) if wanted else []
    for position, vector in zip(wanted, encoded or [], strict=False):
        vectors[position] = vector
    return vectors


def link_extractions(items: Sequence[LinkItem], *, embeddings: bool | None = None) -> LinkResult:
    """Link a batch of documents: every item is added to a fresh :class:`IncidentIndex` in order.

    Keys must be unique (``ValueError`` otherwise). Entity rarity is counted over the whole batch first. ``embeddings``: None (default) compares the
    leads of items that carry their text with the bundled cross-lingual sentence encoder when it can be
    imported; False never does (faster, deterministic without the encoder).
    """
    counts: Counter[str] = Counter()
    for item in items:
        counts.update(document_entities(item.extraction))
    index = IncidentIndex(
        embeddings=embeddings, entity_counts=counts, document_count=len(items), keep_links=True
    )
    for item in items:
        index.add(item)
    return LinkResult(clusters=index.clusters(), links=index.links)
