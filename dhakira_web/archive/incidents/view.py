"""The incident page as a function of (incident, the reports a reader may see, language).

Nothing here reads a value computed over all of an incident's reports (its stored title, date, kinds,
perpetrator, credibility or link features): headline, figures and their ranges, the timeline, the
count of independent sources and the suggested grade with its reasons are all computed from the
``reports`` given, which the caller takes from ``policy.visible_reports``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dhakira.knowledge import knowledge
from dhakira.link import Report, corroboration, suggest_grade
from dhakira.link.records import count_family
from dhakira.schema import term
from dhakira_web.archive.incidents import words
from dhakira_web.archive.incidents.facts import IncidentFacts, facts_of, places_of
from dhakira_web.archive.models import Claim, Incident, IncidentReport, Record

Shown = Callable[[Record, str], str]  # a record's text as the reader may read it


def _as_stored(record: Record, text: str) -> str:
    return text


LANGUAGE_NAMES = {"ar": ("Arabic", "العربية"), "en": ("English", "الإنجليزية")}
# Link features that describe the other record of a compared pair.
PAIR_FEATURE = "compared_record"
TIE_WORDS = {
    "same_issuer": ("same publisher", "الناشر نفسه"),
    "same_upstream": ("relays the same origin", "ينقل عن المصدر الأصلي نفسه"),
    "duplicate": ("republication or translation", "إعادة نشر أو ترجمة"),
    "cites": ("cites the other report", "ينقل عن التقرير الآخر"),
}


# Arabic nouns after a number: one, two, three to ten, eleven and more.
REPORT_NOUNS = ("تقرير", "تقريران", "تقارير", "تقريراً")
SOURCE_NOUNS = ("مصدر مستقل", "مصدران مستقلان", "مصادر مستقلة", "مصدراً مستقلاً")


def _arabic_noun(number: int, forms: tuple[str, str, str, str]) -> str:
    if number == 1:
        return forms[0]
    if number == 2:
        return forms[1]
    return forms[2] if 3 <= number % 100 <= 10 else forms[3]


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language.startswith("ar") else pair[0]


def _context(text: str, position: int, direction: int, width: int = 70) -> str:
    """Up to ``width`` characters of ``text`` before (-1) or after (1) ``position``, cut at a space."""
    if direction < 0:
        piece = text[max(0, position - width):position]
        space = piece.find(" ")
        return piece[space + 1:] if position > width and space >= 0 else piece
    piece = text[position:position + width]
    space = piece.rfind(" ")
    return piece[:space] if position + width < len(text) and space > 0 else piece


def publisher(record: Record) -> str:
    """Who published a record, as the archive names it."""
    return record.issuer or record.source_name or record.code


def publisher_key(record: Record) -> str | None:
    """The key two reports of one publisher share: the issuer organisation, else the issuer as written."""
    if record.issuer_organisation_id and record.issuer_organisation is not None:
        return record.issuer_organisation.key
    return record.issuer.strip().casefold() or None


def _origin_of(record: Record, codes: set[str]) -> str | None:
    """The visible record this one republishes or translates (a near-duplicate, or named in its fields)."""
    if record.duplicate_of_id and record.duplicate_of is not None and record.duplicate_of.code in codes:
        return record.duplicate_of.code
    for name in ("translation_of", "republished_from"):
        code = (record.fields or {}).get(name) if isinstance(record.fields, dict) else None
        if isinstance(code, str) and code in codes:
            return code
    return None


def _whole(value: float | None) -> float | int | None:
    return int(value) if value is not None and value == int(value) else value


def _figure_value(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def shown_decision(decision: str, everything: bool) -> str:
    """How a report was linked, as shown: "origin" and "same" become "linked" for a reader who does not see
    every report (a public report marked "same" with no public "origin" would tell that one is hidden)."""
    if everything or decision == "possible":
        return decision
    return "linked"


def _timeline(reports: Sequence[IncidentReport], counted: set[int], language: str, everything: bool,
              shown: Shown) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for report in reports:
        record = report.record
        row = rows.get(record.pk)
        if row is not None:  # one record reporting the incident in several places: one row
            row["counted"] = row["counted"] or report.pk in counted
            continue
        rows[record.pk] = {
            "date": record.issue_date or None,
            "date_words": words.date_words(record.issue_date, language) or None,
            "code": record.code, "title": shown(record, record.title), "publisher": publisher(record),
            "issuer": record.issuer or None, "language": record.language, "language_label": _pick(LANGUAGE_NAMES.get(record.language, (record.language,) * 2), language),
            "decision": shown_decision(report.decision, everything), "counted": report.pk in counted,
            "url": f"/records/{record.code}",
        }
    return sorted(rows.values(), key=lambda row: (row["date"] or "9999", row["code"]))


def reviewed_counts(claims: Iterable[Claim]) -> list[Claim]:
    """The machine's counts as reviewers left them: a rejected count is left out, a corrected one carries the
    reviewer's value, thing counted and qualifier (the machine's value kept as ``machine_value``).

    The claims are changed in memory only; figures, ranges, agreement and the suggested grade read these.
    """
    kept = [claim for claim in claims if claim.review != "rejected"]
    corrections = {correction.corrects_id: correction for correction in
                   Claim.objects.filter(corrects__in=[claim.pk for claim in kept if claim.review == "corrected"],
                                        review="correction").order_by("pk")}
    for claim in kept:
        correction = corrections.get(claim.pk)
        claim.machine_value = None
        if correction is not None:
            claim.machine_value = claim.value
            claim.value, claim.what, claim.qualifier = correction.value, correction.what, correction.qualifier
    return kept


def _figures(claims: Sequence[Claim], language: str, shown: Shown) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    flat: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for claim in claims:
        value = _figure_value(claim.value)
        if value is None:
            continue
        record = claim.record
        what = claim.what or "count"
        family = count_family(what)
        qualifier = claim.qualifier or "exact"
        item = {
            "what": what, "what_name": words.counted_name(what, language, value), "family": family,
            "value": _whole(value), "qualifier": qualifier,
            "qualifier_words": term("count_qualifiers", qualifier).label(language) if qualifier != "exact" else "",
            "amount": words.quantity(value, qualifier, language),
            "phrase": words.figure_words(value, qualifier, what, language),
            "record": record.code, "issuer": record.issuer or None, "publisher": publisher(record),
            "language": record.language, "span": [claim.start, claim.end],
            "quote": shown(record, record.text[claim.start:claim.end]),
            "before": shown(record, _context(record.text, claim.start, -1)),
            "after": shown(record, _context(record.text, claim.end, 1)),
            "url": f"/records/{record.code}",
            "corrected_from": _whole(_figure_value(claim.machine_value)) if getattr(claim, "machine_value", None) else None,
        }
        flat.append(item)
        group = groups.setdefault(family, {"what": family, "values": []})
        group["values"].append(item)
    result = []
    for family, group in sorted(groups.items(), key=lambda pair: (-len(pair[1]["values"]), pair[0])):
        values = [float(item["value"]) for item in group["values"]]
        low, high = min(values), max(values)
        kinds = {item["what"] for item in group["values"]}
        # Named by what every figure counts when they agree on it, else by their family ("dead" for killed and dead).
        named = kinds.pop() if len(kinds) == 1 else family if _counted(family) else group["values"][0]["what"]
        result.append({
            "what": family,
            "name": _group_name(named, language),
            "name_en": _group_name(named, "en"), "name_ar": _group_name(named, "ar"),
            "minimum": group["values"][values.index(low)]["value"], "maximum": group["values"][values.index(high)]["value"],
            "range": words.range_words(low, high, language), "agree": low == high,
            "sources": len({item["publisher"] for item in group["values"]}),
            "figures": group["values"],
        })
    return flat, result


def _counted(what: str) -> bool:
    try:
        term("counted", what)
    except KeyError:
        return False
    return True


def _group_name(family: str, language: str) -> str:
    """The heading of a group of figures: the plural counted noun in Arabic, the noun in English."""
    return words.counted_name(family, language, 5 if language.startswith("ar") else None)


def _independence(reports: Sequence[IncidentReport], counted: set[int], claims: Sequence[Claim],
                  language: str) -> tuple[Any, dict[str, Any]]:
    records: dict[str, Record] = {}
    for report in reports:
        if report.pk in counted:
            records.setdefault(report.record.code, report.record)
    codes = set(records)
    figures: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.record.code in codes:
            figures.setdefault(claim.record.code, []).append(
                {"what": claim.what or "count", "value": claim.value, "qualifier": claim.qualifier or "exact"})
    core = [Report(key=code, issuer_id=publisher_key(record), duplicate_of=_origin_of(record, codes),
                   upstream=None, counts=figures.get(code, []), language=record.language)
            for code, record in sorted(records.items(), key=lambda pair: (pair[1].issue_date or "9999", pair[0]))]
    evidence = corroboration(core)
    why: dict[str, list[str]] = {}
    for tie in evidence.ties:
        why.setdefault(tie.key, []).append(tie.reason)
    sources = []
    by_date = {code: index for index, code in enumerate(report.key for report in core)}  # earliest first
    for group in sorted((sorted(group, key=by_date.__getitem__) for group in evidence.groups), key=lambda group: by_date[group[0]]):
        first = records[group[0]]
        sources.append({
            "publisher": publisher(first),
            "publishers": sorted({publisher(records[code]) for code in group}),
            "reports": [{"code": code, "publisher": publisher(records[code]), "language": records[code].language,
                         "url": f"/records/{code}", "why": [_pick(TIE_WORDS[reason], language) for reason in why.get(code, [])],
                         "why_ids": why.get(code, [])} for code in group],
        })
    count, independent = len(evidence.reports), evidence.independent_sources
    if language.startswith("ar"):
        summary = f"{count} {_arabic_noun(count, REPORT_NOUNS)} من {independent} {_arabic_noun(independent, SOURCE_NOUNS)}"
    else:
        summary = f"{count} report{'s' if count != 1 else ''} from {independent} independent source{'s' if independent != 1 else ''}"
    return evidence, {"reports": count, "sources": independent, "summary": summary, "groups": sources,
                      "languages": sorted({record.language for record in records.values()})}


def incident_view(incident: Incident, reports: Sequence[IncidentReport], language: str = "en", *,
                  show_link_features: bool = False, facts: IncidentFacts | None = None,
                  shown: Shown | None = None) -> dict[str, Any]:
    """Everything shown of ``incident``, computed from ``reports`` alone (the reports the reader may see).

    ``reports`` need their records loaded (``select_related("record", "record__issuer_organisation",
    "record__duplicate_of")``). Link features of a report are shown when the record it was compared
    with is among the reports, or, for features that do not name it, when ``show_link_features``
    (the reader sees every report of the incident). ``shown`` gives a record's text as the reader may
    read it (redactions applied, see ``policy.shown_text``); every title and quote passes through it.
    """
    shown = shown or _as_stored
    if not reports:
        raise PermissionError(incident.pk)
    facts = facts or facts_of(incident, reports)
    place = places_of([facts]).get(facts.place_key)
    place_name = words_name(place, language) if place else ""
    counted = set(facts.reports)
    claims = reviewed_counts(Claim.objects.filter(incident_report__in=[report.pk for report in reports if report.pk in counted],
                                                  field="count").select_related("record").order_by("record__issue_date", "record_id", "start"))
    flat, groups = _figures(claims, language, shown)
    evidence, independence = _independence(reports, counted, claims, language)
    named = {group["what"]: (group["name_en"], group["name_ar"]) for group in groups}
    names = {family: named.get(family, (family, family)) for family in evidence.figures}
    grade = suggest_grade(evidence, specific=bool(place and facts.date), figure_names=names)
    visible_records = {report.record_id for report in reports}
    status = incident.status
    if status in ("alleged", "corroborated"):
        status = "corroborated" if evidence.independent_sources >= 2 else "alleged"
    reasons_en, reasons_ar = _source_reasons(independence, groups, evidence)
    reasons_en = grade.reasons_en[:-1] + reasons_en + grade.reasons_en[-1:]
    reasons_ar = grade.reasons_ar[:-1] + reasons_ar + grade.reasons_ar[-1:]
    reasons = reasons_ar if language.startswith("ar") else reasons_en
    return {
        "id": incident.pk,
        "title": words.headline(facts.event_types, place_name, facts.date, language),
        "title_en": words.headline(facts.event_types, words_name(place, "en") if place else "", facts.date, "en"),
        "title_ar": words.headline(facts.event_types, words_name(place, "ar") if place else "", facts.date, "ar"),
        "event_types": [{"id": kind, "label": term("event_types", kind).label(language)} for kind in facts.event_types
                        if _known_event(kind)],
        "place": {"id": place.key, "name_en": place.name_en, "name_ar": place.name_ar, "name": place_name} if place else None,
        "date": facts.date or None,
        "date_words": words.date_words(facts.date, language) or None,
        "date_precision": facts.date_precision,
        "perpetrator": perpetrator_name(facts.perpetrator, language) or None,
        "perpetrator_id": facts.perpetrator if facts.perpetrator in knowledge().actors else None,
        "status": status,
        "status_label": term("incident_statuses", status).label(language),
        "suggested_credibility": str(grade.grade),
        "credibility_reasons": [{"en": en, "ar": ar} for en, ar in zip(reasons_en, reasons_ar, strict=True)],
        "suggested_grade": {"grade": str(grade.grade), "words": words.grade_words(grade.grade, language),
                            "label_en": grade.label_en, "label_ar": grade.label_ar, "reasons": reasons, "suggested": True},
        # Reviewers' grades of this incident appear here, beside the suggestion (see docs/incidents.md).
        "grades": [],
        "corroboration": independence,
        "reports": [_report_row(report, language, visible_records, show_link_features, counted, shown) for report in reports],
        "figures": flat,
        "figures_by_what": groups,
        "timeline": _timeline(reports, counted, language, show_link_features, shown),
    }


def _source_reasons(independence: dict[str, Any], groups: list[dict[str, Any]], evidence: Any) -> tuple[list[str], list[str]]:
    """Reasons naming the sources, what was counted once, and the figures the sources agree on."""
    en: list[str] = []
    ar: list[str] = []
    names = [source["publisher"] for source in independence["groups"]]
    if names:
        en.append("Independent sources: " + "; ".join(names) + ".")
        ar.append("المصادر المستقلة: " + "؛ ".join(names) + ".")
    for source in independence["groups"]:
        joined = [report for report in source["reports"][1:] if report["why_ids"]]
        if joined:
            origin = source["reports"][0]["code"]
            en.append(f"Counted once with {origin}: " + ", ".join(
                f"{report['code']} ({', '.join(TIE_WORDS[why][0] for why in report['why_ids'])})" for report in joined) + ".")
            ar.append(f"يُحتسب مع {origin} مرة واحدة: " + "، ".join(
                f"{report['code']} ({'، '.join(TIE_WORDS[why][1] for why in report['why_ids'])})" for report in joined) + ".")
    for group in groups:
        figure = evidence.figures.get(group["what"])
        if group["agree"] and figure is not None and figure.independent_sources >= 2:
            en.append(f"{figure.independent_sources} independent sources agree on {group['range']} {group['name_en']}.")
            ar.append(f"{figure.independent_sources} مصادر مستقلة تتفق على {group['range']} {group['name_ar']}.")
    return en, ar


def _known_event(kind: str) -> bool:
    try:
        term("event_types", kind)
    except KeyError:
        return False
    return True


def perpetrator_name(perpetrator: str, language: str) -> str:
    """A perpetrator in ``language`` when it is a known actor id, else as the report gave it."""
    actor = knowledge().actors.get(perpetrator)
    if actor is None:
        return perpetrator
    return (actor.label_ar or actor.label_en) if language.startswith("ar") else actor.label_en


def words_name(place: Any, language: str) -> str:
    """A place's name in ``language`` (English when no Arabic name is known)."""
    return (place.name_ar or place.name_en) if language.startswith("ar") else place.name_en


def _report_row(report: IncidentReport, language: str, visible_records: set[int], show_features: bool,
                counted: set[int], shown: Shown) -> dict[str, Any]:
    record = report.record
    features = dict(report.features or {})
    compared = features.pop(PAIR_FEATURE, None)
    allowed = compared in visible_records if compared is not None else show_features
    return {
        "code": record.code, "title": shown(record, record.title), "language": record.language,
        "issue_date": record.issue_date or None,
        "issuer": record.issuer or None, "publisher": publisher(record), "url": f"/records/{record.code}",
        "report_id": report.pk, "decision": shown_decision(report.decision, show_features), "counted": report.pk in counted,
        "score": report.score if allowed else None, "features": features if allowed else {},
        "review": report.review or None,
    }
