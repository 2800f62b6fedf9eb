"""The clause around a trigger decides whether it reports an event: our own short sentences, both languages."""

from __future__ import annotations

from dhakira.extract import extract_text
from dhakira.extract.counts import find_counts


def _types(result: dict) -> set[str]:
    return {t for incident in result["incidents"] for t in incident["event_types"]}


def _status(result: dict, event_type: str) -> set[str]:
    return {claim["status"] for claim in result["event_claims"] if event_type in claim["event_types"]}


def test_an_alternative_of_an_open_question_is_uncertain() -> None:
    result = extract_text("Guards raided Hama Central Prison on Sunday. Witnesses could not say whether tear gas "
                          "or smoke filled the wing.")
    assert "raid" in _types(result)
    assert "tear_gas" not in _types(result) and _status(result, "tear_gas") == {"uncertain"}


def test_arabic_open_question_is_uncertain() -> None:
    result = extract_text("داهمت قوات الأمن سجن حماة المركزي، ولم يتضح ما إذا كان الغاز المسيل للدموع قد استخدم.")
    assert "raid" in _types(result)
    assert "tear_gas" not in _types(result)


def test_what_detainees_protest_against_is_their_grievance() -> None:
    result = extract_text("Inmates of Homs Central Prison began a hunger strike, protesting against mistreatment "
                          "by the guards.")
    assert "hunger_strike" in _types(result)
    assert "torture" not in _types(result) and _status(result, "torture") == {"grievance"}


def test_arabic_grievance() -> None:
    result = extract_text("بدأ معتقلو سجن حمص المركزي إضراباً عن الطعام احتجاجاً على سوء المعاملة.")
    assert "hunger_strike" in _types(result) and "torture" not in _types(result)


def test_the_release_of_the_witness_who_speaks_is_not_the_news() -> None:
    result = extract_text("Guards beat detainees in Adra Prison every night, said a former detainee who was "
                          "released last month.")
    assert "torture" in _types(result)
    assert "release" not in _types(result) and _status(result, "release") == {"describes_source"}


def test_arabic_witness_relative_clause() -> None:
    result = extract_text("وقال المعتقل، الذي أُفرج عنه قبل أسبوع من سجن عدرا، إن الحراس عذبوا السجناء.")
    assert "torture" in _types(result) and "release" not in _types(result)


def test_a_release_told_as_news_stays_asserted() -> None:
    result = extract_text("The authorities released 40 detainees from Adra Prison on Monday, a lawyer said.")
    assert "release" in _types(result)


def test_the_war_as_subject_of_a_killing_is_general() -> None:
    result = extract_text("Detainees in Saydnaya Prison were tortured. The conflict that began in 2011 has killed "
                          "300,000 people.")
    assert "killing" not in _types(result) and _status(result, "killing") == {"general"}
    assert 300000 not in {count["value"] for incident in result["incidents"] for count in incident["counts"]}


def test_injuries_someone_died_of_are_part_of_the_death() -> None:
    result = extract_text("A detainee died in Adra Prison of injuries inflicted under torture.")
    assert "injury" not in _types(result)
    assert "torture" in _types(result)


def test_arabic_shortness_of_breath_as_cause_of_death() -> None:
    result = extract_text("توفيت معتقلة في سجن عدرا جراء ضيق في التنفس بعد حرمانها من العلاج.")
    assert "suffocation" not in _types(result)


def test_suffocation_from_gas_stays_an_event() -> None:
    result = extract_text("Guards fired tear gas into the wing of Hama Central Prison and a detainee died of "
                          "suffocation.")
    assert "suffocation" in _types(result)


def test_a_move_to_another_cell_is_no_transfer() -> None:
    result = extract_text("In Adra Prison he was beaten by guards; afterwards they were moved to a cell holding "
                          "dozens of people.")
    assert "transfer" not in _types(result)


def test_a_transfer_to_another_prison_stays() -> None:
    result = extract_text("Detainees of Hama Central Prison were transferred to Saydnaya Prison on Monday.")
    assert "transfer" in _types(result)


def test_arrest_naming_a_section_of_the_prison_is_no_arrest() -> None:
    result = extract_text("Adra Prison has three lockups. The arrest lockup holds detainees awaiting trial.")
    assert "arrest" not in _types(result)


def test_an_appeal_to_stop_the_killing_belongs_to_the_incident() -> None:
    result = extract_text("Guards shot dead ten inmates of Saydnaya Prison on Saturday. The group urged the "
                          "president to step in and put an end to the massacre.")
    assert "appeal_call" in _types(result)


def test_who_died_in_the_fighting_died_no_death_in_custody() -> None:
    result = extract_text("More than 100 people died at Ghwayran Prison in the attack and the fighting that "
                          "followed.")
    assert "death_in_custody" not in _types(result)


def test_a_family_is_not_a_count() -> None:
    assert not find_counts("She waited in Damascus with her five children.", language="en")
    assert not find_counts("وانتظرت أطفالها الخمسة أمام السجن.", language="ar")
    assert [count.value for count in find_counts("Guards arrested her 3 brothers and 40 other men.",
                                                 language="en")] == [40]


def test_the_dates_bounding_a_period_are_not_an_event_date() -> None:
    result = extract_text("The report documents how detainees were killed in Saydnaya Prison from 10 March 2011 "
                          "to 30 November 2015.")
    assert result["incidents"] and all(incident["date"] is None for incident in result["incidents"])


def test_one_event_told_at_city_and_governorate_is_one_incident() -> None:
    text = ("أفرجت السلطات السورية اليوم عن 40 سجيناً من أبناء محافظة درعا تنفيذاً لمرسوم العفو. "
            "وجرت عملية الإفراج في مدينة درعا بحضور المحافظ.")
    result = extract_text(text)
    releases = [incident for incident in result["incidents"] if "release" in incident["event_types"]]
    assert len(releases) == 1


def test_a_background_event_takes_only_the_counts_of_its_own_sentences() -> None:
    text = ("Inmates of Homs Central Prison began a hunger strike on Monday.\n\n"
            "The prison holds more than 3000 detainees. Earlier, in November 2012, a riot broke out in the prison.\n")
    result = extract_text(text)
    background = [incident for incident in result["incidents"] if incident["status"] == "background"]
    assert background and not background[0]["counts"]


def test_a_doctor_denied_is_a_denial_of_medical_care() -> None:
    result = extract_text("A detainee of Adra Prison died last week without a doctor being called.")
    assert "denial_of_medical_care" in _types(result)
    arabic = extract_text("توفي معتقل في سجن عدرا من غير أن يُستدعى له طبيب.")
    assert "denial_of_medical_care" in _types(arabic)


def test_scarce_medicine_in_arabic_is_a_denial_of_medical_care() -> None:
    result = extract_text("توفي عشرات المرضى في سجن حلب المركزي بسبب شح الدواء.")
    assert "denial_of_medical_care" in _types(result)


def test_water_and_electricity_named_are_no_cut() -> None:
    result = extract_text("Detainees of Hama Central Prison live in rooms without water or electricity.")
    assert "cut_water_electricity" not in _types(result)


def test_a_section_heading_names_an_event() -> None:
    text = ("He spent ten years in Saydnaya Prison.\n\nHis story began in a bus station.\n\nPhysical torture\n"
            "He said the guards came into the cell every night and took the young men away one by one.\n")
    assert "torture" in _types(extract_text(text))


def test_an_act_done_to_detainees_is_kept_without_other_anchor() -> None:
    text = ("Guards stormed Saydnaya Prison on Saturday morning. Families gathered at the gates. "
            "Rights groups were alarmed. According to the group, the shooting at prisoners went on all day.")
    assert "shooting" in _types(extract_text(text))


def test_a_city_that_locates_the_prison_is_not_the_place() -> None:
    text = ("Guards shot dead 20 inmates of Saydnaya Prison on Saturday.\n\n"
            "The killing took place during a riot outside Damascus, the group said.\n")
    places = {incident["place_en"] for incident in extract_text(text)["incidents"]}
    assert places == {"Saydnaya Prison"}



def test_guards_of_a_prison_held_by_another_party_are_not_the_government() -> None:
    text = ("Fighters of the Islamic State stormed Ghwayran Prison in Hasakah on Thursday. "
            "The Syrian Democratic Forces said guards killed 20 attackers.")
    perpetrators = {incident["perpetrator_en"] for incident in extract_text(text)["incidents"]}
    assert "Syrian government forces" not in perpetrators


def test_guards_stand_for_the_government_when_no_other_party_is_named() -> None:
    text = "Guards stormed the wing of Hama Central Prison on Sunday and beat the detainees."
    perpetrators = {incident["perpetrator_en"] for incident in extract_text(text)["incidents"]}
    assert perpetrators == {"Syrian government forces"}


def test_a_negation_reaches_any_and_what_is_joined_to_it() -> None:
    result = extract_text("داهمت قوات الأمن سجن حماة المركزي، ولم تسفر العملية عن أي قتلى أو جرحى.")
    assert "raid" in _types(result)
    assert not _types(result) & {"killing", "injury"}


def test_an_act_that_went_on_for_decades_is_background() -> None:
    result = extract_text("Militants blew up Tadmor Prison on Saturday, where opponents were held and tortured "
                          "over decades.")
    assert "torture" not in {t for incident in result["incidents"] if incident["status"] == "asserted"
                             for t in incident["event_types"]}


def test_a_promised_release_has_not_happened() -> None:
    result = extract_text("The ministry of Adra Prison promised releases of detainees next week.")
    assert "release" not in _types(result) and _status(result, "release") == {"threatened"}


def test_stopped_at_a_checkpoint_and_taken_away_is_an_arrest() -> None:
    result = extract_text("The journalist was stopped at a checkpoint near Idlib and taken to a prison.")
    assert "arrest" in _types(result) and "transfer" not in _types(result)


def test_an_advocacy_call_to_halt_a_practice_is_the_document_s_appeal_of_no_place() -> None:
    result = extract_text("Amnesty International urged the Lebanese authorities to halt the deportations of "
                          "detainees.")
    assert [(i["event_types"], i["place_en"]) for i in result["incidents"]] == [(["appeal_call"], None)]


def test_what_a_prison_or_a_cell_is_built_to_hold_is_no_count() -> None:
    assert not find_counts("The prison can accommodate as many as 10,000 inmates.", language="en")
    assert not find_counts("They were moved to a cell holding over 50 people.", language="en")
    assert not find_counts("وتبلغ طاقته الاستيعابية 2500 سجين.", language="ar")
    assert [count.value for count in find_counts("Guards killed 25 prisoners in the cell.", language="en")] == [25]


def test_a_short_line_before_another_short_line_is_no_heading() -> None:
    text = ("He spent ten years in Saydnaya Prison and came home last month to his family in Homs.\n\n"
            "Related\nTorture\nElections\n")
    assert "torture" not in _types(extract_text(text))


def test_a_section_heading_takes_the_facility_of_its_section() -> None:
    text = ("He was freed from Saydnaya Prison last year. Saydnaya Prison holds thousands.\n\n"
            "Physical torture\n\nIn Adra Prison the guards kept him for ten days in a room two floors below ground.\n")
    torture = [incident for incident in extract_text(text)["incidents"] if "torture" in incident["event_types"]]
    assert torture and torture[0]["place_en"] == "Adra Prison"


def test_a_place_in_a_later_clause_belongs_to_the_events_told_there() -> None:
    text = ("وثّق المكتب في محافظة درعا خلال الشهر الماضي اعتقال 17 شخصاً على يد قوات النظام، "
            "ووفاة معتقل تحت التعذيب في دمشق.")
    incidents = extract_text(text)["incidents"]
    arrests = [incident for incident in incidents if "arrest" in incident["event_types"]]
    deaths = [incident for incident in incidents if "death_in_custody" in incident["event_types"]]
    assert arrests and arrests[0]["place_en"] != "Damascus"
    assert deaths and deaths[0]["place_en"] == "Damascus"


def test_a_place_fronted_before_the_clause_still_counts() -> None:
    incidents = extract_text("In Hama, security forces arrested 20 people on Monday.")["incidents"]
    assert incidents and incidents[0]["place_en"] == "Hama"


def test_an_attack_on_a_besieged_prison_is_part_of_the_siege() -> None:
    text = ("Rebels have besieged Aleppo Central Prison for months. Twice, fighters sent car bombs "
            "crashing into the gates of Aleppo Central Prison.")
    types = _types(extract_text(text))
    assert "siege" in types and "storming" not in types


def test_storming_without_a_siege_stays_a_storming() -> None:
    text = "Fighters launched an assault on Ghwayran Prison with car bombs and freed hundreds of inmates."
    assert "storming" in _types(extract_text(text))


def test_his_arrest_refers_to_the_arrest_told_before() -> None:
    text = ("Security forces arrested him at a checkpoint in Homs on 3 March 2013.\n\n"
            "Recalling his arrest, he said he was held for ten days in Adra Prison.\n")
    arrests = [incident for incident in extract_text(text)["incidents"] if "arrest" in incident["event_types"]]
    assert len(arrests) == 1 and arrests[0]["place_en"] == "Homs"


def test_arabic_possessive_event_noun_refers_back() -> None:
    text = ("اعتقلت قوات الأمن الشاب في حمص يوم 3 آذار 2013.\n\n"
            "وبعد اعتقاله بعشرة أيام نُقل إلى سجن عدرا.\n")
    arrests = [incident for incident in extract_text(text)["incidents"] if "arrest" in incident["event_types"]]
    assert len(arrests) == 1


def test_a_court_and_the_guards_are_one_side_for_a_count() -> None:
    text = ("Guards beat detainees in Adra Prison and cut their food.\n\n"
            "The second lockup now holds more than 40 detainees who have been brought before the court.\n")
    incidents = extract_text(text)["incidents"]
    assert len(incidents) == 1 and [count["value"] for count in incidents[0]["counts"]] == [40]


def test_a_protest_named_as_why_people_are_held_is_no_protest_of_this_report() -> None:
    result = extract_text("Delegates visited Hama Central Prison and asked to see everyone held in connection "
                          "with the unrest.")
    assert not any("protest_riot" in incident["event_types"] for incident in result["incidents"])
    assert [claim["status"] for claim in result["event_claims"] if "protest_riot" in claim["event_types"]] == ["general"]


def test_a_riot_in_the_prison_stays_the_news_even_as_a_reason() -> None:
    result = extract_text("Dozens of inmates of Hama Central Prison were jailed in solitary cells for their role "
                          "in the mutiny.")
    assert any("protest_riot" in incident["event_types"] for incident in result["incidents"])


def test_unrest_in_the_prison_is_a_protest() -> None:
    result = extract_text("Unrest broke out in Hama Central Prison on Sunday.")
    assert any("protest_riot" in incident["event_types"] for incident in result["incidents"])


def test_a_report_called_untrue_is_denied() -> None:
    result = extract_text("The ministry said that reports of detainees tortured in Adra prison were completely "
                          "baseless.", language="en")
    assert "torture" not in _types(result)
    result = extract_text("وأكدت الوزارة أن الأنباء عن إعدام معتقلين في سجن حمص المركزي عارية عن الصحة.")
    assert "execution" not in _types(result)


def test_an_allegation_is_not_asserted() -> None:
    result = extract_text("The ministry rejected the report, which alleges that hundreds of detainees were executed "
                          "in Adra prison after summary trials.", language="en")
    assert "execution" not in _types(result) and _status(result, "execution") == {"uncertain"}


def test_an_event_next_to_a_denial_of_something_else_stays() -> None:
    result = extract_text("Guards executed 13 detainees in Saydnaya prison on Monday; the ministry said rumours "
                          "of a riot were untrue.", language="en")
    assert "execution" in _types(result)


def test_those_responsible_for_an_act_are_described_not_reported() -> None:
    result = extract_text("The new authorities said officials involved in torturing detainees at Adra prison would "
                          "be brought to trial.", language="en")
    assert "torture" not in _types(result) and _status(result, "torture") == {"general"}
    result = extract_text("وتعهدت السلطات بملاحقة المتورطين في تعذيب المعتقلين في سجن صيدنايا.")
    assert "torture" not in _types(result)


def test_a_commuted_death_sentence_is_no_sentence() -> None:
    result = extract_text("ويقضي المرسوم باستبدال عقوبة الإعدام بالسجن المؤبد في عدد من الجرائم.")
    assert "death_sentence" not in _types(result)
    result = extract_text("The decree commuted death sentences to life in prison.", language="en")
    assert "death_sentence" not in _types(result)


def test_detainees_holding_guards_make_no_arrest() -> None:
    result = extract_text("سيطر المعتقلون على أجزاء من سجن حماة المركزي واحتجزوا عدداً من الحراس.")
    assert "arrest" not in _types(result)
    result = extract_text("احتجزت قوات الأمن ثلاثة شبان في سجن حماة المركزي.")
    assert "arrest" in _types(result)


def test_beating_told_with_an_arabic_verb_is_torture() -> None:
    result = extract_text("وقال المعتقل السابق إن المحققين كانوا يضربوننا بالعصي في الفرع كل ليلة.")
    assert "torture" in _types(result)


def test_guards_refusing_to_take_a_sick_detainee_to_hospital_deny_care() -> None:
    result = extract_text("توفي معتقل في سجن حمص المركزي بعد أن رفض السجانون نقله إلى المستشفى.")
    assert "denial_of_medical_care" in _types(result)
    result = extract_text("A woman died in Adra prison after guards refused to take her to the hospital.",
                          language="en")
    assert "denial_of_medical_care" in _types(result)


def test_the_men_who_carried_out_the_killings_are_described() -> None:
    result = extract_text("The men who carried out the killings belonged to a branch of Military Intelligence.",
                          language="en")
    assert "killing" not in _types(result)


def test_water_or_power_said_to_be_cut_after_it_is_named() -> None:
    text = ("Raid on a mosque in Daraa\n\nForces raided the mosque at dawn. Residents said nothing of the guards. "
            "Witnesses said electricity and telephone lines in the area were cut before the raid.")
    assert "cut_water_electricity" in _types(extract_text(text, language="en"))
    result = extract_text("Water was not cut at Adra prison, the ministry said.", language="en")
    assert "cut_water_electricity" not in _types(result) and _status(result, "cut_water_electricity") == {"negated"}
    assert "cut_water_electricity" in _types(extract_text("وقال ناشطون إن الكهرباء مقطوعة عن سجن حماة المركزي "
                                                          "منذ يومين."))


def test_what_a_denied_report_says_is_negated_however_far_from_the_denial() -> None:
    result = extract_text("Inmates of the Qalaat prison began a hunger strike on Monday. An official denied reports "
                          "shared widely online on Tuesday that guards had beaten strikers or cut off their water.")
    assert _types(result) == {"hunger_strike"}
    assert _status(result, "torture") == {"negated"} and _status(result, "cut_water_electricity") == {"negated"}
    result = extract_text("أضرب نزلاء سجن حمص المركزي عن الطعام. ونفت إدارة السجن الأنباء التي تحدثت عن تعذيب المضربين.")
    assert "torture" not in _types(result) and _status(result, "torture") == {"negated"}


def test_none_of_them_reaches_a_trigger_further_on() -> None:
    result = extract_text("Inmates of the Qalaat prison began a hunger strike on Monday; none of them had so far been "
                          "taken to hospital.")
    assert _types(result) == {"hunger_strike"} and _status(result, "transfer") == {"negated"}


def test_taken_to_an_unknown_destination_is_a_disappearance() -> None:
    for text in ("Forces raided the town of al-Qasrayn on Monday and arrested nine men, who were taken to an unknown "
                 "destination.", "داهمت قوات الأمن بلدة الكرامة واعتقلت تسعة رجال واقتادتهم إلى جهة مجهولة."):
        types = _types(extract_text(text))
        assert {"arrest", "enforced_disappearance"} <= types and "transfer" not in types, text


def test_the_day_an_event_is_remembered_is_not_its_date() -> None:
    text = ("Dateline\n\nDamascus, 27 June 2025\n\nHundreds gathered today to mark the anniversary of the massacre in "
            "Tadmor prison. At dawn on 27 June 1980, soldiers stormed the prison and shot the detainees.")
    dates = {incident["date"] for incident in extract_text(text)["incidents"]}
    assert "2025-06-27" not in dates and "1980-06-27" in dates


def test_a_street_protest_for_detainees_is_a_protest() -> None:
    result = extract_text("Security forces arrested two activists in Atma. Hundreds of protesters took to the streets "
                          "of Idlib on Friday, calling for the release of the detainees.", language="en")
    assert "protest_riot" in _types(result)
    assert "protest_riot" in _types(extract_text("اعتقلت الهيئة ناشطين في بلدة أطمة. وخرجت يوم الجمعة مظاهرات في "
                                                 "مدينة إدلب تطالب بالإفراج عن المعتقلين."))


def test_a_protest_as_a_purpose_or_as_why_people_are_held_is_no_protest() -> None:
    result = extract_text("Hundreds of inmates at Homs Central Prison began a hunger strike on Monday to protest against "
                          "their imprisonment. Many were jailed because, four years ago, they joined demonstrations "
                          "demanding reform, and some for peaceful protest.", language="en")
    assert "hunger_strike" in _types(result) and "protest_riot" not in _types(result)
    assert "appeal_call" not in _types(result)
