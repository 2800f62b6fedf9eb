"""The authorisation matrix: every role × every route × every access level, plus redacted phrases and counts.

A new route is one more line in ``ROUTES`` (a page, its JSON twin, an API route): the test then checks,
for anonymous visitors, viewers, editors, reviewers and administrators, that

* a record's page, JSON and original answer only those who may see it (404 for the others);
* no response ever carries the code, title or text of a record its reader may not see;
* a redacted phrase and a protected person's name reach reviewers and administrators only;
* counts (search totals, facets, statistics, map) count exactly the records the reader may see.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.models import Person, Record
from dhakira_web.archive.protection import services

ROLES = (None, "viewer", "editor", "reviewer", "admin")
SEES = {None: {"public"}, "viewer": {"public", "restricted"}, "editor": {"public", "restricted"},
        "reviewer": {"public", "restricted", "confidential"}, "admin": {"public", "restricted", "confidential"}}
# One marker word per access level, in each record's title and text, found nowhere else.
MARKERS = {"public": "Orvantis", "restricted": "Belquarro", "confidential": "Zentharim"}
REDACTED = "Yasmeen Darwaleh"
PROTECTED = "Talib Morrowind"
COMMON = "Adra"

# Routes over one record: (name, URL with {code}).
RECORD_ROUTES = [
    ("record page", "/records/{code}"),
    ("record JSON", "/records/{code}?format=json"),
    ("record API", "/api/records/{code}"),
    ("record original", "/records/{code}/original"),
]
# Routes over one incident: (name, URL with {id}).
INCIDENT_ROUTES = [
    ("incident page", "/incidents/{id}"),
    ("incident JSON", "/incidents/{id}?format=json"),
    ("incident API", "/api/incidents/{id}"),
]
# Routes over the archive: (name, URL). {marker} is each level's marker word in turn.
ROUTES = [
    ("home", "/"),
    ("home JSON", "/?format=json"),
    ("search page", "/search?q={common}"),
    ("search JSON", "/search?q={common}&format=json"),
    ("search API", "/api/search?q={common}"),
    ("search by marker", "/api/search?q={marker}"),
    ("search page by marker", "/search?q={marker}"),
    ("search by redacted phrase", "/api/search?q={redacted}"),
    ("search by protected person", "/api/search?q={protected}"),
    ("blank search", "/api/search?q="),
    ("chronicle page", "/chronicle"),
    ("chronicle JSON", "/chronicle?format=json"),
    ("chronicle API", "/api/chronicle"),
    ("map page", "/map"),
    ("map JSON", "/map?format=json"),
    ("map API", "/api/map"),
    ("stats API", "/api/stats"),
]


def _text(level: str) -> str:
    marker = MARKERS[level]
    extra = f" {REDACTED} spoke to the families, and {PROTECTED} was seen in the yard." if level == "public" else ""
    return (f"{marker} report on Adra Central Prison. Detainees held at Adra Central Prison started a hunger strike "
            f"on 12 March 2020, {marker} sources said.{extra}")


@pytest.fixture
def archive(add_record) -> dict[str, Record]:
    records = {level: add_record(_text(level), name=f"{MARKERS[level].lower()}.txt", access=level) for level in MARKERS}
    services.redact(records["public"], REDACTED, actor="tester", reason="witness")
    person = Person.objects.create(name=PROTECTED, normalised_name=PROTECTED.lower(), access_level="confidential")
    records["public"].persons.add(person)
    services.reindex(records["public"])
    for role in ROLES[1:]:
        add_user(f"matrix-{role}", role, password="pw-for-tests")
    return records


def _client(role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(get_user_model().objects.get(username=f"matrix-{role}"))
    return client


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return content.decode("utf-8", errors="replace")


def _assert_nothing_hidden(body: str, role: str | None, archive: dict[str, Record], where: str) -> None:
    for level, record in archive.items():
        if level not in SEES[role]:
            assert record.code not in body, f"{where}: {role} sees the code of a {level} record"
            assert MARKERS[level] not in body, f"{where}: {role} sees the text of a {level} record"
    if role not in ("reviewer", "admin"):
        for secret in (REDACTED, *REDACTED.split(), PROTECTED, *PROTECTED.split()):
            assert secret not in body, f"{where}: {role} reads the hidden phrase {secret!r}"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_authorisation_matrix(archive, role) -> None:
    """One role against every route of the tables above and every access level (one archive per role)."""
    client = _client(role)
    _record_routes(client, archive, role)
    _incident_routes(client, archive, role)
    _archive_routes(client, archive, role)
    _counts(client, archive, role)


def _record_routes(client: Client, archive: dict[str, Record], role: str | None) -> None:
    for route, url in RECORD_ROUTES:
        for level, record in archive.items():
            response = client.get(url.format(code=record.code))
            where = f"{route} of the {level} record"
            if level not in SEES[role]:
                assert response.status_code == 404, f"{where}: {role} got {response.status_code}"
            elif route == "record original" and level == "public" and role not in ("reviewer", "admin"):
                assert response.status_code == 403, f"{where}: an original holding redacted content went to {role}"
            else:
                assert response.status_code == 200, f"{where}: {role} got {response.status_code}"
                assert MARKERS[level] in _body(response)
            _assert_nothing_hidden(_body(response), role, archive, f"{where} ({url})")


def _incident_routes(client: Client, archive: dict[str, Record], role: str | None) -> None:
    from dhakira_web.archive.models import Incident

    incidents = list(Incident.objects.all())
    assert incidents, "the matrix needs incidents"
    for route, url in INCIDENT_ROUTES:
        for incident in incidents:
            levels = set(incident.reports.values_list("record__access_level", flat=True))
            response = client.get(url.format(id=incident.pk))
            expected = 200 if levels & SEES[role] else 404
            assert response.status_code == expected, f"{route} {incident.pk} ({levels}): {role} got {response.status_code}"
            _assert_nothing_hidden(_body(response), role, archive, f"{route} {incident.pk}")


def _archive_routes(client: Client, archive: dict[str, Record], role: str | None) -> None:
    for route, url in ROUTES:
        for marker in (list(MARKERS.values()) if "{marker}" in url else [None]):
            address = url.format(common=COMMON, marker=marker, redacted=REDACTED, protected=PROTECTED)
            response = client.get(address)
            assert response.status_code == 200, f"{address}: {role} got {response.status_code}"
            body = _body(response)
            for asked in (marker, REDACTED, PROTECTED):
                if asked and asked in address.replace("+", " ").replace("%20", " "):
                    body = body.replace(asked, "")  # the query is echoed back to whoever asked it
            _assert_nothing_hidden(body, role, archive, f"{route} ({address})")


def _counts(client: Client, archive: dict[str, Record], role: str | None) -> None:
    visible = len(SEES[role])
    assert client.get("/api/stats").json()["records"] == visible
    found = client.get("/api/search", {"q": COMMON}).json()
    assert found["total"] == visible and len(found["results"]) == visible
    assert sum(item["count"] for item in found["facets"]["language"]) == visible
    assert sum(item["count"] for item in found["facets"]["document_type"]) == visible
    assert client.get("/api/search", {"q": ""}).json()["total"] == visible
    for level, marker in MARKERS.items():
        assert client.get("/api/search", {"q": marker}).json()["total"] == (1 if level in SEES[role] else 0)
    sees_hidden = role in ("reviewer", "admin")
    # The index holds what the public may read: nobody finds the record by a hidden phrase, reviewers read it on the page.
    assert client.get("/api/search", {"q": REDACTED}).json()["total"] == 0
    assert client.get("/api/search", {"q": PROTECTED}).json()["total"] == 0
    page = client.get(f"/api/records/{archive['public'].code}").json()
    assert (REDACTED in page["text"]) == sees_hidden and (PROTECTED in page["text"]) == sees_hidden
    map_data = client.get("/api/map").json()
    facility = max(map_data["facilities"], key=lambda item: item["records"])
    assert facility["records"] == visible
