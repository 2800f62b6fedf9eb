"""Each event claim carries a status; only asserted (and background) claims make incidents."""

from __future__ import annotations

from dhakira.extract import extract_text


def _types(result: dict) -> set[str]:
    return {t for incident in result["incidents"] for t in incident["event_types"]}


def _status(result: dict, event_type: str) -> set[str]:
    return {claim["status"] for claim in result["event_claims"] if event_type in claim["event_types"]}


def test_negated_injuries_are_not_asserted() -> None:
    result = extract_text("Security forces raided Adra prison on Monday. No injuries were reported during the raid.")
    assert "raid" in _types(result)
    assert "injury" not in _types(result) and _status(result, "injury") == {"negated"}


def test_arabic_negation_before_the_event() -> None:
    result = extract_text("أفرجت السلطات عن عشرين معتقلاً من سجن حماة المركزي. ولم يُسجَّل أي اعتقال جديد بحقهم.")
    assert "release" in _types(result)
    assert "arrest" not in _types(result) and _status(result, "arrest") == {"negated"}


def test_threat_to_storm_is_not_a_storming() -> None:
    result = extract_text("Inmates of Hama Central Prison went on hunger strike; guards threatened to storm the wing.")
    assert "hunger_strike" in _types(result)
    assert "storming" not in _types(result) and _status(result, "storming") == {"threatened"}


def test_a_call_for_release_is_not_a_release() -> None:
    result = extract_text("Detainees in Saydnaya Prison were tortured, and the group calls for the release of all detainees.")
    assert "torture" in _types(result)
    assert "release" not in _types(result) and _status(result, "release") == {"demanded"}


def test_a_released_report_is_not_a_release() -> None:
    result = extract_text("The group released its report on Adra prison today, documenting torture of detainees.")
    assert "release" not in _types(result) and not _status(result, "release")


def test_continuing_a_strike_is_asserted() -> None:
    result = extract_text("Detainees in Homs Central Prison said they would continue the hunger strike.")
    assert "hunger_strike" in _types(result)


def test_background_incident_is_kept_apart() -> None:
    text = ("Hunger strike in Homs\n\n30 December 2014\n\nInmates of Homs Central Prison began a hunger strike, "
            "chanting for their freedom.\n\nEarlier, in November 2012, a riot broke out in the prison after guards "
            "defected.\n")
    result = extract_text(text)
    by_status = {incident["status"]: incident for incident in result["incidents"]}
    assert len(result["incidents"]) == 2
    assert "hunger_strike" in by_status["asserted"]["event_types"]
    assert by_status["background"]["date"] == "2012-11"
    assert "hunger_strike" not in by_status["background"]["event_types"]


def test_spent_months_in_prison_is_not_a_death() -> None:
    result = extract_text("قال المعتقل إنه قضى 16 شهراً في سجن عدرا المركزي قبل أن يُفرج عنه.")
    assert "death_in_custody" not in _types(result) and "killing" not in _types(result)


def test_a_refused_transfer_is_not_a_transfer() -> None:
    result = extract_text("استعصى السجناء في سجن حمص المركزي بعد رفضهم نقل رفاقهم إلى سجن صيدنايا.")
    assert "protest_riot" in _types(result)
    assert "transfer" not in _types(result)


def test_trial_before_the_field_court_is_an_event() -> None:
    result = extract_text("Detainees of Saydnaya Prison were sentenced in trials before the Military Field Court.")
    assert "military_field_court" in _types(result)
    assert "military_field_court" not in _types(extract_text("The Military Field Court was abolished in 2023."))


def test_what_rights_groups_say_in_general_is_not_this_incident() -> None:
    text = ("Hunger strike in Homs Central Prison\n\nInmates of Homs Central Prison began a hunger strike on Monday. "
            "Rights groups say detainees in Saydnaya Prison are tortured and starved.\n")
    result = extract_text(text)
    assert "hunger_strike" in _types(result)
    assert "torture" not in _types(result) and _status(result, "torture") == {"general"}


def test_an_appeal_made_in_the_name_of_detainees_is_an_incident() -> None:
    result = extract_text("أفرجت السلطات عن عشرة معتقلين من سجن حمص المركزي يوم الأحد.\n\n"
                          "وأضاف المصدر أن الإدارة وعدت بدراسة الملفات.\n\n"
                          "وقال المصدر الذي طالب باسم المعتقلين بتحسين الطعام إن الأوضاع سيئة.")
    assert any("appeal_call" in incident["event_types"] for incident in result["incidents"])


def test_an_organisation_s_general_call_is_the_document_s_appeal_without_a_place() -> None:
    result = extract_text("أفرجت السلطات عن عشرة معتقلين من سجن حمص المركزي يوم الأحد.\n\n"
                          "وأضاف المصدر أن الإدارة وعدت بدراسة الملفات.\n\n"
                          "وطالب المصدر الجهات المعنية بتحسين الطعام.")
    appeals = [incident for incident in result["incidents"] if "appeal_call" in incident["event_types"]]
    assert len(appeals) == 1 and appeals[0]["place_en"] is None and appeals[0]["rule"] == ["appeal:document"]
    assert any(claim["status"] == "advocacy" for claim in result["event_claims"])


def test_the_demands_of_the_prisoners_are_no_appeal_of_their_own() -> None:
    result = extract_text("أفرجت السلطات عن عشرة معتقلين من سجن حمص المركزي يوم الأحد.\n\n"
                          "وأضاف المصدر أن الإدارة وعدت بدراسة الملفات.\n\n"
                          "وحملت الأوراق مطالب السجناء بتحسين الطعام.")
    assert not any("appeal_call" in incident["event_types"] for incident in result["incidents"])


def test_civilians_who_died_are_not_deaths_in_custody() -> None:
    result = extract_text("Hundreds of detainees are held in Homs Central Prison, and the many civilians who died "
                          "in last winter's floods were buried nearby.", language="en")
    assert not any("death_in_custody" in incident["event_types"] for incident in result["incidents"])
    result = extract_text("A detainee died in Homs Central Prison on Monday.", language="en")
    assert any("death_in_custody" in incident["event_types"] for incident in result["incidents"])


def test_civilians_who_died_because_of_hardship_are_no_deaths_in_custody() -> None:
    result = extract_text("The count leaves out detainees held in Homs Central Prison and the civilians who died "
                          "because of the lack of bread in the town.", language="en")
    assert not any("death_in_custody" in incident["event_types"] for incident in result["incidents"])


def test_a_decision_to_transfer_is_not_yet_a_transfer() -> None:
    result = extract_text("The prison administration decided to transfer 40 inmates of Hama Central Prison to Adra.",
                          language="en")
    assert not any("transfer" in incident["event_types"] for incident in result["incidents"])
    assert [claim["status"] for claim in result["event_claims"] if "transfer" in claim["event_types"]] == ["threatened"]
    result = extract_text("احتج معتقلو سجن حماة المركزي، ووعدت الإدارة بإعادة النظر في قرار النقل إلى سجن عدرا.")
    assert not any("transfer" in incident["event_types"] for incident in result["incidents"])
    result = extract_text("Guards transferred 40 inmates of Hama Central Prison to Adra.", language="en")
    assert any("transfer" in incident["event_types"] for incident in result["incidents"])


def test_detainees_killed_in_the_prisons_of_a_party_died_in_custody() -> None:
    result = extract_text("Three detainees were killed in the prisons of an armed faction in March, the monitor said.",
                          language="en")
    assert {kind for incident in result["incidents"] for kind in incident["event_types"]} == {"death_in_custody"}
    result = extract_text("وثّق التقرير أن ثلاثة معتقلين قُتلوا في سجون فصيل مسلح خلال آذار.")
    assert "death_in_custody" in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_detainees_killed_in_a_storming_or_in_clashes_were_killed() -> None:
    result = extract_text("Forces killed two detainees in the prison yard during clashes on Sunday.", language="en")
    assert "killing" in {kind for incident in result["incidents"] for kind in incident["event_types"]}
    assert "death_in_custody" not in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_relatives_who_cannot_learn_where_someone_is_held_tell_a_disappearance() -> None:
    result = extract_text("Forces arrested ten men in Homs on Monday. Their relatives said they had been unable to "
                          "learn where the men were being held.", language="en")
    assert "enforced_disappearance" in {kind for incident in result["incidents"] for kind in incident["event_types"]}
    result = extract_text("اعتقلت قوات الأمن عشرة شبان في حمص، ولا يعرف مكان احتجازهم حتى الآن.")
    assert "enforced_disappearance" in {kind for incident in result["incidents"] for kind in incident["event_types"]}
    result = extract_text("Forces arrested ten men in Homs on Monday and took them to the Military Intelligence "
                          "branch in the city.", language="en")
    assert "enforced_disappearance" not in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_the_killings_after_executions_are_those_executions() -> None:
    result = extract_text("Guards hanged 40 detainees in Saydnaya Prison in 2015. A former judge said the killings had "
                          "been ordered by senior officials.", language="en")
    assert {kind for incident in result["incidents"] for kind in incident["event_types"]} == {"execution"}
    result = extract_text("A former judge said the killings in Saydnaya Prison had been ordered by senior officials.",
                          language="en")
    assert "killing" in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_the_wounded_an_organisation_cares_for_as_a_rule_are_no_injury() -> None:
    result = extract_text("The Red Crescent visited Adra Prison; its volunteers give first aid to the wounded across "
                          "the country.", language="en")
    assert "injury" not in {kind for incident in result["incidents"] for kind in incident["event_types"]}
    result = extract_text("تقدم فرق الهلال الأحمر الإسعافات للجرحى في سجن عدرا.")
    assert "injury" not in {kind for incident in result["incidents"] for kind in incident["event_types"]}
    result = extract_text("Guards fired on inmates of Adra Prison and medics treated the wounded.", language="en")
    assert "injury" in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_a_visit_to_a_prison_is_an_event_of_its_own() -> None:
    result = extract_text("Monitors of the United Nations visited Hama Central Prison on Tuesday and met detainees.",
                          language="en")
    assert [(incident["place_en"], incident["event_types"]) for incident in result["incidents"]] == \
        [("Hama Central Prison", ["other"])]
    result = extract_text("Monitors said they visited the old market of Hama on Tuesday.", language="en")
    assert result["incidents"] == []


def test_a_settlement_named_as_the_framework_of_a_release_is_no_negotiation() -> None:
    for text in ("Twenty detainees were released from Daraa Central Prison on Monday as part of the settlement "
                 "process in the province.", "أفرج عن عشرين معتقلاً من سجن درعا المركزي ضمن اتفاق التسوية في المحافظة."):
        kinds = {kind for incident in extract_text(text)["incidents"] for kind in incident["event_types"]}
        assert kinds == {"release"}, text
    result = extract_text("Talks on a settlement between the detainees of Hama Central Prison and the administration "
                          "began on Monday.", language="en")
    assert "negotiation" in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_a_raid_campaign_is_a_raid() -> None:
    result = extract_text("نفذت قوات الأمن حملة دهم في حي الزهور بمدينة حمص، اعتقلت خلالها عشرة أشخاص.")
    assert {"raid", "arrest"} <= {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_a_call_to_reveal_the_fate_of_the_disappeared_is_about_the_disappeared_at_large() -> None:
    for text in ("أفرجت السلطات عن عشرة معتقلين من سجن حمص المركزي. وطالبت الشبكة بالكشف عن مصير عشرات الآلاف من "
                 "المختفين قسرياً.", "Forces released ten detainees from Homs Central Prison. The network called for "
                 "revealing the fate of the forcibly disappeared."):
        result = extract_text(text)
        assert {kind for incident in result["incidents"] for kind in incident["event_types"]} == \
            {"release", "appeal_call"}  # the network's call is the document's appeal, not a disappearance
        assert [c["status"] for c in result["event_claims"] if "enforced_disappearance" in c["event_types"]] == \
            ["general"]
    result = extract_text("Forces released ten detainees from Homs Central Prison. Thousands remain forcibly "
                          "disappeared.", language="en")
    assert "enforced_disappearance" in {kind for incident in result["incidents"] for kind in incident["event_types"]}


def test_a_report_released_today_is_not_a_release() -> None:
    result = extract_text("Guards beat detainees at Adra prison during interrogation, Amnesty International said in "
                          "a study released on Tuesday.", language="en")
    assert "release" not in _types(result)
    result = extract_text("The monitoring group released today its annual tally of detainees who died in Adra "
                          "prison.", language="en")
    assert "release" not in _types(result)


def test_a_release_of_detainees_is_still_a_release() -> None:
    result = extract_text("The authorities released 40 detainees from Adra prison on Monday.", language="en")
    assert "release" in _types(result)


def test_the_dead_held_in_detention_died_in_custody() -> None:
    result = extract_text("Families identified the dead detainees from pictures taken in the morgue of a security "
                          "branch in Homs. Most of the dead had been held in the same branch for months.", language="en")
    assert "death_in_custody" in _types(result) and "killing" not in _types(result)


def test_the_dead_of_a_shooting_in_prison_were_killed() -> None:
    result = extract_text("Guards opened fire on rioting prisoners in Homs Central Prison; the dead prisoners were "
                          "buried the next day.", language="en")
    assert "killing" in _types(result) or "shooting" in _types(result)
    assert "death_in_custody" not in _types(result)


def test_a_country_wide_total_is_an_incident_of_its_own() -> None:
    text = ("Guards beat detainees at Adra prison\n\nGuards at Adra prison beat at least 12 detainees on Friday, "
            "relatives said. The monitoring group's records hold the names of more than 98,000 people who remain "
            "forcibly disappeared in Syria since 2011.\n")
    result = extract_text(text, language="en")
    total = [incident for incident in result["incidents"]
             if any(count["value"] == 98000 for count in incident["counts"])]
    assert len(total) == 1 and total[0]["place_en"] in (None, "Syria") and total[0]["date"] is None
    assert "enforced_disappearance" in total[0]["event_types"]
    local = [incident for incident in result["incidents"] if incident["place_en"] == "Adra Prison"]
    assert local and all(count["value"] != 98000 for incident in local for count in incident["counts"])


def test_what_rights_groups_estimate_with_a_country_wide_figure_is_the_total() -> None:
    text = ("Detainees freed from Adra prison\n\nThe authorities freed 30 detainees from Adra prison on Monday. "
            "Rights groups estimate that more than 85,000 people disappeared into the country's prisons.\n")
    result = extract_text(text, language="en")
    assert any(count["value"] == 85000 for incident in result["incidents"] for count in incident["counts"])


def test_the_uprising_as_a_time_mark_is_no_riot() -> None:
    result = extract_text("Thousands were held in the prisons of Homs after the uprising began in 2011, and many "
                          "died there.", language="en")
    assert "protest_riot" not in _types(result) and _status(result, "protest_riot") == {"general"}
    result = extract_text("Inmates of Homs Central Prison staged an uprising on Monday and took two guards hostage.",
                          language="en")
    assert "protest_riot" in _types(result)


def test_threats_in_a_headline_are_no_storming() -> None:
    result = extract_text("تواصل الإضراب في سجن السويداء المركزي وسط تهديدات باقتحامه\n\nيواصل المعتقلون في سجن "
                          "السويداء المركزي إضرابهم عن الطعام لليوم الرابع.")
    assert "storming" not in _types(result) and "threatened" in _status(result, "storming")
    result = extract_text("Strike goes on in Adra prison amid threats to storm it\n\nInmates of Adra prison went on "
                          "with their hunger strike on Monday.", language="en")
    assert "storming" not in _types(result)


def test_water_and_power_cut_and_food_kept_out_make_a_siege() -> None:
    result = extract_text("وقالت مصادر إن إدارة السجن قطعت الماء والكهرباء عن سجن السويداء المركزي ومنعت إدخال "
                          "الطعام إلى المعتقلين.")
    assert {"cut_water_electricity", "siege"} <= _types(result)
    result = extract_text("Guards cut water and electricity to the wing of Adra prison where detainees were on "
                          "strike.", language="en")
    assert "cut_water_electricity" in _types(result)


def test_leaving_prison_and_being_stopped_are_a_release_and_an_arrest() -> None:
    result = extract_text("أوقفوه على حاجز قرب حمص وهو عائد من عمله، وأمضى سنة في سجن حمص المركزي قبل خروجه من "
                          "السجن في آذار 2015.")
    assert {"arrest", "release"} <= _types(result)


def test_since_an_arrest_until_a_release_is_a_span_not_a_wish() -> None:
    result = extract_text("روت المعتقلة السابقة ما عاشته في سجن عدرا منذ اعتقالها في أيار 2012 حتى خروجها من السجن.")
    assert "release" in _types(result)
    result = extract_text("وتعهد المعتقلون بمواصلة الإضراب في سجن عدرا حتى الإفراج عنهم.")
    assert "release" not in _types(result)


def test_a_place_named_only_as_a_destination_is_not_the_text_s_place() -> None:
    text = ("Riot in Homs Central Prison\n\nInmates rioted in Homs Central Prison on Monday after guards moved "
            "20 of them to Saydnaya Prison. Guards later sent more inmates to Saydnaya Prison and to Saydnaya "
            "Prison's red wing. The riot went on for two days.")
    result = extract_text(text, language="en")
    riots = [incident for incident in result["incidents"] if "protest_riot" in incident["event_types"]]
    assert riots and all(incident["place_en"] == "Homs Central Prison" for incident in riots)


def test_a_decree_told_with_its_own_day_is_a_country_wide_incident() -> None:
    text = ("Detainees leave Adra prison\n\nDAMASCUS, 10 May 2022 — Dozens of detainees were released from Adra "
            "prison on Tuesday. The amnesty decree had been issued on 30 April 2022 by the president.")
    result = extract_text(text, language="en")
    decree = [incident for incident in result["incidents"] if incident["event_types"] == ["amnesty"]]
    assert decree and decree[0]["place_en"] is None and decree[0]["date"] == "2022-04-30"
    assert any("release" in incident["event_types"] and incident["place_en"] == "Adra Prison"
               for incident in result["incidents"])


def test_taken_from_home_is_an_arrest_and_an_unknown_place_a_disappearance() -> None:
    result = extract_text("She has searched for her son since he was taken from his home in Homs in 2013 and held "
                          "in an unknown place.", language="en")
    assert {"arrest", "enforced_disappearance"} <= _types(result)


def test_detainees_taken_from_their_cells_are_not_arrested() -> None:
    result = extract_text("Each week groups of detainees were taken from their cells at night in Saydnaya prison.",
                          language="en")
    assert "arrest" not in _types(result)


def test_a_body_found_in_detention_is_a_death_in_custody() -> None:
    result = extract_text("عُثر على جثة معتقل سابق في براد مشفى عسكري قرب سجن صيدنايا، وعليها آثار تعذيب.")
    assert "death_in_custody" in _types(result)
    result = extract_text("The bodies of detainees were found in a hospital morgue next to Saydnaya prison.",
                          language="en")
    assert "death_in_custody" in _types(result)


def test_an_arabic_release_in_the_present_tense_and_nothing_but_a_release() -> None:
    result = extract_text("قضى سنة في سجن حمص المركزي حيث تعرض للتعذيب قبل أن يُفرج عنه.")
    assert "release" in _types(result)
    result = extract_text("وقال التقرير إن المراسيم لم تُفضِ إلا إلى الإفراج عن أعداد محدودة من المعتقلين في سجن عدرا.")
    assert "release" in _types(result)
    result = extract_text("لم يُفرج عن أي معتقل من سجن حمص المركزي.")
    assert "release" not in _types(result)


def test_an_attempt_to_transfer_is_not_yet_a_transfer() -> None:
    result = extract_text("يواصل المعتقلون في سجن حماة المركزي عصيانهم احتجاجاً على محاولة إدارة السجن نقل خمسة "
                          "معتقلين إلى سجن صيدنايا.")
    assert "transfer" not in _types(result) and _status(result, "transfer") == {"threatened"}
    result = extract_text("Inmates rioted in Homs Central Prison after an attempt to transfer five of them.",
                          language="en")
    assert "transfer" not in _types(result)


def test_an_association_of_families_makes_an_appeal_of_its_own() -> None:
    text = ("رابطة أهالي معتقلي حمص تطالب بالكشف عن مصير أبنائها\n\nأصدرت رابطة أهالي معتقلي حمص بياناً اليوم.\n\n"
            "وعليه نطالب الأمم المتحدة بالضغط لزيارة السجون.\n")
    assert "appeal_call" in _types(extract_text(text))


def test_an_organisation_s_own_call_is_one_appeal_dated_by_the_document() -> None:
    text = ("Amnesty International\nPRESS RELEASE\n\n7 September 2021\n\nGuards beat detainees in Adra prison on "
            "Monday.\n\nThe organization urged the authorities to halt the deportations of refugees, and calls on "
            "donor states to press for access.\n")
    appeals = [incident for incident in extract_text(text, language="en")["incidents"]
               if "appeal_call" in incident["event_types"]]
    assert [(a["place_en"], a["date"]) for a in appeals] == [(None, "2021-09-07")]


def test_words_that_only_look_like_a_call_make_no_appeal() -> None:
    for text in ("Guards beat detainees in Adra prison. He lost his appeal against the verdict in the military court.",
                 "Guards beat detainees in Adra prison. The decree keeps the defendants' rights to defence and to appeal.",
                 "Guards beat detainees in Adra prison. The police urged residents not to approach the site.",
                 "Guards beat detainees in Adra prison; they were jailed for joining demonstrations demanding reform.",
                 "اعتقلت قوات الأمن طالباً جامعياً في دمشق. وكان الطالب قد أنهى دراسته، ولم تتحقق مطالبهم.",
                 "اعتقلت قوات الأمن طالب جامعي في دمشق. ودعت الشرطة الأهالي إلى عدم الاقتراب من الموقع."):
        assert "appeal_call" not in _types(extract_text(text)), text


def test_a_reported_protest_that_demands_makes_an_appeal() -> None:
    text = "Hundreds protested in Idlib on 1 March 2024, demanding the release of detainees held in its prisons."
    assert {"protest_riot", "appeal_call"} <= _types(extract_text(text, language="en"))


def test_the_items_of_a_list_of_demands_are_asked_for() -> None:
    text = ("Statement\n\nGuards beat detainees in Adra prison on Monday.\n\nWe call on:\n1. The authorities to "
            "release all detainees held without charge.\n2. The prison to end the siege of its wings.\n\nThe group.")
    result = extract_text(text, language="en")
    assert "torture" in _types(result)
    assert not {"release", "siege"} & _types(result) and "demanded" in _status(result, "release")
    text = ("بيان\n\nوعليه نطالب:\nأولاً: السلطات بتطويق مواقع المقابر الجماعية في ريف حمص.\n"
            "ثانياً: الإفراج عن المعتقلين في سجن حمص المركزي.\n")
    result = extract_text(text)
    assert not {"siege", "release", "mass_grave"} & _types(result)


def test_a_trigger_listed_with_a_kept_one_is_kept() -> None:
    text = ("Photographs from Adra prison\n\nA former guard smuggled photographs out of Adra prison in 2014. "
            "They were shown to journalists in Beirut last week. Investigators said the pictures were genuine. "
            "Many of the images show signs of starvation, beatings and torture. Torture was common there.")
    assert "starvation" in _types(extract_text(text, language="en"))


def test_an_order_to_prevent_torture_reports_no_torture() -> None:
    result = extract_text("The court ordered the government to take every measure to prevent acts of torture in "
                          "its prisons.", language="en")
    assert "torture" not in _types(result)


def test_the_dead_whose_bodies_are_found_are_no_new_killing() -> None:
    result = extract_text("A mass grave found near the town of al-Qasrayn holds the bodies of at least 200 people "
                          "killed by the security services, a rights group said.", language="en")
    assert _types(result) == {"mass_grave"}
    arabic = extract_text("عُثر على مقبرة جماعية قرب بلدة القصير. وكانت الرفات مرقّمة على طريقة ترقيم جثث الموقوفين "
                          "الذين قضوا في الأفرع الأمنية.")
    assert "killing" not in _types(arabic) and "mass_grave" in _types(arabic)
    assert "death_in_custody" in _types(extract_text("Three detainees killed by guards in Hama prison on Monday."))


def test_arabic_shooting_and_burning_told_in_the_present_tense() -> None:
    result = extract_text("ويظهر في التسجيل عنصر من قوات الأمن يقود معتقلين مقيدي الأيدي إلى حفرة في حي الزهور، ثم يطلق "
                          "النار عليهم، قبل أن يُضرم النار في الجثث.")
    assert {"shooting", "fire"} <= _types(result)
