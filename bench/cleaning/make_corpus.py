"""Write the cleaning corpus: HTML pages in eight site styles and PDFs, each with its expected JSON.

    python -m bench.cleaning.make_corpus      # writes bench/cleaning/corpus/{tune,held}/

Articles 1–20 of each language go to ``tune`` (used while building the cleaner), 21–30 to ``held``
(scored only at the end). The two parts also use different wordings of the page furniture and
different class names in the markup, so a rule keyed to the tuning pages does not carry over.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

from bench.cleaning.articles import ARTICLES_AR, ARTICLES_EN
from bench.cleaning.chrome import CHROME, SITES
from bench.cleaning.pdfs import make_article_pdf

OUT = Path(__file__).parent / "corpus"
EN_MONTHS = "January February March April May June July August September October November December".split()
AR_MONTHS = "كانون الثاني،شباط،آذار،نيسان،أيار،حزيران،تموز،آب،أيلول،تشرين الأول،تشرين الثاني،كانون الأول".split("،")
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+(?=[\"«A-Z\u0621-\u064a])")


def long_date(iso: str, lang: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    if lang == "ar":
        return f"{day} {AR_MONTHS[month - 1]} {year}"
    return f"{EN_MONTHS[month - 1]} {day}, {year}"


def later(iso: str, days: int) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    day += days
    while day > 28:
        day -= 28
        month += 1
    if month > 12:
        month, year = 1, year + 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def sentences(article: dict) -> list[str]:
    out: list[str] = []
    for index, para in enumerate(body_paras(article)):
        out.extend(part.strip() for part in SENTENCE_END.split(para) if part.strip())
        del index
    return out


def body_paras(article: dict) -> list[str]:
    paras = list(article["paras"])
    if article.get("dateline"):
        paras[0] = f"{article['dateline']} – {paras[0]}"
    return paras


class Page:
    """Collects the chrome phrases written into one page."""

    def __init__(self, article: dict, lang: str, part: int, rng: random.Random, site: dict) -> None:
        self.article, self.lang, self.part, self.rng, self.site = article, lang, part, rng, site
        self.words = CHROME[lang][part]
        self.chrome: list[str] = []

    def c(self, text: str) -> str:
        """Text of page furniture: remembered as a chrome phrase, returned escaped."""
        if len(text) >= 8:
            self.chrome.append(text)
        return html.escape(text)

    def fill(self, key: str, **extra: str) -> str:
        values = {"org": self.site["name"], "domain": self.site["domain"], "code": self.site["code"],
                  "year": self.article["date"][:4], "num": f"{self.rng.randint(1, 140):03d}",
                  "author": self.site["author"], "date": long_date(self.article["date"], self.lang)}
        values.update(extra)
        return self.words[key].format(**values)

    def body_html(self, *, inline_related: bool = False, tag: str = "p") -> str:
        paras = body_paras(self.article)
        out = []
        for index, para in enumerate(paras):
            text = html.escape(para)
            if index == 1:  # an inline link inside the article's own text
                words = text.split(" ")
                text = f"<a href=\"/reports/{self.rng.randint(10, 99)}\">{' '.join(words[:3])}</a> " + " ".join(words[3:])
            out.append(f"<{tag}>{text}</{tag}>")
            if inline_related and index == 1:
                head = self.words["other_headlines"][self.rng.randrange(6)]
                out.append(f"<p><strong>{self.c(self.words['read_also'])}</strong> <a href=\"/news/{self.rng.randint(100, 999)}\">{self.c(head)}</a></p>")
        return "\n".join(out)

    def related(self, count: int = 3) -> list[str]:
        heads = self.rng.sample(self.words["other_headlines"], count)
        return [self.c(head) for head in heads]

    def comments(self, count: int) -> list[tuple[str, str, str]]:
        chosen = self.rng.sample(self.words["comments"], count)
        out = []
        for offset, (name, text) in enumerate(chosen, start=1):
            out.append((html.escape(name), self.c(long_date(later(self.article["date"], 2 + offset), self.lang)) if False else html.escape(long_date(later(self.article["date"], 2 + offset), self.lang)), self.c(text)))
        return out

    def title_tag(self, pattern: str) -> str:
        return html.escape(pattern.format(t=self.article["title"], s=self.site["name"]))


def head(page: Page, title_pattern: str, *, og: str | None, meta_date: bool, extra: str = "") -> str:
    direction = ' dir="rtl"' if page.lang == "ar" else ""
    og_tags = ""
    if og is not None:
        og_tags = f'<meta property="og:title" content="{html.escape(og.format(t=page.article["title"], s=page.site["name"]))}">'
        og_tags += f'<meta property="og:site_name" content="{html.escape(page.site["name"])}">'
    date_tag = f'<meta property="article:published_time" content="{page.article["date"]}T09:30:00+03:00">' if meta_date else ""
    return (f'<!DOCTYPE html><html lang="{page.lang}"{direction}><head><meta charset="utf-8">'
            f"<title>{page.title_tag(title_pattern)}</title>{og_tags}{date_tag}{extra}</head>")


def nav(page: Page, cls: str) -> str:
    items = "".join(f'<li><a href="/{i}">{html.escape(item)}</a></li>' for i, item in enumerate(page.words["nav"]))
    return f'<div class="{cls}"><ul>{items}</ul></div>'


def cookie(page: Page, cls: str) -> str:
    return (f'<div class="{cls}"><p>{page.c(page.words["cookie"])}</p>'
            f'<a href="#" class="btn">{html.escape(page.words["cookie_button"])}</a></div>')


def contact_block(page: Page) -> str:
    lines = "<br>".join(page.c(page.fill("contact_heading") if False else line.format(org=page.site["name"], domain=page.site["domain"])) for line in page.words["contact_lines"])
    return f"<p><strong>{page.c(page.words['contact_heading'])}</strong><br>{lines}</p>"


def wordpress(page: Page) -> str:
    v = page.part
    a = page.article
    content_cls = ["entry-content", "td-post-content tagdiv-type"][v]
    related_cls = ["jp-relatedposts", "crp_related"][v]
    comments = page.comments(3)
    if v == 0:
        comment_html = "".join(
            f'<li class="comment"><article class="comment-body"><footer class="comment-meta"><b class="fn">{n}</b> '
            f'<time>{d}</time></footer><div class="comment-content"><p>{t}</p></div>'
            f'<a class="comment-reply-link">{html.escape(page.words["reply"])}</a></article></li>' for n, d, t in comments)
        thread = f'<div id="comments" class="comments-area"><h2 class="comments-title">{page.c(page.words["comments_heading"].format(n=3))}</h2><ol class="comment-list">{comment_html}</ol>'
    else:
        comment_html = "".join(
            f'<div class="wpd-comment" id="wpd-comm-{i}"><div class="wpd-comment-header"><span class="wpd-comment-author">{n}</span>'
            f'<span class="wpd-comment-date">{d}</span></div><div class="wpd-comment-text"><p>{t}</p></div></div>' for i, (n, d, t) in enumerate(comments))
        thread = f'<div id="wpdcom" class="wpdiscuz_top_clearing"><div class="wpd-thread-head">{page.c(page.words["comments_heading"].format(n=3))}</div>{comment_html}'
    thread += f'<div id="respond"><h3>{page.c(page.words["leave"])}</h3><p>{page.c(page.words["comment_note"])}</p></div></div>'
    related = "".join(f'<div class="item"><a href="/p/{i}">{h}</a></div>' for i, h in enumerate(page.related(3)))
    share = "".join(f'<a href="#">{html.escape(s)}</a> ' for s in page.words["share"])
    pattern = [" | ", " - ", " – "][page.rng.randrange(3)]
    return head(page, "{t}" + pattern + "{s}", og="{t}", meta_date=page.rng.random() < 0.5) + f"""
<body class="post-template-default single">
<header id="masthead" class="site-header"><p class="site-title"><a href="/">{page.c(page.site['name'])}</a></p>{nav(page, 'menu-primary')}</header>
<div id="content" class="site-content"><div id="primary"><main id="main">
<article class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{html.escape(a['title'])}</h1>
<div class="entry-meta"><span class="posted-on">{html.escape(page.fill('posted'))}</span></div></header>
<div class="{content_cls}">
{page.body_html(inline_related=True)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{html.escape(page.words['share'][0])}</h3>{share}</div>
<div id="{related_cls}" class="{related_cls}"><h3>{page.c(page.words['related_heading'])}</h3>{related}</div>
</div>
<footer class="entry-footer"><span class="tags-links">{page.c(page.words['tags'])}</span></footer>
</article>
{thread}
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>{page.c(page.words['more_heading'])}</h2><ul>{''.join(f'<li><a href="/m/{i}">{h}</a></li>' for i, h in enumerate(page.related(3)))}</ul></section>
<section class="widget widget_text"><p>{page.c(page.words['newsletter'])}</p></section></aside></div>
<footer id="colophon" class="site-footer"><p>{page.c(page.fill('copyright'))}</p></footer>
{cookie(page, ['cookie-notice-container', 'gdpr-bar'][v])}
</body></html>"""


def blogger(page: Page) -> str:
    v = page.part
    a = page.article
    year, month, day = a["date"].split("-")
    if page.lang == "ar":
        weekday = AR_WEEKDAYS[page.rng.randrange(7)]
        date_header = f"{weekday}، {long_date(a['date'], 'ar')}"
        said = "يقول..."
    else:
        date_header = f"{['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][page.rng.randrange(7)]}, {long_date(a['date'], 'en')}"
        said = "said..."
    comments = page.comments(2)
    comment_html = "".join(
        f'<dt class="comment-author" id="c{i}">{n} {said}</dt><dd class="comment-body"><p>{t}</p></dd>'
        f'<dd class="comment-footer"><span class="comment-timestamp"><a href="#c{i}">{d}</a></span></dd>' for i, (n, d, t) in enumerate(comments))
    comments_title = page.c(page.words["comments_heading"].format(n=2))
    sidebar_cls = ["sidebar section", "column-right-inner"][v]
    popular = "".join(f'<li><a href="/{i}.html">{h}</a></li>' for i, h in enumerate(page.related(4)))
    return head(page, "{s}: {t}", og=None, meta_date=False) + f"""
<body><div class="outer-wrapper"><div id="header-wrapper"><h1 class="title"><a href="/">{page.c(page.site['name'])}</a></h1><p class="description">{page.c(page.words['newsletter'])}</p></div>
<div id="main-wrapper"><div class="main section" id="main">
<div class="date-outer"><h2 class="date-header"><span>{html.escape(date_header)}</span></h2>
<div class="post hentry"><h3 class="post-title entry-title">{html.escape(a['title'])}</h3>
<div class="post-body entry-content" id="post-body-{page.rng.randint(1000, 9999)}">
{page.body_html(tag='div')}
</div>
<div class="post-footer"><span class="post-author vcard">{html.escape(page.fill('posted'))}</span>
<div class="post-share-buttons">{''.join(f'<a href="#">{html.escape(s)}</a>' for s in page.words['share'])}</div>
<span class="post-labels">{page.c(page.words['tags'])}</span></div></div></div>
<div class="comments" id="comments"><h4>{comments_title}</h4><div id="comments-block"><dl>{comment_html}</dl></div>
<p class="comment-footer"><a href="#">{page.c(page.words['leave'])}</a></p></div>
<div class="blog-pager"><a class="blog-pager-older-link" href="#">{html.escape('Older Post' if page.lang == 'en' else 'رسالة أقدم')}</a></div>
</div></div>
<div id="sidebar-wrapper"><div class="{sidebar_cls}"><div class="widget PopularPosts"><h2>{page.c(page.words['more_heading'])}</h2><ul>{popular}</ul></div></div></div>
<div class="footer-outer">{page.c(page.fill('copyright'))}</div></div></body></html>"""


def drupal(page: Page) -> str:
    v = page.part
    a = page.article
    ref = page.c(page.fill("ref"))
    about = page.c(page.fill("about"))
    date_field = f'<div class="field field--name-field-date"><time datetime="{a["date"]}T00:00:00Z">{html.escape(long_date(a["date"], page.lang))}</time></div>'
    region = ["region region-content", "layout-content"][v]
    type_label = {"en": ["Press release", "Statement"], "ar": ["بيان صحفي", "بيان"]}[page.lang][v]
    return head(page, ["{t} | {s}", "{s} | {t}"][v], og="{t} | {s}" if v == 0 else None, meta_date=False) + f"""
<body class="path-node page-node-type-press-release">
<a href="#main-content" class="visually-hidden focusable skip-link">{html.escape('Skip to main content' if page.lang == 'en' else 'انتقل إلى المحتوى الرئيسي')}</a>
<div class="dialog-off-canvas-main-canvas"><header role="banner"><div class="site-branding"><a href="/">{page.c(page.site['name'])}</a></div>
<nav role="navigation" class="menu--main">{nav(page, 'menu')}</nav></header>
<div class="{region}"><div class="block-system-main-block">
<div class="node node--type-press-release node--view-mode-full">
<h1 class="page-title"><span class="field--name-title">{html.escape(a['title'])}</span></h1>
<div class="field field--name-field-type">{html.escape(type_label)}</div>
{date_field}
<div class="field field--name-body field--type-text-with-summary">
<p>{ref}</p>
{page.body_html(inline_related=v == 1)}
<p>{page.c(page.words['ends'])}</p>
{contact_block(page)}
<p>{about}</p>
</div></div></div></div>
<div class="region region-footer"><div class="block-newsletter"><p>{page.c(page.words['newsletter'])}</p></div>
<p>{page.c(page.fill('copyright'))}</p></div>
{cookie(page, ['eu-cookie-compliance-banner', 'sliding-popup'][v])}
</div></body></html>"""


def wix(page: Page) -> str:
    a = page.article
    year, month, day = a["date"].split("-")
    short = f"{EN_MONTHS[int(month) - 1][:3]} {int(day)}, {year}" if page.lang == "en" else long_date(a["date"], "ar")
    read = "2 min read" if page.lang == "en" else "قراءة لمدة دقيقتين"
    paras = "".join(f'<div data-testid="richTextElement" class="font_8 wixui-rich-text__text"><p class="font_8">{html.escape(p)}</p></div>' for p in body_paras(a))
    recent = "".join(f'<div class="post-card"><a href="/post/{i}"><p class="post-title">{h}</p></a></div>' for i, h in enumerate(page.related(3)))
    see_all = "See All" if page.lang == "en" else "عرض الكل"
    recent_title = "Recent Posts" if page.lang == "en" else "منشورات حديثة"
    return head(page, "{t}", og="{t}", meta_date=page.part == 0, extra='<meta name="generator" content="Wix.com Website Builder">') + f"""
<body><div id="SITE_CONTAINER"><a id="SKIP_TO_CONTENT_BTN" href="#">Skip to Main Content</a>
<header id="SITE_HEADER"><div class="font_0">{page.c(page.site['name'])}</div>{nav(page, 'wixui-horizontal-menu')}</header>
<main id="PAGES_CONTAINER"><div class="blog-post-page">
<div class="post-metadata"><span>{html.escape(page.site['author'])}</span><span>{html.escape(short)}</span><span>{read}</span></div>
<h1 class="post-title blog-post-title-font"><span>{html.escape(a['title'])}</span></h1>
<div class="post-content">{paras}</div>
<div class="post-footer"><span>{page.c(page.words['tags'])}</span></div>
<div class="recent-posts"><h2>{recent_title}</h2><a href="#">{see_all}</a>{recent}</div>
<div class="comments-widget"><h3>{page.c(page.words['leave'])}</h3><p>{page.c(page.words['comment_note'])}</p></div>
</div></main>
<footer id="SITE_FOOTER"><p>{page.c(page.fill('copyright'))}</p><p>{page.c(page.words['newsletter'])}</p></footer></div></body></html>"""


def portal(page: Page) -> str:
    v = page.part
    a = page.article
    date_text = f"{AR_WEEKDAYS[page.rng.randrange(7)]} {long_date(a['date'], 'ar')}" if page.lang == "ar" else long_date(a["date"], "en")
    ticker = "".join(f"<li>{h}</li>" for h in page.related(2))
    most = "".join(f'<li><a href="/n/{i}"><span class="num">{i + 1}</span>{h}</a></li>' for i, h in enumerate(page.related(4)))
    rel = "".join(f'<div class="card"><a href="/a/{i}"><h4>{h}</h4></a><span class="time">{html.escape(long_date(later(a["date"], -3 - i if False else 1 + i), page.lang))}</span></div>' for i, h in enumerate(page.related(3)))
    comments = page.comments(3)
    comment_html = "".join(f'<div class="comment-item" itemscope itemtype="https://schema.org/Comment"><span itemprop="author">{n}</span> <span itemprop="dateCreated">{d}</span><p itemprop="text">{t}</p></div>' for n, d, t in comments)
    body_cls = ["article-body", "story-text"][v]
    return head(page, ["{t} | {s}", "{s} - {t}"][v], og="{t}", meta_date=v == 1) + f"""
<body><div class="top-bar"><span class="today">{html.escape(later(a['date'], 5))}</span><ul class="breaking">{ticker}</ul></div>
<header class="site-header"><a class="logo" href="/">{page.c(page.site['name'])}</a>{nav(page, 'main-menu')}</header>
<div class="container"><div class="col-main"><div class="breadcrumb"><a href="/">{html.escape(page.words['nav'][0])}</a> / <a href="/c">{html.escape(page.words['nav'][1])}</a></div>
<h1 class="article-title">{html.escape(a['title'])}</h1>
<div class="article-meta"><span class="author">{html.escape(page.site['author'])}</span> <span class="date">{html.escape(date_text)}</span></div>
<div class="share-bar">{''.join(f'<a href="#">{html.escape(s)}</a>' for s in page.words['share'])}</div>
<div class="{body_cls}">{page.body_html(inline_related=True)}</div>
<div class="tags">{page.c(page.words['tags'])}</div>
<div class="related-news"><h3 class="block-title">{page.c(page.words['related_heading'])}</h3>{rel}</div>
<div class="comments-box"><h3>{page.c(page.words['comments_heading'].format(n=3))}</h3>{comment_html}<p>{page.c(page.words['comment_note'])}</p></div>
</div><div class="col-side"><div class="most-read"><h3>{page.c(page.words['more_heading'])}</h3><ol>{most}</ol></div></div></div>
<div class="site-footer-area"><p>{page.c(page.fill('copyright'))}</p><p>{page.c(page.words['newsletter'])}</p></div>
{cookie(page, ['cookies-popup', 'privacy-notice'][v])}</body></html>"""


def medium(page: Page) -> str:
    a = page.article
    read = "5 min read" if page.lang == "en" else "5 دقائق قراءة"
    follow = "Follow" if page.lang == "en" else "متابعة"
    listen = "Listen" if page.lang == "en" else "استمع"
    more = ("More from " if page.lang == "en" else "المزيد من ") + page.site["author"]
    responses = page.comments(2)
    resp_label = "Responses (2)" if page.lang == "en" else "الردود (2)"
    resp_html = "".join(f'<div class="pw-response"><a class="author">{n}</a><span>{d}</span><div><p>{t}</p></div></div>' for n, d, t in responses)
    more_cards = "".join(f'<div class="card"><h2>{h}</h2></div>' for h in page.related(3))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"], "datePublished": f"{a['date']}T08:00:00.000Z"}, ensure_ascii=False)
    year, month, day = a["date"].split("-")
    shown = f"{EN_MONTHS[int(month) - 1][:3]} {int(day)}, {year}" if page.lang == "en" else long_date(a["date"], "ar")
    return head(page, "{t} | by " + page.site["author"] + " | Tadween", og="{t}", meta_date=False,
                extra=f'<script type="application/ld+json">{ld}</script>') + f"""
<body><div id="root"><div class="metabar"><a href="/">Tadween</a><a href="/signin">Sign in</a></div>
<article><div class="section-content"><h1 class="pw-post-title">{html.escape(a['title'])}</h1>
<div class="pw-author"><a>{html.escape(page.site['author'])}</a> · <button>{follow}</button></div>
<div class="pw-meta"><span>{read}</span> · <span data-testid="storyPublishDate">{html.escape(shown)}</span></div>
<div class="pw-actions"><span>{page.rng.randint(20, 400)}</span> <button>{listen}</button> <button>{html.escape(page.words['share'][0])}</button></div>
<section>{page.body_html()}</section></div></article>
<div class="pw-footer"><div>{page.c(page.words['tags'])}</div><h2>{page.c(more)}</h2>{more_cards}
<div class="responses"><h2>{resp_label}</h2>{resp_html}</div></div>
<div class="cookie-consent">{page.c(page.words['cookie'])}</div></div></body></html>"""


def mirror(page: Page) -> str:
    a = page.article
    captured = later(a["date"], 40)
    y, m, d = captured.split("-")
    toolbar = (f'<div id="wm-ipp-base"><div id="wm-ipp"><table><tr><td class="c">'
               f'<a href="/web/">Archive Mirror</a></td><td><span>{page.c(f"{int(page.rng.randint(2, 90))} captures")}</span>'
               f' <span>{page.c(f"{d} {EN_MONTHS[int(m) - 1][:3]} {y} - {int(y) + 2}")}</span></td>'
               f'<td><a href="#">About this capture</a></td></tr></table></div></div>')
    date_text = long_date(a["date"], page.lang)
    side = "".join(f'<tr><td><a href="/old/{i}.htm">{h}</a></td></tr>' for i, h in enumerate(page.related(4)))
    return head(page, "{t} - {s}", og=None, meta_date=False) + f"""
<body>{toolbar}
<table width="100%" class="layout"><tr><td colspan="2" class="banner"><font size="5">{page.c(page.site['name'])}</font><br>{' | '.join(html.escape(x) for x in page.words['nav'])}</td></tr>
<tr><td width="25%" valign="top" class="leftcol"><b>{page.c(page.words['more_heading'])}</b><table>{side}</table><p>{page.c(page.words['newsletter'])}</p></td>
<td valign="top" class="maincol"><font size="4"><b>{html.escape(a['title'])}</b></font><br><i>{html.escape(date_text)}</i>
{''.join(f'<p>{html.escape(p)}</p>' for p in body_paras(a))}
<p align="center">{page.c(page.words['ends'])}</p>
</td></tr>
<tr><td colspan="2" class="bottom"><small>{page.c(page.fill('copyright'))}</small></td></tr></table></body></html>"""


def forum(page: Page) -> str:
    a = page.article
    date_text = long_date(a["date"], page.lang)
    first = (f'<div class="post" id="p1"><div class="postprofile"><dl><dt><a class="username">{html.escape(page.site["author"])}</a></dt>'
             f'<dd>{page.c("Posts: 1,204" if page.lang == "en" else "المشاركات: 1204")}</dd></dl></div>'
             f'<div class="postbody"><p class="author">{html.escape(date_text)}</p><div class="content">'
             + "<br><br>".join(html.escape(p) for p in body_paras(a)) + "</div></div></div>")
    replies = "".join(
        f'<div class="post" id="p{i + 2}"><div class="postprofile"><dl><dt><a class="username">{n}</a></dt>'
        f'<dd>{html.escape(("Posts: " if page.lang == "en" else "المشاركات: ") + str(page.rng.randint(2, 300)))}</dd></dl></div>'
        f'<div class="postbody"><p class="author">{d}</p><div class="content">{t}</div></div></div>'
        for i, (n, d, t) in enumerate(page.comments(3)))
    crumbs = "Board index ‹ Detention and the missing" if page.lang == "en" else "الفهرس ‹ المعتقلون والمفقودون"
    return head(page, "{t} - " + page.site["name"] + (" forum" if page.lang == "en" else " - منتدى"), og=None, meta_date=False) + f"""
<body id="phpbb"><div id="wrap"><div class="headerbar"><h1>{page.c(page.site['name'])}</h1><p>{html.escape(crumbs)}</p></div>
<div class="navbar"><a href="/faq">FAQ</a> <a href="/register">Register</a> <a href="/login">Login</a></div>
<h2 class="topic-title"><a href="#">{html.escape(a['title'])}</a></h2>
<div class="action-bar"><a class="button">{html.escape('Post Reply' if page.lang == 'en' else 'رد على الموضوع')}</a> {page.c('4 posts • Page 1 of 1' if page.lang == 'en' else '4 مشاركات • صفحة 1 من 1')}</div>
{first}{replies}
<div class="stat-block"><h3>{page.c('Who is online' if page.lang == 'en' else 'المتواجدون الآن')}</h3><p>{page.c('Users browsing this forum: no registered users and 3 guests' if page.lang == 'en' else 'المستخدمون الذين يتصفحون المنتدى: لا يوجد أعضاء و3 زوار')}</p></div>
<div class="copyright">{page.c(page.fill('copyright'))}</div></div></body></html>"""


def joomla(page: Page) -> str:
    a = page.article
    latest = "".join(f'<li><a href="/index.php/news/{i}">{h}</a></li>' for i, h in enumerate(page.related(4)))
    comments = page.comments(3)
    comment_html = "".join(
        f'<div class="rbox"><div class="comment-box"><span class="comment-author">{n}</span>'
        f'<span class="comment-date">{d}</span><div class="comment-body">{t}</div></div></div>' for n, d, t in comments)
    hits = "Hits" if page.lang == "en" else "الزيارات"
    return head(page, "{t} - {s}", og=None, meta_date=False, extra='<meta name="generator" content="Joomla! - Open Source Content Management">') + f"""
<body class="site com_content view-article"><div class="body"><div class="container">
<div class="header"><a class="brand" href="/"><span class="site-title">{page.c(page.site['name'])}</span></a>
<div class="header-search"><input type="text"></div></div>
<div class="navigation">{nav(page, 'nav menu')}</div>
<div class="row-fluid"><div id="content" class="span9"><div class="item-page" itemscope itemtype="https://schema.org/Article">
<div class="page-header"><h2 itemprop="headline">{html.escape(a['title'])}</h2></div>
<dl class="article-info muted"><dd class="published"><time datetime="{a['date']}T08:00:00+00:00" itemprop="datePublished">{html.escape(page.fill('posted'))}</time></dd>
<dd class="hits">{hits}: {page.rng.randint(100, 900)}</dd></dl>
<div class="icons"><a href="#">{html.escape(page.words['share'][0])}</a> <a href="#">{html.escape(page.words['share'][1])}</a></div>
<div itemprop="articleBody"><p>{page.c(page.fill('ref'))}</p>{page.body_html(inline_related=True)}
<p>{page.c(page.words['ends'])}</p>{contact_block(page)}<p>{page.c(page.fill('about'))}</p></div>
<div id="jc"><h4>{page.c(page.words['comments_heading'])}</h4><div id="comments-list" class="comments-list">{comment_html}</div>
<p>{page.c(page.words['comment_note'])}</p></div>
</div></div>
<div id="aside" class="span3"><div class="moduletable"><h3>{page.c(page.words['more_heading'])}</h3><ul class="latestnews">{latest}</ul></div>
<div class="moduletable"><p>{page.c(page.words['newsletter'])}</p></div></div></div>
<div class="footer"><p>{page.c(page.fill('copyright'))}</p></div>
<div id="cookie-law"><p>{page.c(page.words['cookie'])}</p><button>{html.escape(page.words['cookie_button'])}</button></div>
</div></div></body></html>"""


def ghost(page: Page) -> str:
    a = page.article
    cards = "".join(f'<article class="post-card"><a class="post-card-image-link" href="/p{i}/"></a><div class="post-card-content">'
                    f'<a href="/p{i}/"><h3 class="post-card-title">{h}</h3></a><div class="post-card-meta">{html.escape(long_date(later(a["date"], 2 + i), page.lang))}</div></div></article>'
                    for i, h in enumerate(page.related(3)))
    comments = page.comments(2)
    comment_html = "".join(f'<div class="gh-comment"><p class="gh-comment-name">{n} · {d}</p><p>{t}</p></div>' for n, d, t in comments)
    shown = long_date(a["date"], page.lang)
    return head(page, "{t}", og="{t}", meta_date=True, extra='<meta name="generator" content="Ghost 5.0">') + f"""
<body class="post-template"><div class="viewport"><header id="gh-head" class="gh-head"><a class="gh-head-logo" href="/">{page.c(page.site['name'])}</a>
<nav class="gh-head-menu">{nav(page, 'nav')}</nav><div class="gh-head-actions"><a href="#/portal/signin">Sign in</a></div></header>
<main id="site-main" class="site-main"><article class="article post">
<header class="article-header gh-canvas"><h1 class="article-title">{html.escape(a['title'])}</h1>
<div class="article-byline"><span class="byline-meta-content">{html.escape(page.site['author'])}</span> <time class="byline-meta-date" datetime="{a['date']}">{html.escape(shown)}</time></div></header>
<section class="gh-content gh-canvas">{page.body_html(inline_related=True)}</section>
<section class="footer-cta"><h2 class="footer-cta-title">{page.c(page.words['newsletter'])}</h2></section>
<section class="article-comments gh-canvas"><h2>{page.c(page.words['comments_heading'])}</h2>{comment_html}<p>{page.c(page.words['comment_note'])}</p></section>
</article></main>
<aside class="read-more-wrap"><div class="read-more"><h2>{page.c(page.words['related_heading'])}</h2>{cards}</div></aside>
<footer class="site-footer"><p>{page.c(page.fill('copyright'))}</p></footer>
<div class="consent-box"><p>{page.c(page.words['cookie'])}</p></div></div></body></html>"""


STYLES = {"wordpress": wordpress, "blogger": blogger, "drupal": drupal, "wix": wix, "portal": portal,
          "medium": medium, "mirror": mirror, "forum": forum, "joomla": joomla, "ghost": ghost}
ORDER = {"en": ["wordpress", "blogger", "drupal", "wix", "medium", "mirror", "forum", "portal"],
         "ar": ["portal", "wordpress", "blogger", "drupal", "wix", "medium", "mirror", "forum"]}


def main() -> None:
    rng = random.Random(13)
    for lang, articles in (("en", ARTICLES_EN), ("ar", ARTICLES_AR)):
        for index, article in enumerate(articles):
            part = 0 if index < 20 else 1
            folder = OUT / ("tune" if part == 0 else "held")
            folder.mkdir(parents=True, exist_ok=True)
            style = ORDER[lang][index % 8]
            site = SITES[lang][index % 3 if style != "forum" else 2]
            page = Page(article, lang, part, rng, site)
            markup = STYLES[style](page)
            stem = f"{article['id']}-{style}"
            (folder / f"{stem}.html").write_text(markup, encoding="utf-8")
            expected = {"file": f"{stem}.html", "style": style, "site": site["domain"], "language": lang,
                        "title": article["title"], "date": article["date"], "body": sentences(article),
                        "chrome": sorted(set(page.chrome))}
            (folder / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
            if index % 4 == 0 or index in (2, 22) :
                pdf_page = Page(article, lang, part, rng, site)
                data, chrome, pages = make_article_pdf(pdf_page, body_paras(article))
                stem = f"{article['id']}-pdf"
                (folder / f"{stem}.pdf").write_bytes(data)
                expected = {"file": f"{stem}.pdf", "style": "pdf", "site": site["domain"], "language": lang,
                            "title": article["title"], "date": article["date"], "body": sentences(article),
                            "chrome": sorted(set(chrome)), "pages": pages}
                (folder / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")



def fresh() -> None:
    """The fresh part: the held-aside articles again, in two new styles and a third furniture wording."""
    rng = random.Random(2026)
    folder = OUT / "fresh"
    folder.mkdir(parents=True, exist_ok=True)
    for lang, articles in (("en", ARTICLES_EN), ("ar", ARTICLES_AR)):
        for index, article in enumerate(articles[20:]):
            style = ("joomla", "ghost")[index % 2]
            site = SITES[lang][index % 3]
            page = Page(article, lang, 2, rng, site)
            stem = f"{article['id']}-{style}"
            (folder / f"{stem}.html").write_text(STYLES[style](page), encoding="utf-8")
            expected = {"file": f"{stem}.html", "style": style, "site": site["domain"], "language": lang,
                        "title": article["title"], "date": article["date"], "body": sentences(article),
                        "chrome": sorted(set(page.chrome))}
            (folder / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
            if index % 3 == 0:
                pdf_page = Page(article, lang, 1, rng, site)  # held headers and footers, fresh furniture
                pdf_page.words = CHROME[lang][2]
                data, chrome, pages = make_article_pdf(pdf_page, body_paras(article))
                stem = f"{article['id']}-pdf"
                (folder / f"{stem}.pdf").write_bytes(data)
                expected = {"file": f"{stem}.pdf", "style": "pdf", "site": site["domain"], "language": lang,
                            "title": article["title"], "date": article["date"], "body": sentences(article),
                            "chrome": sorted(set(chrome)), "pages": pages}
                (folder / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
    fresh()
