"""Site adapters: the Syrian Memory record page (HTML and copied text) and Wix pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.documents import ExternalId, ImportedAssessment
from dhakira.ingest import read_bytes, read_path
from dhakira.ingest.sites import adapters
from dhakira.schema import ids

FIXTURES = Path(__file__).parent / "fixtures"
BOILERPLATE = (
    "الذاكرة السورية هي ملك", "المعلومات الأساسية", "تاريخ الصدور", "نوع الوثيقة", "المنطقة الجغرافية",
    "كود الذاكرة السورية", "كيانات متعلقة", "شخصيات مرتبطة", "يوميات مرتبطة", "لايوجد معلومات حالية",
    "درجة الموثوقية", "غير محدد", "SMI/",
)


def test_registry_finds_one_adapter_per_module() -> None:
    names = [adapter.name for adapter in adapters()]
    assert names == sorted(names)
    assert {"syrian_memory", "wix"} <= set(names)


def test_syrian_memory_record_as_copied_text() -> None:
    document = read_path(FIXTURES / "syrian_memory_record.txt")
    assert document.reader == "text+syrian_memory"
    assert document.title == "الائتلاف يدين نقل معتقلين من سجن حماة المركزي إلى جهة مجهولة"
    assert document.published == "2016-05-12" and document.published_precision == "day"
    assert document.doc_type == "press_release"
    assert document.geographic_area == "محافظة حماة-سجن حماة المركزي"
    assert document.external_ids == [ExternalId("syrian_memory_code", "SMI/B21/40417", None)]
    assert document.assessments == [ImportedAssessment("syrian_memory_grade", "unspecified", "Syrian Memory")]
    assert document.fields["related_entities"] == ["الائتلاف الوطني السوري", "اللجنة الدولية للصليب الأحمر"]
    assert document.fields["related_persons"] == [] and document.fields["related_diaries"] == []
    for boilerplate in BOILERPLATE:
        assert boilerplate not in document.text, boilerplate
    lines = document.text.split("\n\n")
    assert lines[:5] == [
        "الائتلاف يدين نقل معتقلين من سجن حماة المركزي إلى جهة مجهولة", "بيان صحفي", "الائتلاف الوطني السوري",
        "الدائرة الإعلامية", "12 أيار 2016",
    ]
    assert lines[-1].startswith("ودعا الائتلاف اللجنة الدولية")
    assert document.language == "ar"


def test_syrian_memory_record_as_html_with_dt_dd_and_a_marked_grade() -> None:
    url = "https://syrianmemory.org/archive/record/55120"
    document = read_path(FIXTURES / "syrian_memory_record.html", source_url=url)
    assert document.reader == "html+syrian_memory"
    assert document.title == "Detainees in Adra prison begin a hunger strike"
    # The issue-date field is empty: the document's own dateline gives the date, not the page metadata.
    assert document.published == "2020-02-02"
    assert document.fields["page_published"] == "2020-02-03"
    assert document.doc_type == "statement"
    assert document.geographic_area == "محافظة ريف دمشق-سجن عدرا المركزي"
    assert document.external_ids == [ExternalId("syrian_memory_code", "SMI/C07/55120", url)]
    assert document.assessments == [ImportedAssessment("syrian_memory_grade", "unconfirmed", "Syrian Memory")]
    assert document.fields["related_entities"] == ["الشبكة السورية للمعتقلين"]
    assert document.text.startswith("Detainees in Adra prison begin a hunger strike\n\nStatement")
    assert "several suffer from untreated illnesses" in document.text
    for boilerplate in (*BOILERPLATE, "الرئيسية", "الأرشيف", "جميع الحقوق"):
        assert boilerplate not in document.text, boilerplate
    assert document.language == "en"


def _record(fields: str, body: str = "Prisoners in Idlib central prison were beaten by guards last week.") -> bytes:
    return f"الذاكرة السورية هي ملك لكل السوريين.\n\nReport title\n\n{body}\n\n{fields}".encode()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("بيان صحفي", "press_release"), ("تقرير", "report"), ("خبر", "news_article"), ("بيان", "statement"),
     ("شهادة", "testimony"), ("وثيقة رسمية", "official_document"), ("شيء آخر", "other")],
)
def test_document_types(kind: str, expected: str) -> None:
    document = read_bytes(_record(f"نوع الوثيقة\n{kind}"))
    assert document.doc_type == expected
    assert document.fields["document_type_as_given"] == kind


@pytest.mark.parametrize(
    ("grade_block", "expected"),
    [
        ("درجة الموثوقية:\n• صحيحة\n• غير صحيحة\n• لم يتم التأكد من صحتها\n• غير محدد", "unspecified"),
        ("درجة الموثوقية:\n• صحيحة\n✓ غير صحيحة\n• لم يتم التأكد من صحتها\n• غير محدد", "incorrect"),
        ("درجة الموثوقية:\n[x] صحيحة\n[ ] غير صحيحة\n[ ] لم يتم التأكد من صحتها\n[ ] غير محدد", "correct"),
        ("درجة الموثوقية: لم يتم التأكد من صحتها", "unconfirmed"),
        ("درجة الموثوقية\nصحيحة", "correct"),
    ],
)
def test_grades(grade_block: str, expected: str) -> None:
    document = read_bytes(_record(f"كود الذاكرة السورية: SMI/A01/00001\n{grade_block}"))
    assert [assessment.value for assessment in document.assessments] == [expected]
    assert expected in ids("syrian_memory_grades")
    assert "صحيحة" not in document.text


def test_label_value_blocks_in_html() -> None:
    page = """<html><body><div class="intro">الذاكرة السورية هي ملك لكل السوريين. شاركونا ملاحظاتكم.</div>
    <h1>تقرير عن أوضاع المعتقلات</h1><p>وثقت المنظمة حالات تعذيب لمعتقلات في فرع الأمن العسكري في دمشق خلال عام 2014،
    وطالبت بالإفراج عنهن.</p>
    <div class="field"><span class="label">تاريخ الصدور</span> <span class="value">3/11/2014</span></div>
    <div class="field"><span class="label">نوع الوثيقة</span> <span class="value">تقرير</span></div>
    <div class="field"><span class="label">المنطقة الجغرافية</span> <span class="value">محافظة دمشق-فرع 215</span></div>
    <div class="field"><span class="label">كود الذاكرة السورية</span> <span class="value">SMI/D11/90001</span></div>
    <div class="field"><span class="label">شخصيات مرتبطة</span> <span class="value">لايوجد معلومات حالية</span></div>
    <div class="grade"><span>درجة الموثوقية:</span><ul><li aria-checked="true">صحيحة</li><li>غير صحيحة</li>
    <li>لم يتم التأكد من صحتها</li><li>غير محدد</li></ul></div></body></html>"""
    document = read_bytes(page.encode(), name="record.html")
    assert document.published == "2014-11-03"
    assert document.doc_type == "report"
    assert document.geographic_area == "محافظة دمشق-فرع 215"
    assert document.external_ids[0].value == "SMI/D11/90001"
    assert document.fields["related_persons"] == []
    assert document.assessments[0].value == "correct"
    assert document.text.startswith("تقرير عن أوضاع المعتقلات")
    for boilerplate in BOILERPLATE:
        assert boilerplate not in document.text, boilerplate


def test_shared_sample_record_if_present() -> None:
    sample = sorted(Path("/work/shared/samples").glob("001_*.txt"))
    if not sample:
        pytest.skip("shared samples not available")
    document = read_path(sample[0])
    assert document.doc_type == "press_release"
    assert document.geographic_area == "محافظة حمص-سجن حمص المركزي"
    assert document.published == "2017-10-19"  # the issue-date field is empty; the body's date line
    assert document.assessments[0].value == "unspecified"
    assert "الذاكرة السورية" not in document.text and "درجة الموثوقية" not in document.text


def test_wix_blog_post_header_and_recent_posts_are_dropped() -> None:
    raw = (
        "top of page\n\nWriter's picture\nAdmin\nMay 6, 2016 · 2 min read\n\nHama prison stormed\n\n"
        "Security forces stormed the central prison in Hama after a protest by the prisoners.\n\n"
        "Families were not allowed to visit for the following weeks.\n\n12 views 0 comments\n"
        "Post not marked as liked\n\nRecent Posts\nSee All\nAnother post title\n\nbottom of page"
    )
    document = read_bytes(raw.encode())
    assert document.reader == "text+wix"
    assert document.published == "2016-05-06"
    assert document.text.split("\n\n") == [
        "Hama prison stormed",
        "Security forces stormed the central prison in Hama after a protest by the prisoners.",
        "Families were not allowed to visit for the following weeks.",
    ]


def test_adapters_leave_other_documents_alone() -> None:
    document = read_bytes(b"A plain report.\n\nPrisoners were moved from Adra to Sednaya in 2012.")
    assert document.reader == "text"
    assert document.assessments == [] and document.external_ids == []


def test_record_page_is_recognised_by_its_fields_without_url_or_mission_line() -> None:
    page = (FIXTURES / "syrian_memory_record.html").read_text(encoding="utf-8")
    page = page.replace("الذاكرة السورية هي ملك لكل السوريين.", "")
    document = read_bytes(page.encode("utf-8"), name="record.html")
    assert document.reader == "html+syrian_memory"
    assert document.assessments[0].value == "unconfirmed"
    assert "SMI/" not in document.text
