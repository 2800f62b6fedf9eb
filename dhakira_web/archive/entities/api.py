"""API routes for places, organisations and persons (mounted under /api by one line in ``archive/api.py``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from dhakira_web.archive.entities import payloads
from dhakira_web.archive.entities.search import search_persons
from dhakira_web.archive.entities.views import visible_person_or_404
from dhakira_web.archive.models import Organisation, Place
from dhakira_web.archive.views import interface_language

router = Router(tags=["entities"])


@router.get("/places", summary="Places named by records you may see (q: a name in either language)")
def places(request: HttpRequest, q: str = "", kind: str = "") -> dict[str, Any]:
    return payloads.place_list_payload(request.user, q[:200], kind[:40], interface_language())


@router.get("/places/{id}", summary="A place: names, hierarchy, incidents by month, figures side by side, records")
def place(request: HttpRequest, id: int, page: int = 1) -> dict[str, Any]:  # noqa: A002 - the documented path parameter
    found = Place.objects.filter(pk=id).first()
    if found is None:
        raise Http404("No such place.")
    return payloads.place_payload(found, request.user, interface_language(), max(1, min(page, 10_000)))


@router.get("/organisations", summary="Organisations named by records you may see")
def organisations(request: HttpRequest, q: str = "") -> dict[str, Any]:
    return payloads.organisation_list_payload(request.user, q[:200], interface_language())


@router.get("/organisations/{id}", summary="An organisation: records naming it, records it issued, incidents it perpetrated")
def organisation(request: HttpRequest, id: int) -> dict[str, Any]:  # noqa: A002
    found = Organisation.objects.filter(pk=id).first()
    if found is None:
        raise Http404("No such organisation.")
    return payloads.organisation_payload(found, request.user, interface_language())


@router.get("/persons", summary="Persons you may see, by a name in Arabic or Latin script (best first)")
def persons(request: HttpRequest, q: str = "", limit: int = 20) -> dict[str, Any]:
    if q.strip():
        return {"query": q, "results": search_persons(q[:200], request.user, limit=max(1, min(limit, 100)))}
    return payloads.person_list_payload(request.user, "", interface_language())


@router.get("/persons/{id}", summary="A person: spellings, roles per mention with quotes, records, incidents")
def person(request: HttpRequest, id: int) -> dict[str, Any]:  # noqa: A002
    return payloads.person_payload(visible_person_or_404(request, id), request.user, interface_language())
