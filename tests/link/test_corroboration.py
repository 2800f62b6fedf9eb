"""Corroboration: independent sources, figures side by side, suggested information grade."""

from __future__ import annotations

from dhakira.link import Report, corroboration, suggest_grade


def test_repost_counts_once() -> None:
    original = Report(
        "hrw.html", issuer_id="org:hrw", counts=[{"what": "killed", "value": 25, "qualifier": "at_least"}]
    )
    repost = Report(
        "blog.html",
        issuer_id="org:some-blog",
        duplicate_of="hrw.html",
        counts=[{"what": "killed", "value": 25, "qualifier": "at_least"}],
    )
    evidence = corroboration([original, repost])
    assert evidence.independent_sources == 1
    assert evidence.groups == [["blog.html", "hrw.html"]]
    grade = suggest_grade(evidence)
    assert grade.grade == 2 and grade.suggested
    assert any("not shown to be independent" in reason for reason in grade.reasons_en)


def test_same_issuer_and_same_upstream_count_once() -> None:
    reports = [
        Report("a", issuer_id="org:outlet-a", upstream="org:sohr"),
        Report("b", issuer_id="org:outlet-b", upstream="org:sohr"),
        Report("c", issuer_id="org:outlet-a"),
        Report("d", issuer_id="org:sohr"),  # the upstream's own report
    ]
    assert corroboration(reports).independent_sources == 1


def test_two_independent_sources_confirm() -> None:
    evidence = corroboration(
        [Report("en", issuer_id="org:hrw", language="en"), Report("ar", issuer_id="org:snhr", language="ar")]
    )
    assert evidence.independent_sources == 2
    grade = suggest_grade(evidence)
    assert grade.grade == 1 and grade.label_en == "Confirmed by other sources"
    assert grade.reasons_ar and grade.suggested


def test_conflicting_figures_are_kept_side_by_side() -> None:
    reports = [
        Report("a", issuer_id="org:a", counts=[{"what": "killed", "value": 25, "qualifier": "at_least"}]),
        Report("b", issuer_id="org:b", counts=[{"what": "dead", "value": 9, "qualifier": "exact"}]),
        Report(
            "c",
            issuer_id="org:c",
            counts=[
                {"what": "killed", "value": 30, "qualifier": "over"},
                {"what": "hostages", "value": 400, "qualifier": "about"},
            ],
        ),
    ]
    evidence = corroboration(reports)
    killed = evidence.figures["dead"]
    assert (killed.minimum, killed.maximum) == (9, 30)
    assert sorted((value.key, value.value, value.qualifier) for value in killed.values) == [
        ("a", 25, "at_least"),
        ("b", 9, "exact"),
        ("c", 30, "over"),
    ]
    assert killed.independent_sources == 3 and not killed.agree
    assert evidence.conflicting_figures == ["dead"]
    assert evidence.figures["hostages"].agree
    grade = suggest_grade(evidence)
    assert grade.grade == 1  # disagreement on figures does not lower the incident's grade
    assert any("9 to 30" in reason for reason in grade.reasons_en)


def test_single_source_grades() -> None:
    single = corroboration([Report("only", issuer_id="org:a")])
    assert suggest_grade(single).grade == 3
    assert suggest_grade(single, specific=False).grade == 6
    assert suggest_grade(single, contradicted_by_independent=True).grade == 4
    assert suggest_grade(single, contrary_evidence=True).grade == 5


def test_reports_from_items_mark_reposts_and_take_the_incident_counts() -> None:
    from dhakira.link import LinkItem, reports_from_items
    from tests.link.link_fixtures import hama_storming_ar, hama_storming_en

    text = "Security forces stormed the central prison in Hama and fired tear gas at the detainees on Friday."
    repost = hama_storming_en()
    repost["document"]["issuer"] = {"id": "org:a-blog"}
    items = [
        LinkItem("en", hama_storming_en(), text),
        LinkItem("blog", repost, text + " Shared by a reader."),
        LinkItem("ar", hama_storming_ar(), "اقتحمت القوات سجن حماة"),
    ]
    reports = reports_from_items(items, {"en": [0], "blog": [0]})
    assert [report.duplicate_of for report in reports] == [None, "en", None]
    assert [len(report.counts) for report in reports] == [1, 1, 1]
    evidence = corroboration(reports)
    assert evidence.independent_sources == 2  # the repost counts once with its original
    assert evidence.figures["suffocation"].minimum == 25 and evidence.figures["suffocation"].maximum == 30


def test_any_subset_of_reports_is_judged_on_its_own() -> None:
    """What a reader may see is a subset: a report left out neither counts nor links the others."""
    reports = [
        Report("hidden", issuer_id="org:closed", counts=[{"what": "suffocation_cases", "value": 520, "qualifier": "exact"}]),
        Report("a", issuer_id="org:a", duplicate_of="hidden", counts=[{"what": "suffocation_cases", "value": 25, "qualifier": "at_least"}]),
        Report("b", issuer_id="org:b", upstream="hidden", counts=[{"what": "suffocation_cases", "value": 25, "qualifier": "at_least"}]),
    ]
    everything = corroboration(reports)
    assert everything.independent_sources == 1
    assert {(tie.key, tie.reason) for tie in everything.ties} == {("a", "duplicate"), ("b", "cites")}
    seen = corroboration(reports[1:])
    assert seen.independent_sources == 2 and seen.ties == [] and seen.figures["suffocation"].maximum == 25
    grade = suggest_grade(seen, figure_names={"suffocation": ("cases of suffocation", "حالات اختناق")})
    assert grade.grade == 1 and not any("520" in reason for reason in grade.reasons_en + grade.reasons_ar)
    conflicting = suggest_grade(everything, figure_names={"suffocation": ("cases of suffocation", "حالات اختناق")})
    assert any("'cases of suffocation'" in reason and "25 to 520" in reason for reason in conflicting.reasons_en)
    assert any("حالات اختناق" in reason for reason in conflicting.reasons_ar)
