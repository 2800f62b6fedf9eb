"""Chrome of every kind removed in English and Arabic, with its reason kept; the article stays whole."""

from __future__ import annotations

import pytest
from ingest_makers import make_pdf

from dhakira.ingest import read_bytes
from dhakira.ingest.template import SiteTemplates
from dhakira.ingest.words import WordRepair

BODY = {
    "en": [
        "Damascus, 3 May 2021 – Relatives of the detainees waited outside the military court for a second day.",
        '"We only want to know whether he is alive," said the mother of one of the men held since 2014.',
        "Lawyers said the hearings were postponed again without any reason being given to the families.",
    ],
    "ar": [
        "دمشق، 3 أيار 2021 – انتظر ذوو المعتقلين أمام المحكمة العسكرية لليوم الثاني على التوالي.",
        "وقالت والدة أحد المحتجزين منذ عام 2014: «نريد فقط أن نعرف إن كان حياً».",
        "وقال محامون إن الجلسات أُجلت مرة أخرى دون إبلاغ العائلات بأي سبب.",
    ],
}
TITLE = {"en": "Families wait for news outside the military court", "ar": "العائلات تنتظر أخبار أبنائها أمام المحكمة العسكرية"}


def _page(lang: str, chrome: str, *, head: str = "", before: str = "") -> bytes:
    direction = ' dir="rtl"' if lang == "ar" else ""
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in BODY[lang])
    return (f'<html lang="{lang}"{direction}><head><meta charset="utf-8">{head}</head><body>{before}'
            f"<div class='content'><h1>{TITLE[lang]}</h1>{paragraphs}{chrome}</div></body></html>").encode()


def _check(data: bytes, lang: str, chrome_phrases: list[str], reason_word: str) -> None:
    document = read_bytes(data, name="page.html")
    for sentence in BODY[lang]:
        assert sentence in document.text  # quotes and the article's own dateline stay
    for phrase in chrome_phrases:
        assert phrase not in document.text, phrase
    reasons = " ".join(item["reason"] for item in document.fields.get("removed", []))
    assert reason_word in reasons
    removed_text = " ".join(item["text"] for item in document.fields["removed"])
    assert any(phrase in removed_text for phrase in chrome_phrases)


CASES = {
    "related list under its heading": {
        "en": ("<div><h3>More on this story</h3><ul><li><a href='/a'>Shelling kills nine in a market of Idlib</a></li>"
               "<li><a href='/b'>Aid convoy reaches the camp after months</a></li></ul></div>",
               ["Shelling kills nine in a market of Idlib", "More on this story"], "list"),
        "ar": ("<div><h3>أخبار ذات صلة</h3><ul><li><a href='/a'>قصف يقتل تسعة في سوق بإدلب</a></li>"
               "<li><a href='/b'>قافلة مساعدات تصل إلى المخيم</a></li></ul></div>",
               ["قصف يقتل تسعة في سوق بإدلب", "أخبار ذات صلة"], "list"),
    },
    "read-also line inside the article": {
        "en": ("<p><strong>Read also:</strong> <a href='/x'>Checkpoint arrests reported in Jableh</a></p>",
               ["Checkpoint arrests reported in Jableh"], "article"),
        "ar": ("<p><strong>اقرأ أيضاً:</strong> <a href='/x'>اعتقالات على حاجز في جبلة</a></p>",
               ["اعتقالات على حاجز في جبلة"], "article"),
    },
    "comment markup": {
        "en": ("<ol class='comment-list'><li class='comment'><b>Rana</b> <span>5 May 2021</span>"
               "<p>Does anyone have news of my cousin arrested in Harasta?</p></li></ol>",
               ["Does anyone have news of my cousin arrested in Harasta?"], "comments"),
        "ar": ("<ol class='comment-list'><li class='comment'><b>رنا</b> <span>5 أيار 2021</span>"
               "<p>هل لدى أحد أخبار عن ابن عمي المعتقل في حرستا؟</p></li></ol>",
               ["هل لدى أحد أخبار عن ابن عمي المعتقل في حرستا؟"], "comments"),
    },
    "schema.org comments": {
        "en": ("<div itemscope itemtype='https://schema.org/Comment'><span itemprop='author'>Samir</span>"
               "<p itemprop='text'>May God free all of them and return them home.</p></div>",
               ["May God free all of them and return them home."], "schema.org/Comment"),
        "ar": ("<div itemscope itemtype='https://schema.org/Comment'><span itemprop='author'>سمير</span>"
               "<p itemprop='text'>الله يفك أسر جميع المعتقلين.</p></div>",
               ["الله يفك أسر جميع المعتقلين."], "schema.org/Comment"),
    },
    "name and date lines under a comments heading": {
        "en": ("<div><h4>3 Comments</h4><div><b>Umm Khaled</b><br>6 May 2021<br>Thank you for this report.</div>"
               "<div><b>Abu Omar</b><br>7 May 2021<br>My father was held there too.</div></div>",
               ["Thank you for this report.", "My father was held there too.", "Umm Khaled"], "comments"),
        "ar": ("<div><h4>التعليقات</h4><div><b>أم خالد</b><br>6 أيار 2021<br>شكراً على هذا التقرير.</div>"
               "<div><b>أبو عمر</b><br>7 أيار 2021<br>والدي احتجز هناك أيضاً.</div></div>",
               ["شكراً على هذا التقرير.", "والدي احتجز هناك أيضاً.", "أم خالد"], "comments"),
    },
    "media contact block": {
        "en": ("<p>For media enquiries:<br>Press office of the Monitor<br>press@monitor.example<br>+90 342 555 0100</p>",
               ["press@monitor.example", "Press office of the Monitor"], "contact"),
        "ar": ("<p>للتواصل الإعلامي:<br>المكتب الإعلامي للمرصد<br>press@monitor.example<br>+90 342 555 0100</p>",
               ["press@monitor.example", "المكتب الإعلامي للمرصد"], "contact"),
    },
    "reference number": {
        "en": ("<p>Ref.: MON/PR/2021/044</p>", ["MON/PR/2021/044"], "reference"),
        "ar": ("<p>الرقم المرجعي: م ر/2021/044</p>", ["م ر/2021/044"], "reference"),
    },
    "organisation footer": {
        "en": ("<p>About the Detention Monitor: the Monitor is an independent group documenting arrests since 2011.</p>",
               ["the Monitor is an independent group documenting arrests since 2011."], "organisation footer"),
        "ar": ("<p>نبذة عن المرصد: المرصد مجموعة مستقلة توثق الاعتقالات منذ عام 2011.</p>",
               ["المرصد مجموعة مستقلة توثق الاعتقالات منذ عام 2011."], "organisation footer"),
    },
    "share bar": {
        "en": ("<div class='share-buttons'><a href='#'>Share on Facebook</a> <a href='#'>Post on X</a></div>",
               ["Share on Facebook"], "share"),
        "ar": ("<div class='share-buttons'><a href='#'>شارك على فيسبوك</a> <a href='#'>انشر على إكس</a></div>",
               ["شارك على فيسبوك"], "share"),
    },
    "cookie banner": {
        "en": ("<div id='cookie-notice'><p>This site keeps small files in your browser to count visits.</p></div>",
               ["This site keeps small files in your browser to count visits."], "cookie"),
        "ar": ("<div id='cookie-notice'><p>يحفظ هذا الموقع ملفات صغيرة في متصفحك لإحصاء الزيارات.</p></div>",
               ["يحفظ هذا الموقع ملفات صغيرة في متصفحك لإحصاء الزيارات."], "cookie"),
    },
}


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_chrome_kind_removed_with_its_reason(kind: str, lang: str) -> None:
    markup, phrases, reason = CASES[kind][lang]
    _check(_page(lang, markup), lang, phrases, reason)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_navigation_and_sidebar_regions(lang: str) -> None:
    nav = "<nav><a href='/'>Home page of the site</a> <a href='/r'>All reports</a></nav>"
    aside = "<aside><h2>Most read</h2><p>An unrelated story about a flood in the camps of the north.</p></aside>"
    data = _page(lang, aside, before=nav)
    _check(data, lang, ["An unrelated story about a flood", "All reports"], "aside")


@pytest.mark.parametrize(
    ("head", "lang", "expected"),
    [
        ("<title>{t} | Detention Monitor</title>", "en", TITLE["en"]),
        ("<title>Detention Monitor - {t}</title>", "en", TITLE["en"]),
        ('<meta property="og:title" content="{t} – Detention Monitor"><meta property="og:site_name" content="Detention Monitor">', "en", TITLE["en"]),
        ("<title>{t} | المرصد السوري</title>", "ar", TITLE["ar"]),
        ("<title>المرصد السوري - {t}</title>", "ar", TITLE["ar"]),
    ],
)
def test_title_without_the_site_name(head: str, lang: str, expected: str) -> None:
    data = _page(lang, "", head=head.format(t=TITLE[lang]))
    assert read_bytes(data, name="t.html").title == expected


def test_title_suffix_stripped_when_there_is_no_heading() -> None:
    page = (f"<html><head><title>{TITLE['en']} | Detention Monitor</title></head><body>"
            f"<p>{BODY['en'][0]}</p><p>{BODY['en'][2]}</p><footer><p>Detention Monitor</p></footer></body></html>")
    assert read_bytes(page.encode(), name="t.html").title == TITLE["en"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"By Hala Yousef\n{TITLE['en']}\n\n{BODY['en'][1]}", TITLE["en"]),
        (f"بقلم هالة يوسف\n{TITLE['ar']}\n\n{BODY['ar'][1]}", TITLE["ar"]),
        (f"{BODY['en'][0]}\n\n{BODY['en'][1]}", None),
        ("(Hama) – Detainees in the central prison began a hunger strike on Monday, relatives said.", None),
        (f"{BODY['ar'][0]}\n\n{BODY['ar'][1]}", None),
    ],
)
def test_plain_text_title_is_no_byline_or_dateline_lead(text: str, expected: str | None) -> None:
    assert read_bytes(text.encode(), name="t.txt").title == expected


def test_pdf_running_headers_page_numbers_and_title_by_type_size() -> None:
    header, footer = "Detention Monitor - Press Archive", "Not for redistribution"
    pages = [
        [header, "", "Hunger strike in Hama prison", "", "Detainees refused food for a fourth day on Sunday.", footer, "Page 1 of 2"],
        [header, "", "Their relatives asked for visits and for a review of the files.", footer, "Page 2 of 2"],
    ]
    document = read_bytes(make_pdf(pages), name="release.pdf")
    assert "Detainees refused food for a fourth day on Sunday." in document.text
    assert "Their relatives asked for visits" in document.text
    for chrome in (header, footer, "Page 1 of 2", "Page 2 of 2"):
        assert chrome not in document.text
    assert document.title == "Hunger strike in Hama prison"
    reasons = {item["reason"] for item in document.fields["removed"]}
    assert "page number" in reasons and any("repeats" in reason for reason in reasons)


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("P R E S S   R E L E A S E", "PRESS   RELEASE"),
        ("ب ي ا ن   ص ح ف ي", "بيان   صحفي"),
        ("the rep ort was published af ter the raid", "the report was published after the raid"),
        ("فرع فلس طين التابع للاستخبارات", "فرع فلسطين التابع للاستخبارات"),
        ("they went in to the room", "they went in to the room"),  # two real words stay two words
        ("a round table", "a round table"),
    ],
)
def test_words_broken_by_layout_rejoined_without_gluing_real_words(broken: str, repaired: str) -> None:
    repair = WordRepair("")
    assert repair.join_split(repair.join_spaced(broken)) == repaired


def test_hyphenated_line_ends() -> None:
    repair = WordRepair("")
    assert repair.join_hyphenated(["teams started collect-", "ing the files, a well-", "known branch"]) == [
        "teams started collecting the files, a well-known branch"
    ]


def _site_page(number: int, lang: str = "en") -> bytes:
    stories = [
        "Detainees in Adra prison were denied visits for the third month, their families said on Sunday.",
        "A journalist arrested at a checkpoint near Homs was released after eleven months without charge.",
        "Relatives of the missing gathered in front of the court to ask for access to prison registers.",
        "A doctor from Saraqib was freed after three years in the custody of the military police.",
    ]
    furniture = ("<div class='box'><p>Support independent documentation of detention today.</p>"
                 "<p>Our office hours are Sunday to Thursday, nine to five.</p></div>")
    return (f"<html><head><title>Story {number}</title></head><body><div class='main'><h1>Story number {number}</h1>"
            f"<p>{stories[number]}</p>{furniture}</div></body></html>").encode()


def test_site_template_learned_from_three_siblings() -> None:
    url = "https://www.monitor.example/story/{}"
    alone = read_bytes(_site_page(0), name="0.html", source_url=url.format(0))
    assert "Support independent documentation of detention today." in alone.text  # one page cannot tell
    templates = SiteTemplates()
    for number in range(4):
        templates.observe_document(read_bytes(_site_page(number), name=f"{number}.html", source_url=url.format(number)))
    cleaned = templates.apply(alone)
    assert "Support independent documentation of detention today." not in cleaned.text
    assert "Our office hours are Sunday to Thursday" not in cleaned.text
    assert "Detainees in Adra prison were denied visits" in cleaned.text
    assert any("site template" in item["reason"] for item in cleaned.fields["removed"])
    other_site = read_bytes(_site_page(0), name="0.html", source_url="https://elsewhere.example/0")
    assert templates.apply(other_site).text == other_site.text  # templates are kept per site
    restored = SiteTemplates.from_json(templates.as_json())
    assert restored.apply(alone).text == cleaned.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seen on 2 May 2024\n\nFamilies wait for news\noutside the court\n\nWritten by Hala on 3 May 2024\n\nBody text.", "2024-05-03"),
        ("كتبته هالة في 4 أيار 2024\nالعائلات تنتظر أخبار أبنائها\n\nنص الخبر.", "2024-05-04"),
    ],
)
def test_date_nearest_the_headline(text: str, expected: str) -> None:
    from dhakira.ingest.header import date_near_title

    title = "Families wait for news outside the court" if "Families" in text else "العائلات تنتظر أخبار أبنائها"
    found = date_near_title(text, title)
    assert found is not None and found[0] == expected


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("who had ta ken over a wing", "who had taken over a wing"),
        ("وقّع آبا ؤهما تعهدات", "وقّع آباؤهما تعهدات"),
        ("تسليم سجل اتها إلى الهيئة", "تسليم سجلاتها إلى الهيئة"),
    ],
)
def test_split_words_joined_by_frequency_and_arabic_spelling(broken: str, repaired: str) -> None:
    assert WordRepair("").join_split(broken) == repaired


def test_an_article_stored_twice_is_not_its_sites_template() -> None:
    url = "https://monitor.example/story/{}"
    templates = SiteTemplates()
    twice = [read_bytes(_site_page(0), name=f"copy{n}.html", source_url=url.format(f"copy{n}")) for n in range(2)]
    for document in [*twice, *(read_bytes(_site_page(n), name=f"{n}.html", source_url=url.format(n)) for n in (1, 2))]:
        templates.observe_document(document)
    assert "Detainees in Adra prison were denied visits" in templates.apply(twice[0]).text


def test_whitespace_runs_and_line_edges_are_normalised_as_one_space_and_bare_line_breaks() -> None:
    # The patterns match only the runs that change; the text must be what replacing every run gives.
    import random
    import re

    from dhakira.ingest.clean import normalise_whitespace

    spaces = "[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
    rng = random.Random(9)
    pieces = [" ", "  ", "\t", "\xa0", "\u2003", "\u3000", "\n", " \n ", "a", "ب", "word", "\r\n"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        plain = re.sub(r" ?\n ?", "\n", re.sub(spaces, " ", text.replace("\r\n", "\n"))).strip(" ")
        assert normalise_whitespace(text) == plain, repr(text)


def test_the_language_of_a_text_is_that_of_its_letters_counted_by_paragraph() -> None:
    from dhakira.ingest.clean import paragraphs_and_script, paragraphs_of
    from dhakira.text import script_of

    texts = ["Detainees were moved.\n\nنقل المعتقلون إلى السجن المركزي في عدرا.\n\n  \n\nOn 3 May.",
             "نقل المعتقلون.\n\nDetainees were moved to Adra central prison on Monday.", "", "\n\n12 — 15\n\n", "Only English."]
    for text in texts:
        paragraphs, language = paragraphs_and_script(text)
        assert paragraphs == paragraphs_of(text)
        assert language == script_of(text)
    assert paragraphs_and_script(texts[0])[1] == "mixed"
    assert [paragraph.language for paragraph in paragraphs_of(texts[0])] == ["en", "ar", "en"]
