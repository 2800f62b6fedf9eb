from __future__ import annotations

from django.test import Client


def test_demo_pages_in_english_and_arabic(demo_archive) -> None:
    client = Client()
    arabic = next(record for record in demo_archive if record.language == "ar" and record.access_level == "public")
    page = client.get(f"/records/{arabic.code}").content.decode()
    assert 'dir="rtl"' in page and arabic.code in page
    assert "Issue date" in page and "Archive code" in page
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get(f"/records/{arabic.code}").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تاريخ الصدور" in page and "كود الأرشيف" in page


def test_every_page_has_a_json_twin(demo_archive) -> None:
    client = Client()
    record = demo_archive[0]
    assert client.get("/?format=json").json()["stats"]["records"] == 6
    data = client.get(f"/records/{record.code}?format=json").json()
    assert data["code"] == record.code and data["sha256"] == record.sha256 and data["text"] == record.text
    assert client.get("/search?q=Hama&format=json").json()["total"] >= 1
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Dhakira archive API"


def test_original_is_downloaded_with_its_hash(demo_archive) -> None:
    record = demo_archive[0]
    response = Client().get(f"/records/{record.code}/original")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-SHA256"] == record.sha256
    assert b"".join(response.streaming_content).startswith(record.text[:20].encode())


def test_document_text_is_escaped(add_record) -> None:
    record = add_record("<script>alert(1)</script> Hostile text about Tadmor prison.", name="hostile.txt")
    page = Client().get(f"/records/{record.code}").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
