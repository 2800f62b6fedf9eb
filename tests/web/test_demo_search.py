"""The demo archive answers the foundation's example queries in both languages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive.payloads import search_payload


@pytest.mark.parametrize("query", ["Hama", "حماة", "سجن حماة المركزي", "Hama Central Prison"])
def test_hama_queries_find_the_hama_documents_in_both_languages(demo_archive, query: str) -> None:
    results = search_payload(query, AnonymousUser())["results"]
    assert {hit["language"] for hit in results} == {"en", "ar"}
    assert all("Hama" in hit["title"] or "حماة" in hit["title"] for hit in results)


def test_a_town_query_does_not_reach_other_towns(demo_archive) -> None:
    titles = [hit["title"] for hit in search_payload("Homs", AnonymousUser())["results"]]
    assert titles and not any("Hama" in title or "حماة" in title for title in titles)
