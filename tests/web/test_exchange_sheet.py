"""Spreadsheet import through a column mapping: good rows land, bad rows are named with their reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dhakira_web.archive import audit, blobs
from dhakira_web.archive.exchange.spreadsheet import MappingError, import_sheet
from dhakira_web.archive.models import Assessment, Record, RecordFacet

MAPPING = Path(__file__).resolve().parents[2] / "docs" / "examples" / "syrian-memory-mapping.yaml"
HEADERS = ["العنوان", "تاريخ الإصدار", "نوع الوثيقة", "المحافظة", "المنشأة", "رمز الأرشيف", "درجة الموثوقية", "ملخص", "الرابط"]
ROWS = [
    ["إضراب المعتقلين عن الطعام في سجن حماة المركزي", "12/03/2016", "بيان صحفي", "حماة", "سجن حماة المركزي", "SM-0001", "صحيحة",
     "أعلن المعتقلون إضرابهم عن الطعام احتجاجاً على أحكام الإعدام.", ""],
    ["Transfer of detainees from Homs Central Prison", "2017-10-19", "Report", "Homs", "Homs Central Prison", "SM-0002", "unconfirmed",
     "Guards moved forty detainees to an unknown place.", "https://example.org/sm-0002"],
    ["نقل معتقلين", "31/31/2016", "تقرير", "حمص", "", "SM-0003", "صحيحة", "", ""],
    ["مناشدة أهالي المعتقلين", "2018-01-05", "تقرير", "حلب", "", "SM-0004", "ممتازة", "", ""],
    ["", "2018-02-01", "تقرير", "", "", "SM-0005", "", "", ""],
    ["Release of detainees under an amnesty decree", "٢٠١٩-٠٩-١٥", "statement", "Damascus", "", "SM-0006", "غير محدد", "", ""],
]


def write_sheet(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def test_good_rows_land_and_bad_rows_are_reported_with_row_and_reason(db: None, tmp_path: Path) -> None:
    sheet = tmp_path / "catalogue.csv"
    write_sheet(sheet, ROWS)
    report = import_sheet(sheet, MAPPING)
    assert report.added == 3
    bad = {item["row"]: item["reason"] for item in report.bad_rows}
    assert set(bad) == {4, 5, 6}
    assert "31/31/2016" in bad[4] and "ممتازة" in bad[5] and "no title" in bad[6]
    first = Record.objects.get(title__startswith="إضراب")
    assert first.issue_date == "2016-03-12" and first.document_type == "press_release" and first.language == "ar"
    assert {"scheme": "syrian_memory_code", "value": "SM-0001", "url": None} in first.external_ids
    assert Assessment.objects.get(record=first).value == "correct"
    assert RecordFacet.objects.filter(record=first, name="facility").exists()
    assert RecordFacet.objects.filter(record=first, name="reliability", value="syrian_memory_grade:correct").exists()
    second = Record.objects.get(title__startswith="Transfer")
    assert second.document_type == "report" and second.source_url == "https://example.org/sm-0002"
    assert Record.objects.get(title__startswith="Release").issue_date == "2019-09-15"
    stored = json.loads(blobs.read(first.sha256))
    assert stored["رمز الأرشيف"] == "SM-0001"  # the row itself is the original, byte for byte
    assert audit.verify() == (True, None)

    again = import_sheet(sheet, MAPPING)
    assert again.added == 0 and again.present == 3 and Record.objects.count() == 3


def test_a_mapping_naming_a_missing_column_is_refused_before_any_row(db: None, tmp_path: Path) -> None:
    sheet = tmp_path / "other.csv"
    sheet.write_text("Title,Date\nA report,2016-01-01\n", encoding="utf-8")
    with pytest.raises(MappingError, match="no column"):
        import_sheet(sheet, MAPPING)
    broken = tmp_path / "broken.yaml"
    broken.write_text("columns: [title]\n", encoding="utf-8")
    with pytest.raises(MappingError):
        import_sheet(sheet, broken)
    assert Record.objects.count() == 0
