"""The Syrian Memory archive: a record page, as HTML or as text copied from the page.

A record page carries the site's mission line at the top, the document body (title, issuer lines,
date line, text), then a metadata block of labelled fields. The fields go into the Document; the
mission line, the metadata block and empty fields leave the clean text.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from dhakira.documents import ExternalId, ImportedAssessment
from dhakira.ingest.dates import parse_date
from dhakira.ingest.draft import Draft
from dhakira.schema import vocabulary
from dhakira.text import normalise

NAME = "syrian_memory"
HOSTS = ("syrianmemory.org",)
MISSION_OPENINGS = ("الذاكرة السورية هي ملك لكل السوريين", "the syrian memory belongs to all syrians")
BLOCK_HEADINGS = ("المعلومات الأساسية", "معلومات أساسية")
NO_INFORMATION = ("لايوجد معلومات حالية", "لا يوجد معلومات حالية", "لا توجد معلومات حالية")

ISSUE_DATE = "تاريخ الصدور"
DOCUMENT_TYPE = "نوع الوثيقة"
AREA = "المنطقة الجغرافية"
CODE = "كود الذاكرة السورية"
ENTITIES = "كيانات متعلقة"
PERSONS = "شخصيات مرتبطة"
DIARIES = "يوميات مرتبطة"
GRADE = "درجة الموثوقية"
LABELS = (ISSUE_DATE, DOCUMENT_TYPE, AREA, CODE, ENTITIES, PERSONS, DIARIES, GRADE)
LIST_FIELDS = {ENTITIES: "related_entities", PERSONS: "related_persons", DIARIES: "related_diaries"}

# Document types the site writes otherwise than the vocabulary's labels.
DOCUMENT_TYPE_ALIASES = {"خبر": "news_article"}
_MARKS = "✓✔☑☒●◉■▣⦿"
_BULLETS = "•*-·◦○□▪–—"
_MARKED = re.compile(rf"[{_MARKS}]|\[\s*[xX]\s*\]|\(\s*[xX]\s*\)")
_UNMARKED = re.compile(r"\[\s*\]|\(\s*\)|[☐○◯□]")
_MARKED_CLASS = re.compile(r"\b(?:active|selected|checked|current|chosen|is-checked|is-selected)\b", re.I)


def _key(text: str) -> str:
    return " ".join(normalise(text).replace(":", " ").split())


_LABEL_KEYS = {_key(label): label for label in LABELS}
_GRADES = {
    _key(label): term.id
    for term in vocabulary("syrian_memory_grades")
    for label in (term.ar, term.en)
}
_NO_INFORMATION_KEYS = {_key(value) for value in NO_INFORMATION}
_HEADING_KEYS = {_key(heading) for heading in BLOCK_HEADINGS}
_MISSION_KEYS = tuple(_key(opening) for opening in MISSION_OPENINGS)


def _label_of(line: str) -> tuple[str, str] | None:
    """(label, rest of the line) when the line starts with a field label."""
    key = _key(line)
    for label_key, label in _LABEL_KEYS.items():
        if key == label_key:
            return label, ""
        if key.startswith(label_key + " "):
            words = len(label.split())
            rest = re.sub(r"^\s*:?\s*", "", " ".join(line.replace(":", " : ", 1).split()[words:]))
            return label, rest.strip(" :")
    return None


def _is_mission(line: str) -> bool:
    key = _key(line)
    return any(key.startswith(opening) for opening in _MISSION_KEYS)


def _grade_option(line: str) -> tuple[str, bool] | None:
    """(grade id, marked) for a line that is one grade option."""
    marked = bool(_MARKED.search(line))
    bare = _UNMARKED.sub(" ", _MARKED.sub(" ", line)).strip().strip(_BULLETS).strip()
    grade = _GRADES.get(_key(bare))
    return (grade, marked) if grade else None


def _grade_from_options(options: list[tuple[str, bool]]) -> str | None:
    if not options:
        return None
    marked = [grade for grade, is_marked in options if is_marked]
    if len(marked) == 1:
        return marked[0]
    if len(options) == 1:
        return options[0][0]
    return "unspecified"


def parse_record_lines(lines: list[str]) -> tuple[list[str], dict[str, list[str]], list[tuple[str, bool]]]:
    """Split lines into (body lines, field values by label, grade options).

    The metadata block starts at the «basic information» heading or the first field label and runs
    while lines are labels, short values or grade options.
    """
    start = None
    for index, line in enumerate(lines):
        if _key(line) in _HEADING_KEYS or _label_of(line):
            start = index
            break
    if start is None:
        return lines, {}, []
    values: dict[str, list[str]] = {}
    options: list[tuple[str, bool]] = []
    current: str | None = None
    end = len(lines)
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line or _key(line) in _HEADING_KEYS:
            continue
        labelled = _label_of(line)
        if labelled:
            current = labelled[0]
            values.setdefault(current, [])
            if labelled[1]:
                rest_option = _grade_option(labelled[1]) if current == GRADE else None
                if rest_option:
                    options.append(rest_option)
                else:
                    values[current].append(labelled[1])
            continue
        if current == GRADE:
            option = _grade_option(line)
            if option:
                options.append(option)
                continue
            end = index
            break
        if current is None or len(line) > 150:
            end = index
            break
        values[current].append(line)
    return lines[:start] + lines[end:], values, options


def _empty(value: str) -> bool:
    return not value.strip() or _key(value) in _NO_INFORMATION_KEYS


_OPTION_TAGS = ("li", "label", "option")


def _html_grade(tree: Any) -> list[tuple[str, bool]]:
    """Grade options in the markup, each marked when its element says so (class, checked, aria)."""
    options: list[tuple[str, bool]] = []
    for element in tree.iter("li", "label", "option", "span", "div", "button"):
        text = " ".join("".join(element.itertext()).split())
        if not text or len(text) > 60:
            continue
        option = _grade_option(text)
        if option is None or any(len(child) for child in element if child.tag in ("li", "div")):
            continue
        grade, marked = option
        node: Any = element
        # The option itself, or the single-option wrappers around it (e.g. <li><label>…</label></li>).
        while node is not None and not marked:
            marked = bool(
                _MARKED_CLASS.search(node.get("class") or "")
                or node.get("aria-checked") == "true"
                or node.get("aria-selected") == "true"
                or node.get("selected") is not None
                or node.xpath(".//input[@checked]")
            )
            parent = node.getparent()
            if parent is None or sum(1 for _ in parent.iter(*_OPTION_TAGS)) > 1 + sum(1 for _ in node.iter(*_OPTION_TAGS)):
                break
            node = parent
        options.append((grade, marked))
    unique: dict[str, bool] = {}
    for grade, marked in options:
        unique[grade] = unique.get(grade, False) or marked
    return list(unique.items())


class SyrianMemoryAdapter:
    """Site adapter for Syrian Memory record pages."""

    name = NAME

    def matches(self, draft: Draft) -> bool:
        host = (urlsplit(draft.source_url).hostname or "") if draft.source_url else ""
        if any(host == known or host.endswith("." + known) for known in HOSTS):
            return True
        text = draft.text
        if draft.html is not None:
            text = " ".join(draft.html.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
        head = _key(text[:3000])
        if any(opening in head for opening in _MISSION_KEYS):
            return True
        return CODE in text and GRADE in text

    def apply(self, draft: Draft) -> None:
        if draft.html is not None:
            from dhakira.ingest.html import html_to_text

            # Page metadata dates describe the archive record, not the document: the record's
            # issue date or the document's own dateline decide.
            if draft.published:
                draft.fields["page_published"] = draft.published
            draft.published = draft.published_precision = None

            text = html_to_text(draft.html)
            options = _html_grade(draft.html)
        else:
            text, options = draft.text, []
        lines = [line for line in text.split("\n") if not _is_mission(line)]
        body, values, text_options = parse_record_lines(lines)
        options = options or text_options
        draft.text = "\n".join(line for line in body if _key(line) not in _NO_INFORMATION_KEYS)
        self._fields(draft, values, options)

    def _fields(self, draft: Draft, values: dict[str, list[str]], options: list[tuple[str, bool]]) -> None:
        def first(label: str) -> str | None:
            found = [value for value in values.get(label, []) if not _empty(value)]
            return found[0].strip() if found else None

        issued = first(ISSUE_DATE)
        if issued:
            parsed = parse_date(issued)
            if parsed:
                draft.published, draft.published_precision = parsed
            else:
                draft.warnings.append(f"Syrian Memory issue date not understood: {issued}")
        kind = first(DOCUMENT_TYPE)
        if kind:
            draft.fields["document_type_as_given"] = kind
            draft.doc_type = DOCUMENT_TYPE_ALIASES.get(kind) or self._vocabulary_type(kind) or "other"
        area = first(AREA)
        if area:
            draft.geographic_area = area
        code = first(CODE)
        if code:
            draft.external_ids.append(ExternalId("syrian_memory_code", code, draft.source_url))
        for label, field_name in LIST_FIELDS.items():
            if label in values:
                draft.fields[field_name] = [value.strip() for value in values[label] if not _empty(value)]
        grade = _grade_from_options(options)
        if grade is None and values.get(GRADE):
            grade = "unspecified"
        if grade is not None or GRADE in values:
            draft.assessments.append(
                ImportedAssessment("syrian_memory_grade", grade or "unspecified", "Syrian Memory")
            )

    @staticmethod
    def _vocabulary_type(label: str) -> str | None:
        wanted = _key(label)
        for term in vocabulary("document_types"):
            if _key(term.ar) == wanted or _key(term.en) == wanted:
                return term.id
        return None


ADAPTER = SyrianMemoryAdapter()
