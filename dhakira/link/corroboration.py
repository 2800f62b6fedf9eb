"""Corroboration of one incident across its reports: independent sources, figures side by side, a grade.

Independence follows the project's standards (section E1): two reports are independent only when they come
from different issuers and do not go back to the same upstream source. A repost, a translation or a
near-duplicate of another report counts once with it; reports that cite the same upstream (an observatory,
a news agency) count once together; a report that cites an issuer whose own report is present counts once
with that report.

Figures are never averaged: each ``what`` keeps every source's value, with the smallest and largest, so that
"at least 25" and "over 30" stand side by side.

:func:`suggest_grade` proposes an Admiralty *information* grade (1-6) with its reasons. It is a suggestion for
an analyst (``suggested=True``), never a final grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dhakira.link.features import jaccard
from dhakira.link.records import count_family, text_stems


@dataclass(frozen=True)
class Report:
    """One report of an incident as corroboration sees it.

    ``upstream``: the source it cites or relays (an organisation id such as ``org:sohr``, or the key of
    another report); ``duplicate_of``: the key of a report it reposts, translates or nearly duplicates;
    ``counts``: the figures it gives, as in the extraction contract (``what``, ``value``, ``qualifier``).
    """

    key: str
    issuer_id: str | None = None
    upstream: str | None = None
    duplicate_of: str | None = None
    counts: Sequence[Mapping[str, Any]] = ()
    language: str | None = None


@dataclass(frozen=True)
class FigureValue:
    """One source's figure: the report, its issuer, the label as given, the value and its qualifier."""

    key: str
    issuer_id: str | None
    what: str
    value: float
    qualifier: str
    source_group: int


@dataclass
class Figure:
    """The figures of one kind (``what`` family) side by side, with their range; never averaged."""

    what: str
    values: list[FigureValue] = field(default_factory=list)

    @property
    def minimum(self) -> float:
        return min(value.value for value in self.values)

    @property
    def maximum(self) -> float:
        return max(value.value for value in self.values)

    @property
    def agree(self) -> bool:
        """True when every source gives the same value."""
        return self.minimum == self.maximum

    @property
    def independent_sources(self) -> int:
        return len({value.source_group for value in self.values})


@dataclass(frozen=True)
class Tie:
    """Why two reports count as one source: ``same_issuer``, ``same_upstream``, ``duplicate`` or ``cites``."""

    key: str
    other: str
    reason: str


@dataclass
class Corroboration:
    """Reports grouped into independent sources, and their figures per kind."""

    reports: list[Report]
    groups: list[list[str]]
    figures: dict[str, Figure]
    ties: list[Tie] = field(default_factory=list)

    @property
    def independent_sources(self) -> int:
        return len(self.groups)

    @property
    def conflicting_figures(self) -> list[str]:
        """Kinds of figures on which the sources disagree."""
        return [what for what, figure in self.figures.items() if not figure.agree]


@dataclass(frozen=True)
class GradeSuggestion:
    """A proposed Admiralty information grade with its reasons in English and Arabic; never final."""

    grade: int
    label_en: str
    label_ar: str
    reasons_en: list[str]
    reasons_ar: list[str]
    suggested: bool = True


GRADE_LABELS: dict[int, tuple[str, str]] = {
    1: ("Confirmed by other sources", "مؤكد من مصادر أخرى"),
    2: ("Probably true", "مرجّح الصحة"),
    3: ("Possibly true", "محتمل الصحة"),
    4: ("Doubtful", "مشكوك فيه"),
    5: ("Improbable", "مستبعد"),
    6: ("Truth cannot be judged", "لا يمكن الحكم على صحته"),
}


def _source_groups(reports: Sequence[Report], ties: list[Tie] | None = None) -> list[list[str]]:
    parent = {report.key: report.key for report in reports}
    ties = ties if ties is not None else []

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(a: str, b: str, reason: str) -> None:
        root_a, root_b = root(a), root(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
            ties.append(Tie(a, b, reason))

    by_issuer: dict[str, str] = {}
    by_upstream: dict[str, str] = {}
    for report in reports:
        if report.issuer_id:
            join(report.key, by_issuer.setdefault(report.issuer_id, report.key), "same_issuer")
        if report.upstream:
            join(report.key, by_upstream.setdefault(report.upstream, report.key), "same_upstream")
        if report.duplicate_of and report.duplicate_of in parent:
            join(report.key, report.duplicate_of, "duplicate")
    for report in reports:
        # Citing another report, or an issuer whose own report is present.
        if report.upstream in parent:
            join(report.key, report.upstream, "cites")
        if report.upstream and report.upstream in by_issuer:
            join(report.key, by_issuer[report.upstream], "cites")
    groups: dict[str, list[str]] = {}
    for report in reports:
        groups.setdefault(root(report.key), []).append(report.key)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])


def corroboration(reports: Sequence[Report]) -> Corroboration:
    """Independent sources among the reports of one incident, and their figures side by side.

    Works on any subset of an incident's reports (e.g. those one reader may see): a report pointing
    (``duplicate_of``, ``upstream``) at a key outside the subset is simply not joined to it, so nothing
    about a report left out changes the result.
    """
    unique: dict[str, Report] = {}
    for report in reports:
        unique.setdefault(report.key, report)
    listed = list(unique.values())
    ties: list[Tie] = []
    groups = _source_groups(listed, ties)
    group_of = {key: number for number, group in enumerate(groups) for key in group}
    figures: dict[str, Figure] = {}
    for report in listed:
        for count in report.counts:
            try:
                value = float(count["value"])
            except (KeyError, TypeError, ValueError):
                continue
            what = str(count.get("what") or "count")
            family = count_family(what)
            figure = figures.setdefault(family, Figure(family))
            figure.values.append(
                FigureValue(
                    report.key,
                    report.issuer_id,
                    what,
                    value,
                    str(count.get("qualifier") or "exact"),
                    group_of[report.key],
                )
            )
    return Corroboration(reports=listed, groups=groups, figures=figures, ties=ties)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def suggest_grade(
    evidence: Corroboration,
    *,
    specific: bool = True,
    contradicted_by_independent: bool = False,
    contrary_evidence: bool = False,
    verified_primary_material: bool = False,
    figure_names: Mapping[str, tuple[str, str]] | None = None,
) -> GradeSuggestion:
    """Propose an information grade following the project's rules (section E1 of the standards).

    6 for a single claim that cannot be judged; 3 if it is specific (who, where, when, how many); 2 if a
    second source agrees without being shown independent; 1 with at least two independent sources or
    verified primary material; 4 when independent sources contradict it, 5 only with positive contrary
    evidence. Disagreeing figures do not lower the grade of the incident: their range is kept and noted.
    ``figure_names`` gives, per kind of figure, its name in English and Arabic for the reasons.
    """
    en: list[str] = []
    ar: list[str] = []
    sources, reports = evidence.independent_sources, len(evidence.reports)
    en.append(f"{reports} report{'s' if reports != 1 else ''} from {sources} independent source{'s' if sources != 1 else ''}.")
    ar.append(f"عدد التقارير {reports}، من {sources} {'مصدر مستقل' if sources == 1 else 'مصادر مستقلة'}.")
    if contrary_evidence:
        grade = 5
        en.append("Positive evidence contradicts the claim.")
        ar.append("توجد أدلة إيجابية تناقض الادعاء.")
    elif contradicted_by_independent:
        grade = 4
        en.append("Independent sources contradict the claim.")
        ar.append("مصادر مستقلة تناقض الادعاء.")
    elif sources >= 2 or verified_primary_material:
        grade = 1
        if sources >= 2:
            en.append("At least two independent sources agree on the incident.")
            ar.append("مصدران مستقلان على الأقل يتفقان على الحادثة.")
        if verified_primary_material:
            en.append("Verified primary material confirms it.")
            ar.append("مواد أولية تم التحقق منها تؤكده.")
    elif reports >= 2:
        grade = 2
        en.append(
            "A second report agrees but is not shown to be independent "
            "(same issuer, repost or same upstream)."
        )
        ar.append(
            "تقرير ثانٍ يتفق معه لكن استقلاله غير مثبت (الجهة نفسها أو إعادة نشر أو المصدر الأصلي نفسه)."
        )
    elif specific:
        grade = 3
        en.append("A single source, but specific (who, where, when, how many).")
        ar.append("مصدر واحد لكنه محدد (من وأين ومتى وكم).")
    else:
        grade = 6
        en.append("A single, unspecific claim: no basis to judge.")
        ar.append("ادعاء وحيد غير محدد: لا أساس للحكم عليه.")
    for what in evidence.conflicting_figures:
        figure = evidence.figures[what]
        name_en, name_ar = (figure_names or {}).get(what, (what, what))
        en.append(
            f"Figures for '{name_en}' differ between sources ({_number(figure.minimum)} to "
            f"{_number(figure.maximum)}); the range is kept, not averaged."
        )
        ar.append(
            f"تختلف الأرقام بشأن '{name_ar}' بين المصادر (من {_number(figure.minimum)} إلى "
            f"{_number(figure.maximum)})؛ يُحتفظ بالمدى دون حساب متوسط."
        )
    en.append("This grade is a suggestion for an analyst to review, not a final assessment.")
    ar.append("هذا التقييم اقتراح يراجعه المحلل، وليس تقييماً نهائياً.")
    label_en, label_ar = GRADE_LABELS[grade]
    return GradeSuggestion(grade, label_en, label_ar, en, ar, suggested=True)


def reports_from_items(
    items: Sequence[Any],
    incidents: Mapping[str, Sequence[int]] | None = None,
    *,
    near_duplicate: float = 0.7,
    upstream: Mapping[str, str] | None = None,
) -> list[Report]:
    """Reports of one incident from link items (``key``, ``extraction``, ``text``) of a cluster.

    ``incidents`` names, per key, the indexes of the incidents that belong to the incident at hand (their
    counts are taken; all incidents when a key is missing). Two items in one language whose texts share at
    least ``near_duplicate`` of their stems (Jaccard) are taken as a repost: the later one is marked
    ``duplicate_of`` the earlier. ``upstream`` gives, per key, a cited source when the caller knows it.
    """
    reports: list[Report] = []
    seen: list[tuple[str, str | None, frozenset[str]]] = []
    for item in items:
        extraction = item.extraction
        document = extraction.get("document") or {}
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else None
        language = document.get("language")
        wanted = None if incidents is None else incidents.get(item.key)
        counts: list[Mapping[str, Any]] = []
        for index, incident in enumerate(extraction.get("incidents") or ()):
            if wanted is None or index in wanted:
                counts.extend(incident.get("counts") or ())
        stems = text_stems(item.text) if item.text else frozenset()
        duplicate_of = None
        for key, other_language, other_stems in seen:
            if stems and other_language == language and (jaccard(stems, other_stems) or 0.0) >= near_duplicate:
                duplicate_of = key
                break
        seen.append((item.key, language, stems))
        reports.append(
            Report(
                key=item.key,
                issuer_id=issuer_id,
                upstream=(upstream or {}).get(item.key),
                duplicate_of=duplicate_of,
                counts=counts,
                language=language,
            )
        )
    return reports
