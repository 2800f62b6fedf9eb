"""Search behaves the same on SQLite FTS5 and PostgreSQL (this module runs on both)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive.payloads import search_payload

ARABIC = "أفاد ناشطون بأن المعتقلين في السجن المركزي بحماة بدأوا إضراباً عن الطعام بعد نقل خمسة سجناء."
ARABIC_2 = "سُجِنَ الناشط في صيدنايا ثلاث سنوات قبل الإفراج عنه."
ENGLISH = "Prisoners in Hama Central Prison went on hunger strike after five inmates were transferred."
OTHER = "Families of the missing gathered near the bridge in Damascus to wait for released detainees."


@pytest.fixture
def corpus(add_record):
    return {name: add_record(text, name=f"{name}.txt") for name, text in (("ar", ARABIC), ("ar2", ARABIC_2), ("en", ENGLISH), ("other", OTHER))}


def codes(query: str, **filters: str) -> set[str]:
    return {hit["code"] for hit in search_payload(query, AnonymousUser(), filters=filters, limit=50)["results"]}


@pytest.mark.parametrize("query", ["سجن", "السجن", "بالسجن", "سُجن", "والسجن"])
def test_arabic_word_forms_match(corpus, query: str) -> None:
    assert corpus["ar"].code in codes(query)


def test_proclitic_on_a_name_matches(corpus) -> None:
    assert codes("حماة") == {corpus["ar"].code}
    assert codes("صيدنايا") == {corpus["ar2"].code}


def test_english_stemming(corpus) -> None:
    assert codes("prisoner transfer") == {corpus["en"].code}
    assert codes("released detainee") == {corpus["other"].code}


def test_phrase_or_and_not(corpus) -> None:
    assert codes('"hunger strike"') == {corpus["en"].code}
    assert codes('"strike hunger"') == set()
    assert codes("Damascus OR Hama") == {corpus["en"].code, corpus["other"].code}
    assert codes("prison -Hama") == set()
    assert codes("detainees NOT bridge") == set()


@pytest.mark.parametrize("query", ['"', "(((", "AND", "NOT NOT", "*", "-", "حماة)", '"سجن', "''", "\\", "%_", "a" * 5000])
def test_no_query_raises(corpus, query: str) -> None:
    result = search_payload(query, AnonymousUser())
    assert result["total"] == len(result["results"])


def test_filters_and_snippets(corpus) -> None:
    assert codes("سجن OR prison", language="ar") == {corpus["ar"].code, corpus["ar2"].code}
    hit = search_payload("حماة", AnonymousUser())["results"][0]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["بحماة"]


def test_pagination_counts_all(corpus) -> None:
    first = search_payload("سجن OR prison OR detainees", AnonymousUser(), limit=2)
    second = search_payload("سجن OR prison OR detainees", AnonymousUser(), limit=2, offset=2)
    assert first["total"] == 4 and len(first["results"]) == 2 and len(second["results"]) == 2
    assert not {h["code"] for h in first["results"]} & {h["code"] for h in second["results"]}
