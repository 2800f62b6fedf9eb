"""The knowledge base: aliases, p-codes, publishers, triggers, Arabic matching."""

from __future__ import annotations

import pytest

from dhakira.knowledge import knowledge, prepare
from dhakira.schema import ids, vocabulary


@pytest.mark.parametrize(
    ("written", "place_id", "kind"),
    [
        ("Idlib", "loc:C3871", "city"),
        ("Idleb", "loc:C3871", "city"),
        ("إدلب", "loc:C3871", "city"),
        ("Deir Ezzor", "loc:C5086", "city"),
        ("دير الزور", "loc:C5086", "city"),
        ("Lattakia", "loc:C3480", "city"),
        ("اللاذقية", "loc:C3480", "city"),
        ("Al-Hasakeh", "loc:C4360", "city"),
        ("الحسكة", "loc:C4360", "city"),
        ("Dar'a", "loc:C5993", "city"),
        ("Damascus countryside", "adm:SY03", "governorate"),
        ("Damascus suburbs", "adm:SY03", "governorate"),
        ("ريف دمشق", "adm:SY03", "governorate"),
        ("Aleppo province", "adm:SY02", "governorate"),
        ("Sidnaya Prison", "fac:saydnaya", "facility"),
        ("صدنايا", "fac:saydnaya", "facility"),
        ("Branch 235", "fac:branch-235", "facility"),
        ("الفرع 235", "fac:branch-235", "facility"),
        ("فرع فلسطين", "fac:branch-235", "facility"),
        ("Damascus Central Prison", "fac:adra", "facility"),
        ("Adra Women's Prison", "fac:adra-women", "facility"),
        ("سجن الصناعة", "fac:ghwayran", "facility"),
        ("al-Sina'a prison", "fac:ghwayran", "facility"),
        ("Hama Central Prison", "fac:hama-central", "facility"),
        ("Hama", "loc:C2987", "city"),
        ("سجن حماة", "fac:hama-central", "facility"),
        ("Palmyra prison", "fac:tadmor", "facility"),
        ("تدمر", "city:palmyra", "city"),
    ],
)
def test_place_aliases_resolve(written: str, place_id: str, kind: str) -> None:
    place = knowledge().place_by_name(written)
    assert place is not None, written
    assert (place.id, place.kind) == (place_id, kind)


def test_places_carry_pcodes_and_coordinates() -> None:
    kb = knowledge()
    hama = kb.places["loc:C2987"]
    assert hama.pcode == "C2987" and hama.admin1 == "SY05"
    assert 34 < (hama.lat or 0) < 36 and 36 < (hama.lon or 0) < 38
    assert kb.places["fac:hama-central"].admin1 == "SY05"
    assert kb.places["adm:SY03"].name_en == "Rural Damascus"


def test_a_landmark_placed_by_its_city_lies_in_that_citys_governorate() -> None:
    """Squares and bridges carry their city's p-code; exports and facets need the governorate too."""
    kb = knowledge()
    landmarks = [place for place in kb.places.values() if place.kind == "other" and (place.pcode or "").startswith("C")]
    assert landmarks
    for landmark in landmarks:
        city = kb.places[f"loc:{landmark.pcode}"]
        assert landmark.admin1 == city.admin1 and landmark.admin1, landmark.id
    assert kb.places["country:lb"].admin1 is None


@pytest.mark.parametrize(
    ("written", "organisation_id"),
    [
        ("ICRC", "org:icrc"),
        ("International Red Cross", "org:icrc"),
        ("الصليب الأحمر", "org:icrc"),
        ("Red Crescent", "org:sarc"),
        ("الهلال الأحمر", "org:sarc"),
        ("UN General Assembly", "org:unga"),
        ("OHCHR", "org:ohchr"),
        ("JDS", "org:jds"),
        ("الائتلاف الوطني", "org:snc"),
        ("فرانس برس", "org:afp"),
        ("داعش", "org:isis"),
        ("تنظيم الدولة", "org:isis"),
        ("قسد", "org:sdf"),
        ("Military Field Court", "org:military-field-court"),
        ("محكمة الإرهاب", "org:counter-terrorism-court"),
    ],
)
def test_organisation_aliases_resolve(written: str, organisation_id: str) -> None:
    organisation = knowledge().organisation_by_name(written)
    assert organisation is not None and organisation.id == organisation_id


def test_acronyms_need_their_case() -> None:
    assert knowledge().organisation_by_name("ICRC") is not None
    assert knowledge().organisation_by_name("icrc") is None


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.hrw.org/news/2016/05/06/syria", "Human Rights Watch"),
        ("http://sn4hr.org/blog/2014/12/03/2010/", "Syrian Network for Human Rights"),
        ("https://english.enabbaladi.net/archives/1", "Enab Baladi"),
        ("https://www.syriahr.com/en/123", "Syrian Observatory for Human Rights"),
        ("https://www.newarab.com/news/x", "The New Arab"),
    ],
)
def test_publisher_registry(url: str, name: str) -> None:
    publisher = knowledge().publisher_for_url(url)
    assert publisher is not None and publisher.organisation.name_en == name


def test_unknown_or_broken_urls_have_no_publisher() -> None:
    kb = knowledge()
    assert kb.publisher_for_url("https://example.org/a") is None
    assert kb.publisher_for_url(None) is None
    assert kb.publisher_for_url("http://[broken") is None


def test_every_event_type_has_triggers_in_both_languages() -> None:
    kb = knowledge()
    declared = set(ids("event_types"))
    assert declared == {term.id for term in vocabulary("event_types")}
    for event_type in declared:
        languages = {trigger.language for trigger in kb.triggers if trigger.event_type == event_type}
        assert languages == {"en", "ar"}, event_type
    assert {trigger.event_type for trigger in kb.triggers} <= declared


def test_organisation_actors_and_publishers_point_to_known_entries() -> None:
    kb = knowledge()
    for organisation in kb.organisations.values():
        assert organisation.actor is None or organisation.actor in kb.actors
    for publisher in kb.publishers.values():
        assert publisher.organisation.id in kb.organisations


def test_arabic_clitics_are_cut_from_the_span() -> None:
    kb = knowledge()
    text = "وقع الحادث وبسجن صيدنايا أمس"
    matches = kb.place_lexicon.find(prepare(text), text)
    assert [text[m.start:m.end] for m in matches] == ["سجن صيدنايا"]
    text = "قالت لوزارة الداخلية"
    found = kb.organisation_lexicon.find(prepare(text), text)
    assert [text[m.start:m.end] for m in found] == ["وزارة الداخلية"]


def test_arabic_article_distinguishes_country_from_adjective() -> None:
    kb = knowledge()
    text = "معتقلو الثورة السورية في سورية"
    matches = [m for m in kb.place_lexicon.find(prepare(text), text) if not m.payload.weak]
    assert [(text[m.start:m.end], m.payload.name_en) for m in matches] == [("سورية", "Syria")]


def test_common_words_are_weak_places() -> None:
    kb = knowledge()
    text = "مطالب الثورة"
    matches = kb.place_lexicon.find(prepare(text), text)
    assert matches and all(m.payload.weak for m in matches)


def test_tashkeel_and_arabic_indic_digits_do_not_hide_a_name() -> None:
    kb = knowledge()
    text = "نُقل إلى الفرع ٢٣٥ ثم إلى سِجْن صَيْدنايا"
    names = [m.payload.id for m in kb.place_lexicon.find(prepare(text), text)]
    assert names == ["fac:branch-235", "fac:saydnaya"]


def test_knowledge_is_loaded_once() -> None:
    assert knowledge() is knowledge()


def test_arabic_compound_names_match_joined_and_with_bi() -> None:
    kb = knowledge()
    joined = kb.place_by_name("كفرنبل")
    assert joined is not None and joined.pcode == "C4068"
    branch = kb.place_by_name("فرع المخابرات الجوية بحلب")
    assert branch is not None and branch.id == "fac:afi-aleppo"


def test_mirror_domains_fall_back_to_the_publisher_label() -> None:
    publisher = knowledge().publisher_for_url("https://www.amnesty.org.uk/press-releases/x")
    assert publisher is not None and publisher.organisation.id == "org:amnesty"
