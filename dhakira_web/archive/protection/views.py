"""Reviewers' protection actions on the record page: access level and redaction. Both audited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dhakira_web.archive import policy
from dhakira_web.archive.protection.services import ProtectionError, actor_name, redact, set_access, unredact
from dhakira_web.archive.views import visible_record_or_404, wants_json


@require_POST
def access_view(request: HttpRequest, code: str) -> HttpResponse:
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may change a record's access level.")
    record = visible_record_or_404(request, code)
    try:
        previous = set_access(record, request.POST.get("level", ""), actor=actor_name(request.user), reason=request.POST.get("reason", ""))
    except ProtectionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if wants_json(request):
        return JsonResponse({"code": record.code, "access_level": record.access_level, "previous": previous})
    return redirect(f"/records/{record.code}")


@require_POST
def redact_view(request: HttpRequest, code: str) -> HttpResponse:
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may redact.")
    record = visible_record_or_404(request, code)
    phrase, reason = request.POST.get("phrase", ""), request.POST.get("reason", "")
    try:
        if request.POST.get("remove"):
            done = unredact(record, phrase, actor=actor_name(request.user), reason=reason)
            result: dict[str, Any] = {"code": record.code, "removed": done}
        else:
            result = {"code": record.code, "occurrences": redact(record, phrase, actor=actor_name(request.user), reason=reason)}
    except ProtectionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if wants_json(request):
        return JsonResponse(result)
    return redirect(f"/records/{record.code}")


def segments(text: str, claims: list[dict[str, Any]], marked: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
    """The text cut at every claim and redaction boundary; each piece named ``redacted`` (for reviewers,
    a phrase the public reads masked), else the field of the claim it belongs to, else None."""
    spans = [(c["span"][0], c["span"][1], c["field"]) for c in claims if c["field"] != "event" and 0 <= c["span"][0] < c["span"][1] <= len(text)]
    cuts = sorted({0, len(text), *(point for start, end, _ in spans for point in (start, end)),
                   *(point for start, end in marked for point in (start, end))})
    pieces: list[tuple[str, str | None]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if any(left <= start and end <= right for left, right in marked):
            field: str | None = "redacted"
        else:
            field = next((name for left, right, name in spans if left <= start and end <= right), None)
        if pieces and pieces[-1][1] == field and field is None:
            pieces[-1] = (pieces[-1][0] + text[start:end], None)
        else:
            pieces.append((text[start:end], field))
    return pieces or [(text, None)]
