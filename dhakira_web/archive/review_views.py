"""Review actions: confirm or reject an incident link, set a record's review state. Each is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dhakira.schema import ids
from dhakira_web.archive import audit, linking, policy
from dhakira_web.archive.models import IncidentReport
from dhakira_web.archive.views import visible_record_or_404, wants_json


@require_POST
def review_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer confirms or rejects that a record reports an incident (``decision`` in the form)."""
    if not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may confirm or reject links.")
    report = IncidentReport.objects.filter(pk=pk, record__in=policy.visible_records(request.user)).select_related("record").first()
    if report is None:
        raise Http404("No such link, or you may not see it.")
    decision = request.POST.get("decision", "")
    if decision not in ("confirmed", "rejected"):
        return JsonResponse({"error": "decision must be 'confirmed' or 'rejected'"}, status=400)
    linking.review_report(report, decision, request.user)
    audit.append(request.user.get_username(), f"link_{decision}", record=report.record,
                 details={"incident": report.incident_id, "position": report.position, "previous_decision": report.decision})
    if wants_json(request):
        return JsonResponse({"id": report.pk, "incident": report.incident_id, "record": report.record.code, "review": report.review})
    return redirect(f"/incidents/{report.incident_id}")


@require_POST
def set_review_state(request: HttpRequest, code: str) -> HttpResponse:
    """An editor or reviewer moves a record through the review states; publishing needs a reviewer."""
    if not policy.may_edit(request.user):
        return HttpResponseForbidden("Only editors and reviewers may change a record's review state.")
    record = visible_record_or_404(request, code)
    state = request.POST.get("state", "")
    if state not in ids("review_states"):
        return JsonResponse({"error": f"state must be one of {sorted(ids('review_states'))}"}, status=400)
    if state == "published" and not policy.may_review(request.user):
        return HttpResponseForbidden("Only reviewers may publish a record.")
    previous = record.review_state
    record.review_state = state
    record.save(update_fields=["review_state"])
    # Imported here, so that serving pages never loads the ingestion machinery.
    from dhakira_web.archive.services import refresh_facets

    refresh_facets(record)
    audit.append(request.user.get_username(), "review_state", record=record, details={"from": previous, "to": state})
    if wants_json(request):
        return JsonResponse({"code": record.code, "review_state": state})
    return redirect(f"/records/{record.code}")
