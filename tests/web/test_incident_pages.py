"""Incident pages a researcher can cite, computed from the reports the reader may see and nothing else."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.web.incident_fixtures import HIDDEN_VALUES, StormingArchive, build_storming_archive


@pytest.fixture
def storming(db: None) -> StormingArchive:
    return build_storming_archive()


def client_for(role: str | None) -> Client:
    client = Client()
    if role is not None:
        user, _ = User.objects.get_or_create(username=f"{role}-user")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        client.force_login(user)
    return client


def dumped(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return json.dumps(response.json(), ensure_ascii=False)


def page_text(html: str) -> str:
    """The words a reader sees: tags and attributes left out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_nothing_hidden(text: str) -> None:
    # Identifiers are random (incident ids of 13–16 digits, record codes): they may hold any digits.
    text = re.sub(r"\d{10,}|DHK-\d{4}-[0-9A-Z]{8}", "#", text)
    for value in HIDDEN_VALUES:
        assert value not in text, value


def test_a_visitor_sees_the_incident_as_the_public_reports_tell_it(storming: StormingArchive) -> None:
    incident = storming.incident
    data = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    assert data["title"] == "Storming of Hama Central Prison, 6 May 2016"
    assert data["title_ar"] == "اقتحام سجن حماة المركزي، 6 أيار 2016"
    assert (data["date"], data["perpetrator"]) == ("2016-05-06", "Syrian government forces")
    assert [kind["id"] for kind in data["event_types"]][:1] == ["storming"]
    assert data["corroboration"]["summary"] == "11 reports from 8 independent sources"
    assert (data["corroboration"]["reports"], data["corroboration"]["sources"]) == (11, 8)
    assert_nothing_hidden(json.dumps(data, ensure_ascii=False))
    for path in (f"/incidents/{incident.pk}?format=json", f"/api/incidents/{incident.pk}"):
        assert_nothing_hidden(dumped(Client().get(path)))


def test_the_stored_row_would_have_leaked(storming: StormingArchive) -> None:
    """The incident row itself holds the hidden origin report's values: the page must not read them."""
    incident = storming.incident
    assert incident.date == "2016-05-04" and incident.perpetrator == "Air Force Intelligence"
    assert any("520" in reason["en"] or "550" in reason["en"] for reason in incident.credibility_reasons)


def test_those_allowed_see_the_hidden_reports_counted(storming: StormingArchive) -> None:
    incident = storming.incident
    viewer = client_for("viewer").get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    assert viewer["corroboration"]["reports"] == 12 and viewer["corroboration"]["sources"] == 9
    reviewer = client_for("reviewer").get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    assert reviewer["corroboration"]["summary"] == "13 reports from 10 independent sources"
    suffocation = next(group for group in reviewer["figures_by_what"] if group["name_en"] == "cases of suffocation")
    assert suffocation["range"] == "25 to 550"
    assert any("550" in reason for reason in reviewer["suggested_grade"]["reasons"])


def test_figures_are_grouped_by_what_is_counted_in_words(storming: StormingArchive) -> None:
    incident = storming.incident
    data = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    groups = {group["name_en"]: group for group in data["figures_by_what"]}
    suffocation = groups["cases of suffocation"]
    assert suffocation["name_ar"] == "حالات اختناق"
    assert suffocation["range"] == "25 to 40" and not suffocation["agree"]
    assert {figure["language"] for figure in suffocation["figures"]} == {"ar", "en"}
    phrases = {figure["phrase"] for figure in suffocation["figures"]}
    assert {"at least 25 cases of suffocation", "about 30 cases of suffocation", "27 cases of suffocation"} <= phrases
    for figure in suffocation["figures"]:
        record = storming.records[next(name for name, item in storming.records.items() if item.code == figure["record"])]
        assert record.text[figure["span"][0]:figure["span"][1]] == figure["quote"] and figure["quote"]
        assert figure["publisher"] == record.issuer
    assert groups["prisoners"]["range"] == "1,800 to 2,000"
    arabic = client_for(None)
    arabic.cookies["django_language"] = "ar"
    data_ar = arabic.get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    phrases_ar = {figure["phrase"] for group in data_ar["figures_by_what"] for figure in group["figures"]}
    assert {"25 حالة اختناق على الأقل", "نحو 30 حالة اختناق", "نحو 2000 سجيناً", "أكثر من 1800 سجيناً"} <= phrases_ar
    assert data_ar["title"] == "اقتحام سجن حماة المركزي، 6 أيار 2016"
    assert data_ar["corroboration"]["summary"] == "11 تقريراً من 8 مصادر مستقلة"
    for html in (Client().get(f"/incidents/{incident.pk}").content.decode(),
                 arabic.get(f"/incidents/{incident.pk}").content.decode()):
        text = page_text(html)
        for identifier in ("at_least", "suffocation_cases", "about 30.0", "None"):
            assert identifier not in text, identifier


def test_timeline_has_one_row_per_report_with_date_publisher_and_language(storming: StormingArchive) -> None:
    incident = storming.incident
    data = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    timeline = data["timeline"]
    assert len(timeline) == 11 == len({row["code"] for row in timeline})
    assert [row["date"] for row in timeline] == sorted(row["date"] for row in timeline)
    assert timeline[0]["date_words"] == "6 May 2016"
    assert {row["language_label"] for row in timeline} == {"Arabic", "English"}
    assert all(row["publisher"] for row in timeline)


def test_independence_names_the_sources_and_why_reports_count_together(storming: StormingArchive) -> None:
    records = storming.records
    data = Client().get(f"/incidents/{storming.incident.pk}", {"format": "json"}).json()
    groups = {frozenset(report["code"] for report in group["reports"]): group for group in data["corroboration"]["groups"]}
    assert len(groups) == 8
    assert frozenset({records["levant_ar"].code, records["levant_en"].code}) in groups
    assert frozenset({records["orontes_ar"].code, records["digest_en"].code}) in groups  # a translation
    assert frozenset({records["balad_ar"].code, records["hama_news_ar"].code}) in groups  # a republication
    reasons = {report["code"]: report["why"] for group in groups.values() for report in group["reports"]}
    assert reasons[records["levant_en"].code] == ["same publisher"]
    assert reasons[records["hama_news_ar"].code] == ["republication or translation"]
    grade = data["suggested_grade"]
    assert grade["words"] == "1 — Confirmed by other sources" and grade["suggested"] is True
    assert any("cases of suffocation" in reason and "25 to 40" in reason for reason in grade["reasons"])
    assert any(reason.startswith("Independent sources: ") and "Levant Wire" in reason and "مرصد العاصي" in reason
               for reason in grade["reasons"])
    assert f"Counted once with {records['balad_ar'].code}: {records['hama_news_ar'].code} (republication or translation)." in grade["reasons"]
    assert data["grades"]["information"]["grade"] is None  # no reviewer has graded it yet
    assert data["grades"]["information"]["suggestion"] == grade  # beside it, the suggestion from the visible reports
    html = Client().get(f"/incidents/{storming.incident.pk}").content.decode()
    assert "11 reports from 8 independent sources" in html and "Reviewers&#x27; grades" in html


def test_link_features_only_about_records_the_reader_may_see(storming: StormingArchive) -> None:
    records = storming.records
    incident = storming.incident
    for client in (Client(), client_for("viewer")):
        rows = {row["code"]: row for row in client.get(f"/incidents/{incident.pk}", {"format": "json"}).json()["reports"]}
        assert rows[records["levant_en"].code]["features"] == {} and rows[records["levant_en"].code]["score"] is None
        assert rows[records["wire_en"].code]["features"] == {}  # compared record unknown, and some reports are hidden
        assert rows[records["orontes_ar"].code]["features"]["published_gap_days"] == 0.0
        assert "compared_record" not in rows[records["orontes_ar"].code]["features"]
        assert {row["decision"] for row in rows.values()} == {"linked"}  # no "same" without a visible "origin"
    rows = {row["code"]: row for row in client_for("reviewer").get(f"/incidents/{incident.pk}", {"format": "json"}).json()["reports"]}
    assert rows[records["levant_en"].code]["features"]["lead_cosine"] == 0.8123
    assert rows[records["wire_en"].code]["features"]["lead_cosine"] == 0.6617
    assert rows[records["witness_conf"].code]["decision"] == "origin"


def test_an_incident_reported_only_by_hidden_records_does_not_appear(storming: StormingArchive) -> None:
    hidden = storming.hidden_incident
    for path in (f"/incidents/{hidden.pk}", f"/incidents/{hidden.pk}?format=json", f"/api/incidents/{hidden.pk}"):
        assert Client().get(path).status_code == 404
    assert client_for("viewer").get(f"/api/incidents/{hidden.pk}").status_code == 200
    assert Client().get("/api/stats").json()["incidents"] == 1


def test_chronicle_places_and_names_incidents_by_visible_reports(storming: StormingArchive) -> None:
    data = Client().get("/chronicle", {"format": "json"}).json()
    assert [row["month"] for row in data["months"]] == ["2016-05"]
    assert [day["day"] for day in data["days"]] == ["2016-05-06"]
    item = data["days"][0]["incidents"][0]
    assert item["title"] == "Storming of Hama Central Prison, 6 May 2016" and len(item["reports"]) == 11
    text = json.dumps(data, ensure_ascii=False)
    assert_nothing_hidden(text)
    assert Client().get("/chronicle", {"format": "json", "event_type": "execution"}).json()["months"] == []
    assert Client().get("/chronicle", {"format": "json", "facility": "fac:adra-prison"}).json()["months"] == []
    assert_nothing_hidden(page_text(Client().get("/chronicle").content.decode()))
    reviewer = client_for("reviewer").get("/chronicle", {"format": "json"}).json()
    assert [row["month"] for row in reviewer["months"]] == ["2017-02", "2016-05"]
    assert client_for("reviewer").get("/chronicle", {"format": "json", "event_type": "execution"}).json()["months"]


def test_map_counts_incidents_where_visible_reports_place_them(storming: StormingArchive) -> None:
    data = Client().get("/api/map").json()
    by_pcode = {row["pcode"]: row for row in data["governorates"]}
    assert (by_pcode["SY05"]["incidents"], by_pcode["SY03"]["incidents"]) == (1, 0)
    assert by_pcode["SY05"]["records"] == 11
    assert "fac:adra-prison" not in {row["id"] for row in data["facilities"]}
    seen = client_for("viewer").get("/api/map").json()
    assert {row["pcode"]: row["incidents"] for row in seen["governorates"]}["SY03"] == 1


def test_search_counts_and_record_pages_show_nothing_of_hidden_reports(storming: StormingArchive) -> None:
    records = storming.records
    public = {record.code for record in records.values() if record.access_level == "public"}
    result = Client().get("/api/search", {"q": "Hama Central Prison", "limit": 50}).json()
    assert {hit["code"] for hit in result["results"]} <= public and result["total"] == len(result["results"])
    assert "execution" not in {value["value"] for value in result["facets"].get("event_type", [])}
    assert Client().get("/api/search", {"q": "Adra"}).json()["total"] == 0
    assert Client().get("/api/search", {"q": "520"}).json()["total"] == 0
    record = Client().get(f"/api/records/{records['levant_en'].code}").json()
    shown = record["incidents"][0]
    assert (shown["title"], shown["date"]) == ("Storming of Hama Central Prison, 6 May 2016", "2016-05-06")
    assert "execution" not in shown["event_types"]
    assert_nothing_hidden(json.dumps(record["incidents"], ensure_ascii=False))


def test_every_demo_incident_reads_as_a_headline_in_both_languages(demo_archive: Any) -> None:
    from dhakira_web.archive.models import Incident

    arabic = Client()
    arabic.cookies["django_language"] = "ar"
    incidents = list(Incident.objects.all())
    assert incidents
    for incident in incidents:
        for client in (Client(), arabic):
            response = client.get(f"/incidents/{incident.pk}")
            if response.status_code == 404:
                continue
            text = page_text(response.content.decode())
            data = client.get(f"/incidents/{incident.pk}", {"format": "json"}).json()
            assert data["title"] and "_" not in data["title"] and " · " not in data["title"], data["title"]
            for identifier in ("at_least", "up_to", "suffocation_cases", "None"):
                assert identifier not in text, (incident.pk, identifier)
            assert len(data["timeline"]) == len({row["code"] for row in data["timeline"]})



def test_redacted_words_are_masked_in_every_title_and_quote_of_the_incident(storming: StormingArchive) -> None:
    from dhakira_web.archive.protection import services

    incident = storming.incident
    figure = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()["figures"][0]
    record = next(item for item in storming.records.values() if item.code == figure["record"])
    phrase = record.title.split()[0]  # a word of the title, which the figure's own words need not hold
    word = next(token for token in (figure["before"] + " " + figure["quote"]).split() if len(token) > 3 and token.isalpha())
    services.redact(record, phrase, actor="tester", reason="a witness's words")
    services.redact(record, word, actor="tester", reason="a witness's words")
    seen = {role: client_for(role).get(f"/incidents/{incident.pk}", {"format": "json"}).json() for role in (None, "reviewer")}
    for secret in (phrase, word):
        assert secret not in json.dumps(seen[None], ensure_ascii=False), secret
    shown = next(item for item in seen[None]["figures"] if item["span"] == figure["span"] and item["record"] == record.code)
    assert len(shown["quote"]) == len(figure["quote"]) and "█" in shown["quote"] + shown["before"]
    assert any(row["title"] != record.title and "█" in row["title"] for row in seen[None]["timeline"] if row["code"] == record.code)
    reviewer = json.dumps(seen["reviewer"], ensure_ascii=False)
    assert word in reviewer and record.title in reviewer


def test_figures_and_their_range_follow_reviewers_corrections_and_rejections(storming: StormingArchive) -> None:
    from dhakira_web.archive.models import Claim
    from dhakira_web.archive.review import claims as review

    incident = storming.incident
    before = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    suffocation = next(group for group in before["figures_by_what"] if group["name_en"] == "cases of suffocation")
    assert suffocation["range"] == "25 to 40"
    highest = next(figure for figure in suffocation["figures"] if figure["value"] == 40)
    lowest = next(figure for figure in suffocation["figures"] if figure["value"] == 25)

    def claim_of(figure: dict[str, Any]) -> Claim:
        return Claim.objects.get(record__code=figure["record"], field="count", author="", start=figure["span"][0])

    review.correct(claim_of(highest), "reviewer-user", "the report's table gives 35", "35")
    review.decide(claim_of(lowest), "rejected", "reviewer-user", "these were counted twice")
    after = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    group = next(group for group in after["figures_by_what"] if group["name_en"] == "cases of suffocation")
    values = sorted(figure["value"] for figure in group["figures"])
    expected = sorted(figure["value"] for figure in suffocation["figures"])
    expected.remove(25)
    expected[expected.index(40)] = 35
    assert values == sorted(expected) and group["range"] == f"{min(expected)} to {max(expected)}"
    corrected = next(figure for figure in group["figures"] if figure["span"] == highest["span"] and figure["record"] == highest["record"])
    assert (corrected["value"], corrected["corrected_from"], corrected["quote"]) == (35, 40, highest["quote"])
    page = unescape(page_text(Client().get(f"/incidents/{incident.pk}").content.decode()))
    assert "corrected by a reviewer; the report's text read 40" in page
