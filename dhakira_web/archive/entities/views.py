"""Place, organisation and person pages (each with its ``?format=json`` twin) and the reviewers' person actions."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dhakira_web.archive import policy
from dhakira_web.archive.counts import kept
from dhakira_web.archive.entities import payloads
from dhakira_web.archive.entities.persons import LEVELS, separate_mentions, set_access_level
from dhakira_web.archive.models import Organisation, Person, Place
from dhakira_web.archive.views import _respond, interface_language, kept_html, wants_json

# Words of these pages in both languages (the pages carry their own labels).
WORDS = {
    "places": ("Places", "الأماكن"), "organisations": ("Organisations", "المنظمات"), "persons": ("Persons", "الأشخاص"),
    "names": ("Names", "الأسماء"), "kind": ("Kind", "النوع"), "within": ("Within", "ضمن"), "map": ("Map", "الخريطة"),
    "timeline": ("Incidents by month", "الحوادث حسب الشهر"), "figures": ("Figures reported here, side by side", "الأرقام المذكورة، جنباً إلى جنب"),
    "records": ("Records", "السجلات"), "incidents": ("Incidents", "الحوادث"), "issued": ("Records it issued", "سجلات صادرة عنها"),
    "naming": ("Records that name it", "سجلات تذكرها"), "perpetrator": ("Incidents where it is named as perpetrator", "حوادث نُسبت إليها"),
    "spellings": ("Spellings seen", "الكتابات الواردة"), "roles": ("Roles", "الأدوار"), "ties": ("Dates and places", "تواريخ وأماكن"),
    "mentions": ("Records naming this person", "سجلات تذكر هذا الشخص"), "none": ("None yet.", "لا شيء بعد."),
    "search": ("Search", "بحث"), "name_placeholder": ("Name, in Arabic or Latin letters", "الاسم بالعربية أو بالحروف اللاتينية"),
    "merge": ("How this mention was joined", "كيف رُبط هذا الذكر"), "separate": ("Separate", "فصل"),
    "access": ("Access level", "مستوى الوصول"), "set": ("Set", "تعيين"), "more": ("More records", "المزيد"),
    "total": ("in all", "إجمالاً"), "no_place": ("No coordinates known.", "لا إحداثيات معروفة."),
    "candidates": ("A name of one word: these are candidates, not one person.", "اسم من كلمة واحدة: هؤلاء مرشحون وليسوا شخصاً واحداً."),
}


def _words() -> dict[str, str]:
    index = 1 if interface_language() == "ar" else 0
    return {key: pair[index] for key, pair in WORDS.items()}


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _render(request: HttpRequest, template: str, payload: dict[str, Any], **context: Any) -> HttpResponse:
    return _respond(request, f"archive/entities/{template}", payload, words=_words(), **context)


@kept_html("place")
def place_page(request: HttpRequest, pk: int) -> HttpResponse:
    def compute() -> tuple[dict[str, Any], Any]:
        place = Place.objects.filter(pk=pk).first()
        if place is None:
            raise Http404("No such place.")
        payload = payloads.place_payload(place, request.user, interface_language(), _page(request))
        return payload, payloads.map_outlines(payload["map"]["governorate"])

    payload, outlines = kept.kept_page(request, "place", compute)
    return _render(request, "place.html", payload, outlines=outlines)


@kept_html("organisation")
def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return _render(request, "organisation.html", kept.kept_page(
        request, "organisation", lambda: payloads.organisation_payload(organisation, request.user, interface_language())))


def visible_person_or_404(request: HttpRequest, pk: int) -> Person:
    person = policy.visible_persons(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person, or you may not see them.")
    return person


@kept_html("person")
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = visible_person_or_404(request, pk)
    return _render(request, "person.html", kept.kept_page(
        request, "person", lambda: payloads.person_payload(person, request.user, interface_language())), may_review=policy.may_review(request.user), levels=LEVELS)


def place_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    payload = payloads.place_list_payload(request.user, query, request.GET.get("kind", "")[:40], interface_language())
    return _render(request, "places.html", payload, query=query)


def organisation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return _render(request, "organisations.html", payloads.organisation_list_payload(request.user, query, interface_language()), query=query)


def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    payload = payloads.person_list_payload(request.user, query, interface_language())
    from dhakira.persons import parse_name

    return _render(request, "persons.html", payload, query=query, single=bool(query) and len(parse_name(query).parts) == 1)


@require_POST
def separate_person(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer undoes a merge: the person's mentions in one record (``record`` in the form) become their own person."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may separate persons.")
    person = visible_person_or_404(request, pk)
    record = policy.visible_record(request.user, request.POST.get("record", ""))
    if record is None:
        raise Http404("No such record, or you may not see it.")
    try:
        new = separate_mentions(person, record, request.user.get_username())
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if wants_json(request):
        return JsonResponse({"id": new.pk, "from": person.pk, "record": record.code})
    return redirect(payloads.person_url(new.pk))


@require_POST
def person_access(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer sets a person's access level (``level`` in the form); audited."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may change a person's access level.")
    person = visible_person_or_404(request, pk)
    level = request.POST.get("level", "")
    if level not in LEVELS:
        return JsonResponse({"error": f"level must be one of {LEVELS}"}, status=400)
    set_access_level(person, level, request.user.get_username())
    if wants_json(request):
        return JsonResponse({"id": person.pk, "access_level": level})
    return redirect(payloads.person_url(person.pk))
