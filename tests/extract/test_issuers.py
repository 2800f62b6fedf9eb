"""The issuer read from the text itself and combined with the publisher behind the source URL."""

from __future__ import annotations

from dhakira.extract import extract_text


def _issuer(text: str, url: str | None = None) -> dict | None:
    return extract_text(text, source_url=url)["document"]["issuer"]


def test_agency_tag_on_the_dateline_names_the_agency() -> None:
    issuer = _issuer("Prisoners freed in Homs\n\nHOMS (Reuters) - Forty prisoners were freed on Monday.\n")
    assert issuer is not None and issuer["canonical_en"] == "Reuters" and issuer["rule"] == "credit"


def test_arabic_dateline_credit_with_a_slash() -> None:
    issuer = _issuer("الإفراج عن معتقلين\n\nإسطنبول/ الأناضول\n\nأفرجت السلطات عن عشرين معتقلاً.\n")
    assert issuer is not None and issuer["id"] == "org:anadolu"


def test_letterhead_names_the_organisation() -> None:
    text = "Human Rights Watch\n\nSyria: Detainees Denied Care\n\nDetainees in Adra went without medicine, the group found.\n"
    issuer = _issuer(text)
    assert issuer is not None and issuer["id"] == "org:hrw" and issuer["rule"] == "letterhead"


def test_signature_at_the_end_names_the_organisation() -> None:
    text = ("Families demand news of the missing\n\nRelatives gathered in Idlib on Friday.\n\nThey asked for lists.\n\n"
            "More protests are planned.\n\nMore than 100 families took part.\n\n— Syrian Network for Human Rights\n")
    issuer = _issuer(text)
    assert issuer is not None and issuer["id"] == "org:snhr" and issuer["rule"] in ("signature", "credit")


def test_news_story_quoting_an_organisation_has_no_issuer_from_text() -> None:
    text = ("Riot in prison\n\nInmates rioted in Hama on Monday, the Syrian Observatory for Human Rights said "
            "in a statement on Tuesday.\n")
    assert _issuer(text) is None


def test_outlet_from_url_with_wire_credit_is_written_with_the_origin() -> None:
    text = "Amnesty decree\n\nDAMASCUS (AFP) — Hundreds were released on Tuesday.\n"
    issuer = _issuer(text, "https://www.dawn.com/news/1/amnesty")
    assert issuer is not None
    assert issuer["name"] == "Dawn (AFP)" and issuer["publisher"]["id"] == "org:dawn"
    assert issuer["origin"]["id"] == "org:afp"


def test_publisher_alone_when_the_text_has_its_own_name() -> None:
    text = "SNHR: arrests in May\n\nThe Syrian Network for Human Rights released its report today.\n"
    issuer = _issuer(text, "https://snhr.org/blog/2023/06/01/x/")
    assert issuer is not None and issuer["canonical_en"] == "Syrian Network for Human Rights"
    assert issuer["origin"] is None


def test_statement_republished_by_an_outlet() -> None:
    text = ("بيان\n\nتنشر عنب بلدي نص البيان الذي أصدرته رابطة معتقلي ومفقودي سجن صيدنايا اليوم.\n\n"
            "نطالب بالكشف عن مصير المفقودين.\n")
    issuer = _issuer(text)
    assert issuer is not None and issuer["publisher"]["id"] == "org:enab-baladi"
    assert issuer["origin"]["id"] == "org:admsp" and issuer["rule"] == "republished"


def test_wire_story_copied_onto_a_blog() -> None:
    text = "Prison siege lifted\n\nALEPPO (AFP) - Government forces broke the siege of the prison.\n"
    issuer = _issuer(text, "https://somebody.blogspot.com/2014/05/post.html")
    assert issuer is not None and issuer["canonical_en"] == "Agence France-Presse (reposted on blog)"
    assert issuer["publisher"]["text"] == "somebody.blogspot.com"


def test_a_rights_group_s_own_text_is_its_press_release() -> None:
    from dhakira.extract import extract_text

    text = ("Human Rights Watch\n\nSyria: Returning refugees detained at the border\n\nThe authorities have detained "
            "dozens of refugees returning from Lebanon, Human Rights Watch said today.\n")
    document = extract_text(text, language="en")["document"]
    assert document["issuer"]["canonical_en"] == "Human Rights Watch"
    assert document["doc_type"] == "press_release"
    news = ("Dozens of refugees returning from Lebanon were detained at the border, Human Rights Watch said on "
            "Tuesday, according to witnesses.\n")
    assert extract_text(news, language="en")["document"]["doc_type"] == "news_article"


def test_an_organisation_s_own_report_on_its_site_is_a_press_release() -> None:
    text = ("Syria: Guards Starve Inmates in Homs Prison\n\n(Beirut) – Guards at Homs Central Prison have cut the "
            "food of hundreds of inmates, Human Rights Watch said in a report released today.\n")
    result = extract_text(text, source_url="https://www.hrw.org/news/2019/03/04/syria-guards-starve-inmates")
    assert result["document"]["doc_type"] == "press_release"
    assert result["document"]["issuer"]["rule"].endswith("+self_report")


def test_news_on_an_organisation_s_site_stays_news() -> None:
    text = ("Syrian Observatory for Human Rights\n\nDetainee dies in Adra prison\n\nSOHR activists have learned "
            "that a detainee from Homs died in Adra prison after months of illness.\n")
    result = extract_text(text, source_url="https://www.syriahr.com/en/123456/")
    assert result["document"]["doc_type"] != "press_release"


def test_a_republished_statement_is_a_statement_whatever_its_header() -> None:
    text = ("رابطة تطالب بالكشف عن مصير المعتقلين\n\nتنشر عنب بلدي نص البيان الذي أصدرته رابطة معتقلي ومفقودي سجن "
            "صيدنايا اليوم، كما وصلها:\n\nبيان صحفي\n\nتتابع الرابطة بقلق أوضاع المعتقلين في سجن صيدنايا.\n")
    assert extract_text(text)["document"]["doc_type"] == "statement"
