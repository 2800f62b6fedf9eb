"""Places the gazetteer does not list, named with a cue word: our own sentences."""

from __future__ import annotations

from dhakira.extract import extract_text


def _places(text: str) -> dict[str, str]:
    return {place["text"]: place["kind"] for place in extract_text(text)["places"]}


def test_arabic_neighbourhood_and_crossing_keep_their_cue() -> None:
    places = _places("داهمت دورية حي الزهور بمدينة القامشلي، واعتقلت شابين عند معبر جديدة يابوس.")
    assert places.get("حي الزهور") == "other"
    assert places.get("معبر جديدة يابوس") == "other"


def test_arabic_village_is_a_town() -> None:
    assert _places("اعتقلت القوات عشرة شبان من قرية عين الغزلان الشرقية.").get("قرية عين الغزلان") == "city"


def test_english_town_of_and_border_crossing() -> None:
    places = _places("Security services raided the town of al-Qasrayn at dawn, and five men were held at the "
                     "Jdeidet Yabous border crossing.")
    assert places.get("al-Qasrayn") == "city"
    assert places.get("Jdeidet Yabous border crossing") == "other"


def test_a_known_place_is_not_named_again() -> None:
    places = extract_text("Forces raided the town of Douma at dawn.")["places"]
    assert [place["id"] for place in places if "Douma" in place["text"]] != []
    assert not any(place["id"].startswith("named:") for place in places)


def test_the_incident_takes_the_named_place() -> None:
    result = extract_text("Regime forces raided the town of al-Qasrayn in Rural Damascus on Monday and arrested 14 men.")
    assert {incident["place_en"] for incident in result["incidents"]} == {"al-Qasrayn"}


def test_taken_to_a_branch_after_the_arrest_is_the_same_arrest() -> None:
    text = ("Regime forces raided the town of al-Qasrayn on 11 April 2022 and arrested 14 men. "
            "The detainees were taken to a branch in Damascus.")
    arrests = [incident for incident in extract_text(text)["incidents"] if "arrest" in incident["event_types"]]
    assert len(arrests) == 1 and arrests[0]["place_en"] == "al-Qasrayn"


def test_an_english_spelling_of_a_listed_town_finds_its_entry() -> None:
    # The gazetteer writes the town "At Tall"; English reports write "al-Tall" or, without the shadda, "al-Tal".
    for written in ("al-Tal", "al-Tall", "Al-Tall"):
        places = extract_text(f"Security forces raided the town of {written} at dawn and arrested nine men.")["places"]
        found = [place for place in places if place["text"] == written]
        assert found and found[0]["id"].startswith("loc:"), written
        assert found[0]["canonical_en"] == "Al-Tall"


def test_spelling_variants_of_english_names() -> None:
    from dhakira.knowledge import spelling_variants

    assert "al-Tal" in spelling_variants("At Tall")
    assert "Al-Sanamayn" in spelling_variants("As Sanamayn")
    assert spelling_variants("Homs") == ["Homs"]


def test_squares_airports_mosques_and_camps_are_places() -> None:
    places = _places("تجمع المحتجون في ساحة الحرية واعتقل شاب في مطار حلب الدولي قرب مخيم النيرب.")
    assert places.get("ساحة الحرية") == "other" and places.get("مطار حلب الدولي") == "other"
    assert "ساحة الحرية واعتقل" not in places
    places = _places("Crowds gathered at the Hamza Mosque and at Aleppo International Airport.")
    assert places.get("Hamza Mosque") == "other" and places.get("Aleppo International Airport") == "other"
    assert "Aleppo" not in places


def test_a_neighbourhood_named_like_a_town_is_the_neighbourhood() -> None:
    places = _places("اعتقلت الشرطة شابين في حي الثورة بمدينة إدلب.")
    assert places.get("حي الثورة") == "other" and "الثورة" not in places


def test_a_district_of_a_city_keeps_the_city() -> None:
    places = _places("The trials took place in the Qaboun district of Damascus.")
    assert places.get("Damascus") == "city"


def test_a_byline_name_is_no_place() -> None:
    places = _places("Prison emptied\n\nBy Lina Haddad and Omar Khatib\n\nBEIRUT (Reuters) - The prison was emptied.")
    assert "Khatib" not in places


def test_a_prison_the_gazetteer_does_not_list_is_a_facility() -> None:
    places = _places("Inmates of the Qalaat prison near the border began a hunger strike, and at least two were taken "
                     "to hospital.")
    assert places.get("Qalaat prison") == "facility"
    places = _places("أضرب نزلاء سجن القلعة المركزي عن الطعام، وأُفرج عن آخرين من سجن الأحداث.")
    assert places.get("سجن القلعة المركزي") == "facility" and places.get("سجن الأحداث") == "facility"


def test_imprisonment_is_no_prison_name() -> None:
    for text in ("In Hama, a court sentenced him to prison for five years; Military prison staff refused visits.",
                 "وحكمت المحكمة في حماة بسجن المعتقلين لمدة سنتين، ثم نُقلوا إلى سجن سري."):
        assert not [name for name, kind in _places(text).items() if kind == "facility"], text
