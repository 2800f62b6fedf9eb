"""One incident told by eleven public reports from eight publishers, in Arabic and English, plus hidden ones.

The texts are written for these tests (the publishers are invented; the event, the storming of Hama
Central Prison in May 2016, is real). Records are made directly, as in ``test_search_archive``, so
the tests check the incident pages and not what extraction finds today.

Among the eleven public reports: one publisher's Arabic and English statements, a translation (named
in the record's fields) and a republication (a near-duplicate record) each count with their origin,
so they make eight independent sources. Two hidden reports (one confidential, the incident's origin
report whose values the stored incident row holds, one restricted) carry values no public report
gives, so that any of them showing to a visitor is a leak: the date 4 May 2016, executions, the Air
Force Intelligence as perpetrator, 520 and 550 cases of suffocation, 9 dead. A second incident is
reported by a restricted record only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dhakira_web.archive import linking
from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record
from dhakira_web.archive.search import index_record
from dhakira_web.archive.services import refresh_facets
from tests.web.test_search_archive import make_record

HAMA = "fac:hama-central-prison"
ADRA = "fac:adra-prison"
STORMING = ["storming", "tear_gas", "suffocation"]

# name: (publisher, language, issue date, text, event types, [(what, value, qualifier, quote)])
PUBLIC: dict[str, tuple[str, str, str, str, list[str], list[tuple[str, int, str, str]]]] = {
    "levant_ar": ("شبكة المشرق لحقوق الإنسان", "ar", "2016-05-06",
                  "اقتحمت قوات النظام السوري فجر الجمعة 6 أيار 2016 سجن حماة المركزي بعد أيام من استعصاء السجناء، "
                  "واستخدمت الغاز المسيل للدموع والرصاص المطاطي، ووثّقنا 25 حالة اختناق على الأقل بين المعتقلين.",
                  STORMING, [("suffocation_cases", 25, "at_least", "25 حالة اختناق")]),
    "levant_en": ("شبكة المشرق لحقوق الإنسان", "en", "2016-05-07",
                  "Syrian government forces stormed Hama Central Prison at dawn on Friday 6 May 2016, days after the "
                  "prisoners took over their wings. Tear gas and rubber bullets were used; we documented at least 25 "
                  "cases of suffocation among the detainees.",
                  STORMING, [("suffocation_cases", 25, "at_least", "25 cases of suffocation")]),
    "orontes_ar": ("مرصد العاصي", "ar", "2016-05-06",
                   "أفاد ناشطون من داخل سجن حماة المركزي بأن قوات الأمن أطلقت قنابل الغاز داخل المهاجع صباح اليوم، "
                   "ما تسبب بنحو 30 حالة اختناق، في حين يواصل نحو 2000 سجين استعصاءهم.",
                   STORMING, [("suffocation_cases", 30, "about", "30 حالة اختناق"), ("prisoners", 2000, "about", "2000 سجين")]),
    "digest_en": ("The Syria Digest", "en", "2016-05-07",
                  "Activists inside Hama Central Prison said security forces fired gas canisters into the dormitories "
                  "this morning, causing about 30 cases of suffocation, while some 2000 prisoners continue their protest.",
                  STORMING, [("suffocation_cases", 30, "about", "30 cases of suffocation"), ("prisoners", 2000, "about", "2000 prisoners")]),
    "balad_ar": ("صحيفة البلد", "ar", "2016-05-06",
                 "حاولت قوات النظام اقتحام سجن حماة المركزي مجدداً يوم الجمعة، وأكد سجناء أنه أصيب 6 سجناء بجروح "
                 "وأن العشرات أصيبوا بالاختناق.",
                 ["storming", "injury"], [("injured", 6, "exact", "6 سجناء")]),
    "hama_news_ar": ("شبكة أخبار حماة", "ar", "2016-05-06",
                     "نقلاً عن صحيفة البلد: حاولت قوات النظام اقتحام سجن حماة المركزي مجدداً يوم الجمعة، وأكد سجناء أنه "
                     "أصيب 6 سجناء بجروح وأن العشرات أصيبوا بالاختناق.",
                     ["storming", "injury"], [("injured", 6, "exact", "6 سجناء")]),
    "wire_en": ("Levant Wire", "en", "2016-05-06",
                "Syrian security forces fired tear gas and stormed Hama Central Prison on Friday to end a week-long riot, "
                "a monitoring group and inmates said. More than 1800 prisoners are held in the facility.",
                STORMING, [("prisoners", 1800, "over", "1800 prisoners")]),
    "watch_en": ("Detention Watch Syria", "en", "2016-05-08",
                 "Detention Watch Syria condemns the storming of Hama Central Prison on 6 May 2016. According to inmates' "
                 "families, about 40 prisoners suffered suffocation and at least 7 were injured by rubber bullets.",
                 STORMING, [("suffocation_cases", 40, "about", "40 prisoners suffered suffocation"), ("injured", 7, "at_least", "7 were injured")]),
    "families_ar": ("رابطة عائلات معتقلي حماة", "ar", "2016-05-07",
                    "تعرّض أبناؤنا في سجن حماة المركزي يوم 6 أيار 2016 لهجوم بالغاز المسيل للدموع، ونطالب بإطلاق سراحهم فوراً.",
                    ["storming", "tear_gas"], []),
    "justice_en": ("Justice for Detainees Initiative", "en", "2016-05-09",
                   "On 6 May 2016 government forces entered Hama Central Prison with tear gas after negotiations collapsed; "
                   "at least 25 detainees suffered suffocation, and families fear a transfer of prisoners to Saydnaya.",
                   STORMING, [("suffocation_cases", 25, "at_least", "25 detainees suffered suffocation")]),
    "doctors_ar": ("أطباء من أجل المعتقلين", "ar", "2016-05-10",
                   "عالج مسعفون داخل السجن المركزي في حماة 27 حالة اختناق بعد اقتحام 6 أيار 2016، ولم تسمح الإدارة بإدخال الأدوية.",
                   STORMING, [("suffocation_cases", 27, "exact", "27 حالة اختناق")]),
}
HIDDEN: dict[str, tuple[str, str, str, str, str, list[str], list[tuple[str, int, str, str]]]] = {
    "witness_conf": ("confidential", "Internal Witness Cell", "en", "2016-05-04",
                     "Protected testimony: on 4 May 2016 guards executed 3 prisoners in Hama Central Prison and counted "
                     "520 cases of suffocation.",
                     ["execution", "storming"], [("executed", 3, "exact", "3 prisoners"), ("suffocation_cases", 520, "exact", "520 cases of suffocation")]),
    "sealed_restricted": ("restricted", "Sealed Monitor", "en", "2016-05-05",
                          "A sealed account lists 550 cases of suffocation in Hama Central Prison and 9 dead.",
                          STORMING, [("suffocation_cases", 550, "exact", "550 cases of suffocation"), ("dead", 9, "exact", "9 dead")]),
}
# Values only the hidden reports give: none may reach a visitor.
HIDDEN_VALUES = ("520", "550", "2016-05-04", "4 May 2016", "Air Force Intelligence", "Internal Witness Cell", "Sealed Monitor",
                 "Executions", "execution", "9 dead", "Protected testimony", "Adra", "عدرا")


@dataclass
class StormingArchive:
    records: dict[str, Record] = field(default_factory=dict)
    incident: Incident | None = None
    hidden_incident: Incident | None = None
    place: Place | None = None


def _report(record: Record, incident: Incident, decision: str, kinds: list[str], date: str, perpetrator: str,
            figures: list[tuple[str, int, str, str]], place: str = HAMA, features: dict[str, Any] | None = None) -> IncidentReport:
    counts = []
    for what, value, qualifier, quote in figures:
        start = record.text.index(quote)
        counts.append({"what": what, "value": value, "qualifier": qualifier, "span": [start, start + len(quote)]})
    report = IncidentReport.objects.create(
        incident=incident, record=record, position=0, decision=decision, score=0.9 if decision != "origin" else 1.0,
        features=features or {},
        reported={"event_types": kinds, "place_id": place, "date": date, "date_precision": "day",
                  "perpetrator_en": perpetrator, "counts": counts,
                  **({"perpetrator_id": "actor:sy-gov-forces"} if perpetrator == "Syrian government forces" else {})})
    for count in counts:
        Claim.objects.create(record=record, incident_report=report, field="count", value=str(count["value"]),
                             qualifier=count["qualifier"], what=count["what"], start=count["span"][0], end=count["span"][1],
                             extractor="test")
    record.places.add(Place.objects.get(key=place))
    refresh_facets(record)
    index_record(record, [place] + [f"event:{kind}" for kind in kinds])
    return report


def build_storming_archive(*, hidden: bool = True) -> StormingArchive:
    """The Hama storming with its eleven public reports (and, with ``hidden``, two hidden ones and a hidden incident)."""
    archive = StormingArchive()
    archive.place = Place.objects.create(key=HAMA, name_en="Hama Central Prison", name_ar="سجن حماة المركزي", kind="facility",
                                         governorate_pcode="SY05", latitude=35.13, longitude=36.75)
    Place.objects.create(key=ADRA, name_en="Adra Central Prison", name_ar="سجن عدرا المركزي", kind="facility",
                         governorate_pcode="SY03", latitude=33.6, longitude=36.5)
    records = archive.records
    for name, (publisher, language, issued, text, _, _) in PUBLIC.items():
        records[name] = make_record(name, text, language=language, issue_date=issued, issuer=publisher)
    if hidden:
        for name, (access, publisher, language, issued, text, _, _) in HIDDEN.items():
            records[name] = make_record(name, text, language=language, issue_date=issued, issuer=publisher, access=access)
    records["hama_news_ar"].duplicate_of = records["balad_ar"]
    records["hama_news_ar"].save(update_fields=["duplicate_of"])
    records["digest_en"].fields = {"translation_of": records["orontes_ar"].code}
    records["digest_en"].save(update_fields=["fields"])
    if hidden:
        # The stored row holds the origin report's values: a confidential one's.
        incident = Incident.objects.create(title="Execution, storming · Hama Central Prison · 2016-05-04",
                                           event_types=["execution", "storming"], place=archive.place, date="2016-05-04",
                                           date_precision="day", perpetrator="Air Force Intelligence")
        _, _, _, _, _, kinds, figures = HIDDEN["witness_conf"]
        _report(records["witness_conf"], incident, "origin", kinds, "2016-05-04", "Air Force Intelligence", figures)
        _, _, _, _, _, kinds, figures = HIDDEN["sealed_restricted"]
        _report(records["sealed_restricted"], incident, "same", kinds, "2016-05-05", "Air Force Intelligence", figures)
    else:
        incident = Incident.objects.create(title="", event_types=STORMING, place=archive.place, date="2016-05-06",
                                           date_precision="day", perpetrator="Syrian government forces")
    archive.incident = incident
    for number, (name, (_, _, _, _, kinds, figures)) in enumerate(PUBLIC.items()):
        decision = "origin" if not hidden and number == 0 else "same"
        features: dict[str, Any] = {}
        if name == "levant_en" and hidden:
            features = {"published_gap_days": 3.0, "same_issuer": 0.0, "lead_cosine": 0.8123,
                        "compared_record": records["witness_conf"].pk}
        elif name == "orontes_ar":
            features = {"published_gap_days": 0.0, "same_issuer": 0.0, "lead_cosine": 0.7042,
                        "compared_record": records["levant_ar"].pk}
        elif name == "wire_en":
            features = {"published_gap_days": 2.0, "same_issuer": 0.0, "lead_cosine": 0.6617}  # older rows: no compared record
        _report(records[name], incident, decision, kinds, "2016-05-06", "Syrian government forces", figures, features=features)
    if hidden:
        secret = make_record("adra_restricted", "Restricted note: a hunger strike began in Adra Central Prison on 3 February 2017.",
                             language="en", issue_date="2017-02-03", issuer="Sealed Monitor", access="restricted")
        records["adra_restricted"] = secret
        archive.hidden_incident = Incident.objects.create(title="Hunger strike · Adra Central Prison · 2017-02-03",
                                                          event_types=["hunger_strike"], place=Place.objects.get(key=ADRA),
                                                          date="2017-02-03", date_precision="day")
        _report(secret, archive.hidden_incident, "origin", ["hunger_strike"], "2017-02-03", "", [], place=ADRA)
    linking.refresh_credibility(incident)  # the stored reasons now speak of every report, hidden ones too
    for record in records.values():
        record.refresh_from_db()
    incident.refresh_from_db()
    return archive
