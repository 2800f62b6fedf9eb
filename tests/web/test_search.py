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
    # بحماة in the Arabic text; the English report on Hama Central Prison is found through the town's id.
    assert codes("حماة") == {corpus["ar"].code, corpus["en"].code}
    assert codes("صيدنايا") == {corpus["ar2"].code}


def test_english_stemming(corpus) -> None:
    assert codes("prisoner transfer") == {corpus["en"].code}
    assert codes("released detainee") == {corpus["other"].code}


def test_phrase_or_and_not(corpus) -> None:
    assert codes('"hunger strike"') == {corpus["en"].code}
    assert codes('"strike hunger"') == set()
    # Hama may also reach the Arabic report (بحماة) through the place's id, when extraction found it.
    either = codes("Damascus OR Hama")
    assert either >= {corpus["en"].code, corpus["other"].code} and corpus["ar2"].code not in either
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


@pytest.mark.parametrize("query", ["السجون", "والسجون", "سجون"])
def test_broken_plural_finds_the_singular(corpus, query: str) -> None:
    assert corpus["ar"].code in codes(query)


def test_broken_plural_of_prisoner(corpus) -> None:
    # ARABIC says سجناء (prisoners); a search for the singular سجين finds it.
    assert codes("سجين") == {corpus["ar"].code}


# --- a linked archive: places, incidents, facets (tests/web/test_search_archive.py) ----------------------

from tests.web.test_search_archive import build_linked_archive  # noqa: E402


@pytest.fixture
def linked(db):
    return build_linked_archive()


def linked_codes(archive, *names: str) -> set[str]:
    return {archive.records[name].code for name in names}


@pytest.mark.parametrize("query", ["Saydnaya", "saydnaya", "Sednaya prison"])
def test_a_facility_name_finds_records_in_both_languages(linked, query: str) -> None:
    assert codes(query) == linked_codes(linked, "saydnaya_ar", "saydnaya_en")


def test_an_arabic_facility_name_finds_english_reports(linked) -> None:
    assert codes("سجن حماة المركزي") == linked_codes(linked, "hama_ar", "hama_en")
    # A quoted phrase is taken literally: no names resolved across languages.
    assert not codes('"سجن حماة المركزي"') & linked_codes(linked, "hama_en")


def test_an_event_type_finds_records_in_the_other_language(linked) -> None:
    assert codes("hunger strike") == linked_codes(linked, "hama_ar", "hama_en")
    assert codes("تعذيب") == linked_codes(linked, "saydnaya_ar", "saydnaya_en")


def test_names_are_resolved_from_the_archive_without_the_knowledge_base(linked, monkeypatch) -> None:
    from dhakira_web.archive.search import crosslingual

    monkeypatch.setattr(crosslingual, "_knowledge", lambda: None)
    assert codes("Hama Central Prison") == linked_codes(linked, "hama_ar", "hama_en")
    assert codes("سجن صيدنايا العسكري") == linked_codes(linked, "saydnaya_ar", "saydnaya_en")


def facets_of(query: str, user=None, **filters: str) -> dict[str, dict[str, int]]:
    payload = search_payload(query, user or AnonymousUser(), filters=filters, facets=True)
    return {name: {entry["value"]: entry["count"] for entry in values} for name, values in payload["facets"].items()}


def test_facet_counts_follow_the_query_and_the_policy(linked, django_user_model) -> None:
    from dhakira_web.archive.accounts import add_user

    facets = facets_of("Saydnaya")
    assert facets["facility"] == {"fac:saydnaya": 2}
    assert facets["language"] == {"ar": 1, "en": 1}
    assert facets["event_type"] == {"torture": 2, "death_in_custody": 2}
    assert facets["governorate"] == {"SY03": 2}
    add_user("facet-viewer", "viewer", password="x-password-1")
    viewer = django_user_model.objects.get(username="facet-viewer")
    assert facets_of("Saydnaya", viewer)["facility"] == {"fac:saydnaya": 3}
    assert facets_of("", viewer)["language"] == {"ar": 3, "en": 3}
    assert facets_of("", AnonymousUser())["language"] == {"ar": 2, "en": 3}
    assert facets_of("prison", language="en")["facility"] == {"fac:saydnaya": 1, "fac:hama-central": 1}


def test_facet_labels_are_bilingual(linked) -> None:
    english = search_payload("Hama", AnonymousUser(), facets=True, language="en")["facets"]
    arabic = search_payload("Hama", AnonymousUser(), facets=True, language="ar")["facets"]
    assert [entry["label"] for entry in english["facility"]] == ["Hama Central Prison"]
    assert [entry["label"] for entry in arabic["facility"]] == ["سجن حماة المركزي"]
    assert [entry["label"] for entry in arabic["governorate"]] == ["حماة"]
    assert english["event_type"][0]["label"] != arabic["event_type"][0]["label"]


def test_facet_filter_date_range_and_sort(linked) -> None:
    assert codes("prison OR سجن", facility="fac:hama-central") == linked_codes(linked, "hama_ar", "hama_en")
    assert codes("", event_type="hunger_strike", language="ar") == linked_codes(linked, "hama_ar")
    assert codes("", date_from="2016-05-01", date_to="2016-05-31") == linked_codes(linked, "hama_ar", "hama_en")
    assert codes("", date_from="2019") == linked_codes(linked, "cafe_en")
    assert codes("", date_from="not a date") == linked_codes(linked, "saydnaya_ar", "saydnaya_en", "hama_ar", "hama_en", "cafe_en")
    by_date = search_payload("Saydnaya OR Hama", AnonymousUser(), order="date")["results"]
    assert [hit["issue_date"] for hit in by_date] == sorted((hit["issue_date"] for hit in by_date), reverse=True)


def test_selected_facet_url_toggles_it_off(linked) -> None:
    facets = search_payload("Saydnaya", AnonymousUser(), facets=True, filters={"language": "ar"})["facets"]
    chosen = [entry for entry in facets["language"] if entry["selected"]]
    assert len(chosen) == 1 and "language=" not in chosen[0]["url"] and "q=Saydnaya" in chosen[0]["url"]


def test_search_over_a_queryset_with_joins_and_past_the_last_page(linked) -> None:
    from dhakira_web.archive import policy
    from dhakira_web.archive.search import search

    records = policy.visible_records(AnonymousUser()).filter(places__key="fac:hama-central")
    found = search("prison OR سجن", records, limit=10)
    assert {record_id for record_id, _ in found.hits} == {linked.records["hama_ar"].pk, linked.records["hama_en"].pk}
    assert found.total == 2
    for order in ("relevance", "date"):
        beyond = search_payload("Saydnaya", AnonymousUser(), offset=50, order=order)
        assert beyond["total"] == 2 and beyond["results"] == []


def test_long_document_snippet_finds_a_late_match(add_record) -> None:
    filler = "Nothing of note happened on this day in the town. " * 400
    record = add_record(filler + "Then the guards moved the detainees to Tadmor.", name="long.txt")
    hit = search_payload("Tadmor", AnonymousUser())["results"][0]
    assert hit["code"] == record.code
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Tadmor"]



def test_a_function_word_does_not_narrow_a_query_of_other_words(corpus, add_record) -> None:
    # Neither text holds "في" or "in": a reader's little word must not hide them.
    arabic = add_record("إضراب المعتقلين بسجن صيدنايا منذ أسبوعين.", name="strike-ar.txt")
    english = add_record("Hunger strikers at Saydnaya prison since last week.", name="strike-en.txt")
    assert arabic.code in codes("إضراب في صيدنايا")
    assert english.code in codes("strikers in Saydnaya")
    assert codes("strikers in Saydnaya") == codes("strikers Saydnaya")
    # Alone, a function word is searched as typed: the records that hold it.
    assert codes("in") == {corpus["en"].code, corpus["other"].code}
