"""API tokens for scripts: ``Authorization: Bearer dhk_…``, scoped and expiring (docs/security.md).

A token acts as its user, narrowed by its scopes: ``read`` allows reading (GET, HEAD) only, ``review``
also the review and protection actions the user's role allows, ``admin`` everything the user may do.
Only the SHA-256 of the secret is stored; the secret is shown once, when the token is made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from dhakira_web.archive import audit
from dhakira_web.archive.models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_DAYS = 366


def issue(user: Any, name: str, *, scopes: list[str], days: int = 90) -> tuple[str, ApiToken]:
    """A new token for ``user``; returns the secret (shown once) and the stored token."""
    unknown = set(scopes) - set(ApiToken.SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes are among {', '.join(ApiToken.SCOPES)}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lasts 1 to {MAX_DAYS} days")
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=secret[:12], secret_hash=ApiToken.hash_secret(secret),
                                    scopes=sorted(set(scopes)), expires_at=timezone.now() + timedelta(days=days))
    audit.append(user.get_username(), "token_issued", target=token.prefix, details={"scopes": token.scopes, "days": days})
    return secret, token


def revoke(prefix: str) -> bool:
    done = ApiToken.objects.filter(prefix=prefix, revoked=False).update(revoked=True)
    if done:
        audit.append("dhakira", "token_revoked", target=prefix)
    return bool(done)


def listing() -> list[str]:
    return [f"{token.prefix}  {token.user.get_username():12} {','.join(token.scopes):18} expires {token.expires_at:%Y-%m-%d}"
            f"{'  revoked' if token.revoked else ''}" for token in ApiToken.objects.select_related("user").order_by("created_at")]


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown, expired, revoked, or its user inactive)."""
    token = (ApiToken.objects.select_related("user").filter(secret_hash=ApiToken.hash_secret(secret), revoked=False,
                                                            expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


class ApiTokenMiddleware:
    """Sign a request in as the user of its bearer token, within the token's scopes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return self.get_response(request)
        token = authenticate(header[7:].strip())
        if token is None:
            return JsonResponse({"error": "unknown, expired or revoked token"}, status=401)
        if request.method not in SAFE_METHODS and not {"review", "admin"} & set(token.scopes):
            return JsonResponse({"error": "this token may only read"}, status=403)
        request.user = token.user
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]  # no cookie: no cross-site request
        request.api_token = token  # type: ignore[attr-defined]
        return self.get_response(request)
