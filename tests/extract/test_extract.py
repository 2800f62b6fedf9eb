"""Extraction on short documents written for the tests: places, organisations, events, incidents."""

from __future__ import annotations

from typing import Any

from dhakira.extract import SCHEMA, extract_text
from tests.extract.fixture_texts import (
    GHWAYRAN_AR,
    HAMA_PRESS_RELEASE,
    HOMS_HUNGER_STRIKE_AR,
    SAYDNAYA_REPORT,
    WISHES,
)


def _spans_ok(text: str, result: dict[str, Any]) -> None:
    for key in ("places", "organisations", "persons"):
        for item in result[key]:
            assert item["spans"], item
            for start, end in item["spans"]:
                assert 0 <= start < end <= len(text)
    for incident in result["incidents"]:
        assert incident["evidence"]
        for start, end in incident["evidence"]:
            assert 0 <= start < end <= len(text)
        for count in incident["counts"]:
            start, end = count["span"]
            assert str(count["value"]) in text[start:end].replace(",", "") or not text[start:end].isdigit()


def _place(result: dict[str, Any], place_id: str) -> dict[str, Any]:
    matches = [place for place in result["places"] if place["id"] == place_id]
    assert matches, [place["id"] for place in result["places"]]
    return matches[0]


def test_hama_press_release() -> None:
    text = HAMA_PRESS_RELEASE
    result = extract_text(text, source_url="https://www.hrw.org/news/2016/05/06/syria-hama-prison")
    assert result["schema"] == SCHEMA and result["error"] is None
    _spans_ok(text, result)
    document = result["document"]
    assert document["language"] == "en"
    assert document["doc_type"] == "press_release"
    assert document["published"] == "2016-05-06"
    assert document["issuer"]["canonical_en"] == "Human Rights Watch"
    assert document["title"] == "Security forces storm Hama Central Prison"

    prison = _place(result, "fac:hama-central")
    assert prison["kind"] == "facility" and prison["canonical_en"] == "Hama Central Prison"
    assert all(text[start:end] == "Hama Central Prison" for start, end in prison["spans"])
    city = _place(result, "loc:C2987")
    assert city["kind"] == "city" and city["pcode"] == "C2987"
    # "Hama" inside "Hama Central Prison" is the facility, never the city.
    assert all(text[end:end + 8] != " Central" for _, end in city["spans"])

    organisations = {item["id"] for item in result["organisations"]}
    assert {"org:sarc", "org:icrc", "org:military-field-court"} <= organisations

    main = [i for i in result["incidents"] if i["place_id"] == "fac:hama-central" and "storming" in i["event_types"]]
    assert len(main) == 1
    incident = main[0]
    assert {"storming", "tear_gas", "suffocation"} <= set(incident["event_types"])
    assert incident["date"] == "2016-05-06" and incident["date_precision"] == "day"
    assert incident["perpetrator_en"] == "Syrian government forces"
    assert {(c["value"], c["qualifier"]) for c in incident["counts"]} >= {(25, "at_least")}


def test_arabic_hunger_strike_in_homs() -> None:
    text = HOMS_HUNGER_STRIKE_AR
    result = extract_text(text, source_url="https://www.enabbaladi.net/archives/2017/10/190000")
    _spans_ok(text, result)
    assert result["document"]["language"] == "ar"
    assert result["document"]["issuer"]["id"] == "org:enab-baladi"
    assert result["document"]["doc_type"] == "news_article"
    prison = _place(result, "fac:homs-central")
    assert prison["canonical_ar"] == "سجن حمص المركزي"
    assert all(text[start:end] == "سجن حمص المركزي" for start, end in prison["spans"])
    organisations = {item["id"] for item in result["organisations"]}
    assert {"org:sohr", "org:icrc", "org:counter-terrorism-court"} <= organisations
    strikes = [i for i in result["incidents"] if "hunger_strike" in i["event_types"]]
    assert [i["place_id"] for i in strikes] == ["fac:homs-central"]
    strike = strikes[0]
    assert strike["perpetrator_en"] is None
    assert strike["date"] == "2017-10-10"
    assert (300, "over") in {(c["value"], c["qualifier"]) for c in strike["counts"]}
    # Saydnaya is only where the detainees were threatened to be sent.
    assert not any(i["place_id"] == "fac:saydnaya" and "hunger_strike" in i["event_types"]
                   for i in result["incidents"])


def test_saydnaya_spellings_are_one_place_and_incidents_split_by_place() -> None:
    text = SAYDNAYA_REPORT
    result = extract_text(text)
    _spans_ok(text, result)
    assert result["document"]["doc_type"] == "report"
    saydnaya = _place(result, "fac:saydnaya")
    written = {text[start:end] for start, end in saydnaya["spans"]}
    assert {"Sednaya Military Prison", "صيدنايا"} <= written
    assert _place(result, "adm:SY03")["kind"] == "governorate"
    by_place = {i["place_id"]: i for i in result["incidents"]}
    assert {"death_in_custody", "torture"} <= set(by_place["fac:saydnaya"]["event_types"])
    assert by_place["fac:saydnaya"]["date"] == "2015-03"
    assert 40 in {c["value"] for c in by_place["fac:saydnaya"]["counts"]}
    assert by_place["fac:adra"]["date"] == "2016-06-02"


def test_ghwayran_clitics_and_sides() -> None:
    text = GHWAYRAN_AR
    result = extract_text(text)
    _spans_ok(text, result)
    prison = _place(result, "fac:ghwayran")
    assert {text[s:e] for s, e in prison["spans"]} == {"سجن الصناعة", "سجن غويران"}
    organisations = {item["id"]: item for item in result["organisations"]}
    assert {"org:sdf", "org:isis"} <= set(organisations)
    sides = {i["perpetrator_id"] for i in result["incidents"] if i["place_id"] == "fac:ghwayran"}
    assert {"actor:sdf", "actor:isis"} <= sides
    assert all(i["date"] in (None, "2022-01-26") for i in result["incidents"])


def test_wishes_and_purposes_are_not_events() -> None:
    result = extract_text(WISHES)
    types = {t for i in result["incidents"] for t in i["event_types"]}
    assert "hunger_strike" in types
    assert "release" not in types


def test_text_without_events_has_no_incidents() -> None:
    result = extract_text("The weather in Damascus was mild on Tuesday.")
    assert result["incidents"] == []
    assert [place["id"] for place in result["places"]] == ["loc:C1001"]


def test_adjectives_are_not_places_and_bounds_are_not_event_dates() -> None:
    text = ("The Britain-based Syrian Observatory said the government released 40 detainees from Adra Prison "
            "under an amnesty for crimes committed before 30 April 2022.")
    result = extract_text(text)
    assert "country:gb" not in {place["id"] for place in result["places"]}
    releases = [i for i in result["incidents"] if "release" in i["event_types"]]
    assert releases and releases[0]["place_id"] == "fac:adra"
    assert releases[0]["date"] is None
    assert releases[0]["perpetrator_en"] == "Syrian government"


def test_extract_document_keeps_source_fields() -> None:
    from dhakira.documents import Document
    from dhakira.extract import extract_document

    document = Document(text=HAMA_PRESS_RELEASE, sha256="0" * 64, size=10, media_type="text/plain",
                        language="en", source_name="hama.txt", source_url="https://www.hrw.org/news/2016/05/06/x")
    result = extract_document(document)
    assert result["source"] == {"path": "hama.txt", "sha256": "0" * 64, "media_type": "text/plain"}
    assert result["document"]["issuer"]["id"] == "org:hrw"
    assert any(place["id"] == "fac:hama-central" for place in result["places"])


def test_counts_that_name_another_side_make_a_sibling_incident() -> None:
    text = ("Monthly report\n\nIn March 2019 the network documented the deaths of at least 120 people "
            "who died under torture in detention centres.\nGovernment forces: 110\n"
            "Armed opposition factions: 10\n")
    result = extract_text(text)
    by_actor = {i["perpetrator_id"]: i for i in result["incidents"]}
    assert {"actor:sy-gov-forces", "actor:armed-opposition"} <= set(by_actor)
    assert 10 in {c["value"] for c in by_actor["actor:armed-opposition"]["counts"]}
    assert 10 not in {c["value"] for c in by_actor["actor:sy-gov-forces"]["counts"]}
    assert all(i["date"] == "2019-03" for i in by_actor.values())


def test_arabic_persons_issuer_from_a_dateline_and_death_under_torture() -> None:
    text = ("وفاة معتقل تحت التعذيب في فرع الأمن العسكري بدرعا\n\n"
            "درعا – عنب بلدي\n"
            "قالت مصادر محلية إن الشاب محمد العلي من بلدة نوى توفي تحت التعذيب في فرع الأمن العسكري "
            "بمدينة درعا بعد اعتقاله على حاجز في 12 من آذار 2023.")
    result = extract_text(text)
    assert result["document"]["issuer"]["id"] == "org:enab-baladi"
    assert [person["text"] for person in result["persons"]] == ["محمد العلي"]
    branch = _place(result, "fac:mi-daraa")
    assert "فرع الأمن العسكري بدرعا" in {text[s:e] for s, e in branch["spans"]}
    town = _place(result, "loc:C6124")
    assert town["kind"] == "city"
    deaths = [i for i in result["incidents"] if "death_in_custody" in i["event_types"]]
    assert deaths and deaths[0]["place_id"] == "fac:mi-daraa"
    assert "killing" not in {t for i in result["incidents"] for t in i["event_types"]}


def test_datelines_and_destinations_are_not_where_events_happen() -> None:
    text = ("Detainee recalls his arrest\n\n"
            "BEIRUT (AP) — He was arrested at the Nassib border crossing on 3 March 2013 and taken to the "
            "Adra Prison, where guards tortured him for weeks.\n")
    result = extract_text(text)
    arrests = {i["place_id"]: i for i in result["incidents"] if "arrest" in i["event_types"]}
    assert "other:nassib-crossing" in arrests
    assert arrests["other:nassib-crossing"]["date"] == "2013-03-03"
    transfers = [i for i in result["incidents"] if "transfer" in i["event_types"]]
    assert transfers and transfers[0]["place_id"] == "fac:adra"
    assert all(i["place_id"] != "city:beirut" for i in result["incidents"])
    assert "city:beirut" in {place["id"] for place in result["places"]}


def test_a_share_of_a_count_with_its_own_side_and_place_is_an_incident_there() -> None:
    result = extract_text(
        "The monitor documented at least 120 cases of arbitrary arrest and detention across Syria in March 2024. "
        "Government forces were responsible for 70 of these cases, most of them in Homs. The Syrian Democratic "
        "Forces carried out arrest campaigns in Raqqa.", language="en")
    by_place = {incident["place_en"]: incident for incident in result["incidents"]}
    assert "Homs" in by_place
    assert by_place["Homs"]["perpetrator_en"] == "Syrian government forces"
    assert [count["value"] for count in by_place["Homs"]["counts"]] == [70]
    assert by_place["Raqqa"]["perpetrator_en"] == "Syrian Democratic Forces"
    assert not by_place["Raqqa"]["counts"]


def test_arrest_campaigns_in_the_plural_are_arrests() -> None:
    result = extract_text("Government forces carried out arrest campaigns in the town of Nawa in Daraa countryside "
                          "and detained dozens of people.", language="en")
    assert any("arrest" in incident["event_types"] for incident in result["incidents"])
    result = extract_text("Security forces carried out arrest campaigns in Hama.", language="en")
    assert any("arrest" in incident["event_types"] for incident in result["incidents"])


def test_the_arrest_of_a_person_is_an_arrest_without_other_detention_words() -> None:
    result = extract_text("The union condemned the arrest of a young photographer by armed men in Idlib on 4 April "
                          "2024.\n\nHis colleagues said he had covered the market fire.", language="en")
    arrests = [incident for incident in result["incidents"] if "arrest" in incident["event_types"]]
    assert arrests and arrests[0]["date"] == "2024-04-04"


def test_has_detained_is_an_arrest() -> None:
    result = extract_text("The faction has detained at least six teachers in Afrin since January.", language="en")
    assert any("arrest" in incident["event_types"] for incident in result["incidents"])


def test_a_negotiation_with_the_government_s_forces_joins_the_government_s_release() -> None:
    result = extract_text("أفرجت قوات النظام السوري، الأحد، عن عشرين معتقلاً من سجن حمص المركزي بعد مفاوضات استمرت "
                          "أسابيع بين المعتقلين وإدارة السجن.")
    kinds = [sorted(incident["event_types"]) for incident in result["incidents"]]
    assert kinds == [["negotiation", "release"]]


def test_arrests_of_several_parties_stay_apart_with_their_counts() -> None:
    text = ("اعتقالات في أيار\n\nوثقت الشبكة 140 حالة اعتقال في سوريا خلال أيار. فيما اعتقلت قوات سوريا الديمقراطية "
            "52 شخصاً في الرقة، واعتقلت هيئة تحرير الشام 21 شخصاً في الرقة.")
    incidents = extract_text(text)["incidents"]
    by_value = {count["value"]: incident for incident in incidents for count in incident["counts"]}
    assert by_value[52]["perpetrator_en"] == "Syrian Democratic Forces"
    assert by_value[21]["perpetrator_en"] != "Syrian Democratic Forces"
    assert by_value[140]["perpetrator_en"] is None


def test_a_destination_where_an_event_came_to_pass_is_its_place() -> None:
    text = ("عصيان في سجن حماة المركزي\n\nيواصل المعتقلون في سجن حماة المركزي عصيانهم. وكانت إدارة سجن حماة "
            "المركزي قد نقلت في آذار عشرات المعتقلين إلى سجن صيدنايا حيث أُعدم عدد منهم.")
    incidents = extract_text(text)["incidents"]
    executions = [incident for incident in incidents if "execution" in incident["event_types"]]
    assert executions and executions[0]["place_en"] == "Saydnaya Prison"
    assert any("transfer" in incident["event_types"] for incident in incidents)  # «كانت … قد نقلت»: had moved


def test_may_in_arabic_stays_a_possibility() -> None:
    result = extract_text("وقالت مصادر إن إدارة سجن حماة المركزي قد تنقل المعتقلين إلى سجن صيدنايا.")
    assert not any("transfer" in incident["event_types"] for incident in result["incidents"])


def test_an_arrest_is_not_placed_where_the_people_were_taken() -> None:
    text = ("تشهد مدينة دوما حملة أمنية منذ أسبوع. واعتقلت دورية ثلاث نساء مساء الأربعاء. واقتادت الدورية النساء "
            "إلى فرع المخابرات الجوية في حرستا.")
    incidents = extract_text(text)["incidents"]
    assert [incident["place_en"] for incident in incidents if "arrest" in incident["event_types"]] == ["Duma"]


def test_one_event_told_of_two_joined_places_is_an_incident_at_each() -> None:
    text = "تحدث ناشطون عن اكتشاف مقابر جماعية في محيط بلدة القطيفة وفي منطقة نجها بريف دمشق."
    places = {incident["place_en"] for incident in extract_text(text)["incidents"]
              if "mass_grave" in incident["event_types"]}
    assert {"Al-Qutayfah", "Najha"} <= places
    text = "Security forces raided homes in Douma, and detainees in Adra prison went on hunger strike."
    raids = [incident for incident in extract_text(text, language="en")["incidents"]
             if "raid" in incident["event_types"]]
    assert len(raids) == 1


def test_a_town_named_with_an_arrest_does_not_stand_for_the_branch_people_were_taken_to() -> None:
    text = ("داهمت دورية أمنية منازل في مدينة دوما واعتقلت ثلاث نساء. واقتادت الدورية النساء إلى فرع المخابرات "
            "الجوية في حرستا.")
    incidents = extract_text(text)["incidents"]
    assert {incident["place_en"] for incident in incidents if "arrest" in incident["event_types"]} == {"Duma"}


def test_a_neighbourhood_told_with_its_town_is_one_incident_in_the_town() -> None:
    text = "اعتقلت قوة أمنية شابين في مدينة إدلب، بعد مداهمة منزليهما في حي الزهور."
    incidents = extract_text(text)["incidents"]
    assert len(incidents) == 1 and incidents[0]["place_en"] == "Idlib"
    assert {"arrest", "raid"} <= set(incidents[0]["event_types"])


def test_a_monthly_tally_dates_what_it_counts_by_its_month() -> None:
    text = ("Monitoring Office\n\n40 arrests in Hama governorate during March 2024\n\nThe office documented 40 arrests "
            "in Hama governorate during March 2024.\n\nMilitary Intelligence was responsible for 25 of the arrests, "
            "and a detainee from Hama died under torture in a branch in Damascus.\n\nThe office calls on the United "
            "Nations to press for the release of all detainees.\n")
    incidents = extract_text(text, language="en")["incidents"]
    dated = [incident["date"] for incident in incidents if "appeal_call" not in incident["event_types"]]
    assert dated and all(date == "2024-03" for date in dated)


def test_a_branch_named_as_the_unit_of_the_perpetrators_is_not_the_place() -> None:
    text = ("On 16 April 2013 gunmen executed 41 civilians in the Tadamon neighbourhood of Damascus. The men who "
            "carried out the killings belonged to Branch 227 of Military Intelligence.")
    places = {incident["place_en"] for incident in extract_text(text, language="en")["incidents"]}
    assert places == {"Tadamon neighbourhood (Damascus)"}
    arabic = extract_text("ارتكب عناصر من الفرع 227 مجزرة في حي التضامن جنوبي دمشق في 16 نيسان 2013.")
    assert {incident["place_en"] for incident in arabic["incidents"]} == {"Tadamon neighbourhood (Damascus)"}


def test_a_spot_known_only_in_arabic_leaves_the_city_as_the_place() -> None:
    result = extract_text("نفّذت قوى الأمن حملة دهم في حي الزهور بمدينة القامشلي واعتقلت اثني عشر شخصاً.")
    assert {incident["place_en"] for incident in result["incidents"]} == {"Qamishli"}


def test_fighters_who_storm_a_prison_and_free_its_inmates_make_one_incident_of_theirs() -> None:
    text = ("Reporters' wire, 9 December 2024\n\nOpposition fighters who seized Damascus on Sunday 8 December 2024 "
            "stormed Saydnaya prison north of the capital and freed thousands of detainees.")
    incidents = extract_text(text, language="en")["incidents"]
    assert [(sorted(i["event_types"]), i["perpetrator_en"]) for i in incidents] == \
        [(["release", "storming"], "Armed opposition groups")]
    kept_apart = extract_text("Government troops stormed Adra prison on 3 May 2016, and the authorities freed ten "
                              "detainees from it on 3 May 2016.", language="en")["incidents"]
    assert len(kept_apart) == 2
