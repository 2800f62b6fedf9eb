"""Build gold.jsonl, spans.jsonl and manifest.csv for held-aside-5 (own documents)."""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
def place(name, en, kind): return {"name": name, "canonical_en": en, "kind": kind}
def org(name, en): return {"name": name, "canonical_en": en}
def incident(types, place, date, perp, counts=()):
    return {"event_types": types, "place_en": place, "date": date, "perpetrator_en": perp,
            "counts": [{"what": w, "value": v, "qualifier": q, "_surface": s} for w, v, q, s in counts]}
GOV = "Syrian government forces"
DOCS = [
 ("h5-01.txt", "https://www.france24.com/en/middle-east/20241205-opposition-fighters-free-inmates-hama-central-prison", "en",
  "Opposition fighters free inmates from Hama Central Prison", "France 24 (AFP)", "news_article", "2024-12-05",
  [place("Hama Central Prison", "Hama Central Prison", "facility"), place("HAMA", "Hama", "city"), place("Syria", "Syria", "country"),
   place("Saydnaya Military Prison", "Saydnaya Prison", "facility"), place("Aleppo", "Aleppo", "city")],
  [org("Hayat Tahrir al-Sham", "Hay'at Tahrir al-Sham"), org("AFP", "Agence France-Presse")],
  ["Abu Yaman", "Bashar al-Assad"],
  [incident(["release"], "Hama Central Prison", "2024-12-05", "Syrian opposition forces",
     [("prisoners_freed", 1500, "over", "more than 1,500 prisoners"), ("women_freed", 60, "at_least", "at least 60 women")]),
   incident(["protest_riot", "negotiation"], "Hama Central Prison", "2016-05", None,
     [("prisoners_due_for_transfer", 5, "exact", "five of them")])]),
 ("h5-02.txt", "https://www.amnesty.org/en/latest/press-release/2021/09/syria-returnees-detained-tortured-disappeared/", "en",
  "Syria: Returnees detained, tortured and disappeared by security forces", "Amnesty International", "press_release", "2021-09-07",
  [place("Syria", "Syria", "country"), place("Lebanon", "Lebanon", "country"), place("Jordan", "Jordan", "country"), place("France", "France", "country"),
   place("Germany", "Germany", "country"), place("Palestine Branch", "Palestine Branch", "facility"), place("Damascus", "Damascus", "city"),
   place("Denmark", "Denmark", "country"), place("Sweden", "Sweden", "country"), place("Turkey", "Turkey", "country")],
  [org("Amnesty International", "Amnesty International")],
  ["Marie Forestier"],
  [incident(["arrest", "torture", "enforced_disappearance", "death_in_custody"], "Syria", None, GOV,
     [("returnees_documented", 66, "exact", "66 returnees"), ("children", 13, "exact", "13 of them children"),
      ("died_in_custody", 5, "exact", "Five of them died"), ("disappeared", 17, "exact", "17 others")]),
   incident(["torture"], "Palestine Branch", None, GOV),
   incident(["appeal_call"], None, "2021-09-07", None)]),
 ("h5-03.txt", "https://www.bbc.com/news/world-middle-east-13614088", "en",
  "Boy's tortured body stirs new anger in Deraa", "BBC News", "news_article", "2011-05-31",
  [place("Deraa", "Daraa", "city"), place("Damascus", "Damascus", "city"), place("Saida", "Saida", "city"), place("Douma", "Douma", "city")],
  [org("Air Force Intelligence", "Air Force Intelligence")],
  ["Lina Sinjab", "Hamza al-Khatib"],
  [incident(["arrest", "shooting"], "Saida", "2011-04-29", GOV),
   incident(["torture", "death_in_custody"], "Daraa", "2011-05", GOV),
   incident(["protest_riot"], "Daraa", "2011-05-30", None),
   incident(["protest_riot"], "Douma", "2011-05-30", None),
   incident(["killing"], None, None, GOV, [("killed", 1000, "over", "more than 1,000 people")])]),
 ("h5-04.txt", "https://www.france24.com/en/europe/20240524-paris-court-convicts-three-senior-syrian-officials", "en",
  "Paris court convicts three senior Syrian officials over deaths of French-Syrian father and son", "France 24 (AFP)", "news_article", "2024-05-24",
  [place("PARIS", "Paris", "city"), place("Mezzeh military airport", "Mezzeh Military Airport", "facility"), place("Damascus", "Damascus", "city")],
  [org("AFP", "Agence France-Presse"), org("National Security Bureau", "National Security Bureau"), org("Air Force Intelligence", "Air Force Intelligence")],
  ["Bashar al-Assad", "Ali Mamlouk", "Jamil Hassan", "Abdel Salam Mahmoud", "Mazen Dabbagh", "Patrick", "Obeida Dabbagh"],
  [incident(["other"], "Paris", "2024-05-24", None, [("officials_convicted", 3, "exact", "three of the highest-ranking officials")]),
   incident(["arrest"], "Damascus", "2013-11", GOV, [("arrested", 2, "exact", "father and son")]),
   incident(["death_in_custody", "torture"], "Mezzeh Military Airport", None, GOV)]),
 ("h5-05.txt", "https://www.enabbaladi.net/archives/572345", "ar",
  "عشرات العائلات تنتظر تحت جسر الرئيس بعد مرسوم العفو", "Enab Baladi", "news_article", "2022-05-04",
  [place("جسر الرئيس", "President Bridge (Damascus)", "other"), place("دمشق", "Damascus", "city"), place("سجن صيدنايا", "Saydnaya Prison", "facility")],
  [org("الشبكة السورية لحقوق الإنسان", "Syrian Network for Human Rights"), org("وزارة العدل", "Ministry of Justice"), org("الأمم المتحدة", "United Nations")],
  ["بشار الأسد"],
  [incident(["amnesty"], None, "2022-04-30", "Syrian government"),
   incident(["release"], "Saydnaya Prison", "2022-05-02", "Syrian government", []),
   incident(["release"], None, "2022-05", "Syrian government", [("released", 476, "exact", "476 شخصاً")]),
   incident(["arrest", "enforced_disappearance"], None, None, GOV, [("still_detained", 130000, "over", "أكثر من مئة وثلاثين ألف شخص")]),
   incident(["appeal_call"], None, "2022-05-04", None)]),
 ("h5-06.txt", "https://www.alquds.co.uk/tadamon-massacre-video/", "ar",
  "تسجيل مصوّر يكشف مجزرة حي التضامن بعد تسع سنوات", "Al-Quds Al-Arabi", "news_article", "2022-04-28",
  [place("لندن", "London", "city"), place("حي التضامن", "Tadamon neighbourhood (Damascus)", "other"), place("دمشق", "Damascus", "city")],
  [org("الغارديان", "The Guardian"), org("الفرع 227", "Branch 227"), org("شعبة المخابرات العسكرية", "Military Intelligence Directorate"), org("رابطة عائلات قيصر", "Caesar Families Association")],
  ["أمجد يوسف"],
  [incident(["execution", "killing", "shooting", "fire"], "Tadamon neighbourhood (Damascus)", "2013-04-16", GOV,
     [("killed", 41, "exact", "41 شخصاً"), ("women_killed", 7, "exact", "سبع نساء")]),
   incident(["appeal_call"], None, "2022-04-28", None)]),
 ("h5-07.txt", "https://npasyria.com/146789/", "ar",
  "خروج دفعة جديدة من العائلات السورية من مخيم الهول", "North Press Agency", "news_article", "2023-02-14",
  [place("مخيم الهول", "Al-Hol camp", "other"), place("الحسكة", "Hasakah", "city"), place("دير الزور", "Deir ez-Zor", "governorate")],
  [org("نورث برس", "North Press Agency"), org("الإدارة الذاتية", "Autonomous Administration of North and East Syria"),
   org("قوات سوريا الديمقراطية", "Syrian Democratic Forces"), org("داعش", "Islamic State")],
  [],
  [incident(["release", "transfer"], "Al-Hol camp", "2023-02-14", "Syrian Democratic Forces",
     [("families", 87, "exact", "87 عائلة"), ("persons", 312, "exact", "312 شخصاً")]),
   incident(["raid", "arrest"], "Al-Hol camp", "2022-08", "Syrian Democratic Forces", [("arrested", 226, "exact", "226 شخصاً")])]),
 ("h5-08.txt", "https://www.families-for-freedom.org/ar/statement-30-08-2023", "ar",
  "بيان في اليوم الدولي لضحايا الاختفاء القسري", "Families for Freedom", "statement", "2023-08-30",
  [place("سوريا", "Syria", "country"), place("إدلب", "Idlib", "city"), place("برلين", "Berlin", "city")],
  [org("عائلات من أجل الحرية", "Families for Freedom"), org("الجمعية العامة للأمم المتحدة", "United Nations General Assembly")],
  [],
  [incident(["enforced_disappearance"], "Syria", None, None, [("disappeared", 100000, "over", "أكثر من مئة ألف شخص")]),
   incident(["protest_riot"], "Idlib", "2023-08-30", None),
   incident(["protest_riot"], "Berlin", "2023-08-30", None),
   incident(["appeal_call"], None, "2023-08-30", None)]),
]
gold_lines, span_lines, manifest = [], [], ["path,source_url"]
for doc, url, lang, title, issuer, dtype, pub, places, orgs, persons, incidents in DOCS:
    text = (HERE / "corpus" / doc).read_text(encoding="utf-8")
    spans = {"doc": doc, "title": [text.index(title), text.index(title) + len(title)], "places": [], "organisations": [], "persons": [], "counts": []}
    for field, items in (("places", places), ("organisations", orgs), ("persons", [{"name": n} for n in persons])):
        for it in items:
            assert it["name"] in text, (doc, it["name"])
            k = text.index(it["name"])
            spans[field].append({"name": it["name"], "span": [k, k + len(it["name"])]})
    for n, inc in enumerate(incidents):
        for c in inc["counts"]:
            s = c.pop("_surface")
            k = text.index(s)
            spans["counts"].append({"incident": n, "what": c["what"], "value": c["value"], "surface": s, "span": [k, k + len(s)]})
    gold = {"doc": doc, "url": url, "language": lang, "title": title, "issuer": issuer, "doc_type": dtype, "published": pub,
            "places": places, "organisations": orgs, "persons": [{"name": n} for n in persons], "incidents": incidents, "rewritten": False}
    gold_lines.append(json.dumps(gold, ensure_ascii=False))
    span_lines.append(json.dumps(spans, ensure_ascii=False))
    manifest.append(f"corpus/{doc},{url}")
(HERE / "gold.jsonl").write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
(HERE / "spans.jsonl").write_text("\n".join(span_lines) + "\n", encoding="utf-8")
(HERE / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
