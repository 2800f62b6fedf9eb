"""Login throttling with django-axes, and login and failed login in the audit log."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse

from dhakira_web.archive import audit


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for requests only: a login without a request (a test client, a script with direct
    database access) is not a web login and goes on to the model backend."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """The answer to a locked-out login: 429, in JSON or plain words."""
    message = "Too many failed sign-ins: try again in 15 minutes."
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"error": message}, status=429)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.append(user.get_username(), "login", details={"address": _address(request)})


@receiver(user_login_failed)
def _audit_failed_login(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # The password is never written; Django has already masked it in ``credentials``.
    audit.append(str(credentials.get("username", ""))[:150], "login_failed", details={"address": _address(request)})


def _address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""
