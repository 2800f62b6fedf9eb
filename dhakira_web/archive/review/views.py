"""Review actions on the pages: review states, claim decisions and corrections, link review, grades. All audited.

Each answers JSON when asked (``?format=json`` or ``Accept: application/json``), else returns to the page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dhakira_web.archive import policy
from dhakira_web.archive.review import actions
from dhakira_web.archive.review.claims import ReviewError
from dhakira_web.archive.views import visible_incident_or_404, visible_record_or_404, wants_json


def _answer(request: HttpRequest, payload: dict[str, Any], back: str) -> HttpResponse:
    """JSON when asked for, else back to the page the form was on (``next``, a path of this site) or ``back``."""
    if wants_json(request):
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        back = wanted
    return redirect(back)


def _error(request: HttpRequest, error: Exception) -> HttpResponse:
    """The reason an action was refused: JSON, or a page that says it and links back."""
    if wants_json(request):
        return JsonResponse({"error": str(error)}, status=400)
    referer = request.headers.get("Referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else "/"
    return render(request, "archive/review/refused.html", {"error": str(error), "back": back}, status=400)


@require_POST
def review_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer confirms or rejects that a record reports an incident, or moves it to another incident."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may confirm or reject links.")
    report = policy.visible_link(request.user, pk)
    if report is None:
        raise Http404("No such link, or you may not see it.")
    try:
        report = actions.review_link(request.user, report, request.POST.get("decision", ""), request.POST.get("reason", ""),
                                     request.POST.get("incident") or None)
    except ReviewError as error:
        return _error(request, error)
    except LookupError as error:
        raise Http404(str(error)) from error
    payload = {"id": report.pk, "incident": report.incident_id, "record": report.record.code, "review": report.review}
    return _answer(request, payload, f"/incidents/{report.incident_id}")


@require_POST
def set_review_state(request: HttpRequest, code: str) -> HttpResponse:
    """An editor or reviewer moves a record through the review states; publishing needs a reviewer."""
    if not policy.may_edit(request.user):
        return HttpResponseForbidden("Only editors and reviewers may change a record's review state.")
    record = visible_record_or_404(request, code)
    try:
        step = actions.set_state(request.user, record, request.POST.get("state", ""), request.POST.get("reason", ""))
    except PermissionError as error:
        return HttpResponseForbidden(str(error))
    except ReviewError as error:
        return _error(request, error)
    return _answer(request, {"code": record.code, "review_state": step.state, "by": step.actor, "at": step.at.isoformat()},
                   f"/records/{record.code}")


@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, reject or correct one claim (``decision`` = accepted, rejected or corrected; a correction needs
    ``value`` and ``reason``, and a count may also give ``what`` and ``qualifier``)."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may review claims.")
    claim = policy.visible_claim(request.user, pk)
    if claim is None:
        raise Http404("No such claim, or you may not see it.")
    form = request.POST
    try:
        result = actions.review_claim(request.user, claim, form.get("decision", ""), reason=form.get("reason", ""),
                                      value=form.get("value", ""), what=form.get("what"), qualifier=form.get("qualifier"))
    except ReviewError as error:
        return _error(request, error)
    return _answer(request, result, f"/records/{claim.record.code}")


@require_POST
def grade_record(request: HttpRequest, code: str) -> HttpResponse:
    """Grade a record's information (1–6), and optionally its source (A–F), with a rationale."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may grade.")
    record = visible_record_or_404(request, code)
    try:
        result = actions.grade_record(request.user, record, request.POST.get("information", ""), request.POST.get("source", ""),
                                      request.POST.get("rationale", ""))
    except ReviewError as error:
        return _error(request, error)
    return _answer(request, result, f"/records/{record.code}")


@require_POST
def grade_incident(request: HttpRequest, pk: int) -> HttpResponse:
    """Grade an incident's information (1–6) with a rationale."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may grade.")
    incident = visible_incident_or_404(request, pk)
    try:
        result = actions.grade_incident(request.user, incident, request.POST.get("information", ""), request.POST.get("rationale", ""))
    except ReviewError as error:
        return _error(request, error)
    return _answer(request, result, f"/incidents/{incident.pk}")
