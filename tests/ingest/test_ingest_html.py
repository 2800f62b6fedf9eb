"""HTML pages: main text without chrome, title and date rules, hostile markup only ever text."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.ingest import IngestError, read_bytes, read_path

FIXTURES = Path(__file__).parent / "fixtures"
CHROME = (
    "Skip to Main Content", "top of page", "bottom of page", "Home", "About Us", "Donate", "Share on",
    "newsletter", "Subscribe", "Enter your email", "Thanks for submitting", "Wix.com", "©", "2023",
    "tracking-pixel", "viewerModel", "color: red",
)


def test_wix_press_release_page_keeps_the_body_and_no_chrome() -> None:
    document = read_path(FIXTURES / "wix_press_release.html")
    assert document.title == "Guards Beat Hunger Strikers in Adra Prison"
    assert document.published == "2019-03-03" and document.published_precision == "day"
    assert document.language == "en"
    assert "beat at least twelve detainees who had refused food for nine days" in document.text
    assert "meet the hunger strikers in private." in document.text
    for chrome in CHROME:
        assert chrome not in document.text, chrome
    assert "\u200b" not in document.text and "\xa0" not in document.text
    assert document.media_type == "text/html"
    assert document.reader == "html+wix"
    assert len(document.paragraphs) >= 4


def test_news_page_with_a_cookie_banner() -> None:
    document = read_path(FIXTURES / "news_cookie.html")
    assert document.title == "Families wait for news of Sednaya detainees"
    assert document.published == "2021-07-14"
    assert document.text.startswith("Families wait for news of Sednaya detainees")
    assert "Rights groups estimate" in document.text
    for chrome in ("cookie", "Accept all", "Reject all", "Copyright", "Other story", "World"):
        assert chrome.lower() not in document.text.lower(), chrome


def _page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_copyright_footer_is_never_the_publication_date() -> None:
    page = _page(
        "<article><h1>A statement on Adra</h1><p>The prisoners asked for visits, which the authorities refused "
        "for the third month running, their families say.</p></article>"
        "<footer><p>© 2017 Rights Group. All rights reserved.</p></footer>"
    )
    document = read_bytes(page, name="p.html")
    assert document.published is None
    assert "2017" not in document.text


def test_date_from_an_arabic_dateline_in_the_body() -> None:
    page = _page(
        "<main><h1>بيان حول سجن حماة</h1><p>19 تشرين الأول 2017</p><p>طالبت منظمات حقوقية بالإفراج عن المعتقلين "
        "في سجن حماة المركزي وبالسماح لذويهم بزيارتهم.</p></main><footer>جميع الحقوق محفوظة 2018</footer>"
    )
    document = read_bytes(page, name="p.html")
    assert (document.published, document.published_precision) == ("2017-10-19", "day")
    assert document.language == "ar"
    assert "محفوظة" not in document.text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="og:title" content="From og"><title>From title | Site</title>', "From og"),
        ("<title>From title</title>", "Heading"),
        ("<title>From title</title>", "From title"),
    ],
)
def test_title_order(head: str, expected: str) -> None:
    heading = "<h1>Heading</h1>" if expected != "From title" else ""
    page = _page(f"{heading}<p>Detainees in the central prison were moved to an unknown place on Friday night.</p>", head)
    assert read_bytes(page, name="t.html").title == expected


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="date" content="2019-04-02">',
        '<meta itemprop="datePublished" content="2019-04-02T10:00:00Z">',
        '<script type="application/ld+json">{"@graph": [{"datePublished": "2019-04-02"}]}</script>',
    ],
)
def test_date_from_page_metadata(meta: str) -> None:
    page = _page("<p>Relatives of the detainees gathered outside the court on Tuesday morning.</p>", meta)
    assert read_bytes(page, name="d.html").published == "2019-04-02"


HOSTILE = """<!doctype html><html><head>
<script>alert('head-script')</script><style>body{background:url(javascript:alert('css'))}</style>
<meta http-equiv="refresh" content="0;url=javascript:alert('refresh')">
</head><body onload="alert('onload')">
<h1 onclick="alert('onclick')">Report on forced disappearance</h1>
<p>Witnesses described the night raid <img src=x onerror="alert('onerror')"> on the village in detail,
naming the officers who led it.</p>
<iframe src="javascript:alert('iframe')" srcdoc="&lt;script&gt;alert('srcdoc')&lt;/script&gt;"></iframe>
<a href="javascript:alert('link')">a link text</a>
<svg><script>alert('svg')</script></svg>
<object data="evil.swf"></object><embed src="evil.swf">
<form action="https://evil.example"><input value="alert('input')"></form>
<p>The raid lasted three hours<script>alert('inline')</script> and ended at dawn.</p>
<template><p>alert('template')</p></template><noscript>alert('noscript')</noscript>
</body></html>"""


def test_hostile_html_is_only_turned_into_text() -> None:
    document = read_bytes(HOSTILE.encode(), name="hostile.html")
    assert "Witnesses described the night raid" in document.text
    assert "ended at dawn" in document.text
    for trace in ("alert", "javascript", "<", "onerror", "onload", "evil"):
        assert trace not in document.text, trace


def test_hostile_html_through_the_fallback_walker() -> None:
    from dhakira.ingest.html import html_to_text, parse_html

    text = html_to_text(parse_html(HOSTILE))
    assert "Witnesses described the night raid" in text
    assert "alert" not in text and "javascript" not in text


def test_cp1256_page_with_declared_charset() -> None:
    body = "<p>اعتقلت قوات الأمن ثلاثة شبان من حي الوعر في مدينة حمص يوم الجمعة واقتادتهم إلى جهة مجهولة.</p>"
    page = f'<html><head><meta charset="windows-1256"></head><body>{body}</body></html>'.encode("cp1256")
    document = read_bytes(page, name="ar.html")
    assert "اعتقلت قوات الأمن ثلاثة شبان" in document.text


def test_page_without_text_is_refused() -> None:
    with pytest.raises(IngestError, match="no text"):
        read_bytes(_page("<script>var x = 1;</script><nav><a href='/'>Home</a></nav>"), name="empty.html")
