"""Tables of the protection subpackage; imported by ``archive.models`` so they live in the ``archive`` app."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from dhakira_web.archive.storage import CompactJSONEncoder


class Redaction(models.Model):
    """A phrase hidden in one record from anyone below reviewer: every occurrence, in every view."""

    record = models.ForeignKey("archive.Record", on_delete=models.CASCADE, related_name="redactions")
    phrase = models.CharField(max_length=500)
    reason = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "phrase"], name="one_redaction_per_phrase")]

    def __str__(self) -> str:
        return f"redaction {self.pk} of record {self.record_id}"


class ApiToken(models.Model):
    """A bearer token for scripts: scoped, expiring, revocable. Only the SHA-256 of the secret is kept."""

    SCOPES = ("read", "review", "admin")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list, encoder=CompactJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "dhk_" + secrets.token_urlsafe(32)

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user_id}"
