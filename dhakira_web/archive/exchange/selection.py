"""Which records an export carries: what the user may see (the access policy), narrowed as search narrows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dhakira.text.query import parse_query
from dhakira_web.archive import policy
from dhakira_web.archive.models import Record
from dhakira_web.archive.payloads import filtered, search_filters
from dhakira_web.archive.search import matching_records
from dhakira_web.archive.search.crosslingual import expand


def facet_filters(pairs: list[str] | None) -> dict[str, str]:
    """``["language=ar", …]`` (``--facet`` on the command line) as search filters; unknown names are dropped."""
    given = dict(item.split("=", 1) for item in pairs or [] if "=" in item)
    return search_filters(given)


def selected_records(user: Any, query: str = "", filters: dict[str, str] | None = None, codes: list[str] | None = None) -> QuerySet[Record]:
    """The records ``user`` may see that match ``query`` and ``filters`` (as the search page finds them), or ``codes``."""
    records = filtered(policy.visible_records(user), {name: value for name, value in (filters or {}).items() if value})
    if codes:
        records = records.filter(code__in=codes)
    if query.strip():
        parsed = parse_query(query)
        records = records.filter(pk__in=matching_records(parsed, records, extra_keys=expand(query, parsed)).values("pk"))
    return records.order_by("id")


def actor_name(user: Any) -> str:
    """The name custody entries give the user: their username, or ``anonymous``."""
    return str(getattr(user, "username", "") or "anonymous") if getattr(user, "is_authenticated", False) else "anonymous"


def archivist() -> Any:
    """A viewer that sees every record (an administrator never saved): for moving a whole archive."""
    from django.contrib.auth import get_user_model

    return get_user_model()(username="dhakira", is_superuser=True, is_active=True)
