"""Headers that keep stored documents inert in the browser and sensitive pages out of caches.

The content security policy itself is set by django-csp (``CONTENT_SECURITY_POLICY`` in settings).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """No sniffing, no referrer to other sites, and ``Cache-Control: private, no-store`` for every answer
    to a signed-in user (they may see restricted and confidential records) and for every original."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.endswith("/original"):
            response["Cache-Control"] = "private, no-store"
        return response
