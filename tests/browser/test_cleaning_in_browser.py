"""A reviewer sees, on the record page, the blocks the cleaner removed from the original, at desktop
and phone width, in English and Arabic; a visitor does not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import shoot

PAGE = (
    "<html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>إضراب في سجن حماة | المرصد</title></head><body>"
    "<div class='main'><h1>إضراب في سجن حماة</h1><p>بدأ المعتقلون في سجن حماة المركزي إضراباً عن الطعام يوم الاثنين "
    "احتجاجاً على نقل زملائهم إلى صيدنايا، بحسب ذويهم.</p><p>وطالب المضربون بعرض ملفاتهم على قضاة مدنيين.</p>"
    "<div class='comment-list'><p>الله يفك أسر جميع المعتقلين، كتب أحد القراء.</p></div></div></body></html>"
)


@pytest.fixture
def record(transactional_db: None, chromium: Any) -> Any:
    from dhakira_web.archive.accounts import add_user
    from dhakira_web.archive.services import ingest_bytes

    add_user("reviewer", "reviewer", password="pw-for-tests")
    outcome = ingest_bytes(PAGE.encode(), name="hama.html", source_url="https://monitor.example/hama")
    assert outcome.record is not None
    return outcome.record


@pytest.mark.parametrize("width", [1280, 390])
def test_removed_blocks_for_reviewers(chromium: Any, live_server: Any, record: Any, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/records/{record.code}")
        assert page.locator("details.removed-blocks").count() == 0  # visitors do not see it
        page.goto(f"{live_server.url}/login/?next=/records/{record.code}")
        page.fill("input[name=username]", "reviewer")
        page.fill("input[name=password]", "pw-for-tests")
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/records/{record.code}")
        removed = page.locator("details.removed-blocks")
        assert "removed from the original" in removed.inner_text()
        removed.locator("summary").click()
        assert "الله يفك أسر جميع المعتقلين" in removed.inner_text()
        assert "reader comments" in removed.inner_text()
        box = removed.bounding_box()
        assert box is not None and box["width"] <= width
        shoot(page, f"record-removed-blocks-{width}")
        page.click("#switch-language")
        page.wait_for_load_state()
        assert "حُذفت من الأصل" in page.locator("details.removed-blocks").inner_text()
        shoot(page, f"record-removed-blocks-arabic-{width}")
    finally:
        context.close()
