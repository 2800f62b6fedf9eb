"""The pages as served in production: ``dhakira serve`` (gunicorn and whitenoise) on the demo archive, in Chromium.

The other browser tests build their archives inside the test database and use pytest-django's live
server; these start the real command on an archive directory, as ``make demo`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import shoot
from tests.web.test_cli import environment, run  # noqa: F401 - the fixture is used by name
from tests.web.test_serving import production_server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import os

    archive = tmp_path_factory.mktemp("production") / "archive"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    if os.environ.get("DHAKIRA_DATABASE_URL"):
        pytest.skip("the demo archive of this module lives in SQLite; PostgreSQL serving is covered in tests/web/test_serving.py")
    built = run(env, archive, "demo", "--no-serve")
    assert built.returncode == 0, built.stderr
    with production_server(env, archive, workers=2) as (address, _):
        yield address


def test_signed_in_search_and_record_on_the_production_server(chromium: Any, served: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        anonymous = page.goto(served + "/search?q=Saydnaya")
        assert anonymous is not None and anonymous.headers["server"].startswith("gunicorn")
        public = page.locator("ol.results li").count()
        # The stylesheet came through whitenoise: the page is laid out by it, not by the browser's defaults.
        assert page.evaluate("getComputedStyle(document.body).margin") != "8px"
        page.goto(served + "/login/")
        page.fill("input[name=username]", "reviewer")
        page.fill("input[name=password]", "reviewer-demo")
        page.click("form.login button, form.login [type=submit]")
        page.wait_for_load_state()
        page.goto(served + "/search?q=Saydnaya")
        signed_in = page.locator("ol.results li").count()
        assert signed_in >= public >= 1
        page.locator("ol.results li a").first.click()
        page.wait_for_load_state()
        assert "/records/DHK-" in page.url
        shoot(page, "production-record")
    finally:
        context.close()


def test_arabic_at_phone_width_on_the_production_server(chromium: Any, served: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(served + "/chronicle")
        if page.get_attribute("html", "dir") != "rtl":
            page.click("#switch-language")
            page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        shoot(page, "production-chronicle-phone-arabic")
    finally:
        context.close()

